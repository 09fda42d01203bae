/* The CSV report (RFC 4180): a header row, then one row per op in report order, every line ended
 * by CRLF, a field quoted when it holds a comma, a double quote, CR or LF (quotes doubled). The
 * merge's own values (date, source) repeat on every row so each row stands alone. */
#include "output.h"

#include "op_keys.h"
#include "xalloc.h"
#include "zaph_profile.h"

#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {
    "key", "name", "file", "line", "kind", "access_count", "requests_touching",
    "entries_outside_requests", "sample_size", "access_frequency_pct", "interval_low_pct",
    "interval_high_pct", "confidence_pct", "confident", "confidence_level_pct",
    "requests_needed", "recommended_tier", "measured_tier", "declared_tier", "misclassified",
    "profiled_at", "next_review_at", "age_days", "stale", "data_source",
    "data_source_acceptable", "flags",
    /* a timed op's latency (docs/latency.md), nanoseconds; empty for an op not timed */
    "timed_every", "latency_samples", "latency_unfinished", "mean_ns", "p50_ns", "p90_ns",
    "p99_ns", "p999_ns", "max_ns", "target_ns", "p99_vs_target"};
#define CSV_COLUMN_COUNT (sizeof columns / sizeof columns[0])
/* The latency columns, from timed_every to the last. */
#define CSV_LATENCY_COLUMNS 11
_Static_assert(CSV_COLUMN_COUNT == 27 + CSV_LATENCY_COLUMNS, "the latency columns are the last");

static void write_field(FILE *out, const char *text, int last) {
  if (strpbrk(text, ",\"\r\n")) {
    putc('"', out);
    for (const char *c = text; *c; c++) {
      if (*c == '"')
        putc('"', out);
      putc(*c, out);
    }
    putc('"', out);
  } else {
    fputs(text, out);
  }
  fputs(last ? "\r\n" : ",", out);
}

/* Writes a field and frees it. */
static void write_owned(FILE *out, char *text) {
  write_field(out, text, 0);
  free(text);
}

static char *flag_list(unsigned flags) {
  char *text = xstrdup("");
  for (int i = 0; i < OP_FLAG_COUNT; i++)
    if (flags & (1u << i)) {
      char *joined = xformat("%s%s%s", text, *text ? " " : "", op_flag_name(i));
      free(text);
      text = joined;
    }
  return text;
}

/* The latency columns, the row's last. */
static void write_latency(FILE *out, const struct op_timing *t, const struct latency_summary *s) {
  if (!t) {
    for (int i = 1; i <= CSV_LATENCY_COLUMNS; i++)
      write_field(out, "", i == CSV_LATENCY_COLUMNS);
    return;
  }
  write_owned(out, t->every ? xformat("%llu", (unsigned long long)t->every) : xstrdup(""));
  write_owned(out, xformat("%llu", (unsigned long long)s->samples));
  write_owned(out, xformat("%llu", (unsigned long long)s->unfinished));
  write_owned(out, s->samples ? xformat("%.2f", s->mean) : xstrdup(""));
  for (int i = 0; i < LATENCY_QUANTILE_COUNT; i++)
    write_owned(out, s->samples ? xformat("%.1f", s->quantiles[i].value) : xstrdup(""));
  write_owned(out, s->samples ? xformat("%llu", (unsigned long long)t->max) : xstrdup(""));
  write_owned(out, t->target ? xformat("%llu", (unsigned long long)t->target) : xstrdup(""));
  write_field(out, t->target ? latency_verdict_text(s->p99_verdict) : "", 1);
}

static void write_row(FILE *out, const char *key, const struct classified_op *c,
                      const struct op_assessment *a, const struct report_view *view) {
  const struct merged_op *op = c->op;
  const struct assessment *as = view->assessment;
  const char *tier = tier_label(c->tier);
  char frequency[HUNDREDTHS_TEXT_SIZE], level[LEVEL_TEXT_SIZE];
  write_field(out, key, 0);
  write_field(out, op->id.name, 0);
  write_field(out, op->id.file, 0);
  write_owned(out, xformat("%llu", (unsigned long long)op->id.line));
  write_field(out, zaph_kind_name(op->id.kind), 0);
  write_owned(out, xformat("%llu", (unsigned long long)op->entries));
  write_owned(out, xformat("%llu", (unsigned long long)c->requests_touching));
  write_owned(out, xformat("%llu", (unsigned long long)op->entries_outside));
  write_owned(out, xformat("%llu", (unsigned long long)view->classification->denominator));
  write_field(out, hundredths_text(frequency, c->has_frequency, c->frequency_pct, ""), 0);
  write_owned(out, a->has_interval ? xformat("%.4f", a->low_pct) : xstrdup(""));
  write_owned(out, a->has_interval ? xformat("%.4f", a->high_pct) : xstrdup(""));
  write_field(out, view->confidence_text, 0);
  write_field(out, a->confident ? "true" : "false", 0);
  write_field(out, a->has_interval ? level_text(level, a) : "", 0);
  write_owned(out, a->has_interval && a->requests_needed != UINT64_MAX
                       ? xformat("%llu", (unsigned long long)a->requests_needed)
                       : xstrdup(""));
  write_field(out, tier ? tier : "", 0);
  write_owned(out, a->measured != TIER_NONE ? xformat("%d", (int)a->measured) : xstrdup(""));
  write_owned(out, op->declared_tier ? xformat("%u", op->declared_tier) : xstrdup(""));
  write_field(out, a->misclassified ? "true" : "false", 0);
  write_field(out, view->merged->end, 0);
  write_field(out, as->next_review_at, 0);
  write_owned(out, xformat("%ld", as->age_days));
  write_field(out, as->stale ? "true" : "false", 0);
  write_field(out, as->effective_source, 0);
  write_field(out, as->source_acceptable ? "true" : "false", 0);
  char *flags = flag_list(a->flags);
  write_field(out, flags, 0);
  free(flags);
  write_latency(out, op->timing, &a->latency);
}

void output_csv(FILE *out, const struct report_view *view) {
  const struct classification *c = view->classification;
  for (size_t i = 0; i < CSV_COLUMN_COUNT; i++)
    write_field(out, columns[i], i + 1 == CSV_COLUMN_COUNT);
  char **keys = op_keys_make(c);
  for (size_t i = 0; i < c->op_count; i++)
    write_row(out, keys[i], &c->ops[i], &view->assessment->ops[i], view);
  op_keys_free(keys, c->op_count);
}
