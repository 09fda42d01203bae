/* The latency histogram of a timed op: durations in nanoseconds, in log-linear buckets. The one
 * definition of the buckets, shared by the runtime (which records into them) and zaph-report
 * (which merges them and reads quantiles from them); docs/latency.md describes it in prose.
 *
 * A duration below 2 * ZAPH_HIST_SUB ns has a bucket of its own. Above, every power of two
 * [2^k, 2^(k+1)) is cut into ZAPH_HIST_SUB buckets of equal width 2^(k - ZAPH_HIST_SUB_BITS), so
 * a bucket is never wider than 1 / ZAPH_HIST_SUB of the values in it: the bucket's midpoint is
 * within 2^-(ZAPH_HIST_SUB_BITS + 1) (1.5625%) of any duration it holds. Durations of 2^40 ns
 * or more (over 18 minutes) all fall in the last bucket.
 *
 * Bucket b lies in octave b >> ZAPH_HIST_SUB_BITS, at sub-bucket b & (ZAPH_HIST_SUB - 1); octaves
 * 0 and 1 hold 0 to 2 * ZAPH_HIST_SUB - 1 exactly, octave o >= 1 holds
 * [2^(o - 1 + ZAPH_HIST_SUB_BITS), 2^(o + ZAPH_HIST_SUB_BITS)). A recorder may keep octaves apart
 * (allocating only those it needs); merging two histograms adds their buckets one by one. */
#ifndef ZAPH_HISTOGRAM_H
#define ZAPH_HISTOGRAM_H

#include <stdint.h>

#define ZAPH_HIST_SUB_BITS 5
#define ZAPH_HIST_SUB (1u << ZAPH_HIST_SUB_BITS)
/* Durations below 2^ZAPH_HIST_MAX_BITS ns are bucketed as above. */
#define ZAPH_HIST_MAX_BITS 40
#define ZAPH_HIST_OCTAVES (ZAPH_HIST_MAX_BITS - ZAPH_HIST_SUB_BITS + 1)
#define ZAPH_HIST_BUCKETS (ZAPH_HIST_OCTAVES * ZAPH_HIST_SUB)

/* The bucket of a duration of ns nanoseconds. */
static inline unsigned zaph_hist_bucket(uint64_t ns) {
  if (ns >> ZAPH_HIST_MAX_BITS)
    return ZAPH_HIST_BUCKETS - 1;
  if (ns < 2 * ZAPH_HIST_SUB)
    return (unsigned)ns;
  unsigned shift = 63u - (unsigned)__builtin_clzll(ns) - ZAPH_HIST_SUB_BITS;
  return (shift << ZAPH_HIST_SUB_BITS) + (unsigned)(ns >> shift);
}

/* The smallest duration in bucket b (b < ZAPH_HIST_BUCKETS). */
static inline uint64_t zaph_hist_lower(unsigned b) {
  unsigned octave = b >> ZAPH_HIST_SUB_BITS, sub = b & (ZAPH_HIST_SUB - 1);
  if (octave == 0)
    return sub;
  return (uint64_t)(ZAPH_HIST_SUB + sub) << (octave - 1);
}

/* The number of durations bucket b holds: 1 in octaves 0 and 1, 2^(octave - 1) above. The last
 * bucket also holds every duration beyond it. */
static inline uint64_t zaph_hist_width(unsigned b) {
  unsigned octave = b >> ZAPH_HIST_SUB_BITS;
  return octave == 0 ? 1 : (uint64_t)1 << (octave - 1);
}

#endif
