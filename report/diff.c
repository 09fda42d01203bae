/* Matching ops of the two sides group by group (op_match.h; both sides sorted by group, then
 * walked together), computing each row's statistics once, and writing the rows in the NEW
 * side's report order followed by the ops that vanished, in the OLD side's order. */
#include "diff.h"

#include "confidence.h"
#include "latency.h"
#include "json_string.h"
#include "ledger.h"
#include "op_keys.h"
#include "op_match.h"
#include "text_table.h"
#include "xalloc.h"
#include "zaph_profile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An op timed on both sides: its p50 and p99 then and now, and the rank-sum test. */
struct diff_latency {
  int timed;   /* timed on both sides */
  int too_few; /* a side has fewer than LATENCY_DIFF_MIN_SAMPLES samples */
  uint64_t old_samples, new_samples;
  double old_p50, new_p50, old_p99, new_p99; /* ns, with samples */
  int has_z;
  double z;
  int regression, improvement;
  int small; /* significant, but below LATENCY_DIFF_MIN_CHANGE_PCT at p50 and p99 */
};

struct diff_row {
  const struct classified_op *old, *new_; /* NULL on the side that lacks the op */
  int has_z;
  double z;
  int significant; /* |z| above the critical value */
  int anomaly;     /* significant, and by at least the minimum change */
  int tier_change; /* -1 promotion (hotter), +1 demotion, 0 none */
  struct diff_latency latency;
};

int diff_reprofiling_needed(const struct diff_summary *s) {
  return s->tier_changes || s->anomalies || s->new_ops || s->vanished_ops ||
         s->latency_regressions;
}

/* new / old - 1, in percent; HUGE_VAL for growth from 0. */
static double change_pct(double old, double new_) {
  if (old == 0)
    return new_ == 0 ? 0 : HUGE_VAL;
  return (new_ / old - 1) * 100;
}

static void compare_latency(struct diff_latency *l, const struct op_timing *old,
                            const struct op_timing *new_, double critical_z) {
  if (!old || !new_)
    return;
  l->timed = 1;
  l->old_samples = old->samples;
  l->new_samples = new_->samples;
  if (old->samples < LATENCY_DIFF_MIN_SAMPLES || new_->samples < LATENCY_DIFF_MIN_SAMPLES) {
    l->too_few = 1;
    return;
  }
  l->old_p50 = latency_quantile(old->counts, old->max, 0.5, critical_z).value;
  l->new_p50 = latency_quantile(new_->counts, new_->max, 0.5, critical_z).value;
  l->old_p99 = latency_quantile(old->counts, old->max, 0.99, critical_z).value;
  l->new_p99 = latency_quantile(new_->counts, new_->max, 0.99, critical_z).value;
  l->has_z = latency_rank_sum_z(old->counts, new_->counts, &l->z);
  if (!l->has_z || fabs(l->z) <= critical_z)
    return;
  double p50 = change_pct(l->old_p50, l->new_p50), p99 = change_pct(l->old_p99, l->new_p99);
  l->regression = l->z > 0 && (p50 >= LATENCY_DIFF_MIN_CHANGE_PCT ||
                               p99 >= LATENCY_DIFF_MIN_CHANGE_PCT);
  l->improvement = l->z < 0 && (p50 <= -LATENCY_DIFF_MIN_CHANGE_PCT ||
                                p99 <= -LATENCY_DIFF_MIN_CHANGE_PCT);
  l->small = !l->regression && !l->improvement;
}

int two_proportion_z(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2, double *z) {
  if (n1 == 0 || n2 == 0)
    return 0;
  double p1 = (double)k1 / (double)n1, p2 = (double)k2 / (double)n2;
  double pooled = ((double)k1 + (double)k2) / ((double)n1 + (double)n2);
  double se = sqrt(pooled * (1 - pooled) * (1 / (double)n1 + 1 / (double)n2));
  if (se == 0)
    return 0;
  *z = (p2 - p1) / se;
  return 1;
}

