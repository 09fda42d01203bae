/* One set of profiles taken all the way: read and merged, classified, assessed against the
 * policy options. The report, check and doc commands use one; diff uses two. */
#ifndef ZAPH_REPORT_ANALYSIS_H
#define ZAPH_REPORT_ANALYSIS_H

#include "assess.h"
#include "classify.h"
#include "merge.h"
#include "options.h"
#include "output.h"

struct analysis {
  struct merged_profiles merged;
  struct classification classification;
  struct assessment assessment;
  struct report_view view;
  char *confidence_text;
};

/* Reads, merges, classifies and assesses paths[0, count). Returns 0, or -1 with *error set to a
 * malloc()ed message (a profile error or a merge overflow). analysis_free() either way. */
int analysis_run(struct analysis *analysis, const char *const *paths, size_t count,
                 const struct report_options *options, char **error);

/* Classifies and assesses what analysis->merged already holds (analysis_run's second half, for
 * profiles merged by other means). Returns 0, or -1 with *error set. */
int analysis_complete(struct analysis *analysis, const struct report_options *options,
                      char **error);

void analysis_free(struct analysis *analysis);

#endif
