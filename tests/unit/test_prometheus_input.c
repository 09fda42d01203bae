/* Unit tests of prometheus_input.c's local checks: --window's durations and --match's label
 * matcher lists, each accepted or refused with the exact problem and character. */
#include "unit_support.h"

#include "prometheus_input.h"

static void parses_windows(void **state) {
  (void)state;
  uint64_t s = 0;
  assert_int_equal(prometheus_window_parse("30d", &s), 0);
  assert_int_equal(s, 2592000);
  assert_int_equal(prometheus_window_parse("90s", &s), 0);
  assert_int_equal(s, 90);
  assert_int_equal(prometheus_window_parse("15m", &s), 0);
  assert_int_equal(s, 900);
  assert_int_equal(prometheus_window_parse("12h", &s), 0);
  assert_int_equal(s, 43200);
  assert_int_equal(prometheus_window_parse("2w", &s), 0);
  assert_int_equal(s, 1209600);
  assert_int_equal(prometheus_window_parse("3650d", &s), 0);
  assert_int_equal(s, PROMETHEUS_MAX_WINDOW);
  const char *bad[] = {"", "d", "30", "0d", "3651d", "30days", "1.5d", "-1d", " 1d", "1y",
                       "30D", "1h30m", "99999999999999999999d"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(prometheus_window_parse(bad[i], &s), -1);
}

static void accepts_matchers(void **state) {
  (void)state;
  const char *good[] = {"job=\"api\"", "job=\"api\",instance=~\"web-.*\"",
                        " job = \"api\" , env !~ 'dev|test' ", "a!=\"\"", "_x1=`raw\\d`",
                        "a=\"q\\\"uote\\\\ \\n \\x41 \\u00e9 \\101\"", "a='it\\'s'"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    const char *problem = NULL;
    size_t at = 0;
    assert_int_equal(prometheus_match_check(good[i], &problem, &at), 0);
  }
}

static void refuses(const char *match, const char *problem, size_t at) {
  const char *said = NULL;
  size_t where = 0;
  assert_int_equal(prometheus_match_check(match, &said, &where), -1);
  assert_string_equal(said, problem);
  assert_int_equal(where, at);
}

static void refuses_matchers(void **state) {
  (void)state;
  refuses("", "expected a label name", 1);
  refuses("1a=\"x\"", "expected a label name", 1);
  refuses("job", "expected =, !=, =~ or !~", 4);
  refuses("job==\"api\"", "expected a quoted value", 5);
  refuses("job=~api", "expected a quoted value", 6);
  refuses("job=\"api", "a string without its closing quote", 5);
  refuses("job=\"a\nb\"", "a newline in a quoted string", 5);
  refuses("job=\"a\\qb\"", "an invalid escape", 5);
  refuses("job=\"\\x4\"", "an invalid escape", 5);
  refuses("job=\"api\" env=\"x\"", "expected ',' between matchers", 11);
  refuses("job=\"api\",", "expected a label name", 11);
  refuses("job=\"api\"}", "expected ',' between matchers", 10);
  refuses("{job=\"api\"}", "expected a label name", 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parses_windows),
      cmocka_unit_test(accepts_matchers),
      cmocka_unit_test(refuses_matchers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
