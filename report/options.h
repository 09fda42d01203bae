/* The command line of zaph-report: an optional command (check, diff, doc, convert, assign,
 * ledger), then options in jq/git manner (--name=value or --name value, options and PROFILEs in
 * any order, "--" ends options), parsed without printing anything so main.c decides what a usage error looks like and
 * the unit tests can check every case. */
#ifndef ZAPH_REPORT_OPTIONS_H
#define ZAPH_REPORT_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

enum report_command { COMMAND_REPORT, COMMAND_CHECK, COMMAND_DIFF, COMMAND_DOC, COMMAND_CONVERT,
                      COMMAND_ASSIGN, COMMAND_LEDGER };

enum report_format { REPORT_FORMAT_TEXT, REPORT_FORMAT_JSON, REPORT_FORMAT_CSV,
                     REPORT_FORMAT_HEADER, REPORT_FORMAT_HTML, REPORT_FORMAT_OPENMETRICS };

/* --color=WHEN, as git has it: auto colours only a terminal, and only without NO_COLOR. */
enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct report_options {
  enum report_command command;
  enum report_format format;
  const char *format_text; /* the --format value as given; checked against the command */
  uint64_t min_requests;
  double confidence_pct;
  const char *confidence_text; /* as given, for messages; POLICY_CONFIDENCE_PCT by default */
  uint64_t max_age_days;
  int has_now; /* 0: today's UTC date */
  long now_day;
  const char *output_path; /* NULL or "-" for standard output */
  enum color_when color;
  int show_help;
  int show_version;
  /* --prometheus: the input is that server's counters over the window (prometheus_input.h) */
  const char *prometheus_url;
  uint64_t window_seconds;
  const char *window_text; /* as given; "30d" by default */
  int has_window_end;      /* 0: the window ends now */
  int64_t window_end;
  const char *match; /* --match: label matchers, or NULL */
  /* The tier ledger (docs/ledger.md): --ledger FILE (assign: ZAPH_LEDGER_DEFAULT_NAME when not
   * given; ledger: its FILE operand), --approve TEXT (assign), --deploy (check --ledger). */
  const char *ledger_path;
  const char *approve;
  int deploy;
  const char *prometheus_only; /* the first of --window, --window-end, --match given */
  const char **profiles; /* the PROFILE arguments, pointing into argv */
  size_t profile_count;
  size_t old_count; /* diff: profiles[0, old_count) are OLD, the rest NEW */
  unsigned min_change_hundredths; /* diff --min-change, in hundredths of a percentage point */
  const char *min_change_text;    /* as given, for messages */
};

/* diff --min-change's default, in percentage points of access frequency: the smallest change of
 * an op's frequency that is an access pattern anomaly when it is also significant. One point is
 * a twentieth of the narrowest tier bands (Cold and Hot are 20 points wide), and at the 1000
 * requests ZAPH-DEC-04 requires a change must be larger than that to be significant anyway for
 * any frequency from 2% to 98% (1.96 * sqrt(2 p (1 - p) / 1000) >= 1.23 points), so the minimum
 * only stops trivial moves that large samples make significant: at Redis's 700,000 requests a
 * move of 0.17 points is significant at 50%. */
#define DIFF_MIN_CHANGE_DEFAULT_PP 1

/* The most days --max-age accepts. */
#define MAX_AGE_LIMIT_DAYS 1000000

/* Parses argv. Returns 0, or -1 with *error set to a malloc()ed message (without the
 * "zaph-report: error: " prefix). On --help or --version parsing stops there and succeeds.
 * options_free() releases the options either way. */
int options_parse(struct report_options *options, int argc, char *const argv[], char **error);

void options_free(struct report_options *options);

/* "report", "check", "diff", "doc", "convert", "assign", "ledger". */
const char *command_name(enum report_command command);

/* The values of the policy options, checked character by character before they are converted,
 * so "1e2", " 99", "+99" and "99%" are refused with the option's own message instead of being
 * read half-way by strtod(). */

/* Parses "99", "99.9", "99.99": digits, optionally a point and more digits, strictly between 0
 * and 100. Returns 0 and sets *pct, or -1. */
int parse_percentage(const char *text, double *pct);

/* Parses "30" or "30d", a whole number of days from 0 to limit. Returns 0 and sets *days, or -1. */
int parse_days(const char *text, uint64_t limit, uint64_t *days);

/* Parses "1", "0.5", "2.25": digits, optionally a point and one or two more digits, from 0 to
 * 100 percentage points. Returns 0 and sets *hundredths (0 to 10000), or -1. */
int parse_points(const char *text, unsigned *hundredths);

#endif
