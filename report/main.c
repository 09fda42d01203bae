/* zaph-report: reads zaph profiles, merges them and prints per-op access counts, frequencies,
 * confidence and ZAPH-DEC-04 tier recommendations, or (check, diff, doc) enforces and documents
 * them. This file is the command line around the library: options, messages and exit codes
 * (report_exit.h, docs/report.md). report/README.md maps the rest: read -> merge -> classify ->
 * assess -> view. */
#include "analysis.h"
#include "calendar.h"
#include "check.h"
#include "diff.h"
#include "doc.h"
#include "ledger.h"
#include "options.h"
#include "output.h"
#include "policy.h"
#include "profile_write.h"
#include "prometheus_input.h"
#include "report_exit.h"
#include "terminal.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ZAPH_VERSION
#error "ZAPH_VERSION must be defined by the build (report/CMakeLists.txt)"
#endif

static const char usage_text[] =
    "Usage: zaph-report [OPTION]... PROFILE...\n"
    "       zaph-report check [OPTION]... PROFILE...\n"
    "       zaph-report diff [OPTION]... OLD... -- NEW...\n"
    "       zaph-report doc [OPTION]... PROFILE...\n"
    "       zaph-report convert [OPTION]... PROFILE\n"
    "       zaph-report assign [OPTION]... [--ledger=FILE] PROFILE...\n"
    "       zaph-report check --ledger=FILE [--deploy] [OPTION]... [PROFILE]...\n"
    "       zaph-report ledger [OPTION]... FILE [PROFILE]...\n"
    "       zaph-report doc --ledger=FILE [--format=header]\n"
    "       zaph-report [check|doc|assign] [OPTION]... --prometheus=URL [--window=W]\n"
    "Merge zaph profiles and recommend a tier for every op (ZAPH-DEC-04), with its\n"
    "confidence, the data's age and source; check gates on them, diff finds\n"
    "re-profiling triggers, doc writes the tier assignment data, convert prints one\n"
    "profile (a continuous one too) as a text profile. assign records tiers in the\n"
    "tier ledger, check --ledger holds the build to it, ledger prints its state.\n"
    "A PROFILE of '-' reads standard input. --prometheus reads a fleet's counters\n"
    "from a Prometheus server instead of PROFILEs.\n"
    "\n"
    "Options:\n"
    "      --format=FORMAT   the report: text (the default), json, csv, html (one\n"
    "                        page with a chart) or openmetrics (counters for\n"
    "                        Prometheus); check and diff: text or json;\n"
    "                        doc: text or header; convert: text\n"
    "      --color[=WHEN]    colour the text report by tier: auto (the default: on a\n"
    "                        terminal, unless NO_COLOR is set), always or never;\n"
    "                        --color alone is always, --no-color is never\n"
    "      --min-requests=N  smallest sample that gets tier recommendations (default\n"
    "                        " POLICY_TEXT(POLICY_MIN_REQUESTS) "; a smaller N is allowed, "
    "and the report says so)\n"
    "      --confidence=PCT  confidence level a tier must reach (default "
    POLICY_TEXT(POLICY_CONFIDENCE_PCT) ";\n"
    "                        a lower one is allowed, and the report says so)\n"
    "      --max-age=DAYS    data older than DAYS (N or Nd) is stale (default "
    POLICY_TEXT(POLICY_MAX_AGE_DAYS) "d;\n"
    "                        a larger one is allowed, and the report says so)\n"
    "      --now=YYYY-MM-DD  the date ages are counted to (default today, UTC)\n"
    "      --min-change=PP   diff: a significant change of an op's frequency is an\n"
    "                        anomaly only from PP percentage points on (default "
    POLICY_TEXT(DIFF_MIN_CHANGE_DEFAULT_PP) ")\n"
    "      --prometheus=URL  read the counters over the window from the Prometheus\n"
    "                        server at URL (http://HOST:PORT), summed over hosts\n"
    "      --window=W        the window: a number and s, m, h, d or w (default "
    POLICY_TEXT(POLICY_WINDOW_DAYS) "d)\n"
    "      --window-end=TIME  the window's end, YYYY-MM-DDTHH:MM:SSZ (default now)\n"
    "      --match=MATCHERS  only series with these labels, as in PromQL:\n"
    "                        job=\"api\",instance=~\"web-.*\"\n"
    "      --ledger=FILE     the tier ledger (docs/ledger.md); assign's default is\n"
    "                        " ZAPH_LEDGER_DEFAULT_NAME "\n"
    "      --approve=TEXT    assign: record tier changes, approved by TEXT\n"
    "      --deploy          check --ledger: fail when an op has no tier assignment\n"
    "  -o, --output=FILE     write the report to FILE instead of standard output\n"
    "  -h, --help            print this help and exit\n"
    "      --version         print the version and exit\n"
    "      --                end of options: every later argument is a PROFILE (in\n"
    "                        diff the first '--' separates OLD from NEW, a second\n"
    "                        one ends options)\n"
    "\n"
    "Exit status:\n"
    "  0  the report was written and every op has a tier; check: every op passes;\n"
    "     diff: no re-profiling trigger\n"
    "  1  insufficient data: the report was written without tiers, because the\n"
    "     sample is smaller than the minimum\n"
    "  2  usage error\n"
    "  3  a profile or the ledger could not be read or is invalid, or counts\n"
    "     overflow 64 bits\n"
    "  4  writing the report or the ledger failed\n"
    "  5  out of memory\n"
    "  6  check: at least one op fails the gate or, with --ledger, disagrees with\n"
    "     the ledger (each failure is listed)\n"
    "  7  diff: re-profiling needed (a tier change, an access pattern anomaly, a new\n"
    "     or a vanished op)\n"
    "  8  --prometheus: the server could not be queried, or its answer not used (an\n"
    "     HTTP error, not the API's JSON, no series, a counter reset in the window)\n"
    "  9  assign: a measured tier differs from the ledger's and --approve was not\n"
    "     given; the ledger was written without that change\n"
    " 10  check --deploy: an op has no tier assignment\n"
    "\n"
    "The formats, the statistics, merge rules and every message are described in\n"
    "docs/report.md and docs/confidence.md; --prometheus in docs/fleet.md; the\n"
    "ledger in docs/ledger.md.\n";

