/* Quantiles of a timed op's latency histogram (zaph_histogram.h), each with a confidence
 * interval from the order statistics of the sample: the q-quantile lies between the sample's
 * r-th and s-th smallest durations with the chosen confidence, r and s from the normal
 * approximation of Binomial(n, q). Durations are in nanoseconds, as profiles hold them.
 * docs/latency.md has the method and its error bound. */
#ifndef ZAPH_REPORT_LATENCY_H
#define ZAPH_REPORT_LATENCY_H

#include "zaph_histogram.h"

#include <stdint.h>

/* One quantile, in nanoseconds. value is the midpoint of the bucket of the nearest-rank sample
 * (rank ceil(q * n)), never above the largest duration recorded. low and high bound the
 * interval by whole buckets: low is the first duration of the r-th sample's bucket, high the
 * last of the s-th's (or the largest recorded). When r < 1 the sample gives no lower bound and
 * low is 0; when s > n it gives no upper bound: high_bounded is 0 and high is meaningless. */
struct latency_quantile {
  double value;
  uint64_t low;
  uint64_t high;
  int high_bounded;
};

/* The number of durations in counts. */
uint64_t latency_samples(const uint64_t counts[ZAPH_HIST_BUCKETS]);

/* The bucket of the rank-th smallest duration (1 <= rank <= latency_samples(counts)). */
unsigned latency_bucket_of_rank(const uint64_t counts[ZAPH_HIST_BUCKETS], uint64_t rank);

/* The q-quantile (0 < q < 1) of the n = latency_samples(counts) > 0 durations, at the two-sided
 * standard normal quantile z (confidence.h's z_for_level); max_ns is the largest duration
 * recorded. */
struct latency_quantile latency_quantile(const uint64_t counts[ZAPH_HIST_BUCKETS],
                                         uint64_t max_ns, double q, double z);

/* Adds src's counts to dst's; returns -1, leaving dst unchanged, when a bucket would pass
 * 2^64 - 1. */
int latency_add(uint64_t dst[ZAPH_HIST_BUCKETS], const uint64_t src[ZAPH_HIST_BUCKETS]);

/* A timed op's timing line (include/zaph_profile.h) with its histogram. */
struct op_timing {
  uint64_t every;   /* 0 after merging profiles that sampled at different rates */
  uint64_t target;  /* ns, 0 when none is declared */
  uint64_t started;
  uint64_t samples;
  uint64_t total;
  uint64_t max;
  uint64_t counts[ZAPH_HIST_BUCKETS];
};

/* Adds src to dst, a timing of the same op from another profile: counts and histogram summed,
 * the larger max; every stays where both agree (else 0). The target is the merge's to choose
 * (merge.c: the latest profile's, as the declared tier). Returns -1, leaving dst unchanged,
 * when a sum would pass 2^64 - 1. */
int latency_timing_add(struct op_timing *dst, const struct op_timing *src);

/* The quantiles every report shows of a timed op. X(name, q, title) */
#define LATENCY_QUANTILES(X)                                                                   \
  X(p50, 0.5, "P50")                                                                           \
  X(p90, 0.9, "P90")                                                                           \
  X(p99, 0.99, "P99")                                                                          \
  X(p999, 0.999, "P99.9")
#define LATENCY_INDEX(name, q, title) LATENCY_##name,
enum latency_quantile_index { LATENCY_QUANTILES(LATENCY_INDEX) LATENCY_QUANTILE_COUNT };
#undef LATENCY_INDEX

/* Whether the op's p99 meets its declared target, with the report's confidence: its whole
 * interval at or below the target, or above it. */
enum latency_verdict {
  LATENCY_NO_TARGET,  /* the op declares none */
  LATENCY_NO_SAMPLES, /* nothing to judge by */
  LATENCY_MEETS,      /* the interval's high end is at or below the target */
  LATENCY_MISSES,     /* its low end is above the target */
  LATENCY_UNDECIDED,  /* the interval straddles the target, or has no high end yet */
};

struct latency_summary {
  uint64_t samples;
  uint64_t unfinished; /* started - samples: left by longjmp, an exception, a thread's end */
  double mean;         /* total / samples; 0 without samples */
  struct latency_quantile quantiles[LATENCY_QUANTILE_COUNT]; /* only with samples */
  enum latency_verdict p99_verdict;
};

/* Comparing an op's latency between two sets of profiles (zaph-report diff): the Mann-Whitney
 * rank-sum statistic of NEW's durations against OLD's, ties (durations in one bucket) given
 * their mean rank and the variance corrected for them, as a z value (positive: NEW slower).
 * Returns 0 when it is undefined (a side without samples, or every duration in one bucket). */
int latency_rank_sum_z(const uint64_t old_counts[ZAPH_HIST_BUCKETS],
                       const uint64_t new_counts[ZAPH_HIST_BUCKETS], double *z);

/* The least samples on each side for diff to compare latencies, and the least change of p50 or
 * p99, in percent, that counts as a regression (or an improvement) once the change is
 * significant: at millions of samples a 1% shift is significant and no cause to re-profile. */
#define LATENCY_DIFF_MIN_SAMPLES 20
#define LATENCY_DIFF_MIN_CHANGE_PCT 10

/* Summarizes a timed op at the two-sided standard normal quantile z. */
void latency_summarize(const struct op_timing *t, double z, struct latency_summary *out);

/* The verdict's words: "meets", "misses", "undecided", "no samples", "" for no target. */
const char *latency_verdict_text(enum latency_verdict verdict);

#endif
