/* The Prometheus answer reader (prometheus_answer.h) over json-c: the whole body must be one
 * JSON value, and every field the reader uses must have the type the HTTP API documents. */
#include "prometheus_answer.h"

#include "xalloc.h"
#include "zaph_profile.h"

#include <json.h>
#include <stdlib.h>
#include <string.h>

/* The member key of obj when it has the type wanted, else NULL. */
static json_object *member(json_object *obj, const char *key, json_type type) {
  json_object *value;
  if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &value) ||
      !json_object_is_type(value, type))
    return NULL;
  return value;
}

static int fail(char **error, char *message) {
  *error = message;
  return -1;
}

/* The counter value of a series: "value": [time, "digits"], whole and at most 2^53. */
static int parse_value(json_object *sample, size_t index, uint64_t *value, char **error) {
  json_object *pair = member(sample, "value", json_type_array);
  json_object *text = pair && json_object_array_length(pair) == 2
                          ? json_object_array_get_idx(pair, 1)
                          : NULL;
  if (!text || !json_object_is_type(text, json_type_string))
    return fail(error, xformat("series %zu: no \"value\": [time, \"number\"]", index));
  const char *digits = json_object_get_string(text);
  char quoted[ZAPH_QUOTE_SIZE];
  zaph_quote(quoted, digits);
  if (zaph_parse_u64(digits, value) != 0)
    return fail(error, xformat("series %zu: value '%s' is not a whole number", index, quoted));
  if (*value > PROMETHEUS_EXACT_LIMIT)
    return fail(error, xformat("series %zu: value %s is above 2^53, where Prometheus's "
                               "numbers are no longer exact", index, quoted));
  return 0;
}

static int parse_series(struct prometheus_series *s, json_object *sample, size_t index,
                        char **error) {
  json_object *metric = member(sample, "metric", json_type_object);
  if (!metric)
    return fail(error, xformat("series %zu: no \"metric\" object", index));
  s->labels = xcalloc((size_t)json_object_object_length(metric) + 1, sizeof *s->labels);
  json_object_object_foreach(metric, name, value) {
    if (!json_object_is_type(value, json_type_string))
      return fail(error, xformat("series %zu: label '%s' is not a string", index, name));
    s->labels[s->label_count].name = xstrdup(name);
    s->labels[s->label_count++].value = xstrdup(json_object_get_string(value));
  }
  return parse_value(sample, index, &s->value, error);
}

static int parse_document(struct prometheus_answer *answer, json_object *root, char **error) {
  json_object *status = member(root, "status", json_type_string);
  if (!status)
    return fail(error, xstrdup("no \"status\" string"));
  if (strcmp(json_object_get_string(status), "success") != 0) {
    json_object *said = member(root, "error", json_type_string);
    return fail(error, xformat("the server says: %s", said ? json_object_get_string(said)
                                                           : json_object_get_string(status)));
  }
  json_object *data = member(root, "data", json_type_object);
  json_object *type = member(data, "resultType", json_type_string);
  json_object *result = member(data, "result", json_type_array);
  if (!result)
    return fail(error, xstrdup("no data.result array"));
  if (!type || strcmp(json_object_get_string(type), "vector") != 0)
    return fail(error, xformat("data.resultType is '%s', expected 'vector'",
                               type ? json_object_get_string(type) : ""));
  size_t count = json_object_array_length(result);
  answer->series = xcalloc(count ? count : 1, sizeof *answer->series);
  for (size_t i = 0; i < count; i++) {
    answer->series_count++;
    if (parse_series(&answer->series[i], json_object_array_get_idx(result, i), i + 1, error))
      return -1;
  }
  return 0;
}

int prometheus_answer_parse(struct prometheus_answer *answer, const char *body, size_t len,
                            char **error) {
  memset(answer, 0, sizeof *answer);
  *error = NULL;
  json_tokener *tok = json_tokener_new();
  if (!tok)
    out_of_memory();
  json_object *root = len <= INT32_MAX ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
  enum json_tokener_error problem = json_tokener_get_error(tok);
  size_t end = json_tokener_get_parse_end(tok);
  while (root && end < len && strchr(" \t\r\n", body[end]))
    end++;
  int rc;
  if (!root && problem == json_tokener_continue)
    rc = fail(error, xstrdup("not JSON: the text ends inside a value"));
  else if (!root)
    rc = fail(error, xformat("not JSON: %s", len > INT32_MAX ? "too long"
                                                            : json_tokener_error_desc(problem)));
  else if (end < len)
    rc = fail(error, xformat("not JSON: text after the value at byte %zu", end));
  else
    rc = parse_document(answer, root, error);
  json_object_put(root);
  json_tokener_free(tok);
  return rc;
}

const char *prometheus_label(const struct prometheus_series *series, const char *name) {
  for (size_t i = 0; i < series->label_count; i++)
    if (strcmp(series->labels[i].name, name) == 0)
      return series->labels[i].value;
  return NULL;
}

char *prometheus_series_text(const struct prometheus_series *series) {
  char *text = xstrdup("{");
  for (size_t i = 0; i < series->label_count; i++) {
    char *longer = xformat("%s%s%s=\"%s\"", text, i ? "," : "", series->labels[i].name,
                           series->labels[i].value);
    free(text);
    text = longer;
  }
  char *closed = xformat("%s}", text);
  free(text);
  return closed;
}

void prometheus_answer_free(struct prometheus_answer *answer) {
  for (size_t i = 0; i < answer->series_count; i++) {
    for (size_t j = 0; j < answer->series[i].label_count; j++) {
      free(answer->series[i].labels[j].name);
      free(answer->series[i].labels[j].value);
    }
    free(answer->series[i].labels);
  }
  free(answer->series);
  memset(answer, 0, sizeof *answer);
}