static void print_error(const char *message) {
  fprintf(stderr, "zaph-report: error: %s\n", message);
}

/* Flushes and closes out; returns 0, or prints a write error naming path (if any) and returns -1.
 * earlier is the errno of a write that already failed, 0 for none: a flush after it may not
 * say why again. */
static int finish_output_after(FILE *out, const char *path, int earlier) {
  errno = 0;
  int failed = fflush(out) == EOF || ferror(out) || earlier;
  int err = failed ? (earlier ? earlier : errno ? errno : EIO) : 0;
  errno = 0;
  if (fclose(out) == EOF && !failed) {
    failed = 1;
    err = errno ? errno : EIO;
  }
  if (!failed)
    return 0;
  if (path)
    fprintf(stderr, "zaph-report: error: %s: write error: %s\n", path, strerror(err));
  else
    fprintf(stderr, "zaph-report: error: write error: %s\n", strerror(err));
  return -1;
}

static int finish_output(FILE *out, const char *path) {
  return finish_output_after(out, path, 0);
}

static void warn_policy(const struct report_options *options) {
  if (options->min_requests < POLICY_MIN_REQUESTS)
    fprintf(stderr,
            "zaph-report: warning: --min-requests=%llu is below the %d requests ZAPH-DEC-04 "
            "requires\n",
            (unsigned long long)options->min_requests, POLICY_MIN_REQUESTS);
  if (options->confidence_pct < POLICY_CONFIDENCE_PCT)
    fprintf(stderr,
            "zaph-report: warning: --confidence=%s is below the %d%% ZAPH-DEC-04 requires\n",
            options->confidence_text, POLICY_CONFIDENCE_PCT);
  if (options->max_age_days > POLICY_MAX_AGE_DAYS)
    fprintf(stderr,
            "zaph-report: warning: --max-age=%llud is above the %d days ZAPH-DEC-04 allows\n",
            (unsigned long long)options->max_age_days, POLICY_MAX_AGE_DAYS);
}

static void report_insufficient(const struct classification *c) {
  fprintf(stderr, "zaph-report: error: insufficient data: %llu < %llu %s\n",
          (unsigned long long)c->denominator, (unsigned long long)c->min_requests,
          denominator_unit(c));
}

/* The warnings of a merge: ops kept apart because their identity was ambiguous. */
static void print_warnings(char *const *warnings, size_t count) {
  for (size_t i = 0; i < count; i++)
    fprintf(stderr, "zaph-report: warning: %s\n", warnings[i]);
}

/* --prometheus: the analysis of the server's counters over the window; prints the error and
 * returns -1 when it fails. */
static int analyse_prometheus(struct analysis *a, const struct report_options *options) {
  char *error = NULL, *url = xstrdup(options->prometheus_url);
  for (size_t len = strlen(url); len > 0 && url[len - 1] == '/';)
    url[--len] = '\0';
  struct prometheus_request request = {url, options->match, options->window_seconds,
                                       options->window_text,
                                       options->has_window_end ? options->window_end
                                                               : (int64_t)time(NULL)};
  memset(a, 0, sizeof *a);
  merge_init(&a->merged);
  int rc = prometheus_merge(&a->merged, &request, &error);
  if (rc == 0)
    rc = analysis_complete(a, options, &error);
  if (rc != 0)
    print_error(error);
  else
    print_warnings(a->merged.warnings, a->merged.warning_count);
  free(error);
  free(url);
  return rc;
}

