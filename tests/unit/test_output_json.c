/* Unit tests of output_json.c: the whole JSON report, byte for byte, for the decision record's
 * example, an insufficient sample without requests, and a report without ops. */
#include "unit_support.h"
#include "report_test_support.h"

#include "assess.h"
#include "calendar.h"
#include "classify.h"
#include "output.h"
#include "zaph_profile.h"

static struct merged_op op(const char *name, const char *file, uint64_t line, int kind,
                           unsigned tier, uint64_t entries, uint64_t touching, uint64_t outside) {
  return merged_op_of(name, file, line, kind, tier, entries, touching, outside);
}

static char *report(const struct merged_profiles *m, uint64_t min_requests) {
  struct classification c;
  char *error;
  assert_int_equal(classify(&c, m, min_requests, &error), 0);
  struct capture out;
  capture_begin(&out);
  struct assessment a;
  struct assessment_policy policy = {95, calendar_day(2026, 12, 1), 90};
  assess(&a, m, &c, &policy);
  struct report_view view = {m, &c, &a, "95", 0, 0};
  output_json(out.stream, &view);
  assessment_free(&a);
  classification_free(&c);
  return capture_end(&out);
}

static void decision_record_example(void **state) {
  (void)state;
  static const char *programs[] = {"/path/app"};
  static const char *sources[] = {"load-test"};
  struct merged_op ops[] = {
      op("cache_get", "server.c", 31, ZAPH_KIND_OP, 1, 1603, 1421, 0),
      op("helper", "a.c", 5, ZAPH_KIND_OP, 0, 40, 40, 3),
      op("helper", "b.c", 6, ZAPH_KIND_OP, 3, 20, 20, 0),
  };
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.profile_count = 1;
  m.inputs = test_inputs;
  m.total_requests = 1547;
  strcpy(m.start, "2026-11-24T09:12:03Z");
  strcpy(m.end, "2026-11-24T09:12:09Z");
  m.programs = programs;
  m.program_count = 1;
  m.sources = sources;
  m.source_count = 1;
  m.ops = ops;
  m.op_count = 3;
  char *json = report(&m, 1000);
  assert_string_equal(json,
                      "{\n"
                      "  \"schema\": \"zaph-report/4\",\n"
                      "  \"total_requests\": 1547,\n"
                      "  \"denominator\": \"requests\",\n"
                      "  \"sample_size\": 1547,\n"
                      "  \"min_requests\": 1000,\n"
                      "  \"min_requests_below_policy\": false,\n"
                      "  \"sufficient\": true,\n"
                      "  \"profiles\": 1,\n"
                      "  \"programs\": [\"/path/app\"],\n"
                      "  \"source\": \"load-test\",\n"
                      "  \"sources\": [\"load-test\"],\n"
                      "  \"time_range\": {\"start\": \"2026-11-24T09:12:03Z\", \"end\": \"2026-11-24T09:12:09Z\"},\n"
                      "  \"confidence_pct\": 95,\n"
                      "  \"confidence_below_policy\": false,\n"
                      "  \"confidence_z\": 1.9600,\n"
                      "  \"max_age_days\": 90,\n"
                      "  \"max_age_above_policy\": false,\n"
                      "  \"profiled_at\": \"2026-11-24T09:12:09Z\",\n"
                      "  \"next_review_at\": \"2027-02-22T09:12:09Z\",\n"
                      "  \"age_days\": 7,\n"
                      "  \"stale\": false,\n"
                      "  \"data_source\": \"load-test\",\n"
                      "  \"data_source_acceptable\": true,\n"
                      "  \"inputs\": [\n"
                      "    {\"index\": 1, \"program\": \"/path/app\", \"source\": \"load-test\", \"source_acceptable\": true, \"start\": \"2026-11-24T09:12:03Z\", \"end\": \"2026-11-24T09:12:09Z\", \"requests\": 1000, \"age_days\": 7, \"stale\": false}\n"
                      "  ],\n"
                      "  \"operations\": {\n"
                      "    \"cache_get\": {\n"
                      "      \"access_count\": 1603,\n"
                      "      \"access_frequency_pct\": 91.86,\n"
                      "      \"recommended_tier\": \"Tier 1 (Hot)\",\n"
                      "      \"requests_touching\": 1421,\n"
                      "      \"calls_per_request\": 1.04,\n"
                      "      \"entries_outside_requests\": 0,\n"
                      "      \"kind\": \"op\",\n"
                      "      \"declared_tier\": 1,\n"
                      "      \"name\": \"cache_get\",\n"
                      "      \"file\": \"server.c\",\n"
                      "      \"line\": 31,\n"
                      "      \"measured_tier\": 1,\n"
                      "      \"interval_pct\": {\"low\": 90.3863, \"high\": 93.1168},\n"
                      "      \"confident\": true,\n"
                      "      \"confidence_level_pct\": 99.9,\n"
                      "      \"requests_needed\": 44,\n"
                      "      \"misclassified\": false,\n"
                      "      \"flags\": [],\n"
                      "      \"latency\": null\n"
                      "    },\n"
                      "    \"helper (a.c)\": {\n"
                      "      \"access_count\": 40,\n"
                      "      \"access_frequency_pct\": 2.59,\n"
                      "      \"recommended_tier\": \"Tier 3 (Cold)\",\n"
                      "      \"requests_touching\": 40,\n"
                      "      \"calls_per_request\": 0.03,\n"
                      "      \"entries_outside_requests\": 3,\n"
                      "      \"kind\": \"op\",\n"
                      "      \"declared_tier\": null,\n"
                      "      \"name\": \"helper\",\n"
                      "      \"file\": \"a.c\",\n"
                      "      \"line\": 5,\n"
                      "      \"measured_tier\": 3,\n"
                      "      \"interval_pct\": {\"low\": 1.9045, \"high\": 3.5017},\n"
                      "      \"confident\": true,\n"
                      "      \"confidence_level_pct\": 99.9,\n"
                      "      \"requests_needed\": 21,\n"
                      "      \"misclassified\": false,\n"
                      "      \"flags\": [],\n"
                      "      \"latency\": null\n"
                      "    },\n"
                      "    \"helper (b.c)\": {\n"
                      "      \"access_count\": 20,\n"
                      "      \"access_frequency_pct\": 1.29,\n"
                      "      \"recommended_tier\": \"Tier 3 (Cold)\",\n"
                      "      \"requests_touching\": 20,\n"
                      "      \"calls_per_request\": 0.01,\n"
                      "      \"entries_outside_requests\": 0,\n"
                      "      \"kind\": \"op\",\n"
                      "      \"declared_tier\": 3,\n"
                      "      \"name\": \"helper\",\n"
                      "      \"file\": \"b.c\",\n"
                      "      \"line\": 6,\n"
                      "      \"measured_tier\": 3,\n"
                      "      \"interval_pct\": {\"low\": 0.8385, \"high\": 1.9885},\n"
                      "      \"confident\": true,\n"
                      "      \"confidence_level_pct\": 99.9,\n"
                      "      \"requests_needed\": 18,\n"
                      "      \"misclassified\": false,\n"
                      "      \"flags\": [],\n"
                      "      \"latency\": null\n"
                      "    }\n"
                      "  }\n"
                      "}\n");
  free(json);
}

