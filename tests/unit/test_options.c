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

static void policy_options_and_commands(void **state) {
  (void)state;
  struct report_options o;
  char *error;
  assert_int_equal(PARSE(&o, &error, "a"), 0);
  assert_int_equal(o.command, COMMAND_REPORT);
  assert_true(o.confidence_pct == 95.0);
  assert_string_equal(o.confidence_text, "95");
  assert_int_equal(o.max_age_days, 90);
  assert_false(o.has_now);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "check", "--confidence=99.9", "--max-age=30d",
                         "--now=2024-02-29", "--format=json", "a"),
                   0);
  assert_int_equal(o.command, COMMAND_CHECK);
  assert_true(o.confidence_pct == 99.9);
  assert_string_equal(o.confidence_text, "99.9");
  assert_int_equal(o.max_age_days, 30);
  assert_true(o.has_now);
  assert_int_equal(o.now_day, 19782); /* python3: (date(2024,2,29)-date(1970,1,1)).days */
  assert_int_equal(o.format, REPORT_FORMAT_JSON);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--max-age", "0", "--confidence", "50", "a"), 0);
  assert_int_equal(o.max_age_days, 0);
  assert_true(o.confidence_pct == 50.0);
  options_free(&o);
  /* diff: the first "--" separates, a second one ends options. */
  assert_int_equal(PARSE(&o, &error, "diff", "o1", "--format=json", "o2", "--", "n1", "--",
                         "--n2"),
                   0);
  assert_int_equal(o.command, COMMAND_DIFF);
  assert_int_equal(o.old_count, 2);
  assert_int_equal(o.profile_count, 4);
  assert_string_equal(o.profiles[2], "n1");
  assert_string_equal(o.profiles[3], "--n2");
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "doc", "--format=header", "a"), 0);
  assert_int_equal(o.command, COMMAND_DOC);
  assert_int_equal(o.format, REPORT_FORMAT_HEADER);
  options_free(&o);
  /* A command is the first operand, after options too; after a PROFILE or "--" it is a
   * PROFILE. */
  assert_int_equal(PARSE(&o, &error, "a", "check"), 0);
  assert_int_equal(o.command, COMMAND_REPORT);
  assert_int_equal(o.profile_count, 2);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--format", "json", "--now=2024-02-29", "check", "x"), 0);
  assert_int_equal(o.command, COMMAND_CHECK);
  assert_int_equal(o.format, REPORT_FORMAT_JSON);
  assert_int_equal(o.profile_count, 1);
  assert_string_equal(o.profiles[0], "x");
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--format=json", "--", "check"), 0);
  assert_int_equal(o.command, COMMAND_REPORT);
  assert_int_equal(o.profile_count, 1);
  assert_string_equal(command_name(COMMAND_DIFF), "diff");
  options_free(&o);
}