/* Runs the analysis of profiles; prints the error and returns -1 when it fails. */
static int analyse(struct analysis *a, const char *const *paths, size_t count,
                   const struct report_options *options) {
  char *error = NULL;
  int rc = analysis_run(a, paths, count, options, &error);
  if (rc != 0)
    print_error(error);
  else
    print_warnings(a->merged.warnings, a->merged.warning_count);
  free(error);
  return rc;
}

/* The analysis of the command's input, --prometheus or the first count PROFILEs; returns 0, or
 * the exit status after printing why not. */
static int analyse_input(struct analysis *a, const struct report_options *options, size_t count) {
  if (options->prometheus_url)
    return analyse_prometheus(a, options) == 0 ? 0 : REPORT_EXIT_PROMETHEUS;
  return analyse(a, options->profiles, count, options) == 0 ? 0 : REPORT_EXIT_BAD_PROFILE;
}

/* Writes what the command produces; returns its exit status when the write succeeds. */
static int write_output(FILE *out, const struct report_options *options, struct analysis *one,
                        struct analysis *two, const struct zaph_ledger *ledger) {
  const struct classification *c = &one->classification;
  struct diff_summary summary;
  switch (options->command) {
  case COMMAND_CHECK:
    return check_write(out, &one->view, options->format) ? REPORT_EXIT_CHECK_FAILED
                                                          : REPORT_EXIT_SUCCESS;
  case COMMAND_DIFF:
  {
    diff_write_ledger(out, one, two, ledger, options->format, options->min_change_hundredths,
                      &summary);
    print_warnings(summary.warnings, summary.warning_count);
    diff_summary_free(&summary);
    if (diff_reprofiling_needed(&summary))
      return REPORT_EXIT_REPROFILE;
    return summary.insufficient ? REPORT_EXIT_INSUFFICIENT_DATA : REPORT_EXIT_SUCCESS;
  }
  case COMMAND_DOC:
    doc_write(out, &one->view, options->format);
    break;
  case COMMAND_CONVERT: /* convert() handles it */
  case COMMAND_ASSIGN:  /* run_ledger() handles these */
  case COMMAND_LEDGER:
  case COMMAND_REPORT:
    if (options->format == REPORT_FORMAT_JSON)
      output_json(out, &one->view);
    else if (options->format == REPORT_FORMAT_CSV)
      output_csv(out, &one->view);
    else if (options->format == REPORT_FORMAT_HTML)
      output_html(out, &one->view);
    else if (options->format == REPORT_FORMAT_OPENMETRICS)
      output_openmetrics(out, &one->view);
    else
      output_text(out, &one->view);
    break;
  }
  return c->sufficient ? REPORT_EXIT_SUCCESS : REPORT_EXIT_INSUFFICIENT_DATA;
}

/* Opens the output the options name; NULL after printing why not. */
static FILE *open_output(const struct report_options *options, const char **path) {
  *path = options->output_path && strcmp(options->output_path, "-") != 0 ? options->output_path
                                                                          : NULL;
  FILE *out = *path ? fopen(*path, "w") : stdout;
  if (!out)
    fprintf(stderr, "zaph-report: error: %s: cannot open for writing: %s\n", *path,
            strerror(errno));
  return out;
}

/* convert: one profile, read and written back as a text profile. */
static int convert(const struct report_options *options) {
  struct profile profile;
  char *error = NULL;
  const char *path;
  int status = REPORT_EXIT_BAD_PROFILE;
  if (profile_load(&profile, options->profiles[0], &error) != 0) {
    print_error(error);
  } else {
    FILE *out = open_output(options, &path);
    status = REPORT_EXIT_WRITE_FAILED;
    if (out) {
      profile_write_text(out, &profile);
      status = finish_output(out, path) == 0 ? REPORT_EXIT_SUCCESS : REPORT_EXIT_WRITE_FAILED;
    }
  }
  free(error);
  profile_free(&profile);
  return status;
}

/* The ledger commands: assign, ledger, check --ledger and doc --ledger, with or without an
 * analysis of PROFILEs (or --prometheus). */
