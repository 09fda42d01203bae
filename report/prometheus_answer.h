/* Reading a Prometheus HTTP API answer to an instant query (/api/v1/query): the JSON object
 * {"status": "success", "data": {"resultType": "vector", "result": [{"metric": {labels},
 * "value": [time, "number"]}, ...]}}, or {"status": "error", "error": "..."}. Each series keeps
 * its labels and its value, which must be a whole number (zaph's counters are); anything else is
 * an error naming what was wrong. json-c parses the text. */
#ifndef ZAPH_REPORT_PROMETHEUS_ANSWER_H
#define ZAPH_REPORT_PROMETHEUS_ANSWER_H

#include <stddef.h>
#include <stdint.h>

struct prometheus_label {
  char *name;
  char *value;
};

struct prometheus_series {
  struct prometheus_label *labels; /* as the answer lists them */
  size_t label_count;
  uint64_t value;
};

struct prometheus_answer {
  struct prometheus_series *series;
  size_t series_count;
};

/* The largest value taken: 2^53, beyond which a Prometheus sample (a double) no longer holds
 * every whole number, so a count there may not be exact. */
#define PROMETHEUS_EXACT_LIMIT 9007199254740992ull

/* Parses the answer body (len bytes). Returns 0, or -1 with *error set to a malloc()ed message:
 * "not JSON: <json-c's reason>", "the server says: <its error>", "no data.result array",
 * "series N: value '1.5' is not a whole number" and the like (series counted from 1). The
 * answer must be released with prometheus_answer_free() either way. */
int prometheus_answer_parse(struct prometheus_answer *answer, const char *body, size_t len,
                            char **error);

/* The value of the label name in a series, or NULL. */
const char *prometheus_label(const struct prometheus_series *series, const char *name);

/* A series as messages name it: {a="x",b="y"}, labels in the answer's order; malloc()ed. */
char *prometheus_series_text(const struct prometheus_series *series);

void prometheus_answer_free(struct prometheus_answer *answer);

#endif
