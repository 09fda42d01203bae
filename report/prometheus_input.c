/* zaph-report --prometheus (prometheus_input.h): three queries per counter (the last sample in
 * the window, the last one before it, resets over both), exact differences per series in
 * 64-bit integers, then one merged input for the rest of the pipeline. The metric and label
 * names are include/zaph_metrics.h's, the ones the runtime's textfile writes. */
#include "prometheus_input.h"

#include "data_source.h"
#include "prometheus_answer.h"
#include "prometheus_http.h"
#include "xalloc.h"
#include "zaph_metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far before the window's start a series' last sample may be and still count as the value
 * the window starts from: Prometheus's own lookback for an instant query. A series with no
 * sample that close to the start counts as starting inside the window, from 0. */
#define START_LOOKBACK_SECONDS 300

int prometheus_window_parse(const char *text, uint64_t *seconds) {
  static const struct { char unit; uint64_t seconds; } units[] = {
      {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 7 * 86400}};
  size_t len = strlen(text);
  char digits[24];
  if (len < 2 || len - 1 >= sizeof digits)
    return -1;
  memcpy(digits, text, len - 1);
  digits[len - 1] = '\0';
  uint64_t n;
  if (zaph_parse_u64(digits, &n) != 0 || n == 0)
    return -1;
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (text[len - 1] == units[i].unit) {
      if (n > PROMETHEUS_MAX_WINDOW / units[i].seconds)
        return -1;
      *seconds = n * units[i].seconds;
      return 0;
    }
  return -1;
}

static int is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

