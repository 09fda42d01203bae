/* Unit tests of prometheus_answer.c: canned answers of the HTTP API (a vector with labels and
 * values, the error object, and every way an answer can be wrong) read into exact series or
 * exact messages. */
#include "unit_support.h"

#include "prometheus_answer.h"

/* Parses text; returns the error message (malloc()ed) or NULL on success. */
static char *parse(struct prometheus_answer *a, const char *text) {
  char *error = NULL;
  int rc = prometheus_answer_parse(a, text, strlen(text), &error);
  assert_int_equal(rc, error ? -1 : 0);
  return error;
}

static void reads_a_vector(void **state) {
  (void)state;
  struct prometheus_answer a;
  assert_null(parse(&a, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        "{\"metric\":{\"op\":\"get\",\"file\":\"a \\\"b\\\".c\",\"line\":\"3\"},"
                        "\"value\":[1796083200.5,\"1234\"]},"
                        "{\"metric\":{},\"value\":[1796083200,\"9007199254740992\"]}]}}\n"));
  assert_int_equal(a.series_count, 2);
  assert_int_equal(a.series[0].label_count, 3);
  assert_string_equal(prometheus_label(&a.series[0], "op"), "get");
  assert_string_equal(prometheus_label(&a.series[0], "file"), "a \"b\".c");
  assert_null(prometheus_label(&a.series[0], "kind"));
  assert_int_equal(a.series[0].value, 1234);
  assert_int_equal(a.series[1].label_count, 0);
  assert_int_equal(a.series[1].value, PROMETHEUS_EXACT_LIMIT);
  char *text = prometheus_series_text(&a.series[0]);
  assert_string_equal(text, "{op=\"get\",file=\"a \"b\".c\",line=\"3\"}");
  free(text);
  text = prometheus_series_text(&a.series[1]);
  assert_string_equal(text, "{}");
  free(text);
  prometheus_answer_free(&a);
  assert_null(parse(&a, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                        "\"result\":[]}}"));
  assert_int_equal(a.series_count, 0);
  prometheus_answer_free(&a);
}

/* The message for text, which must fail. */
static void fails_with(const char *text, const char *message) {
  struct prometheus_answer a;
  char *error = parse(&a, text);
  assert_non_null(error);
  assert_string_equal(error, message);
  free(error);
  prometheus_answer_free(&a);
}

#define VECTOR(result) "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" \
  result "]}}"

static void refuses_what_the_api_does_not_promise(void **state) {
  (void)state;
  fails_with("", "not JSON: the text ends inside a value");
  fails_with("<html>", "not JSON: unexpected character");
  fails_with("{\"status\":\"success\"", "not JSON: the text ends inside a value");
  fails_with("{} {}", "not JSON: text after the value at byte 3");
  fails_with("[]", "no \"status\" string");
  fails_with("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 3\"}",
             "the server says: parse error at char 3");
  fails_with("{\"status\":\"warning\"}", "the server says: warning");
  fails_with("{\"status\":\"success\"}", "no data.result array");
  fails_with("{\"status\":\"success\",\"data\":{\"result\":{}}}", "no data.result array");
  fails_with("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
             "data.resultType is 'matrix', expected 'vector'");
  fails_with(VECTOR("{\"value\":[1,\"2\"]}"), "series 1: no \"metric\" object");
  fails_with(VECTOR("{\"metric\":{},\"value\":[1,\"2\"]},{\"metric\":{\"a\":1},\"value\":[1,\"2\"]}"),
             "series 2: label 'a' is not a string");
  fails_with(VECTOR("{\"metric\":{}}"), "series 1: no \"value\": [time, \"number\"]");
  fails_with(VECTOR("{\"metric\":{},\"value\":[1]}"), "series 1: no \"value\": [time, \"number\"]");
  fails_with(VECTOR("{\"metric\":{},\"value\":[1,2]}"), "series 1: no \"value\": [time, \"number\"]");
  fails_with(VECTOR("{\"metric\":{},\"value\":[1,\"1.5\"]}"),
             "series 1: value '1.5' is not a whole number");
  fails_with(VECTOR("{\"metric\":{},\"value\":[1,\"-3\"]}"),
             "series 1: value '-3' is not a whole number");
  fails_with(VECTOR("{\"metric\":{},\"value\":[1,\"NaN\"]}"),
             "series 1: value 'NaN' is not a whole number");
  fails_with(VECTOR("{\"metric\":{},\"value\":[1,\"1e+21\"]}"),
             "series 1: value '1e+21' is not a whole number");
  fails_with(VECTOR("{\"metric\":{},\"value\":[1,\"9007199254740993\"]}"),
             "series 1: value 9007199254740993 is above 2^53, where Prometheus's numbers are no "
             "longer exact");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reads_a_vector),
      cmocka_unit_test(refuses_what_the_api_does_not_promise),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
