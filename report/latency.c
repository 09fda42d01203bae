#include "latency.h"

#include "zaph_profile.h"

#include <math.h>
#include <string.h>

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
static uint64_t bucket_last(unsigned b, uint64_t max_ns) {
  uint64_t last = zaph_hist_lower(b) + zaph_hist_width(b) - 1;
  if (b == ZAPH_HIST_BUCKETS - 1 || last > max_ns)
    last = max_ns;
  return last;
}

struct latency_quantile latency_quantile(const uint64_t counts[ZAPH_HIST_BUCKETS],
                                         uint64_t max_ns, double q, double z) {
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
  uint64_t last = bucket_last(b, max_ns);
  out.value = mid > (double)last ? (double)last : mid;

  double spread = z * sqrt(nq * (1 - q));
  double r = floor(nq - spread), s = ceil(nq + spread);
  out.low = r < 1 ? 0 : zaph_hist_lower(latency_bucket_of_rank(counts, (uint64_t)r));
  out.high_bounded = s <= (double)n;
  if (out.high_bounded)
    out.high = bucket_last(latency_bucket_of_rank(counts, (uint64_t)s), max_ns);
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

int latency_timing_add(struct op_timing *dst, const struct op_timing *src) {
  struct op_timing sum = *dst;
  if (zaph_add_count(&sum.started, src->started) || zaph_add_count(&sum.samples, src->samples) ||
      zaph_add_count(&sum.total, src->total) || latency_add(sum.counts, src->counts) != 0)
    return -1;
  if (dst->every != src->every)
    sum.every = 0;
  if (src->max > sum.max)
    sum.max = src->max;
  *dst = sum;
  return 0;
}

void latency_summarize(const struct op_timing *t, double z, struct latency_summary *out) {
  static const double levels[] = {
#define LATENCY_Q(name, q, title) q,
      LATENCY_QUANTILES(LATENCY_Q)
#undef LATENCY_Q
  };
  memset(out, 0, sizeof *out);
  out->samples = t->samples;
  out->unfinished = t->started - t->samples;
  if (t->samples)
    out->mean = (double)t->total / (double)t->samples;
  for (int i = 0; t->samples && i < LATENCY_QUANTILE_COUNT; i++)
    out->quantiles[i] = latency_quantile(t->counts, t->max, levels[i], z);
  const struct latency_quantile *p99 = &out->quantiles[LATENCY_p99];
  if (!t->target)
    out->p99_verdict = LATENCY_NO_TARGET;
  else if (!t->samples)
    out->p99_verdict = LATENCY_NO_SAMPLES;
  else if (p99->high_bounded && p99->high <= t->target)
    out->p99_verdict = LATENCY_MEETS;
  else if (p99->low > t->target)
    out->p99_verdict = LATENCY_MISSES;
  else
    out->p99_verdict = LATENCY_UNDECIDED;
}

const char *latency_verdict_text(enum latency_verdict verdict) {
  switch (verdict) {
  case LATENCY_NO_TARGET: return "";
  case LATENCY_NO_SAMPLES: return "no samples";
  case LATENCY_MEETS: return "meets";
  case LATENCY_MISSES: return "misses";
  case LATENCY_UNDECIDED: return "undecided";
  }
  return "";
}

int latency_rank_sum_z(const uint64_t old_counts[ZAPH_HIST_BUCKETS],
                       const uint64_t new_counts[ZAPH_HIST_BUCKETS], double *z) {
  double n_old = 0, n_new = 0, rank_sum = 0, below = 0, ties = 0;
  for (unsigned b = 0; b < ZAPH_HIST_BUCKETS; b++) {
    double t = (double)old_counts[b] + (double)new_counts[b];
    if (t == 0)
      continue;
    /* The bucket's durations take ranks below+1 .. below+t: their mean is below + (t+1)/2. */
    rank_sum += (double)new_counts[b] * (below + (t + 1) / 2);
    ties += t * t * t - t;
    below += t;
    n_old += (double)old_counts[b];
    n_new += (double)new_counts[b];
  }
  double n = n_old + n_new;
  if (n_old == 0 || n_new == 0)
    return 0;
  double u = rank_sum - n_new * (n_new + 1) / 2, mean = n_old * n_new / 2;
  double variance = n_old * n_new / 12 * ((n + 1) - ties / (n * (n - 1)));
  if (variance <= 0)
    return 0;
  *z = (u - mean) / sqrt(variance);
  return 1;
}
