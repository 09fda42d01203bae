/* Unit tests of options.c: the accepted and refused forms of --confidence and --max-age. */
#include "unit_support.h"

#include "options.h"

static void percentages(void **state) {
  (void)state;
  double pct;
  assert_int_equal(parse_percentage("95", &pct), 0);
  assert_true(pct == 95.0);
  assert_int_equal(parse_percentage("99.9", &pct), 0);
  assert_true(pct == 99.9);
  assert_int_equal(parse_percentage("0.5", &pct), 0);
  assert_true(pct == 0.5);
  assert_int_equal(parse_percentage("99.99999", &pct), 0);
  static const char *const bad[] = {"", "0", "0.0", "100", "100.0", "101", "-5", "+95", " 95",
                                    "95%", "9e1", "95.", ".5", "1000", "95.5.5", "abc"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(parse_percentage(bad[i], &pct), -1);
}

static void days(void **state) {
  (void)state;
  uint64_t d;
  assert_int_equal(parse_days("90", 1000, &d), 0);
  assert_int_equal(d, 90);
  assert_int_equal(parse_days("90d", 1000, &d), 0);
  assert_int_equal(d, 90);
  assert_int_equal(parse_days("0d", 1000, &d), 0);
  assert_int_equal(d, 0);
  assert_int_equal(parse_days("1000", 1000, &d), 0);
  static const char *const bad[] = {"", "d", "dd", "90dd", "-1", "-1d", "1001", "9 0", "90D",
                                    "90days", "123456789012345678901234567890123"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(parse_days(bad[i], 1000, &d), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(percentages),
      cmocka_unit_test(days),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