static void insufficient_without_requests(void **state) {
  (void)state;
  static const char *programs[] = {"/a/app", "/b/\xff"};
  static const char *sources[] = {"production", "synthetic"};
  struct merged_op ops[] = {
      op("serve", "s.c", 3, ZAPH_KIND_REQUEST, 0, 3, 0, 3),
      op("say \"hi\"", "s.c", 9, ZAPH_KIND_OP, 2, 1, 0, 1),
  };
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.profile_count = 2;
  m.inputs = test_inputs;
  m.total_entries = 4;
  strcpy(m.start, "2026-01-01T00:00:00Z");
  strcpy(m.end, "2026-01-02T00:00:00Z");
  m.programs = programs;
  m.program_count = 2;
  m.sources = sources;
  m.source_count = 2;
  m.ops = ops;
  m.op_count = 2;
  char *json = report(&m, 3);
  /* 4 op entries >= 3: sufficient, but below policy. */
  assert_string_equal(json,
                      "{\n"
                      "  \"schema\": \"zaph-report/4\",\n"
                      "  \"total_requests\": 0,\n"
                      "  \"denominator\": \"op_entries\",\n"
                      "  \"sample_size\": 4,\n"
                      "  \"min_requests\": 3,\n"
                      "  \"min_requests_below_policy\": true,\n"
                      "  \"sufficient\": true,\n"
                      "  \"profiles\": 2,\n"
                      "  \"programs\": [\"/a/app\", \"/b/\\ufffd\"],\n"
                      "  \"source\": \"mixed\",\n"
                      "  \"sources\": [\"production\", \"synthetic\"],\n"
                      "  \"time_range\": {\"start\": \"2026-01-01T00:00:00Z\", \"end\": \"2026-01-02T00:00:00Z\"},\n"
                      "  \"confidence_pct\": 95,\n"
                      "  \"confidence_below_policy\": false,\n"
                      "  \"confidence_z\": 1.9600,\n"
                      "  \"max_age_days\": 90,\n"
                      "  \"max_age_above_policy\": false,\n"
                      "  \"profiled_at\": \"2026-01-02T00:00:00Z\",\n"
                      "  \"next_review_at\": \"2026-04-02T00:00:00Z\",\n"
                      "  \"age_days\": 333,\n"
                      "  \"stale\": true,\n"
                      "  \"data_source\": \"synthetic\",\n"
                      "  \"data_source_acceptable\": false,\n"
                      "  \"inputs\": [\n"
                      "    {\"index\": 1, \"program\": \"/path/app\", \"source\": \"load-test\", \"source_acceptable\": true, \"start\": \"2026-11-24T09:12:03Z\", \"end\": \"2026-11-24T09:12:09Z\", \"requests\": 1000, \"age_days\": 7, \"stale\": false},\n"
                      "    {\"index\": 2, \"program\": \"/path/app\", \"source\": \"production\", \"source_acceptable\": true, \"start\": \"2026-08-01T00:00:00Z\", \"end\": \"2026-08-31T23:59:59Z\", \"requests\": 500, \"age_days\": 92, \"stale\": true}\n"
                      "  ],\n"
                      "  \"operations\": {\n"
                      "    \"serve\": {\n"
                      "      \"access_count\": 3,\n"
                      "      \"access_frequency_pct\": 75.00,\n"
                      "      \"recommended_tier\": \"Tier 2 (Warm)\",\n"
                      "      \"requests_touching\": 3,\n"
                      "      \"calls_per_request\": null,\n"
                      "      \"entries_outside_requests\": 3,\n"
                      "      \"kind\": \"request\",\n"
                      "      \"declared_tier\": null,\n"
                      "      \"name\": \"serve\",\n"
                      "      \"file\": \"s.c\",\n"
                      "      \"line\": 3,\n"
                      "      \"measured_tier\": 2,\n"
                      "      \"interval_pct\": {\"low\": 30.0642, \"high\": 95.4413},\n"
                      "      \"confident\": false,\n"
                      "      \"confidence_level_pct\": 19.7,\n"
                      "      \"requests_needed\": 246,\n"
                      "      \"misclassified\": false,\n"
                      "      \"flags\": [\"not-confident\", \"stale\", \"unacceptable-source\"],\n"
                      "      \"latency\": null\n"
                      "    },\n"
                      "    \"say \\\"hi\\\"\": {\n"
                      "      \"access_count\": 1,\n"
                      "      \"access_frequency_pct\": 25.00,\n"
                      "      \"recommended_tier\": \"Tier 2 (Warm)\",\n"
                      "      \"requests_touching\": 1,\n"
                      "      \"calls_per_request\": null,\n"
                      "      \"entries_outside_requests\": 1,\n"
                      "      \"kind\": \"op\",\n"
                      "      \"declared_tier\": 2,\n"
                      "      \"name\": \"say \\\"hi\\\"\",\n"
                      "      \"file\": \"s.c\",\n"
                      "      \"line\": 9,\n"
                      "      \"measured_tier\": 2,\n"
                      "      \"interval_pct\": {\"low\": 4.5587, \"high\": 69.9358},\n"
                      "      \"confident\": false,\n"
                      "      \"confidence_level_pct\": 19.7,\n"
                      "      \"requests_needed\": 246,\n"
                      "      \"misclassified\": false,\n"
                      "      \"flags\": [\"not-confident\", \"stale\", \"unacceptable-source\"],\n"
                      "      \"latency\": null\n"
                      "    }\n"
                      "  }\n"
                      "}\n");
  free(json);
  /* With the policy minimum the same sample is insufficient: no tiers. */
  json = report(&m, 1000);
  assert_non_null(strstr(json, "  \"sufficient\": false,\n"));
  assert_non_null(strstr(json, "  \"min_requests_below_policy\": false,\n"));
  assert_null(strstr(json, "\"Tier "));
  assert_non_null(strstr(json, "      \"recommended_tier\": null,\n"));
  free(json);
}

