/* Unit tests of format/profile_values.c: the exact limits of a 64-bit decimal, of a checked sum
 * and of a profile time, and times to Unix seconds and back. */
#include "unit_support.h"

#include "zaph_profile.h"

static int profile_time_is_valid(const char *text) {
  int64_t seconds;
  return zaph_time_parse(text, &seconds) == 0;
}

static int64_t seconds_of(const char *text) {
  int64_t seconds = -1;
  assert_int_equal(zaph_time_parse(text, &seconds), 0);
  return seconds;
}

static void times_to_seconds_and_back(void **state) {
  (void)state;
  char text[ZAPH_PROFILE_TIME_LENGTH + 1];
  assert_true(seconds_of("1970-01-01T00:00:00Z") == 0);
  assert_true(seconds_of("2026-11-24T09:12:03Z") == 1795511523); /* date -d 2026-11-24T09:12:03Z +%s */
  assert_true(seconds_of("0000-01-01T00:00:00Z") == -62167219200LL);
  assert_true(seconds_of("9999-12-31T23:59:59Z") == 253402300799LL);
  /* A day past the month's end and second 60 count on, as timegm() does. */
  assert_true(seconds_of("2026-02-31T00:00:00Z") == seconds_of("2026-03-03T00:00:00Z"));
  assert_true(seconds_of("2024-02-29T23:59:60Z") == seconds_of("2024-03-01T00:00:00Z"));
  const char *const round_trip[] = {"1970-01-01T00:00:00Z", "2026-11-24T09:12:03Z",
                                    "2024-02-29T12:00:00Z", "0000-01-01T00:00:00Z",
                                    "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z"};
  for (size_t i = 0; i < sizeof round_trip / sizeof *round_trip; i++) {
    zaph_time_format(seconds_of(round_trip[i]), text);
    assert_string_equal(text, round_trip[i]);
  }
}

static void counts_add_or_refuse(void **state) {
  (void)state;
  uint64_t sum = UINT64_MAX - 1;
  assert_int_equal(zaph_add_count(&sum, 1), 0);
  assert_true(sum == UINT64_MAX);
  assert_int_equal(zaph_add_count(&sum, 1), -1);
  assert_true(sum == UINT64_MAX); /* untouched, never saturated past */
  assert_int_equal(zaph_add_count(&sum, 0), 0);
}

static void decimals(void **state) {
  (void)state;
  uint64_t v = 1;
  assert_int_equal(zaph_parse_u64("0", &v), 0);
  assert_int_equal(v, 0);
  assert_int_equal(zaph_parse_u64("007", &v), 0);
  assert_int_equal(v, 7);
  assert_int_equal(zaph_parse_u64("18446744073709551615", &v), 0);
  assert_true(v == UINT64_MAX);
  v = 42;
  assert_int_equal(zaph_parse_u64("18446744073709551616", &v), -1);
  assert_int_equal(zaph_parse_u64("18446744073709551620", &v), -1);
  assert_int_equal(zaph_parse_u64("99999999999999999999", &v), -1);
  assert_int_equal(zaph_parse_u64("", &v), -1);
  assert_int_equal(zaph_parse_u64("1 ", &v), -1);
  assert_int_equal(zaph_parse_u64(" 1", &v), -1);
  assert_int_equal(zaph_parse_u64("+1", &v), -1);
  assert_int_equal(zaph_parse_u64("-1", &v), -1);
  assert_int_equal(zaph_parse_u64("1e3", &v), -1);
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
      cmocka_unit_test(times_to_seconds_and_back),
      cmocka_unit_test(counts_add_or_refuse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
