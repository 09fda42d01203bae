/* zaph-report --prometheus: the fleet's counters over a window, read from a Prometheus server
 * and merged like profiles (docs/fleet.md, "zaph-report --prometheus"). Per series the exact
 * increase over the window is its last sample in the window minus its last sample before it
 * (or the last sample itself when the series starts inside the window); the series are summed
 * over hosts and processes, and only those of the best data source present are kept. */
#ifndef ZAPH_REPORT_PROMETHEUS_INPUT_H
#define ZAPH_REPORT_PROMETHEUS_INPUT_H

#include "merge.h"

#include <stdint.h>

/* The longest window --window takes, in seconds (ten years). */
#define PROMETHEUS_MAX_WINDOW (3650ull * 86400)

struct prometheus_request {
  const char *url;   /* http:// or https://, without the /api/v1 part */
  const char *match; /* label matchers for every selector, or NULL */
  uint64_t window;   /* seconds */
  const char *window_text; /* as given, "30d" */
  int64_t end;       /* Unix time of the window's end */
};

/* Queries the server and adds the window's counts to merged as one input (then merge_finish()).
 * Returns 0, or -1 with *error set to a malloc()ed message naming the URL and the problem: no
 * answer, an HTTP error, an answer that is not what the API promises, no zaph series, a counter
 * reset in the window, a series without the labels of an op. Warnings (series of other sources
 * left out) go to stderr. */
int prometheus_merge(struct merged_profiles *merged, const struct prometheus_request *request,
                     char **error);

/* Checks a label matcher list, such as job="api",instance=~"web-.*": matchers NAME OP STRING
 * separated by commas, OP one of = != =~ !~, STRING in double or single quotes (with
 * backslash escapes) or backquotes (raw), spaces between tokens. Returns 0, or -1 with
 * *problem set to a static description ("expected a label name at character 5"; *at the
 * character, from 1). */
int prometheus_match_check(const char *match, const char **problem, size_t *at);

/* Parses a window: a whole number from 1 and a unit, s, m, h, d or w ("30d"), at most
 * PROMETHEUS_MAX_WINDOW. Returns 0 and sets *seconds, or -1. */
int prometheus_window_parse(const char *text, uint64_t *seconds);

#endif
