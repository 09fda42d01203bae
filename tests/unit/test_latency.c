/* Unit tests of zaph_histogram.h's buckets and latency.c's quantiles: every duration lies in
 * its bucket and within the documented error of the bucket's midpoint, quantiles and their
 * order-statistic intervals on samples worked by hand, and the intervals' coverage of a known
 * true quantile over many simulated samples. */
#include "unit_support.h"

#include "confidence.h"
#include "latency.h"

#include <math.h>
#include <string.h>

static uint64_t counts[ZAPH_HIST_BUCKETS];

static void record(uint64_t ticks) { counts[zaph_hist_bucket(ticks)]++; }

static void clear(void) { memset(counts, 0, sizeof counts); }

/* xorshift64*, so that the simulated samples are the same on every run. */
static uint64_t next_random(uint64_t *state) {
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  return *state * 2685821657736338717ull;
}

static void every_duration_in_its_bucket(void **state) {
  (void)state;
  unsigned previous = 0;
  for (uint64_t v = 0; v < 1u << 20; v++) {
    unsigned b = zaph_hist_bucket(v);
    assert_true(b >= previous && b <= previous + 1);
    assert_true(zaph_hist_lower(b) <= v && v < zaph_hist_lower(b) + zaph_hist_width(b));
    previous = b;
  }
  uint64_t seed = 1;
  for (int i = 0; i < 1000000; i++) {
    uint64_t v = next_random(&seed) >> (24 + i % 40);
    unsigned b = zaph_hist_bucket(v);
    assert_true(zaph_hist_lower(b) <= v && v < zaph_hist_lower(b) + zaph_hist_width(b));
  }
  for (unsigned b = 0; b < ZAPH_HIST_BUCKETS; b++)
    assert_int_equal(zaph_hist_bucket(zaph_hist_lower(b)), b);
  /* The edges: exact buckets end at 63, the first wide one holds 64 and 65. */
  assert_int_equal(zaph_hist_bucket(63), 63);
  assert_int_equal(zaph_hist_bucket(64), 64);
  assert_int_equal(zaph_hist_bucket(65), 64);
  assert_int_equal(zaph_hist_width(64), 2);
  assert_int_equal(zaph_hist_bucket((1ull << 40) - 1), ZAPH_HIST_BUCKETS - 1);
  assert_int_equal(zaph_hist_bucket(1ull << 40), ZAPH_HIST_BUCKETS - 1);
  assert_int_equal(zaph_hist_bucket(UINT64_MAX), ZAPH_HIST_BUCKETS - 1);
  assert_int_equal(ZAPH_HIST_BUCKETS, 1152);
}

/* The midpoint of every bucket is within 2^-6 of each duration it holds. */
static void relative_error_bound(void **state) {
  (void)state;
  for (unsigned b = 1; b < ZAPH_HIST_BUCKETS; b++) {
    double lower = (double)zaph_hist_lower(b), half = (double)(zaph_hist_width(b) - 1) / 2;
    assert_true(half / lower <= 1.0 / 64);
  }
  assert_int_equal(zaph_hist_width(ZAPH_HIST_BUCKETS - 1), 1ull << 34);
}

/* 1 to 60 ticks once each: every bucket exact. z = 1.96: the median's interval is ranks
 * floor(30 - 1.96 sqrt 15) = 22 to ceil(30 + 7.59) = 38; p99's upper rank, 61, is beyond the
 * sample. */
static void quantiles_of_exact_buckets(void **state) {
  (void)state;
  clear();
  for (uint64_t v = 1; v <= 60; v++)
    record(v);
  double z = z_for_level(95);
  assert_int_equal(latency_samples(counts), 60);
  struct latency_quantile p50 = latency_quantile(counts, 60, 0.5, z);
  assert_true(p50.value == 30);
  assert_int_equal(p50.low, 22);
  assert_int_equal(p50.high, 38);
  assert_true(p50.high_bounded);
  struct latency_quantile p99 = latency_quantile(counts, 60, 0.99, z);
  assert_true(p99.value == 60);
  assert_int_equal(p99.low, 57);
  assert_false(p99.high_bounded);
  /* Too few samples for any lower rank: floor(0.6 - 1.96 sqrt 0.594) < 1. */
  struct latency_quantile p01 = latency_quantile(counts, 60, 0.01, z);
  assert_true(p01.value == 1);
  assert_int_equal(p01.low, 0);
  assert_int_equal(p01.high, 3);
}

/* 1,000 durations of 100,000 ticks: bucket [98304, 100352), midpoint 99327.5. The largest
 * recorded duration bounds the value and the interval. */