static const struct merged_op *row_op(const struct diff_row *r) {
  return r->new_ ? r->new_->op : r->old->op;
}

/* Whether |k2/n2 - k1/n1| is at least hundredths / 10000: exact in 128 bits while n1 * n2 *
 * 10000 fits (samples below 2^57 each), in long double beyond. */
static int change_at_least(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2,
                           unsigned hundredths) {
  if (n1 < (1ull << 57) && n2 < (1ull << 57)) {
    unsigned __int128 a = (unsigned __int128)k2 * n1, b = (unsigned __int128)k1 * n2;
    unsigned __int128 difference = a > b ? a - b : b - a;
    return difference * 10000 >= (unsigned __int128)hundredths * n1 * n2;
  }
  long double change = (long double)k2 / (long double)n2 - (long double)k1 / (long double)n1;
  return fabsl(change) * 10000 >= (long double)hundredths;
}

static void fill_stats(struct diff_row *r, const struct analysis *old, const struct analysis *new_,
                       double critical_z, unsigned min_change_hundredths) {
  if (!r->old || !r->new_)
    return;
  r->has_z = two_proportion_z(r->old->requests_touching, old->classification.denominator,
                              r->new_->requests_touching, new_->classification.denominator,
                              &r->z);
  r->significant = r->has_z && fabs(r->z) > critical_z;
  r->anomaly = r->significant &&
               change_at_least(r->old->requests_touching, old->classification.denominator,
                               r->new_->requests_touching, new_->classification.denominator,
                               min_change_hundredths);
  if (r->old->tier != TIER_NONE && r->new_->tier != TIER_NONE && r->old->tier != r->new_->tier)
    r->tier_change = r->new_->tier < r->old->tier ? -1 : 1;
  compare_latency(&r->latency, r->old->op->timing, r->new_->op->timing, critical_z);
}

/* A side's ops with their file names, sorted by group (op_match_group_compare). */
struct keyed_op {
  const struct classified_op *op;
  char *file_name;
};

static int compare_keyed(const void *a, const void *b) {
  const struct keyed_op *x = a, *y = b;
  int c = op_match_group_compare(&x->op->op->id, x->file_name, &y->op->op->id, y->file_name);
  return c ? c : (x->op > y->op) - (x->op < y->op);
}

static struct keyed_op *keyed_ops(const struct classification *c) {
  struct keyed_op *keyed = xcalloc(c->op_count + 1, sizeof *keyed);
  for (size_t i = 0; i < c->op_count; i++)
    keyed[i] = (struct keyed_op){&c->ops[i], op_match_file_name(c->ops[i].op->id.file)};
  qsort(keyed, c->op_count, sizeof *keyed, compare_keyed);
  return keyed;
}

/* The end of the group that starts at keyed[first]. */
static size_t group_end(const struct keyed_op *keyed, size_t count, size_t first) {
  size_t end = first + 1;
  while (end < count && op_match_group_compare(&keyed[first].op->op->id, keyed[first].file_name,
                                               &keyed[end].op->op->id, keyed[end].file_name) == 0)
    end++;
  return end;
}

static void warn_ambiguous(struct diff_summary *s, const struct zaph_identity *id) {
  char name[ZAPH_QUOTE_SIZE], file[ZAPH_QUOTE_SIZE];
  zaph_quote(name, id->name);
  zaph_quote(file, id->file);
  s->warnings = xreallocarray(s->warnings, s->warning_count + 1, sizeof *s->warnings);
  s->warnings[s->warning_count++] =
      xformat("diff: NEW op '%s' (%s:%llu) matches several OLD ops equally well (by file and "
              "line); shown as a new op", name, file, (unsigned long long)id->line);
}

