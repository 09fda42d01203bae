/* The text report: header lines about the sample, its confidence bar, freshness and source, then
 * one aligned table row per op in report order, with a bar of its frequency, its tier coloured
 * when the view says so. Names and paths are shown escaped as in a profile (\t, \n, \xHH), so
 * every op stays on one line whatever its name holds. */
#include "output.h"

#include "data_source.h"
#include "text_table.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* An OP cell wider than this does not widen the column; its row just runs on. */
#define OP_COLUMN_MAX 48

/* The bar of an op's frequency: this many cells for 100%, each cell 5%; in UTF-8 eighths of a
 * cell too (U+2589..U+258F), in ASCII whole cells of '#'. */
#define BAR_CELLS 20

enum column { COL_TIER, COL_FREQ, COL_BAR, COL_INTERVAL, COL_CONFIDENCE, COL_DECLARED,
              COL_REQUESTS, COL_ACCESSES, COL_CALLS, COL_OP, COL_LOCATION, COL_FLAGS,
              COLUMN_COUNT };

static char *format_hundredths(int present, struct hundredths value) {
  char text[HUNDREDTHS_TEXT_SIZE];
  return xstrdup(hundredths_text(text, present, value, "-"));
}

/* The frequency as a bar, rounded half up to a cell (ASCII) or an eighth of one (UTF-8); "" when
 * there is no sample. */
static char *frequency_bar(const struct classified_op *c, uint64_t denominator, int utf8) {
  if (!c->has_frequency)
    return xstrdup("");
  unsigned units = ratio_rounded(c->requests_touching, denominator, utf8 ? BAR_CELLS * 8 : BAR_CELLS);
  unsigned full = utf8 ? units / 8 : units, part = utf8 ? units % 8 : 0;
  char *bar = xmalloc(full * 3 + 4), *at = bar;
  for (unsigned i = 0; i < full; i++) {
    if (utf8) {
      memcpy(at, "\xe2\x96\x88", 3); /* U+2588 FULL BLOCK */
      at += 3;
    } else {
      *at++ = '#';
    }
  }
  if (part) { /* U+258F (one eighth) down to U+2589 (seven eighths) */
    memcpy(at, "\xe2\x96", 2);
    at[2] = (char)(0x90 - part);
    at += 3;
  }
  *at = '\0';
  return bar;
}

/* Wraps a cell in its tier's ANSI colour when colours are on (text_display_width skips them). */
static char *coloured(char *cell, enum recommended_tier tier, int color) {
  const char *sgr = tier_style(tier)->sgr;
  if (!color || !*sgr || !*cell)
    return cell;
  char *wrapped = xformat("\033[%sm%s\033[0m", sgr, cell);
  free(cell);
  return wrapped;
}

static void fill_row(char **cells, const struct classified_op *c, const struct op_assessment *a,
                     const struct report_view *view) {
  const struct merged_op *op = c->op;
  const char *tier = tier_label(c->tier);
  char level[LEVEL_TEXT_SIZE];
  cells[COL_TIER] = coloured(xstrdup(tier ? tier : "-"), c->tier, view->color);
  cells[COL_FREQ] = format_hundredths(c->has_frequency, c->frequency_pct);
  cells[COL_BAR] = coloured(frequency_bar(c, view->classification->denominator, view->utf8),
                            c->tier, view->color);
  cells[COL_INTERVAL] = a->has_interval ? interval_text(a) : xstrdup("-");
  cells[COL_CONFIDENCE] = a->has_interval ? xformat("%s%%", level_text(level, a)) : xstrdup("-");
  cells[COL_DECLARED] = op->declared_tier ? xformat("%u", op->declared_tier) : xstrdup("-");
  cells[COL_REQUESTS] = xformat("%llu", (unsigned long long)c->requests_touching);
  cells[COL_ACCESSES] = xformat("%llu", (unsigned long long)op->entries);
  cells[COL_CALLS] = format_hundredths(c->has_calls_per_request, c->calls_per_request);
  cells[COL_OP] = op_name_text(op);
  cells[COL_LOCATION] = op_location_text(op);
  cells[COL_FLAGS] = op_flags_text(a, op->declared_tier);
}

