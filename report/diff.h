/* zaph-report diff: the decision record's re-profiling triggers between an OLD and a NEW set of
 * profiles, their ops paired by op_match.h. Per op the two frequencies, a tier promotion or
 * demotion, and a two-proportion z test whose significance at POLICY_ANOMALY_LEVEL_PCT, for a
 * change of at least --min-change points, is an access pattern anomaly; new and vanished
 * ops are triggers too, and so is a timed op whose durations grew significantly (a rank-sum test
 * at the same level) and by at least LATENCY_DIFF_MIN_CHANGE_PCT at p50 or p99: the decision
 * record's "performance regression detected". */
#ifndef ZAPH_REPORT_DIFF_H
#define ZAPH_REPORT_DIFF_H

#include "analysis.h"
#include "zaph_ledger.h"

#include <stdio.h>

struct diff_summary {
  size_t tier_changes, anomalies, new_ops, vanished_ops, latency_regressions;
  size_t timed_in_both; /* ops timed on both sides: the latency comparison is shown */
  size_t small_changes; /* significant, but below the minimum change: no trigger */
  unsigned min_change_hundredths; /* the minimum change in force */
  int insufficient; /* one side has fewer requests than the minimum, so no tiers to compare */
  /* NEW ops that match several OLD ops equally well, kept apart: one message each, for the
   * caller to print as warnings; diff_summary_free() frees them. */
  char **warnings;
  size_t warning_count;
};

void diff_summary_free(struct diff_summary *s);

/* Whether the summary holds a re-profiling trigger (exit REPORT_EXIT_REPROFILE). */
int diff_reprofiling_needed(const struct diff_summary *s);

/* The two-proportion z statistic of k2/n2 against k1/n1 with the pooled proportion; returns 0
 * when it is undefined (a side without sample, or both proportions 0 or both 1). */
int two_proportion_z(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2, double *z);

/* Writes the comparison as text or JSON and fills *summary. A significant frequency change is an
 * anomaly only when it is min_change_hundredths hundredths of a point or more. */
void diff_write(FILE *out, const struct analysis *old, const struct analysis *new_,
                enum report_format format, unsigned min_change_hundredths,
                struct diff_summary *summary);

/* The same, an op renamed between OLD and NEW paired with its old self when the ledger's entry
 * lists the old name (docs/ledger.md, "Renames"); ledger may be NULL. */
void diff_write_ledger(FILE *out, const struct analysis *old, const struct analysis *new_,
                       const struct zaph_ledger *ledger, enum report_format format,
                       unsigned min_change_hundredths, struct diff_summary *summary);

#endif