/* The OLD op of each NEW op, old_of[i] for nc->ops[i] (NULL: new), group by group. */
static void pair_sides(const struct classification *oc, const struct classification *nc,
                       const struct classified_op **old_of, struct diff_summary *s) {
  struct keyed_op *ko = keyed_ops(oc), *kn = keyed_ops(nc);
  const struct zaph_identity **ids = xcalloc(oc->op_count + nc->op_count + 1, sizeof *ids);
  size_t *match = xcalloc(nc->op_count + 1, sizeof *match);
  size_t *ambiguous = xcalloc(nc->op_count + 1, sizeof *ambiguous);
  for (size_t i = 0, j = 0; i < oc->op_count && j < nc->op_count;) {
    int c = op_match_group_compare(&ko[i].op->op->id, ko[i].file_name, &kn[j].op->op->id,
                                   kn[j].file_name);
    size_t old_end = group_end(ko, oc->op_count, i), new_end = group_end(kn, nc->op_count, j);
    if (c == 0) {
      size_t olds = old_end - i, news = new_end - j;
      for (size_t k = 0; k < olds; k++)
        ids[k] = &ko[i + k].op->op->id;
      for (size_t k = 0; k < news; k++)
        ids[olds + k] = &kn[j + k].op->op->id;
      op_match_pair(ids, olds, ids + olds, news, match, ambiguous);
      for (size_t k = 0; k < news; k++) {
        if (match[k] != OP_MATCH_NONE)
          old_of[kn[j + k].op - nc->ops] = ko[i + match[k]].op;
        else if (ambiguous[k])
          warn_ambiguous(s, &kn[j + k].op->op->id);
      }
    }
    if (c <= 0)
      i = old_end;
    if (c >= 0)
      j = new_end;
  }
  for (size_t i = 0; i < oc->op_count; i++)
    free(ko[i].file_name);
  for (size_t i = 0; i < nc->op_count; i++)
    free(kn[i].file_name);
  free(ko);
  free(kn);
  free(ids);
  free(match);
  free(ambiguous);
}

/* Pairs the ops of both sides, by identity and, with a ledger, across renames; returns the rows
 * and their number in *count. */
static struct diff_row *make_rows(const struct analysis *old, const struct analysis *new_,
                                  const struct zaph_ledger *ledger,
                                  unsigned min_change_hundredths, size_t *count,
                                  struct diff_summary *s) {
  const struct classification *oc = &old->classification, *nc = &new_->classification;
  const struct classified_op **old_of = xcalloc(nc->op_count + 1, sizeof *old_of);
  char *matched = xcalloc(oc->op_count + 1, 1);
  pair_sides(oc, nc, old_of, s);
  for (size_t i = 0; i < nc->op_count; i++)
    if (old_of[i])
      matched[old_of[i] - oc->ops] = 1;
  struct diff_row *rows = xcalloc(oc->op_count + nc->op_count + 1, sizeof *rows);
  /* The critical |z| of the two-proportion test: the two-sided normal quantile of the level. */
  double critical_z = z_for_level(POLICY_ANOMALY_LEVEL_PCT);
  const struct classified_op **renamed = xcalloc(nc->op_count + 1, sizeof *renamed);
  if (ledger)
    ledger_pair_renames(ledger, oc, nc, renamed);
  size_t n = 0;
  for (size_t i = 0; i < nc->op_count; i++) {
    const struct classified_op *hit = old_of[i];
    /* A renamed op: its old self, unless identity paired that with another op. */
    if (!hit && renamed[i] && !matched[renamed[i] - oc->ops]) {
      hit = renamed[i];
      matched[hit - oc->ops] = 1;
    }
    rows[n].new_ = &nc->ops[i];
    if (hit) {
      rows[n].old = hit;
    }
    fill_stats(&rows[n++], old, new_, critical_z, min_change_hundredths);
  }
  for (size_t i = 0; i < oc->op_count; i++)
    if (!matched[i])
      rows[n++].old = &oc->ops[i];
  free(old_of);
  free(matched);
  free(renamed);
  *count = n;
  return rows;
}

