/* The decision record's rules applied to a classified merge: per op the confidence interval,
 * the confidence level and the sample still needed, declared against measured tier; for the
 * merge and each input its freshness and data source; and the flags the check gate acts on. */
#ifndef ZAPH_REPORT_ASSESS_H
#define ZAPH_REPORT_ASSESS_H

#include "classify.h"
#include "confidence.h"
#include "latency.h"
#include "merge.h"
#include "policy.h"

#include <stdint.h>

/* Why an op fails the gate; one bit each, in the order reports list them. */
enum op_flag {
  FLAG_NO_DATA = 1 << 0,             /* 0 requests touching */
  FLAG_FEW_REQUESTS = 1 << 1,        /* the sample is below the minimum */
  FLAG_NOT_CONFIDENT = 1 << 2,       /* the interval leaves the tier band at the bar */
  FLAG_STALE = 1 << 3,               /* the profiling date is older than the maximum age */
  FLAG_UNACCEPTABLE_SOURCE = 1 << 4, /* synthetic, unspecified or unknown data */
  FLAG_MISCLASSIFIED = 1 << 5,       /* confident measured tier differs from the declared one */
  FLAG_ABOVE_TARGET = 1 << 6,        /* a timed op's p99 is above its target, with confidence */
};
#define OP_FLAG_COUNT 7

/* "no-data", "few-requests", "not-confident", "stale", "unacceptable-source", "misclassified",
 * "p99-above-target"; index is the bit position. */
const char *op_flag_name(int index);

struct assessment_policy {
  double confidence_pct;  /* the bar, in (0, 100) */
  long now_day;           /* "today", calendar.h day number */
  uint64_t max_age_days;
};

struct op_assessment {
  int has_interval; /* 0 when the sample is 0 */
  double low_pct, high_pct;
  struct band_margin margin;
  int confident;
  double level_pct;          /* the largest level at which the band holds, unrounded */
  uint64_t requests_needed;  /* at the observed frequency; UINT64_MAX when never */
  enum recommended_tier measured; /* the recommended tier, TIER_NONE when insufficient */
  int misclassified;
  struct latency_summary latency; /* a timed op's, at the bar (latency.h); else zero */
  unsigned flags;
};

struct input_assessment {
  long age_days;
  int stale;
  int source_acceptable;
};

struct assessment {
  struct assessment_policy policy;
  double z; /* of the bar */
  int confidence_below_policy;
  int max_age_above_policy;
  long profiling_day; /* the day of the merge's latest end */
  long review_day;    /* profiling_day + the review interval: the day of next_review_at */
  char next_review_at[ZAPH_PROFILE_TIME_LENGTH + 1];
  long age_days;
  int stale;
  const char *effective_source; /* the worst source of the merge */
  int source_acceptable;
  struct input_assessment *inputs; /* one per merged input */
  struct op_assessment *ops;       /* parallel to the classification's ops */
  size_t op_count;
};

void assess(struct assessment *result, const struct merged_profiles *merged,
            const struct classification *classification, const struct assessment_policy *policy);

void assessment_free(struct assessment *result);

/* The number of ops with at least one flag: those the check gate fails. */
size_t assessment_failing_ops(const struct assessment *result);

/* The time `days` days after a profile time, same time of day. */
void time_plus_days(const char *time, long days, char out[ZAPH_PROFILE_TIME_LENGTH + 1]);

#endif