static void print_table(FILE *out, const struct report_view *view) {
  const struct classification *c = view->classification;
  char *interval_title = xformat("%s%% CI", view->confidence_text);
  const struct text_column columns[COLUMN_COUNT] = {
      {"TIER", 0, 0},     {"FREQ%", 1, 0},    {"BAR", 0, 0},          {interval_title, 1, 0},
      {"CONF", 1, 0},
      {"DECL", 1, 0},     {"REQUESTS", 1, 0}, {"ACCESSES", 1, 0},     {"CALLS/REQ", 1, 0},
      {"OP", 0, OP_COLUMN_MAX}, {"LOCATION", 0, 0}, {"FLAGS", 0, 0}};
  char **cells = xcalloc(c->op_count * COLUMN_COUNT, sizeof *cells);
  for (size_t i = 0; i < c->op_count; i++)
    fill_row(cells + i * COLUMN_COUNT, &c->ops[i], &view->assessment->ops[i], view);
  text_table_print(out, columns, COLUMN_COUNT, cells, c->op_count);
  for (size_t i = 0; i < c->op_count * COLUMN_COUNT; i++)
    free(cells[i]);
  free(cells);
  free(interval_title);
}

static void print_header(FILE *out, const struct merged_profiles *m,
                         const struct classification *c) {
  const char *unit = denominator_unit(c);
  fprintf(out, "profiles: %zu\n", m->profile_count);
  for (size_t i = 0; i < m->program_count; i++) {
    char *program = text_escaped(m->programs[i]);
    fprintf(out, "program: %s\n", program);
    free(program);
  }
  fputs(m->source_count == 1 ? "source: " : "source: mixed (", out);
  for (size_t i = 0; i < m->source_count; i++) {
    char *source = text_escaped(m->sources[i]);
    fprintf(out, "%s%s", i ? ", " : "", source);
    free(source);
  }
  fputs(m->source_count == 1 ? "\n" : ")\n", out);
  fprintf(out, "time range: %s .. %s\n", m->start, m->end);
  if (c->denominator_kind == DENOMINATOR_REQUESTS)
    fprintf(out, "requests: %llu\n", (unsigned long long)c->denominator);
  else
    fprintf(out,
            "note: no requests were marked (no zaph_request function or zaph_request_begin() "
            "ran); access frequency uses the %llu op entries as the denominator\n",
            (unsigned long long)c->denominator);
  fprintf(out, "minimum sample: %llu %s", (unsigned long long)c->min_requests, unit);
  if (c->min_requests_below_policy)
    fprintf(out, " (below the %d requests ZAPH-DEC-04 requires)", POLICY_MIN_REQUESTS);
  putc('\n', out);
  if (!c->sufficient)
    fprintf(out, "tiers: none assigned (insufficient data: %llu < %llu %s)\n",
            (unsigned long long)c->denominator, (unsigned long long)c->min_requests, unit);
}

/* One line per input profile, when there is more than one: name, source, time range, age. */
static void print_inputs(FILE *out, const struct merged_profiles *m, const struct assessment *a) {
  if (m->profile_count < 2)
    return;
  for (size_t i = 0; i < m->profile_count; i++) {
    const struct merged_input *in = &m->inputs[i];
    char *name = text_escaped(in->display_name), *source = text_escaped(in->source);
    fprintf(out, "profile %zu: %s: %s%s, %s .. %s, %llu requests, age %ld days%s\n", i + 1, name,
            source, a->inputs[i].source_acceptable ? "" : " (not acceptable)", in->start, in->end,
            (unsigned long long)in->requests, a->inputs[i].age_days,
            a->inputs[i].stale ? " (stale)" : "");
    free(name);
    free(source);
  }
}

static void print_policy(FILE *out, const struct report_view *view) {
  const struct merged_profiles *m = view->merged;
  const struct assessment *a = view->assessment;
  fprintf(out, "confidence: %s%% Wilson score interval per op", view->confidence_text);
  if (a->confidence_below_policy)
    fprintf(out, " (below the %d%% ZAPH-DEC-04 requires)", POLICY_CONFIDENCE_PCT);
  fprintf(out, "\nprofiled: %s, age %ld days: %s (maximum age %llu days", m->end, a->age_days,
          a->stale ? "STALE" : "fresh", (unsigned long long)a->policy.max_age_days);
  if (a->max_age_above_policy)
    fprintf(out, ", above the %d days ZAPH-DEC-04 allows", POLICY_MAX_AGE_DAYS);
  fprintf(out, ")\nnext review: %s (%s)\n", a->next_review_at, POLICY_REVIEW_INTERVAL_NAME);
  char *source = text_escaped(a->effective_source);
  fprintf(out, "data source: %s (%s", source,
          m->source_count > 1 ? "the worst of the merge; " : "");
  if (a->source_acceptable)
    fputs("acceptable for tier assignment)\n", out);
  else
    fprintf(out, "NOT ACCEPTABLE for tier assignment: ZAPH-DEC-04 accepts %s)\n",
            sources_accepted());
  free(source);
  print_inputs(out, m, a);
}