void diff_summary_free(struct diff_summary *s) {
  for (size_t i = 0; i < s->warning_count; i++)
    free(s->warnings[i]);
  free(s->warnings);
  s->warnings = NULL;
  s->warning_count = 0;
}

static void summarize(const struct diff_row *rows, size_t count, const struct analysis *old,
                      const struct analysis *new_, struct diff_summary *s) {
  for (size_t i = 0; i < count; i++) {
    s->tier_changes += rows[i].tier_change != 0;
    s->anomalies += rows[i].anomaly;
    s->small_changes += rows[i].significant && !rows[i].anomaly;
    s->new_ops += !rows[i].old;
    s->vanished_ops += !rows[i].new_;
    s->latency_regressions += rows[i].latency.regression;
    s->timed_in_both += rows[i].latency.timed;
  }
  s->insufficient = !old->classification.sufficient || !new_->classification.sufficient;
}

static char *frequency_text(const struct classified_op *c, const char *none) {
  char text[HUNDREDTHS_TEXT_SIZE];
  return xstrdup(c ? hundredths_text(text, c->has_frequency, c->frequency_pct, none) : none);
}

/* new - old in percentage points, or NULL when a side has no frequency. */
static char *change_text(const struct diff_row *r, const struct analysis *old,
                         const struct analysis *new_, const char *none) {
  if (!r->old || !r->new_ || !r->old->has_frequency || !r->new_->has_frequency)
    return xstrdup(none);
  double before = (double)r->old->requests_touching / (double)old->classification.denominator;
  double after = (double)r->new_->requests_touching / (double)new_->classification.denominator;
  return xformat("%+.2f", (after - before) * 100);
}

static char *triggers_text(const struct diff_row *r) {
  const char *parts[5];
  size_t n = 0;
  if (!r->old)
    parts[n++] = "new";
  if (!r->new_)
    parts[n++] = "vanished";
  if (r->tier_change)
    parts[n++] = r->tier_change < 0 ? "promotion" : "demotion";
  if (r->anomaly)
    parts[n++] = "anomaly";
  if (r->latency.regression)
    parts[n++] = "latency regression";
  if (r->significant && !r->anomaly)
    parts[n++] = "(significant, below the minimum change)";
  char *text = xstrdup("");
  for (size_t i = 0; i < n; i++) {
    char *joined = xformat("%s%s%s", text, i ? ", " : "", parts[i]);
    free(text);
    text = joined;
  }
  return text;
}

/* The latency verdict of a row timed on both sides. */
static const char *latency_verdict(const struct diff_latency *l) {
  if (l->too_few)
    return "too few samples";
  if (l->regression)
    return "regression";
  if (l->improvement)
    return "improvement";
  if (l->small)
    return "significant, below the minimum change";
  return "no significant change";
}

static char *change_pct_text(double old, double new_) {
  double c = change_pct(old, new_);
  return c == HUGE_VAL ? xstrdup("+inf") : xformat("%+.1f%%", c);
}

enum { L_OP, L_OLD_N, L_NEW_N, L_OLD_P50, L_NEW_P50, L_P50, L_OLD_P99, L_NEW_P99, L_P99, L_Z,
       L_VERDICT, L_COLUMNS };

