/* Quantiles of a timed op's latency histogram (zaph_histogram.h), each with a confidence
 * interval from the order statistics of the sample: the q-quantile lies between the sample's
 * r-th and s-th smallest durations with the chosen confidence, r and s from the normal
 * approximation of Binomial(n, q). Durations stay in ticks here; the caller converts them with
 * the profile's tick frequency. docs/latency.md has the method and its error bound. */
#ifndef ZAPH_REPORT_LATENCY_H
#define ZAPH_REPORT_LATENCY_H

#include "zaph_histogram.h"

#include <stdint.h>

/* One quantile, in ticks. value is the midpoint of the bucket of the nearest-rank sample
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
 * standard normal quantile z (confidence.h's z_for_level); max_ticks is the largest duration
 * recorded. */
struct latency_quantile latency_quantile(const uint64_t counts[ZAPH_HIST_BUCKETS],
                                         uint64_t max_ticks, double q, double z);

/* Adds src's counts to dst's; returns -1, leaving dst unchanged, when a bucket would pass
 * 2^64 - 1. */
int latency_add(uint64_t dst[ZAPH_HIST_BUCKETS], const uint64_t src[ZAPH_HIST_BUCKETS]);

#endif
