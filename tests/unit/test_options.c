/* Unit tests of options.c: every accepted form of every option, PROFILEs in any position, "--"
 * and "-", and every usage error message exactly. */
#include "unit_support.h"

#include "options.h"

/* Parses a NULL-terminated argument list (argv[0] is added). */
static int parse(struct report_options *o, char **error, const char *const *args) {
  char *argv[32] = {(char *)"zaph-report"};
  int argc = 1;
  for (; args[argc - 1]; argc++)
    argv[argc] = (char *)args[argc - 1];
  return options_parse(o, argc, argv, error);
}

#define PARSE(o, error, ...) parse(o, error, (const char *const[]){__VA_ARGS__, NULL})

static void defaults(void **state) {
  (void)state;
  struct report_options o;
  char *error;
  assert_int_equal(PARSE(&o, &error, "a.prof"), 0);
  assert_null(error);
  assert_int_equal(o.format, REPORT_FORMAT_TEXT);
  assert_int_equal(o.min_requests, 1000);
  assert_null(o.output_path);
  assert_false(o.show_help);
  assert_false(o.show_version);
  assert_int_equal(o.profile_count, 1);
  assert_string_equal(o.profiles[0], "a.prof");
  options_free(&o);
}

static void every_option_form(void **state) {
  (void)state;
  struct report_options o;
  char *error;
  assert_int_equal(PARSE(&o, &error, "--format=json", "a", "--min-requests=2000", "-o", "out",
                         "b"),
                   0);
  assert_int_equal(o.format, REPORT_FORMAT_JSON);
  assert_int_equal(o.min_requests, 2000);
  assert_string_equal(o.output_path, "out");
  assert_int_equal(o.profile_count, 2);
  assert_string_equal(o.profiles[0], "a");
  assert_string_equal(o.profiles[1], "b");
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--format", "json", "--min-requests", "5", "--output",
                         "r.json", "a"),
                   0);
  assert_int_equal(o.format, REPORT_FORMAT_JSON);
  assert_int_equal(o.min_requests, 5);
  assert_string_equal(o.output_path, "r.json");
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--format=json", "--format=text", "-or.txt",
                         "--output=x.txt", "a"),
                   0);
  assert_int_equal(o.format, REPORT_FORMAT_TEXT);
  assert_string_equal(o.output_path, "x.txt");
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "-o", "-", "--min-requests=18446744073709551615", "a"), 0);
  assert_string_equal(o.output_path, "-");
  assert_true(o.min_requests == UINT64_MAX);
  options_free(&o);
}

static void dashes(void **state) {
  (void)state;
  struct report_options o;
  char *error;
  assert_int_equal(PARSE(&o, &error, "-", "--", "--format=json", "-x", "-"), -1);
  assert_string_equal(error, "standard input ('-') given more than once");
  free(error);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "-", "--", "--format=json", "-x"), 0);
  assert_int_equal(o.format, REPORT_FORMAT_TEXT);
  assert_int_equal(o.profile_count, 3);
  assert_string_equal(o.profiles[0], "-");
  assert_string_equal(o.profiles[1], "--format=json");
  assert_string_equal(o.profiles[2], "-x");
  options_free(&o);
}

static void help_and_version_stop_parsing(void **state) {
  (void)state;
  struct report_options o;
  char *error;
  assert_int_equal(PARSE(&o, &error, "--help", "--bogus"), 0);
  assert_true(o.show_help);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "-h"), 0);
  assert_true(o.show_help);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "a", "--version"), 0);
  assert_true(o.show_version);
  assert_false(o.show_help);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--bogus", "--help"), -1);
  assert_string_equal(error, "unknown option '--bogus'");
  free(error);
  options_free(&o);
}

static void check_usage_error(const char *const *args, const char *expected) {
  struct report_options o;
  char *error = NULL;
  assert_int_equal(parse(&o, &error, args), -1);
  assert_string_equal(error, expected);
  free(error);
  options_free(&o);
}

#define USAGE_ERROR(expected, ...) check_usage_error((const char *const[]){__VA_ARGS__, NULL}, expected)

static void usage_errors(void **state) {
  (void)state;
  check_usage_error((const char *const[]){NULL}, "no PROFILE given");
  USAGE_ERROR("no PROFILE given", "--format=json");
  USAGE_ERROR("no PROFILE given", "--");
  USAGE_ERROR("unknown option '--bogus'", "--bogus", "a");
  USAGE_ERROR("unknown option '--bogus'", "--bogus=1", "a");
  USAGE_ERROR("unknown option '--form'", "--form=json", "a");
  USAGE_ERROR("unknown option '-x'", "-x", "a");
  USAGE_ERROR("unknown option '-hv'", "-hv", "a");
  USAGE_ERROR("unknown option '--'", "--=x", "a");
  USAGE_ERROR("invalid value 'xml' for --format (expected text or json)", "--format=xml", "a");
  USAGE_ERROR("invalid value '' for --format (expected text or json)", "--format=", "a");
  USAGE_ERROR("invalid value 'JSON' for --format (expected text or json)", "--format", "JSON", "a");
  USAGE_ERROR("option '--format' requires a value", "a", "--format");
  USAGE_ERROR("option '--min-requests' requires a value", "a", "--min-requests");
  USAGE_ERROR("option '--output' requires a value", "a", "--output");
  USAGE_ERROR("option '-o' requires a value", "a", "-o");
  USAGE_ERROR("invalid value '' for --output (expected a file name)", "--output=", "a");
  USAGE_ERROR("invalid value 'abc' for --min-requests (expected a whole number from 1 to "
              "18446744073709551615)",
              "--min-requests=abc", "a");
  USAGE_ERROR("invalid value '0' for --min-requests (expected a whole number from 1 to "
              "18446744073709551615)",
              "--min-requests=0", "a");
  USAGE_ERROR("invalid value '-5' for --min-requests (expected a whole number from 1 to "
              "18446744073709551615)",
              "--min-requests", "-5", "a");
  USAGE_ERROR("invalid value '18446744073709551616' for --min-requests (expected a whole number "
              "from 1 to 18446744073709551615)",
              "--min-requests=18446744073709551616", "a");
  USAGE_ERROR("option '--help' takes no value", "--help=yes", "a");
  USAGE_ERROR("option '--version' takes no value", "--version=1", "a");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults),
      cmocka_unit_test(every_option_form),
      cmocka_unit_test(dashes),
      cmocka_unit_test(help_and_version_stop_parsing),
      cmocka_unit_test(usage_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