/* The latency table: the ops timed on both sides, in row order. */
static void write_latency_text(FILE *out, const struct diff_row *rows, size_t count,
                               const struct diff_summary *s) {
  static const struct text_column columns[L_COLUMNS] = {
      {"OP", 0, 48},      {"OLD N", 1, 0},   {"NEW N", 1, 0},     {"OLD P50", 1, 0},
      {"NEW P50", 1, 0},  {"CHANGE", 1, 0},  {"OLD P99", 1, 0},   {"NEW P99", 1, 0},
      {"CHANGE", 1, 0},   {"Z", 1, 0},       {"LATENCY", 0, 0}};
  char **cells = xcalloc(s->timed_in_both * L_COLUMNS + 1, sizeof *cells);
  size_t n = 0;
  for (size_t i = 0; i < count; i++) {
    const struct diff_latency *l = &rows[i].latency;
    if (!l->timed)
      continue;
    char **cell = cells + n++ * L_COLUMNS;
    int sampled = !l->too_few;
    cell[L_OP] = op_name_text(row_op(&rows[i]));
    cell[L_OLD_N] = xformat("%llu", (unsigned long long)l->old_samples);
    cell[L_NEW_N] = xformat("%llu", (unsigned long long)l->new_samples);
    cell[L_OLD_P50] = sampled ? duration_text(l->old_p50) : xstrdup("-");
    cell[L_NEW_P50] = sampled ? duration_text(l->new_p50) : xstrdup("-");
    cell[L_P50] = sampled ? change_pct_text(l->old_p50, l->new_p50) : xstrdup("-");
    cell[L_OLD_P99] = sampled ? duration_text(l->old_p99) : xstrdup("-");
    cell[L_NEW_P99] = sampled ? duration_text(l->new_p99) : xstrdup("-");
    cell[L_P99] = sampled ? change_pct_text(l->old_p99, l->new_p99) : xstrdup("-");
    cell[L_Z] = l->has_z ? xformat("%+.2f", l->z) : xstrdup("-");
    cell[L_VERDICT] = xstrdup(latency_verdict(l));
  }
  fprintf(out, "\nlatency of ops timed in both: a regression is slower at %d%% significance "
               "(rank-sum test) and by %d%% or more at p50 or p99\n",
          POLICY_ANOMALY_LEVEL_PCT, LATENCY_DIFF_MIN_CHANGE_PCT);
  text_table_print(out, columns, L_COLUMNS, cells, n);
  for (size_t i = 0; i < n * L_COLUMNS; i++)
    free(cells[i]);
  free(cells);
}

static char *tier_text(const struct classified_op *c) {
  return xstrdup(c && c->tier != TIER_NONE ? tier_label(c->tier) : "-");
}

static void side_line(FILE *out, const char *label, const struct analysis *a) {
  const struct classification *c = &a->classification;
  char *source = text_escaped(a->assessment.effective_source);
  fprintf(out, "%s: %zu profile%s, %llu %s%s, profiled %s, source %s\n", label,
          a->merged.profile_count, a->merged.profile_count == 1 ? "" : "s",
          (unsigned long long)c->denominator, denominator_unit(c),
          c->sufficient ? "" : " (insufficient: no tiers)", a->merged.end, source);
  free(source);
}

enum { D_OP, D_LOCATION, D_OLD, D_NEW, D_CHANGE, D_Z, D_OLD_TIER, D_NEW_TIER, D_TRIGGERS,
       D_COLUMNS };

