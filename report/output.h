/* The report formats, all written from the same merged profiles, classification and assessment:
 * text for people (output_text.c), JSON for programs (output_json.c, schema zaph-report/2) and
 * CSV for spreadsheets (output_csv.c). None checks for write errors; the caller checks the
 * stream once at the end. */
#ifndef ZAPH_REPORT_OUTPUT_H
#define ZAPH_REPORT_OUTPUT_H

#include "assess.h"
#include "classify.h"
#include "merge.h"

#include <stdio.h>

struct report_view {
  const struct merged_profiles *merged;
  const struct classification *classification;
  const struct assessment *assessment;
  const char *confidence_text; /* the bar as the user wrote it, "95" by default */
};

void output_text(FILE *out, const struct report_view *view);

void output_json(FILE *out, const struct report_view *view);

void output_csv(FILE *out, const struct report_view *view);

/* Shared by the formats: the flags of an op that are its own (not the merge's) as text, such as
 * "not-confident (needs 2401), misclassified (declared 1)"; malloc()ed, "" for none. */
char *op_flags_text(const struct op_assessment *a, unsigned declared_tier);

/* An op as messages name it: "name (file:line)", "name [request] (file:line)", escaped. */
char *op_label(const struct merged_op *op);

#endif
