/* The command line of zaph-report: options in jq/git manner (--name=value or --name value,
 * options and PROFILEs in any order, "--" ends options), parsed without printing anything so
 * main.c decides what a usage error looks like and the unit tests can check every case. */
#ifndef ZAPH_REPORT_OPTIONS_H
#define ZAPH_REPORT_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

enum report_format { REPORT_FORMAT_TEXT, REPORT_FORMAT_JSON };

struct report_options {
  enum report_format format;
  uint64_t min_requests;
  const char *output_path; /* NULL or "-" for standard output */
  int show_help;
  int show_version;
  const char **profiles; /* the PROFILE arguments, pointing into argv */
  size_t profile_count;
};

/* Parses argv. Returns 0, or -1 with *error set to a malloc()ed message (without the
 * "zaph-report: error: " prefix). On --help or --version parsing stops there and succeeds.
 * options_free() releases the options either way. */
int options_parse(struct report_options *options, int argc, char *const argv[], char **error);

void options_free(struct report_options *options);

#endif