static void no_ops(void **state) {
  (void)state;
  static const char *programs[] = {"/a"};
  static const char *sources[] = {"unspecified"};
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.profile_count = 1;
  m.inputs = test_inputs;
  m.total_requests = 5;
  strcpy(m.start, "2026-01-01T00:00:00Z");
  strcpy(m.end, "2026-01-01T00:00:00Z");
  m.programs = programs;
  m.program_count = 1;
  m.sources = sources;
  m.source_count = 1;
  char *json = report(&m, 1000);
  assert_string_equal(json,
                      "{\n"
                      "  \"schema\": \"zaph-report/4\",\n"
                      "  \"total_requests\": 5,\n"
                      "  \"denominator\": \"requests\",\n"
                      "  \"sample_size\": 5,\n"
                      "  \"min_requests\": 1000,\n"
                      "  \"min_requests_below_policy\": false,\n"
                      "  \"sufficient\": false,\n"
                      "  \"profiles\": 1,\n"
                      "  \"programs\": [\"/a\"],\n"
                      "  \"source\": \"unspecified\",\n"
                      "  \"sources\": [\"unspecified\"],\n"
                      "  \"time_range\": {\"start\": \"2026-01-01T00:00:00Z\", \"end\": \"2026-01-01T00:00:00Z\"},\n"
                      "  \"confidence_pct\": 95,\n"
                      "  \"confidence_below_policy\": false,\n"
                      "  \"confidence_z\": 1.9600,\n"
                      "  \"max_age_days\": 90,\n"
                      "  \"max_age_above_policy\": false,\n"
                      "  \"profiled_at\": \"2026-01-01T00:00:00Z\",\n"
                      "  \"next_review_at\": \"2026-04-01T00:00:00Z\",\n"
                      "  \"age_days\": 334,\n"
                      "  \"stale\": true,\n"
                      "  \"data_source\": \"unspecified\",\n"
                      "  \"data_source_acceptable\": false,\n"
                      "  \"inputs\": [\n"
                      "    {\"index\": 1, \"program\": \"/path/app\", \"source\": \"load-test\", \"source_acceptable\": true, \"start\": \"2026-11-24T09:12:03Z\", \"end\": \"2026-11-24T09:12:09Z\", \"requests\": 1000, \"age_days\": 7, \"stale\": false}\n"
                      "  ],\n"
                      "  \"operations\": {}\n"
                      "}\n");
  free(json);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(decision_record_example),
      cmocka_unit_test(insufficient_without_requests),
      cmocka_unit_test(no_ops),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
