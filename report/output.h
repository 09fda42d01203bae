/* The two report formats, both written from the same merged profiles and classification:
 * text for people (output_text.c), JSON for programs (output_json.c, schema zaph-report/1).
 * Neither checks for write errors; the caller checks the stream once at the end. */
#ifndef ZAPH_REPORT_OUTPUT_H
#define ZAPH_REPORT_OUTPUT_H

#include "classify.h"
#include "merge.h"

#include <stdio.h>

void output_text(FILE *out, const struct merged_profiles *merged,
                 const struct classification *classification);

void output_json(FILE *out, const struct merged_profiles *merged,
                 const struct classification *classification);

#endif