static void write_text(FILE *out, const struct diff_row *rows, size_t count,
                       const struct analysis *old, const struct analysis *new_,
                       const struct diff_summary *s) {
  static const struct text_column columns[D_COLUMNS] = {
      {"OP", 0, 48}, {"LOCATION", 0, 0}, {"OLD%", 1, 0},      {"NEW%", 1, 0},      {"CHANGE", 1, 0},
      {"Z", 1, 0},   {"OLD TIER", 0, 0}, {"NEW TIER", 0, 0}, {"TRIGGERS", 0, 0}};
  side_line(out, "old", old);
  side_line(out, "new", new_);
  fprintf(out, "access pattern anomaly: a change significant at %d%% (two-proportion z test) and "
               "of %u.%02u points or more\n", POLICY_ANOMALY_LEVEL_PCT,
          s->min_change_hundredths / 100, s->min_change_hundredths % 100);
  putc('\n', out);
  char **cells = xcalloc(count * D_COLUMNS + 1, sizeof *cells);
  for (size_t i = 0; i < count; i++) {
    const struct diff_row *r = &rows[i];
    const struct merged_op *op = row_op(r);
    char **cell = cells + i * D_COLUMNS;
    cell[D_OP] = op_name_text(op);
    cell[D_LOCATION] = op_location_text(op);
    cell[D_OLD] = frequency_text(r->old, "-");
    cell[D_NEW] = frequency_text(r->new_, "-");
    cell[D_CHANGE] = change_text(r, old, new_, "-");
    cell[D_Z] = r->has_z ? xformat("%+.2f", r->z) : xstrdup("-");
    cell[D_OLD_TIER] = tier_text(r->old);
    cell[D_NEW_TIER] = tier_text(r->new_);
    cell[D_TRIGGERS] = triggers_text(r);
  }
  if (count)
    text_table_print(out, columns, D_COLUMNS, cells, count);
  else
    fputs("no ops were recorded\n", out);
  for (size_t i = 0; i < count * D_COLUMNS; i++)
    free(cells[i]);
  free(cells);
  if (s->timed_in_both)
    write_latency_text(out, rows, count, s);
  fprintf(out, "\n%s: %zu tier changes, %zu access pattern anomalies, %zu new ops, %zu vanished "
               "ops",
          diff_reprofiling_needed(s) ? "re-profiling needed" : "no re-profiling trigger",
          s->tier_changes, s->anomalies, s->new_ops, s->vanished_ops);
  if (s->timed_in_both)
    fprintf(out, ", %zu latency regressions%s", s->latency_regressions,
            s->latency_regressions ? " (performance regression detected)" : "");
  fprintf(out, "%s\n", s->insufficient ? " (tiers not compared: insufficient data)" : "");
}

static void write_json_side(FILE *out, const char *label, const struct analysis *a) {
  const struct classification *c = &a->classification;
  fprintf(out, "  \"%s\": {\"profiles\": %zu, \"denominator\": \"%s\", \"sample_size\": %llu, "
               "\"sufficient\": %s, \"profiled_at\": \"%s\", \"data_source\": ",
          label, a->merged.profile_count, denominator_key(c), (unsigned long long)c->denominator, c->sufficient ? "true" : "false", a->merged.end);
  json_write_string(out, a->assessment.effective_source);
  fputs("},\n", out);
}

static void write_json_tier(FILE *out, const char *name, const struct classified_op *c) {
  if (c && c->tier != TIER_NONE)
    fprintf(out, ", \"%s\": %d", name, (int)c->tier);
  else
    fprintf(out, ", \"%s\": null", name);
}

