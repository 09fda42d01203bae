/* Unit tests of confidence.c against values computed independently with python3's
 * statistics.NormalDist (each test names its one-liner), including docs/confidence.md's worked
 * example, the band edges (80.0% Warm, 20.0% Cold) and the sample still needed. */
#include "unit_support.h"

#include "confidence.h"

#include <math.h>

#define assert_close(actual, expected, tolerance) \
  assert_true(fabs((actual) - (expected)) <= (tolerance))

static void normal_quantiles(void **state) {
  (void)state;
  /* python3 -c "from statistics import NormalDist as N; print(N().inv_cdf(0.975),
   *   N().inv_cdf(0.995), N().inv_cdf(0.9995))" */
  assert_close(z_for_level(95), 1.9599639845400536, 1e-12);
  assert_close(z_for_level(99), 2.5758293035489, 1e-12);
  assert_close(z_for_level(99.9), 3.2905267314919255, 1e-12);
  /* python3 -c "from statistics import NormalDist as N; print(100*(2*N().cdf(1.96)-1))" */
  assert_close(level_for_z(1.96), 95.00042097035592, 1e-10);
  assert_close(level_for_z(0), 0, 0);
}

/* The worked example of docs/confidence.md: cache_get, 1421 of 1547 requests. */
static void worked_example(void **state) {
  (void)state;
  double low, high;
  /* python3 -c "from math import sqrt; z=1.9599639845400536; n=1547; p=1421/n;
   *   c=(p+z*z/(2*n))/(1+z*z/n); h=z/(1+z*z/n)*sqrt(p*(1-p)/n+z*z/(4*n*n)); print(c-h, c+h)" */
  wilson_interval(1421, 1547, z_for_level(95), &low, &high);
  assert_close(low, 0.9038627741958412, 1e-12);
  assert_close(high, 0.9311677781758734, 1e-12);
  struct band_margin m = band_margin_for(1421, 1547);
  assert_int_equal(m.tier, TIER_HOT);
  /* python3 -c "from math import sqrt; print((1421/1547-0.8)*sqrt(1547)/0.4)" */
  assert_close(m.lower_z, 11.657198269447616, 1e-9);
  assert_true(m.upper_z == HUGE_VAL);
  assert_true(band_holds_at(&m, z_for_level(95)));
  /* At the margin the interval's low end is the edge itself. */
  wilson_interval(1421, 1547, m.lower_z, &low, &high);
  assert_close(low, 0.8, 1e-12);
  assert_close(level_shown(level_for_z(band_margin_z(&m))), 99.9, 1e-12);
  /* python3 -c "print(0.16*1.9599639845400536**2/(1421/1547-0.8)**2)" -> 43.73 */
  assert_int_equal(requests_needed(1421, 1547, z_for_level(95)), 44);
  /* python3 -c "print(0.16*2.5758293035489**2/(1421/1547-0.8)**2)" -> 75.53 */
  assert_int_equal(requests_needed(1421, 1547, z_for_level(99)), 76);
}

/* 825 of 1000 holds Hot at 95%; 824 of 1000 does not (its interval reaches below 80%). */
static void interval_touching_the_hot_edge(void **state) {
  (void)state;
  double low, high;
  double z = z_for_level(95);
  struct band_margin in = band_margin_for(825, 1000), out = band_margin_for(824, 1000);
  /* python3 -c "from math import sqrt; from statistics import NormalDist as N;
   *   m=(0.825-0.8)*sqrt(1000)/0.4; print(m, 100*(2*N().cdf(m)-1))" */
  assert_close(in.lower_z, 1.9764235376052302, 1e-12);
  assert_close(level_for_z(in.lower_z), 95.18931721114798, 1e-9);
  assert_true(band_holds_at(&in, z));
  wilson_interval(825, 1000, z, &low, &high);
  assert_close(low, 0.800218354614785, 1e-12);
  assert_close(high, 0.8472942523696041, 1e-12);
  /* same one-liner with 0.824 */
  assert_close(out.lower_z, 1.8973665961010207, 1e-12);
  assert_close(level_for_z(out.lower_z), 94.22204288764019, 1e-9);
  assert_false(band_holds_at(&out, z));
  wilson_interval(824, 1000, z, &low, &high);
  assert_close(low, 0.7991696851594058, 1e-12);
  assert_close(level_shown(level_for_z(out.lower_z)), 94.2, 1e-12);
  /* python3 -c "print(0.16*1.9599639845400536**2/0.025**2, 0.16*1.9599639845400536**2/0.024**2)"
   * -> 983.41 (already met), 1067.07 */
  assert_int_equal(requests_needed(825, 1000, z), 984);
  assert_int_equal(requests_needed(824, 1000, z), 1068);
}

