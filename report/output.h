/* The report formats, all written from the same merged profiles, classification and assessment:
 * text for people (output_text.c), JSON for programs (output_json.c, schema zaph-report/4), CSV
 * for spreadsheets (output_csv.c), a self-contained HTML page with a chart (output_html.c) and
 * OpenMetrics counters for Prometheus (output_openmetrics.c).
 * None checks for write errors; the caller checks the stream once at the end. */
#ifndef ZAPH_REPORT_OUTPUT_H
#define ZAPH_REPORT_OUTPUT_H

#include "assess.h"
#include "classify.h"
#include "latency.h"
#include "merge.h"

#include <stdio.h>

struct report_view {
  const struct merged_profiles *merged;
  const struct classification *classification;
  const struct assessment *assessment;
  const char *confidence_text; /* the bar as the user wrote it, POLICY_CONFIDENCE_PCT by default */
  int color; /* text: ANSI colours by tier (terminal.h) */
  int utf8;  /* text: bars of Unicode blocks rather than '#' */
};

void output_text(FILE *out, const struct report_view *view);

void output_json(FILE *out, const struct report_view *view);

void output_csv(FILE *out, const struct report_view *view);

void output_html(FILE *out, const struct report_view *view);

/* OpenMetrics counters (output_openmetrics.c, include/zaph_metrics.h). */
void output_openmetrics(FILE *out, const struct report_view *view);

/* Shared by every output (output_common.c). */

/* The unit of the sample: "requests", or "op entries" when no requests were marked. */
const char *denominator_unit(const struct classification *c);

/* The same as JSON names it: "requests" or "op_entries". */
const char *denominator_key(const struct classification *c);

/* A percentage or a ratio to two decimals, "91.85", written to out; returns out, or none when
 * present is 0. */
#define HUNDREDTHS_TEXT_SIZE 24
const char *hundredths_text(char out[HUNDREDTHS_TEXT_SIZE], int present, struct hundredths value,
                            const char *none);

/* An op's confidence interval in percent, "45.12..47.03"; malloc()ed; a->has_interval. */
char *interval_text(const struct op_assessment *a);

/* The confidence level an op reaches as the reports show it (level_shown()), "99.9", written to
 * out; returns out. */
#define LEVEL_TEXT_SIZE 32
const char *level_text(char out[LEVEL_TEXT_SIZE], const struct op_assessment *a);

/* The flags of an op that are its own (not the merge's) as text, such as
 * "not-confident (needs 2401), misclassified (declared 1)"; malloc()ed, "" for none. */
char *op_flags_text(const struct op_assessment *a, unsigned declared_tier);

/* An op's name as text shows it: escaped, "name" or "name [request]"; malloc()ed. */
char *op_name_text(const struct merged_op *op);

/* Where an op is defined as text shows it: "file:line", escaped; malloc()ed. */
char *op_location_text(const struct merged_op *op);

/* An op as messages name it: "name (file:line)", "name [request] (file:line)", escaped. */
char *op_label(const struct merged_op *op);

/* How a tier is drawn: its name in CSS classes ("hot", "warm", "cold", "none" for TIER_NONE),
 * its colour on the HTML page and its ANSI SGR colour in a terminal ("" for none). */
struct tier_style {
  const char *name;
  const char *css_colour;
  const char *sgr;
};

const struct tier_style *tier_style(enum recommended_tier tier);

/* A duration as text shows it: "121ns" below a microsecond, else "1.01us", "2.50ms", "1.20s"
 * (two decimals); malloc()ed. */
char *duration_text(double ns);

/* A quantile of a timed op: "121ns [120ns..121ns]", the interval's end "inf" (UTF-8 "∞") when
 * the sample gives it none; malloc()ed. */
char *quantile_text(const struct latency_quantile *q, int utf8);

/* Writes the "name", "file" and "line" members of a JSON object, separator between them. */
void json_write_identity(FILE *out, const struct zaph_identity *id, const char *separator);

#endif
