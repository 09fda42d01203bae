/* zaph-report check: the decision record's quality gates as a CI step. Every op must have
 * profiling data, a sample of at least the minimum, a tier confident at the bar, fresh data from
 * an acceptable source, and no misclassified declared tier; each failure is listed with every
 * reason. */
#ifndef ZAPH_REPORT_CHECK_H
#define ZAPH_REPORT_CHECK_H

#include "options.h"
#include "output.h"

#include <stdio.h>

/* Writes the gate's verdict as text or JSON; returns the number of failing ops. */
size_t check_write(FILE *out, const struct report_view *view, enum report_format format);

/* The reason an op fails for one flag, as one line of text; malloc()ed. */
char *check_reason(const struct report_view *view, size_t op_index, int flag_index);

/* The thresholds set below the decision record's minimums, one sentence each; returns how many
 * of the at most three it stored in notes (each malloc()ed). */
size_t check_policy_notes(const struct report_view *view, char *notes[3]);

#endif