/* Exactly 80% is Warm and exactly 20% Cold, and neither can ever be confident: the interval
 * always contains its own point. */
static void frequencies_on_an_edge(void **state) {
  (void)state;
  struct band_margin warm = band_margin_for(800, 1000), cold = band_margin_for(200, 1000);
  assert_int_equal(warm.tier, TIER_WARM);
  assert_close(warm.upper_z, 0, 0);
  assert_false(band_holds_at(&warm, 1e-9));
  assert_int_equal(cold.tier, TIER_COLD);
  assert_close(cold.upper_z, 0, 0);
  assert_true(cold.lower_z == HUGE_VAL);
  assert_false(band_holds_at(&cold, 1e-9));
  assert_close(level_for_z(band_margin_z(&cold)), 0, 0);
  assert_true(requests_needed(800, 1000, 1.96) == UINT64_MAX);
  assert_true(requests_needed(200, 1000, 1.96) == UINT64_MAX);
  /* The closed end holds at z equal to its margin, the open end does not. */
  struct band_margin hot = band_margin_for(900, 1000);
  assert_false(band_holds_at(&hot, hot.lower_z));
  struct band_margin low_cold = band_margin_for(100, 1000);
  assert_true(band_holds_at(&low_cold, low_cold.upper_z));
}

static void extremes(void **state) {
  (void)state;
  double low, high, z = z_for_level(95);
  /* python3 -c "from math import sqrt; z=1.9599639845400536; n=1000;
   *   print(z*z/n/(1+z*z/n))" -> 0.0038267584855551217 (upper end at p=0) */
  wilson_interval(0, 1000, z, &low, &high);
  assert_close(low, 0, 1e-15);
  assert_close(high, 0.0038267584855551217, 1e-12);
  wilson_interval(1000, 1000, z, &low, &high);
  assert_close(low, 1 - 0.0038267584855551217, 1e-12);
  assert_close(high, 1, 1e-15);
  /* python3 -c "print(0.2*1000**0.5/0.4, 0.16*1.9599639845400536**2/0.2**2)" -> 15.81, 15.37 */
  struct band_margin none = band_margin_for(0, 1000);
  assert_close(none.upper_z, 15.811388300841896, 1e-9);
  assert_int_equal(requests_needed(0, 1000, z), 16);
  assert_int_equal(requests_needed(1000, 1000, z), 16);
  /* Warm at 50%: both edges 30 points away; 0.16*z^2/0.09 = 6.83 */
  assert_int_equal(requests_needed(500, 1000, z), 7);
  /* Huge counts do not overflow the exact difference. */
  struct band_margin big = band_margin_for(UINT64_MAX, UINT64_MAX);
  assert_int_equal(big.tier, TIER_HOT);
  assert_true(band_holds_at(&big, z));
  assert_close(level_shown(100.0), 99.9, 0);
  assert_close(level_shown(95.18931721114798), 95.1, 1e-12);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(normal_quantiles),
      cmocka_unit_test(worked_example),
      cmocka_unit_test(interval_touching_the_hot_edge),
      cmocka_unit_test(frequencies_on_an_edge),
      cmocka_unit_test(extremes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
