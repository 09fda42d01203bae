#include "latency.h"

#include <math.h>

uint64_t latency_samples(const uint64_t counts[ZAPH_HIST_BUCKETS]) {
  uint64_t n = 0;
  for (unsigned b = 0; b < ZAPH_HIST_BUCKETS; b++)
    n += counts[b];
  return n;
}

unsigned latency_bucket_of_rank(const uint64_t counts[ZAPH_HIST_BUCKETS], uint64_t rank) {
  uint64_t seen = 0;
  for (unsigned b = 0; b < ZAPH_HIST_BUCKETS; b++) {
    seen += counts[b];
    if (seen >= rank)
      return b;
  }
  return ZAPH_HIST_BUCKETS - 1;
}

/* The last duration bucket b holds, never above the largest recorded. */
static uint64_t bucket_last(unsigned b, uint64_t max_ticks) {
  uint64_t last = zaph_hist_lower(b) + zaph_hist_width(b) - 1;
  if (b == ZAPH_HIST_BUCKETS - 1 || last > max_ticks)
    last = max_ticks;
  return last;
}

struct latency_quantile latency_quantile(const uint64_t counts[ZAPH_HIST_BUCKETS],
                                         uint64_t max_ticks, double q, double z) {
  struct latency_quantile out = {0};
  uint64_t n = latency_samples(counts);
  double nq = (double)n * q;
  uint64_t rank = (uint64_t)ceil(nq);
  if (rank < 1)
    rank = 1;
  if (rank > n)
    rank = n;
  unsigned b = latency_bucket_of_rank(counts, rank);
  double mid = (double)zaph_hist_lower(b) + (double)(zaph_hist_width(b) - 1) / 2;
  uint64_t last = bucket_last(b, max_ticks);
  out.value = mid > (double)last ? (double)last : mid;

  double spread = z * sqrt(nq * (1 - q));
  double r = floor(nq - spread), s = ceil(nq + spread);
  out.low = r < 1 ? 0 : zaph_hist_lower(latency_bucket_of_rank(counts, (uint64_t)r));
  out.high_bounded = s <= (double)n;
  if (out.high_bounded)
    out.high = bucket_last(latency_bucket_of_rank(counts, (uint64_t)s), max_ticks);
  return out;
}

int latency_add(uint64_t dst[ZAPH_HIST_BUCKETS], const uint64_t src[ZAPH_HIST_BUCKETS]) {
  for (unsigned b = 0; b < ZAPH_HIST_BUCKETS; b++)
    if (dst[b] > UINT64_MAX - src[b])
      return -1;
  for (unsigned b = 0; b < ZAPH_HIST_BUCKETS; b++)
    dst[b] += src[b];
  return 0;
}
