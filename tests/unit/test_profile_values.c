/* Unit tests of profile_values.c: the exact limits of a 64-bit decimal and of a profile time. */
#include "unit_support.h"

#include "profile_values.h"

static void decimals(void **state) {
  (void)state;
  uint64_t v = 1;
  assert_int_equal(parse_decimal_u64("0", &v), 0);
  assert_int_equal(v, 0);
  assert_int_equal(parse_decimal_u64("007", &v), 0);
  assert_int_equal(v, 7);
  assert_int_equal(parse_decimal_u64("18446744073709551615", &v), 0);
  assert_true(v == UINT64_MAX);
  v = 42;
  assert_int_equal(parse_decimal_u64("18446744073709551616", &v), -1);
  assert_int_equal(parse_decimal_u64("18446744073709551620", &v), -1);
  assert_int_equal(parse_decimal_u64("99999999999999999999", &v), -1);
  assert_int_equal(parse_decimal_u64("", &v), -1);
  assert_int_equal(parse_decimal_u64("1 ", &v), -1);
  assert_int_equal(parse_decimal_u64(" 1", &v), -1);
  assert_int_equal(parse_decimal_u64("+1", &v), -1);
  assert_int_equal(parse_decimal_u64("-1", &v), -1);
  assert_int_equal(parse_decimal_u64("1e3", &v), -1);
  assert_int_equal(v, 42); /* untouched on failure */
}

static void times(void **state) {
  (void)state;
  assert_true(profile_time_is_valid("2026-11-24T09:12:03Z"));
  assert_true(profile_time_is_valid("0000-01-01T00:00:60Z"));
  assert_true(profile_time_is_valid("9999-12-31T23:59:59Z"));
  assert_false(profile_time_is_valid("2026-00-24T09:12:03Z"));
  assert_false(profile_time_is_valid("2026-13-24T09:12:03Z"));
  assert_false(profile_time_is_valid("2026-11-00T09:12:03Z"));
  assert_false(profile_time_is_valid("2026-11-32T09:12:03Z"));
  assert_false(profile_time_is_valid("2026-11-24T24:12:03Z"));
  assert_false(profile_time_is_valid("2026-11-24T09:60:03Z"));
  assert_false(profile_time_is_valid("2026-11-24T09:12:61Z"));
  assert_false(profile_time_is_valid("2026-11-24t09:12:03Z"));
  assert_false(profile_time_is_valid("2026-11-24T09:12:03z"));
  assert_false(profile_time_is_valid("2026/11/24T09:12:03Z"));
  assert_false(profile_time_is_valid("2026-11-24T09:12:03Z "));
  assert_false(profile_time_is_valid("2026-11-24T09:12:03"));
  assert_false(profile_time_is_valid("226-11-24T09:12:03Z"));
  assert_false(profile_time_is_valid("2O26-11-24T09:12:03Z"));
  assert_false(profile_time_is_valid(""));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(decimals),
      cmocka_unit_test(times),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
