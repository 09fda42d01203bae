/* zaph-report: reads zaph profiles, merges them and prints per-op access counts, frequencies and
 * ZAPH-DEC-04 tier recommendations. This file is the command line around the library: options,
 * messages and exit codes (report_exit.h, docs/report.md). */
#include "classify.h"
#include "merge.h"
#include "options.h"
#include "output.h"
#include "profile_read.h"
#include "report_exit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ZAPH_VERSION
#error "ZAPH_VERSION must be defined by the build (report/CMakeLists.txt)"
#endif

static const char usage_text[] =
    "Usage: zaph-report [OPTION]... PROFILE...\n"
    "Merge zaph profiles and recommend a tier for every op (ZAPH-DEC-04).\n"
    "A PROFILE of '-' reads standard input.\n"
    "\n"
    "Options:\n"
    "      --format=FORMAT   output format: text (the default) or json\n"
    "      --min-requests=N  smallest sample that gets tier recommendations (default 1000;\n"
    "                        a smaller N is allowed, and the report says it is below policy)\n"
    "  -o, --output=FILE     write the report to FILE instead of standard output\n"
    "  -h, --help            print this help and exit\n"
    "      --version         print the version and exit\n"
    "      --                end of options: every later argument is a PROFILE\n"
    "\n"
    "Exit status:\n"
    "  0  the report was written and every op has a tier\n"
    "  1  insufficient data: the report was written without tiers, because the sample\n"
    "     is smaller than the minimum\n"
    "  2  usage error\n"
    "  3  a profile could not be read or is invalid, or counts overflow 64 bits\n"
    "  4  writing the report failed\n"
    "  5  out of memory\n"
    "\n"
    "The formats, merge rules and every message are described in docs/report.md.\n";

static void print_error(const char *message) {
  fprintf(stderr, "zaph-report: error: %s\n", message);
}

/* Flushes and closes out; returns 0, or prints a write error naming path (if any) and returns -1. */
static int finish_output(FILE *out, const char *path) {
  errno = 0;
  int failed = fflush(out) == EOF || ferror(out);
  int err = failed ? (errno ? errno : EIO) : 0;
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

/* Reads and merges every profile; returns 0, or -1 after printing the first error. */
static int merge_profiles(struct merged_profiles *merged, const struct report_options *options) {
  for (size_t i = 0; i < options->profile_count; i++) {
    struct profile profile;
    char *error = NULL;
    int rc = profile_load(&profile, options->profiles[i], &error);
    if (rc == 0)
      rc = merge_add(merged, &profile, &error);
    profile_free(&profile);
    if (rc != 0) {
      print_error(error);
      free(error);
      return -1;
    }
  }
  merge_finish(merged);
  return 0;
}

static int write_report(const struct report_options *options, const struct merged_profiles *merged,
                        const struct classification *classification) {
  const char *path = options->output_path && strcmp(options->output_path, "-") != 0
                         ? options->output_path
                         : NULL;
  FILE *out = path ? fopen(path, "w") : stdout;
  if (!out) {
    fprintf(stderr, "zaph-report: error: %s: cannot open for writing: %s\n", path,
            strerror(errno));
    return -1;
  }
  if (options->format == REPORT_FORMAT_JSON)
    output_json(out, merged, classification);
  else
    output_text(out, merged, classification);
  return finish_output(out, path);
}

static int run(const struct report_options *options) {
  struct merged_profiles merged;
  struct classification classification = {0};
  char *error = NULL;
  int status = REPORT_EXIT_SUCCESS;
  if (options->min_requests < POLICY_MIN_REQUESTS)
    fprintf(stderr,
            "zaph-report: warning: --min-requests=%llu is below the %d requests ZAPH-DEC-04 "
            "requires\n",
            (unsigned long long)options->min_requests, POLICY_MIN_REQUESTS);
  merge_init(&merged);
  if (merge_profiles(&merged, options) != 0) {
    status = REPORT_EXIT_BAD_PROFILE;
  } else if (classify(&classification, &merged, options->min_requests, &error) != 0) {
    print_error(error);
    status = REPORT_EXIT_BAD_PROFILE;
  } else if (write_report(options, &merged, &classification) != 0) {
    status = REPORT_EXIT_WRITE_FAILED;
  } else if (!classification.sufficient) {
    fprintf(stderr, "zaph-report: error: insufficient data: %llu < %llu %s\n",
            (unsigned long long)classification.denominator,
            (unsigned long long)classification.min_requests,
            classification.denominator_kind == DENOMINATOR_REQUESTS ? "requests" : "op entries");
    status = REPORT_EXIT_INSUFFICIENT_DATA;
  }
  free(error);
  classification_free(&classification);
  merge_free(&merged);
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
    if (options.show_help)
      fputs(usage_text, stdout);
    else
      puts("zaph-report " ZAPH_VERSION);
    status = finish_output(stdout, NULL) == 0 ? REPORT_EXIT_SUCCESS : REPORT_EXIT_WRITE_FAILED;
  } else {
    status = run(&options);
  }
  free(error);
  options_free(&options);
  return status;
}