static const char *skip_spaces(const char *p) {
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* The end of an escape after its backslash (at p), or NULL: PromQL's string escapes. */
static const char *skip_escape(const char *p, char quote) {
  if (*p == quote || (*p && strchr("abfnrtv\\", *p)))
    return p + 1;
  size_t hex = *p == 'x' ? 2 : *p == 'u' ? 4 : *p == 'U' ? 8 : 0;
  if (hex) {
    for (size_t i = 1; i <= hex; i++)
      if (!p[i] || !strchr("0123456789abcdefABCDEF", p[i]))
        return NULL;
    return p + hex + 1;
  }
  for (int i = 0; i < 3; i++)
    if (p[i] < '0' || p[i] > '7')
      return NULL;
  return p + 3;
}

/* The end of a quoted string that starts at p, or NULL with *problem set. */
static const char *skip_string(const char *p, const char **problem) {
  char quote = *p++;
  while (*p && *p != quote) {
    if (quote != '`' && *p == '\n') {
      *problem = "a newline in a quoted string";
      return NULL;
    }
    if (quote != '`' && *p == '\\') {
      const char *next = skip_escape(p + 1, quote);
      if (!next) {
        *problem = "an invalid escape";
        return NULL;
      }
      p = next;
    } else {
      p++;
    }
  }
  if (!*p) {
    *problem = "a string without its closing quote";
    return NULL;
  }
  return p + 1;
}

int prometheus_match_check(const char *match, const char **problem, size_t *at) {
  const char *p = skip_spaces(match);
  for (;;) {
    const char *start = p;
    if (!is_name_start(*p)) {
      *problem = "expected a label name";
      goto fail;
    }
    while (is_name_char(*p))
      p++;
    p = skip_spaces(p);
    start = p;
    if (p[0] == '=' && p[1] == '~')
      p += 2;
    else if (p[0] == '!' && (p[1] == '=' || p[1] == '~'))
      p += 2;
    else if (p[0] == '=')
      p += 1;
    else {
      *problem = "expected =, !=, =~ or !~";
      goto fail;
    }
    p = skip_spaces(p);
    start = p;
    if (*p != '"' && *p != '\'' && *p != '`') {
      *problem = "expected a quoted value";
      goto fail;
    }
    if (!(p = skip_string(p, problem)))
      goto fail;
    p = skip_spaces(p);
    if (!*p)
      return 0;
    if (*p != ',') {
      start = p;
      *problem = "expected ',' between matchers";
      goto fail;
    }
    p = skip_spaces(p + 1);
    continue;
  fail:
    *at = (size_t)(start - match) + 1;
    return -1;
  }
}

/* A series' labels as one key, name-sorted and length-prefixed, to pair a series' end and
 * start; malloc()ed. */
static int compare_labels(const void *a, const void *b) {
  return strcmp(((const struct prometheus_label *)a)->name,
                ((const struct prometheus_label *)b)->name);
}

static char *series_key(const struct prometheus_series *s) {
  struct prometheus_label *sorted = xcalloc(s->label_count + 1, sizeof *sorted);
  memcpy(sorted, s->labels, s->label_count * sizeof *sorted);
  qsort(sorted, s->label_count, sizeof *sorted, compare_labels);
  char *key = xstrdup("");
  for (size_t i = 0; i < s->label_count; i++) {
    char *longer = xformat("%s%zu:%s%zu:%s", key, strlen(sorted[i].name), sorted[i].name,
                           strlen(sorted[i].value), sorted[i].value);
    free(key);
    key = longer;
  }
  free(sorted);
  return key;
}

struct keyed {
  char *key;
  uint64_t value;
};

static int compare_keyed(const void *a, const void *b) {
  return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

/* One counter's answers: the last sample in the window, the one before it, its resets. */
struct counter_answers {
  struct prometheus_answer end, start, resets;
};

/* Runs one query; on failure *error names the URL, the query and the problem. */
static int run_query(const struct prometheus_request *r, const char *query,
                     struct prometheus_answer *answer, char **error) {
  struct prometheus_reply reply = {0};
  char *problem = NULL;
  memset(answer, 0, sizeof *answer);
  if (prometheus_http_query(r->url, query, r->end, &reply, &problem) != 0) {
    *error = xformat("%s: cannot query: %s", r->url, problem);
    free(problem);
    return -1;
  }
  int rc = prometheus_answer_parse(answer, reply.body, reply.len, &problem);
  if (reply.status != 200) {
    *error = xformat("%s: HTTP %ld for query '%s'%s%s", r->url, reply.status, query,
                     rc != 0 && strncmp(problem, "the server says: ", 17) == 0 ? ": " : "",
                     rc != 0 && strncmp(problem, "the server says: ", 17) == 0 ? problem : "");
    rc = -1;
  } else if (rc != 0) {
    *error = xformat("%s: invalid answer to query '%s': %s", r->url, query, problem);
  }
  free(problem);
  free(reply.body);
  return rc;
}

static int query_counter(const struct prometheus_request *r, enum zaph_metric metric,
                         struct counter_answers *a, char **error) {
  const char *name = zaph_metric_sample_name(metric);
  char *selector = r->match ? xformat("%s{%s}", name, r->match) : xstrdup(name);
  unsigned long long w = (unsigned long long)r->window;
  char *end = xformat("last_over_time(%s[%llus])", selector, w);
  char *start = xformat("last_over_time(%s[%ds] offset %llus)", selector,
                        START_LOOKBACK_SECONDS, w);
  char *resets = xformat("resets(%s[%llus]) > 0", selector, w + START_LOOKBACK_SECONDS);
  int rc = run_query(r, end, &a->end, error) != 0 || run_query(r, start, &a->start, error) != 0 ||
                   run_query(r, resets, &a->resets, error) != 0
               ? -1
               : 0;
  free(selector);
  free(end);
  free(start);
  free(resets);
  return rc;
}

/* The window as a message names it: "the 30d window ending 2026-12-01T00:00:00Z". */
static char *window_text(const struct prometheus_request *r) {
  char end[ZAPH_PROFILE_TIME_LENGTH + 1];
  zaph_time_format(r->end, end);
  return xformat("the %s window ending %s", r->window_text, end);
}

/* Per end series, its increase over the window into increases[i]; -1 on a reset. */
static int increases_of(const struct prometheus_request *r, enum zaph_metric metric,
                        const struct counter_answers *a, uint64_t *increases, char **error) {
  const struct prometheus_answer *end = &a->end, *start = &a->start;
  if (a->resets.series_count > 0) {
    char *series = prometheus_series_text(&a->resets.series[0]);
    char *window = window_text(r);
    *error = xformat("%s: counter reset in %s: %s%s has resets() = %llu (%zu series with "
                     "resets in all); its increase cannot be counted exactly; choose a window "
                     "that starts after the reset", r->url, window,
                     zaph_metric_sample_name(metric), series,
                     (unsigned long long)a->resets.series[0].value, a->resets.series_count);
    free(series);
    free(window);
    return -1;
  }
  struct keyed *before = xcalloc(start->series_count + 1, sizeof *before);
  for (size_t i = 0; i < start->series_count; i++)
    before[i] = (struct keyed){series_key(&start->series[i]), start->series[i].value};
  qsort(before, start->series_count, sizeof *before, compare_keyed);
  int rc = 0;
  for (size_t i = 0; i < end->series_count && rc == 0; i++) {
    struct keyed probe = {series_key(&end->series[i]), 0};
    const struct keyed *found =
        bsearch(&probe, before, start->series_count, sizeof *before, compare_keyed);
    uint64_t from = found ? found->value : 0;
    if (from > end->series[i].value) {
      char *series = prometheus_series_text(&end->series[i]);
      char *window = window_text(r);
      *error = xformat("%s: counter reset in %s: %s%s fell from %llu to %llu; its increase "
                       "cannot be counted exactly; choose a window that starts after the reset",
                       r->url, window, zaph_metric_sample_name(metric), series,
                       (unsigned long long)from, (unsigned long long)end->series[i].value);
      free(series);
      free(window);
      rc = -1;
    }
    increases[i] = end->series[i].value - from;
    free(probe.key);
  }
  for (size_t i = 0; i < start->series_count; i++)
    free(before[i].key);
  free(before);
  return rc;
}

static const char *series_source(const struct prometheus_series *s) {
  const char *source = prometheus_label(s, zaph_metric_label_name(ZAPH_LABEL_source));
  return source ? source : "unspecified";
}

/* The best source among every series (rank, then byte order on a tie). */
static const char *best_source(const struct counter_answers *answers) {
  const char *best = NULL;
  for (int m = 0; m < ZAPH_METRIC_COUNT; m++)
    for (size_t i = 0; i < answers[m].end.series_count; i++) {
      const char *s = series_source(&answers[m].end.series[i]);
      if (!best || source_rank(s) < source_rank(best) ||
          (source_rank(s) == source_rank(best) && strcmp(s, best) < 0))
        best = s;
    }
  return best;
}

/* Warns once per source left out: "... left out 4 series of source load-test". */
static void warn_left_out(const struct prometheus_request *r, const struct counter_answers *a,
                          const char *best) {
  const char **seen = NULL;
  size_t seen_count = 0;
  for (int m = 0; m < ZAPH_METRIC_COUNT; m++)
    for (size_t i = 0; i < a[m].end.series_count; i++) {
      const char *s = series_source(&a[m].end.series[i]);
      int known = strcmp(s, best) == 0;
      for (size_t j = 0; j < seen_count && !known; j++)
        known = strcmp(seen[j], s) == 0;
      if (known)
        continue;
      seen = xreallocarray(seen, seen_count + 1, sizeof *seen);
      seen[seen_count++] = s;
      size_t n = 0;
      for (int k = 0; k < ZAPH_METRIC_COUNT; k++)
        for (size_t j = 0; j < a[k].end.series_count; j++)
          n += strcmp(series_source(&a[k].end.series[j]), s) == 0;
      fprintf(stderr, "zaph-report: warning: %s: left out %zu series of source '%s' (the "
                      "report takes the best source present, '%s')\n", r->url, n, s, best);
    }
  free(seen);
}

/* An op series' identity from its labels; -1 with *error when one is missing or invalid. */
static int series_identity(const struct prometheus_request *r, const struct prometheus_series *s,
                           enum zaph_metric metric, struct zaph_identity *id, char **error) {
  const char *name = prometheus_label(s, zaph_metric_label_name(ZAPH_LABEL_op));
  const char *file = prometheus_label(s, zaph_metric_label_name(ZAPH_LABEL_file));
  const char *line = prometheus_label(s, zaph_metric_label_name(ZAPH_LABEL_line));
  const char *kind = prometheus_label(s, zaph_metric_label_name(ZAPH_LABEL_kind));
  const char *problem = NULL;
  uint64_t number = 0;
  if (!name || !file || !line || !kind)
    problem = "lacks one of the labels op, file, line and kind";
  else if (zaph_parse_u64(line, &number) != 0 || number > ZAPH_PROFILE_MAX_LINE_NUMBER)
    problem = "has an invalid line label";
  else if (!zaph_kind_from_name(kind))
    problem = "has an invalid kind label (expected op or request)";
  if (problem) {
    char *series = prometheus_series_text(s);
    *error = xformat("%s: %s%s %s", r->url, zaph_metric_sample_name(metric), series, problem);
    free(series);
    return -1;
  }
  *id = (struct zaph_identity){name, file, number, zaph_kind_from_name(kind)};
  return 0;
}

/* The window's counts of source as one profile, added to merged. */
static int add_window(struct merged_profiles *merged, const struct prometheus_request *r,
                      const struct counter_answers *a, uint64_t *const *increases,
                      const char *source, char **error) {
  struct profile p;
  memset(&p, 0, sizeof p);
  string_pool_init(&p.text);
  char *program = r->match ? xformat("%s {%s}", r->url, r->match) : xstrdup(r->url);
  p.display_name = p.program = string_pool_add(&p.text, program, strlen(program));
  p.host = "";
  p.source = source;
  zaph_time_format(r->end - (int64_t)r->window, p.start);
  zaph_time_format(r->end, p.end);
  int rc = 0;
  for (size_t i = 0; i < a[ZAPH_METRIC_requests].end.series_count && rc == 0; i++)
    if (strcmp(series_source(&a[ZAPH_METRIC_requests].end.series[i]), source) == 0 &&
        zaph_add_count(&p.requests, increases[ZAPH_METRIC_requests][i]))
      rc = -1;
  enum zaph_metric op_metrics[] = {ZAPH_METRIC_op_entries, ZAPH_METRIC_op_requests_touching};
  for (int k = 0; k < 2 && rc == 0; k++) {
    enum zaph_metric m = op_metrics[k];
    for (size_t i = 0; i < a[m].end.series_count && rc == 0; i++) {
      const struct prometheus_series *s = &a[m].end.series[i];
      if (strcmp(series_source(s), source) != 0)
        continue;
      struct profile_op op = {0};
      if (series_identity(r, s, m, &op.id, error) != 0) {
        rc = -2;
        break;
      }
      if (m == ZAPH_METRIC_op_entries)
        op.entries = increases[m][i];
      else
        op.requests_touching = increases[m][i];
      p.ops = xreallocarray(p.ops, p.op_count + 1, sizeof *p.ops);
      p.ops[p.op_count++] = op;
    }
  }
  if (rc == -1)
    *error = xformat("counts overflow 64 bits when merging %s", program);
  else if (rc == 0)
    rc = merge_add(merged, &p, error);
  free(program);
  free(p.ops);
  string_pool_free(&p.text);
  return rc ? -1 : 0;
}

int prometheus_merge(struct merged_profiles *merged, const struct prometheus_request *r,
                     char **error) {
  struct counter_answers answers[ZAPH_METRIC_COUNT];
  uint64_t *increases[ZAPH_METRIC_COUNT] = {0};
  memset(answers, 0, sizeof answers);
  *error = NULL;
  int rc = 0;
  size_t series = 0;
  for (int m = 0; m < ZAPH_METRIC_COUNT && rc == 0; m++) {
    rc = query_counter(r, (enum zaph_metric)m, &answers[m], error);
    if (rc == 0) {
      increases[m] = xcalloc(answers[m].end.series_count + 1, sizeof *increases[m]);
      rc = increases_of(r, (enum zaph_metric)m, &answers[m], increases[m], error);
      series += answers[m].end.series_count;
    }
  }
  if (rc == 0 && series == 0) {
    char *window = window_text(r);
    *error = xformat("%s: no %s, %s or %s series in %s%s%s", r->url,
                     zaph_metric_sample_name(ZAPH_METRIC_op_entries),
                     zaph_metric_sample_name(ZAPH_METRIC_op_requests_touching),
                     zaph_metric_sample_name(ZAPH_METRIC_requests), window,
                     r->match ? " matching " : "", r->match ? r->match : "");
    free(window);
    rc = -1;
  }
  if (rc == 0) {
    const char *source = best_source(answers);
    warn_left_out(r, answers, source);
    rc = add_window(merged, r, answers, increases, source, error);
  }
  for (int m = 0; m < ZAPH_METRIC_COUNT; m++) {
    prometheus_answer_free(&answers[m].end);
    prometheus_answer_free(&answers[m].start);
    prometheus_answer_free(&answers[m].resets);
    free(increases[m]);
  }
  if (rc == 0)
    merge_finish(merged);
  return rc;
}
