/* Unit tests of calendar.c: day numbers checked against python3's datetime, leap years, the
 * strict --now parser and the round trip over every day of years 0001-9999. */
#include "unit_support.h"

#include "calendar.h"

static void day_numbers(void **state) {
  (void)state;
  /* python3 -c "from datetime import date as d; e=d(1970,1,1); print([(x-e).days for x in
   *   (d(1970,1,1), d(2000,3,1), d(2026,11,24), d(1,1,1), d(9999,12,31), d(2024,2,29))])" */
  assert_int_equal(calendar_day(1970, 1, 1), 0);
  assert_int_equal(calendar_day(2000, 3, 1), 11017);
  assert_int_equal(calendar_day(2026, 11, 24), 20781);
  assert_int_equal(calendar_day(1, 1, 1), -719162);
  assert_int_equal(calendar_day(9999, 12, 31), 2932896);
  assert_int_equal(calendar_day(2024, 2, 29), 19782);
  /* A profile may say day 31 of any month; it counts on into the next. */
  assert_int_equal(calendar_day(2026, 2, 31), calendar_day(2026, 3, 3));
}

static void formatting_and_round_trip(void **state) {
  (void)state;
  char text[CALENDAR_DATE_SIZE];
  calendar_format(20781 + 90, text);
  assert_string_equal(text, "2027-02-22"); /* python3: date(2026,11,24)+timedelta(90) */
  calendar_format(calendar_day(1900, 3, 1) - 1, text);
  assert_string_equal(text, "1900-02-28"); /* 1900 is not a leap year */
  calendar_format(calendar_day(2000, 3, 1) - 1, text);
  assert_string_equal(text, "2000-02-29"); /* 2000 is */
  for (long day = -719162; day <= 2932896; day++) {
    long back;
    calendar_format(day, text);
    assert_int_equal(calendar_parse(text, &back), 0);
    assert_int_equal(back, day);
  }
}

static void parsing(void **state) {
  (void)state;
  long day;
  assert_int_equal(calendar_parse("2026-12-01", &day), 0);
  assert_int_equal(day, calendar_day(2026, 12, 1));
  static const char *const bad[] = {"",           "2026-12-1",   "2026-12-01 ", "2026/12/01",
                                    "2026-13-01", "2026-00-10",  "2026-02-29",  "2100-02-29",
                                    "2026-04-31", "0000-01-01",  "2026-12-00",  "+026-12-01",
                                    "2026-12-01T00:00:00Z"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(calendar_parse(bad[i], &day), -1);
  assert_int_equal(calendar_day_of_time("2026-09-01T23:59:59Z"), calendar_day(2026, 9, 1));
  long today = calendar_today();
  assert_true(today > calendar_day(2020, 1, 1));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(day_numbers),
      cmocka_unit_test(formatting_and_round_trip),
      cmocka_unit_test(parsing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