static void write_json_row(FILE *out, const char *key, const struct diff_row *r,
                           const struct analysis *old, const struct analysis *new_) {
  const struct merged_op *op = row_op(r);
  fputs("    ", out);
  json_write_string(out, key);
  fputs(": {", out);
  json_write_identity(out, &op->id, ", ");
  fprintf(out, ", \"kind\": \"%s\", \"status\": \"%s\",\n", zaph_kind_name(op->id.kind),
          !r->old ? "new" : !r->new_ ? "vanished" : "both");
  char *before = frequency_text(r->old, "null"), *after = frequency_text(r->new_, "null");
  char *change = change_text(r, old, new_, "null");
  fprintf(out, "      \"old_frequency_pct\": %s, \"new_frequency_pct\": %s, \"change_pct\": %s, ",
          before, after, change[0] == '+' ? change + 1 : change);
  free(before);
  free(after);
  free(change);
  if (r->has_z)
    fprintf(out, "\"z\": %.4f, ", r->z);
  else
    fputs("\"z\": null, ", out);
  fprintf(out, "\"significant\": %s, \"anomaly\": %s", r->significant ? "true" : "false",
          r->anomaly ? "true" : "false");
  write_json_tier(out, "old_tier", r->old);
  write_json_tier(out, "new_tier", r->new_);
  fprintf(out, ", \"tier_change\": %s,\n      \"latency\": ",
          !r->tier_change ? "null" : r->tier_change < 0 ? "\"promotion\"" : "\"demotion\"");
  const struct diff_latency *l = &r->latency;
  if (!l->timed) {
    fputs("null}", out);
    return;
  }
  fprintf(out, "{\"old_samples\": %llu, \"new_samples\": %llu", (unsigned long long)l->old_samples,
          (unsigned long long)l->new_samples);
  if (l->too_few)
    fputs(", \"old_p50_ns\": null, \"new_p50_ns\": null, \"old_p99_ns\": null, "
          "\"new_p99_ns\": null", out);
  else
    fprintf(out, ", \"old_p50_ns\": %.1f, \"new_p50_ns\": %.1f, \"old_p99_ns\": %.1f, "
                 "\"new_p99_ns\": %.1f", l->old_p50, l->new_p50, l->old_p99, l->new_p99);
  if (l->has_z)
    fprintf(out, ", \"z\": %.4f", l->z);
  else
    fputs(", \"z\": null", out);
  fprintf(out, ", \"verdict\": \"%s\"}}", latency_verdict(l));
}

static void write_json(FILE *out, const struct diff_row *rows, size_t count,
                       const struct analysis *old, const struct analysis *new_,
                       const struct diff_summary *s) {
  fprintf(out, "{\n  \"schema\": \"zaph-report-diff/3\",\n  \"reprofiling_needed\": %s,\n"
               "  \"min_change_pct\": %u.%02u,\n",
          diff_reprofiling_needed(s) ? "true" : "false", s->min_change_hundredths / 100,
          s->min_change_hundredths % 100);
  write_json_side(out, "old", old);
  write_json_side(out, "new", new_);
  fprintf(out, "  \"tier_changes\": %zu,\n  \"anomalies\": %zu,\n  \"new_ops\": %zu,\n"
               "  \"vanished_ops\": %zu,\n  \"latency_regressions\": %zu,\n  \"operations\": {",
          s->tier_changes, s->anomalies, s->new_ops, s->vanished_ops, s->latency_regressions);
  /* Keys unique over both sides: op_keys_make() over the rows' ops in row order. */
  struct classification all = {0};
  all.ops = xcalloc(count + 1, sizeof *all.ops);
  all.op_count = count;
  for (size_t i = 0; i < count; i++)
    all.ops[i] = rows[i].new_ ? *rows[i].new_ : *rows[i].old;
  char **keys = op_keys_make(&all);
  for (size_t i = 0; i < count; i++) {
    fputs(i ? ",\n" : "\n", out);
    write_json_row(out, keys[i], &rows[i], old, new_);
  }
  op_keys_free(keys, count);
  free(all.ops);
  fputs(count ? "\n  }\n}\n" : "}\n}\n", out);
}

void diff_write(FILE *out, const struct analysis *old, const struct analysis *new_,
                enum report_format format, unsigned min_change_hundredths,
                struct diff_summary *summary) {
  diff_write_ledger(out, old, new_, NULL, format, min_change_hundredths, summary);
}

void diff_write_ledger(FILE *out, const struct analysis *old, const struct analysis *new_,
                       const struct zaph_ledger *ledger, enum report_format format,
                       unsigned min_change_hundredths, struct diff_summary *summary) {
  size_t count;
  memset(summary, 0, sizeof *summary);
  summary->min_change_hundredths = min_change_hundredths;
  struct diff_row *rows = make_rows(old, new_, ledger, min_change_hundredths, &count, summary);
  summarize(rows, count, old, new_, summary);
  if (format == REPORT_FORMAT_JSON)
    write_json(out, rows, count, old, new_, summary);
  else
    write_text(out, rows, count, old, new_, summary);
  free(rows);
}