enum latency_column { LAT_OP, LAT_SAMPLES, LAT_EVERY, LAT_UNFINISHED, LAT_MEAN, LAT_QUANTILES,
                      LAT_MAX = LAT_QUANTILES + LATENCY_QUANTILE_COUNT, LAT_TARGET, LAT_VERDICT,
                      LATENCY_COLUMN_COUNT };

static void fill_latency_row(char **cells, const struct merged_op *op, double z, int utf8) {
  const struct op_timing *t = op->timing;
  struct latency_summary s;
  latency_summarize(t, z, &s);
  cells[LAT_OP] = op_name_text(op);
  cells[LAT_SAMPLES] = xformat("%llu", (unsigned long long)s.samples);
  cells[LAT_EVERY] = t->every ? xformat("%llu", (unsigned long long)t->every) : xstrdup("mixed");
  cells[LAT_UNFINISHED] = xformat("%llu", (unsigned long long)s.unfinished);
  cells[LAT_MEAN] = s.samples ? duration_text(s.mean) : xstrdup("-");
  for (int i = 0; i < LATENCY_QUANTILE_COUNT; i++)
    cells[LAT_QUANTILES + i] = s.samples ? quantile_text(&s.quantiles[i], utf8) : xstrdup("-");
  cells[LAT_MAX] = s.samples ? duration_text((double)t->max) : xstrdup("-");
  cells[LAT_TARGET] = t->target ? duration_text((double)t->target) : xstrdup("-");
  cells[LAT_VERDICT] = xstrdup(t->target ? latency_verdict_text(s.p99_verdict) : "-");
}

/* The latency table, when any op is timed: one row per timed op, in report order. */
static void print_latency(FILE *out, const struct report_view *view) {
  const struct classification *c = view->classification;
  size_t rows = 0;
  for (size_t i = 0; i < c->op_count; i++)
    rows += c->ops[i].op->timing != NULL;
  if (!rows)
    return;
  struct text_column columns[LATENCY_COLUMN_COUNT] = {
      [LAT_OP] = {"OP", 0, OP_COLUMN_MAX}, [LAT_SAMPLES] = {"SAMPLES", 1, 0},
      [LAT_EVERY] = {"EVERY", 1, 0},       [LAT_UNFINISHED] = {"UNFINISHED", 1, 0},
      [LAT_MEAN] = {"MEAN", 1, 0},         [LAT_MAX] = {"MAX", 1, 0},
      [LAT_TARGET] = {"TARGET", 1, 0},     [LAT_VERDICT] = {"P99 VS TARGET", 0, 0}};
  static const char *const titles[] = {
#define LATENCY_TITLE(name, q, title) title,
      LATENCY_QUANTILES(LATENCY_TITLE)
#undef LATENCY_TITLE
  };
  for (int i = 0; i < LATENCY_QUANTILE_COUNT; i++)
    columns[LAT_QUANTILES + i] = (struct text_column){titles[i], 0, 0};
  char **cells = xcalloc(rows * LATENCY_COLUMN_COUNT, sizeof *cells);
  size_t row = 0;
  for (size_t i = 0; i < c->op_count; i++)
    if (c->ops[i].op->timing)
      fill_latency_row(cells + row++ * LATENCY_COLUMN_COUNT, c->ops[i].op, view->assessment->z,
                       view->utf8);
  fprintf(out, "\nlatency of sampled entries, each percentile with its %s%% interval from order "
               "statistics:\n",
          view->confidence_text);
  text_table_print(out, columns, LATENCY_COLUMN_COUNT, cells, rows);
  for (size_t i = 0; i < rows * LATENCY_COLUMN_COUNT; i++)
    free(cells[i]);
  free(cells);
}

void output_text(FILE *out, const struct report_view *view) {
  print_header(out, view->merged, view->classification);
  print_policy(out, view);
  putc('\n', out);
  if (view->classification->op_count == 0)
    fputs("no ops were recorded\n", out);
  else
    print_table(out, view);
  print_latency(out, view);
}