static int run_ledger(const struct report_options *options) {
  struct analysis one;
  struct zaph_ledger *ledger = NULL;
  char *error = NULL;
  int have = options->prometheus_url || options->profile_count;
  int status = REPORT_EXIT_BAD_PROFILE;
  memset(&one, 0, sizeof one);
  if (have) {
    warn_policy(options);
    if ((status = analyse_input(&one, options, options->profile_count)) != 0)
      goto done;
  }
  ledger = ledger_load(options->ledger_path, options->command == COMMAND_ASSIGN, &error);
  if (!ledger) {
    print_error(error);
    status = REPORT_EXIT_BAD_PROFILE;
    goto done;
  }
  const char *path;
  FILE *out = open_output(options, &path);
  if (!out) {
    status = REPORT_EXIT_WRITE_FAILED;
    goto done;
  }
  long now_day = options->has_now ? options->now_day : calendar_today();
  struct assign_summary summary;
  switch (options->command) {
  case COMMAND_ASSIGN:
    if (ledger_assign(out, &one, ledger, options->ledger_path, options->approve, &summary,
                      &error) != 0) {
      print_error(error);
      status = REPORT_EXIT_WRITE_FAILED;
    } else {
      status = summary.refused ? REPORT_EXIT_TIER_CHANGE : REPORT_EXIT_SUCCESS;
    }
    break;
  case COMMAND_CHECK:
    status = ledger_check(out, have ? &one : NULL, ledger, now_day, options->deploy,
                          options->format == REPORT_FORMAT_JSON);
    break;
  case COMMAND_LEDGER:
    ledger_state(out, ledger, have ? &one : NULL, now_day,
                 options->format == REPORT_FORMAT_JSON);
    status = REPORT_EXIT_SUCCESS;
    break;
  default:
    doc_write_ledger(out, ledger, options->format);
    status = REPORT_EXIT_SUCCESS;
    break;
  }
  if (finish_output(out, path) != 0)
    status = REPORT_EXIT_WRITE_FAILED;
done:
  free(error);
  if (ledger)
    zaph_ledger_free(ledger);
  analysis_free(&one);
  return status;
}

static int run(const struct report_options *options) {
  struct analysis one, two;
  struct zaph_ledger *ledger = NULL;
  char *error = NULL;
  int diff = options->command == COMMAND_DIFF;
  size_t first_count = diff ? options->old_count : options->profile_count;
  memset(&two, 0, sizeof two);
  warn_policy(options);
  int status = analyse_input(&one, options, first_count);
  if (status != 0)
    goto done;
  status = REPORT_EXIT_BAD_PROFILE;
  if (diff && analyse(&two, options->profiles + first_count,
                      options->profile_count - first_count, options) != 0)
    goto done;
  /* diff --ledger: renames followed through the ledger's previous names. */
  if (options->ledger_path && !(ledger = ledger_load(options->ledger_path, 0, &error))) {
    print_error(error);
    goto done;
  }
  const char *path;
  FILE *out = open_output(options, &path);
  if (!out) {
    status = REPORT_EXIT_WRITE_FAILED;
    goto done;
  }
  one.view.color = terminal_color(options->color, out);
  one.view.utf8 = terminal_utf8();
  status = write_output(out, options, &one, diff ? &two : NULL, ledger);
  if (finish_output(out, path) != 0) {
    status = REPORT_EXIT_WRITE_FAILED;
  } else if (status == REPORT_EXIT_INSUFFICIENT_DATA) {
    report_insufficient(one.classification.sufficient ? &two.classification
                                                      : &one.classification);
  }
done:
  free(error);
  if (ledger)
    zaph_ledger_free(ledger);
  analysis_free(&one);
  analysis_free(&two);
  return status;
}

int main(int argc, char **argv) {
  struct report_options options;
  char *error = NULL;
  int status;
  if (options_parse(&options, argc, argv, &error) != 0) {
    print_error(error);
    fputs("Try 'zaph-report --help' for more information.\n", stderr);
    status = REPORT_EXIT_USAGE;
  } else if (options.show_help || options.show_version) {
    errno = 0;
    int written = options.show_help ? fputs(usage_text, stdout) : puts("zaph-report " ZAPH_VERSION);
    /* The help is longer than a stdio buffer, so a full disk is seen while it is written. */
    int err = written == EOF ? (errno ? errno : EIO) : 0;
    status = finish_output_after(stdout, NULL, err) == 0 ? REPORT_EXIT_SUCCESS
                                                          : REPORT_EXIT_WRITE_FAILED;
  } else {
    int ledger_command = options.command == COMMAND_LEDGER ||
                         (options.ledger_path && options.command != COMMAND_DIFF);
    status = options.command == COMMAND_CONVERT ? convert(&options)
             : ledger_command                   ? run_ledger(&options)
                                                : run(&options);
  }
  free(error);
  options_free(&options);
  return status;
}