static void quantile_of_a_wide_bucket(void **state) {
  (void)state;
  clear();
  for (int i = 0; i < 1000; i++)
    record(100000);
  double z = z_for_level(95);
  struct latency_quantile q = latency_quantile(counts, 100000, 0.5, z);
  assert_true(q.value == 99327.5);
  assert_int_equal(q.low, 98304);
  assert_int_equal(q.high, 100000);
  q = latency_quantile(counts, 99000, 0.5, z);
  assert_true(q.value == 99000);
}

/* Of trials samples of n durations uniform on 0 to 63 ticks (exact buckets, so that the
 * interval is the order statistics' alone), how many intervals at level level_pct cover the
 * true median, 31 (the smallest d with P(D <= d) >= 1/2). */
static int median_covered(int trials, int n, double level_pct) {
  uint64_t seed = 42;
  int covered = 0;
  double z = z_for_level(level_pct);
  for (int t = 0; t < trials; t++) {
    clear();
    uint64_t max = 0;
    for (int i = 0; i < n; i++) {
      uint64_t v = next_random(&seed) % 64;
      record(v);
      max = v > max ? v : max;
    }
    struct latency_quantile q = latency_quantile(counts, max, 0.5, z);
    if (q.low <= 31 && q.high_bounded && 31 <= q.high)
      covered++;
  }
  return covered;
}

/* The 95% intervals cover the true median at least 95% of the time; intervals at one standard
 * deviation (68.27%) cover it far less often, so the count tells the levels apart. */
static void intervals_cover_the_true_quantile(void **state) {
  (void)state;
  int at95 = median_covered(4000, 50, 95), at68 = median_covered(4000, 50, 68.27);
  print_message("the true median covered: %d of 4000 at 95%%, %d at 68.27%%\n", at95, at68);
  assert_true(at95 >= 3800);
  assert_true(at68 < 3600);
}

static void adding_histograms(void **state) {
  (void)state;
  static uint64_t a[ZAPH_HIST_BUCKETS], b[ZAPH_HIST_BUCKETS];
  a[3] = 5;
  a[700] = 1;
  b[3] = 2;
  b[1151] = 9;
  assert_int_equal(latency_add(a, b), 0);
  assert_int_equal(a[3], 7);
  assert_int_equal(a[700], 1);
  assert_int_equal(a[1151], 9);
  assert_int_equal(latency_samples(a), 17);
  b[700] = UINT64_MAX;
  assert_int_equal(latency_add(a, b), -1);
  assert_int_equal(a[3], 7);
  assert_int_equal(a[700], 1);
}

/* diff's test: worked by hand. {1, 2, 3} against {4, 5, 6}: U = 15 - 6 = 9, mean 4.5,
 * variance 3 * 3 / 12 * 7 = 5.25; with ties, {1, 1} against {1, 2}: U = 2 + 4 - 3 = 3, mean 2,
 * variance 4 / 12 * (5 - 24 / 12) = 1. */
static void rank_sum_z_by_hand(void **state) {
  (void)state;
  static uint64_t old_counts[ZAPH_HIST_BUCKETS], new_counts[ZAPH_HIST_BUCKETS];
  double z = 0;
  memset(old_counts, 0, sizeof old_counts);
  memset(new_counts, 0, sizeof new_counts);
  old_counts[1] = old_counts[2] = old_counts[3] = 1;
  new_counts[4] = new_counts[5] = new_counts[6] = 1;
  assert_int_equal(latency_rank_sum_z(old_counts, new_counts, &z), 1);
  assert_true(fabs(z - 4.5 / sqrt(5.25)) < 1e-12);
  assert_int_equal(latency_rank_sum_z(new_counts, old_counts, &z), 1);
  assert_true(fabs(z + 4.5 / sqrt(5.25)) < 1e-12);
  memset(old_counts, 0, sizeof old_counts);
  memset(new_counts, 0, sizeof new_counts);
  old_counts[1] = 2;
  new_counts[1] = new_counts[2] = 1;
  assert_int_equal(latency_rank_sum_z(old_counts, new_counts, &z), 1);
  assert_true(fabs(z - 1.0) < 1e-12);
  /* Every duration in one bucket, or a side without samples: undefined. */
  new_counts[2] = 0;
  assert_int_equal(latency_rank_sum_z(old_counts, new_counts, &z), 0);
  memset(new_counts, 0, sizeof new_counts);
  assert_int_equal(latency_rank_sum_z(old_counts, new_counts, &z), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_duration_in_its_bucket),
      cmocka_unit_test(relative_error_bound),
      cmocka_unit_test(quantiles_of_exact_buckets),
      cmocka_unit_test(quantile_of_a_wide_bucket),
      cmocka_unit_test(intervals_cover_the_true_quantile),
      cmocka_unit_test(adding_histograms),
      cmocka_unit_test(rank_sum_z_by_hand),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