/* --color[=WHEN] takes its value only after '=', as git's does, and --no-color is never. */
static void color(void **state) {
  (void)state;
  struct report_options o;
  char *error;
  assert_int_equal(PARSE(&o, &error, "a"), 0);
  assert_int_equal(o.color, COLOR_AUTO);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--color", "always"), 0);
  assert_int_equal(o.color, COLOR_ALWAYS);
  assert_int_equal(o.profile_count, 1);
  assert_string_equal(o.profiles[0], "always");
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--color=never", "a", "--color=auto"), 0);
  assert_int_equal(o.color, COLOR_AUTO);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--color=always", "--no-color", "a"), 0);
  assert_int_equal(o.color, COLOR_NEVER);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "--format=html", "--color=never", "a"), 0);
  assert_int_equal(o.format, REPORT_FORMAT_HTML);
  assert_int_equal(o.color, COLOR_NEVER);
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
  USAGE_ERROR("invalid value 'xml' for --format (expected text, json, csv, html or openmetrics)",
              "--format=xml", "a");
  USAGE_ERROR("invalid value '' for --format (expected text, json, csv, html or openmetrics)",
              "--format=", "a");
  USAGE_ERROR("invalid value 'JSON' for --format (expected text, json, csv, html or openmetrics)",
              "--format", "JSON",
              "a");
  USAGE_ERROR("invalid value 'header' for --format (expected text, json, csv, html or openmetrics)",
              "--format=header", "a");
  USAGE_ERROR("invalid value 'csv' for --format (expected text or json for check)", "check",
              "--format=csv", "a");
  USAGE_ERROR("invalid value 'csv' for --format (expected text or json for diff)", "diff",
              "--format=csv", "a", "--", "b");
  USAGE_ERROR("invalid value 'json' for --format (expected text or header for doc)", "doc",
              "--format=json", "a");
  USAGE_ERROR("invalid value 'bad' for --color (expected always, auto or never)", "--color=bad",
              "a");
  USAGE_ERROR("invalid value '' for --color (expected always, auto or never)", "--color=", "a");
  USAGE_ERROR("option '--no-color' takes no value", "--no-color=1", "a");
  USAGE_ERROR("invalid value 'html' for --format (expected text or json for check)", "check",
              "--format=html", "a");
  USAGE_ERROR("no PROFILE given", "check");
  USAGE_ERROR("no PROFILE given", "doc", "--format=header");
  USAGE_ERROR("diff needs OLD... -- NEW...: no '--' between the OLD and NEW profiles", "diff",
              "a", "b");
  USAGE_ERROR("diff: no OLD PROFILE given", "diff", "--", "b");
  USAGE_ERROR("diff: no NEW PROFILE given", "diff", "a", "--");
  USAGE_ERROR("diff: no NEW PROFILE given", "diff", "a", "--", "--");
  USAGE_ERROR("standard input ('-') given more than once", "diff", "-", "--", "-");
  USAGE_ERROR("invalid value '100' for --confidence (expected a percentage above 0 and below 100, "
              "such as 95 or 99.9)",
              "--confidence=100", "a");
  USAGE_ERROR("invalid value '0' for --confidence (expected a percentage above 0 and below 100, "
              "such as 95 or 99.9)",
              "--confidence=0", "a");
  USAGE_ERROR("invalid value '1e2' for --confidence (expected a percentage above 0 and below "
              "100, such as 95 or 99.9)",
              "--confidence", "1e2", "a");
  USAGE_ERROR("invalid value '90d5' for --max-age (expected days from 0 to 1000000, such as 90d)",
              "--max-age=90d5", "a");
  USAGE_ERROR("invalid value '1000001' for --max-age (expected days from 0 to 1000000, such as "
              "90d)",
              "--max-age=1000001", "a");
  USAGE_ERROR("invalid value 'd' for --max-age (expected days from 0 to 1000000, such as 90d)",
              "--max-age=d", "a");
  USAGE_ERROR("invalid value '2026-13-01' for --now (expected a date YYYY-MM-DD)",
              "--now=2026-13-01", "a");
  USAGE_ERROR("invalid value '2025-02-29' for --now (expected a date YYYY-MM-DD)",
              "--now", "2025-02-29", "a");
  USAGE_ERROR("option '--now' requires a value", "a", "--now");
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

/* The accepted and refused forms of --confidence and --max-age. */
/* The ledger commands: assign's default ledger, ledger's FILE operand, check and doc with
 * --ledger and no PROFILE, diff --ledger. */
static void ledger_commands(void **state) {
  (void)state;
  struct report_options o;
  char *error;
  assert_int_equal(PARSE(&o, &error, "assign", "a.prof", "--approve", "Ana"), 0);
  assert_int_equal(o.command, COMMAND_ASSIGN);
  assert_string_equal(o.ledger_path, "zaph-tiers.toml");
  assert_string_equal(o.approve, "Ana");
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "ledger", "--format=json", "t.toml", "a.prof", "b.prof"),
                   0);
  assert_int_equal(o.command, COMMAND_LEDGER);
  assert_int_equal(o.format, REPORT_FORMAT_JSON);
  assert_string_equal(o.ledger_path, "t.toml");
  assert_int_equal(o.profile_count, 2);
  assert_string_equal(o.profiles[0], "a.prof");
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "check", "--deploy", "--ledger", "t.toml"), 0);
  assert_true(o.deploy);
  assert_int_equal(o.profile_count, 0);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "doc", "--ledger=t.toml", "--format=header"), 0);
  assert_int_equal(o.format, REPORT_FORMAT_HEADER);
  options_free(&o);
  assert_int_equal(PARSE(&o, &error, "diff", "--ledger=t.toml", "a", "--", "b"), 0);
  assert_string_equal(o.ledger_path, "t.toml");
  assert_int_equal(o.old_count, 1);
  options_free(&o);
  static const char *const no_file[] = {"ledger", NULL};
  check_usage_error(no_file, "ledger needs a FILE");
  static const char *const approve_newline[] = {"assign", "--approve=a\nb", "a.prof", NULL};
  check_usage_error(approve_newline, "invalid value 'a\nb' for --approve (expected who or what "
                                     "approved the tier change, on one line)");
  static const char *const check_without_ledger[] = {"check", NULL};
  check_usage_error(check_without_ledger, "no PROFILE given");
}

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
      cmocka_unit_test(defaults),
      cmocka_unit_test(every_option_form),
      cmocka_unit_test(dashes),
      cmocka_unit_test(color),
      cmocka_unit_test(help_and_version_stop_parsing),
      cmocka_unit_test(usage_errors),
      cmocka_unit_test(policy_options_and_commands),
      cmocka_unit_test(ledger_commands),
      cmocka_unit_test(percentages),
      cmocka_unit_test(days),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
