/* Unit tests of output_text.c: the whole text report, byte for byte, for a sufficient sample,
 * an insufficient one, one without requests, one below policy, and one without ops. */
#include "unit_support.h"
#include "report_test_support.h"

#include "assess.h"
#include "calendar.h"
#include "classify.h"
#include "output.h"
#include "zaph_profile.h"

static const char *one_program[] = {"/home/ana/svc/build/server"};
static const char *one_source[] = {"staging-replay"};

static struct merged_op op(const char *name, const char *file, uint64_t line, int kind,
                           uint64_t entries, uint64_t touching) {
  return merged_op_of(name, file, line, kind, 0, entries, touching, 0);
}

static struct merged_profiles merged_with(struct merged_op *ops, size_t count, uint64_t requests) {
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.profile_count = 1;
  m.inputs = test_inputs;
  m.total_requests = requests;
  for (size_t i = 0; i < count; i++)
    m.total_entries += ops[i].entries;
  strcpy(m.start, "2026-11-24T09:12:03Z");
  strcpy(m.end, "2026-11-24T09:12:09Z");
  m.programs = one_program;
  m.program_count = 1;
  m.sources = one_source;
  m.source_count = 1;
  m.ops = ops;
  m.op_count = count;
  return m;
}

static void check_report(const struct merged_profiles *m, uint64_t min_requests,
                         const char *expected) {
  struct classification c;
  char *error;
  assert_int_equal(classify(&c, m, min_requests, &error), 0);
  struct capture out;
  capture_begin(&out);
  struct assessment a;
  struct assessment_policy policy = {95, calendar_day(2026, 12, 1), 90};
  assess(&a, m, &c, &policy);
  struct report_view view = {m, &c, &a, "95", 0, 0};
  output_text(out.stream, &view);
  assessment_free(&a);
  char *text = capture_end(&out);
  assert_string_equal(text, expected);
  free(text);
  classification_free(&c);
}

static void server_example(void **state) {
  (void)state;
  struct merged_op ops[] = {
      op("handle_request", "server.c", 88, ZAPH_KIND_REQUEST, 1547, 1547),
      op("cache_get", "server.c", 31, ZAPH_KIND_OP, 1603, 1421),
      op("param_get", "server.c", 45, ZAPH_KIND_OP, 703, 703),
      op("generate_diagnostic", "server.c", 60, ZAPH_KIND_OP, 31, 31),
  };
  struct merged_profiles m = merged_with(ops, 4, 1547);
  check_report(&m, 1000,
               "profiles: 1\n"
               "program: /home/ana/svc/build/server\n"
               "source: staging-replay\n"
               "time range: 2026-11-24T09:12:03Z .. 2026-11-24T09:12:09Z\n"
               "requests: 1547\n"
               "minimum sample: 1000 requests\n"
               "confidence: 95% Wilson score interval per op\n"
               "profiled: 2026-11-24T09:12:09Z, age 7 days: fresh (maximum age 90 days)\n"
               "next review: 2027-02-22T09:12:09Z (quarterly)\n"
               "data source: staging-replay (acceptable for tier assignment)\n"
               "\n"
               "TIER            FREQ%  BAR                          95% CI   CONF  DECL  REQUESTS  ACCESSES  CALLS/REQ  OP                        LOCATION     FLAGS\n"
               "Tier 1 (Hot)   100.00  ####################  99.75..100.00  99.9%     -      1547      1547       1.00  handle_request [request]  server.c:88\n"
               "Tier 1 (Hot)    91.86  ##################     90.39..93.12  99.9%     -      1421      1603       1.04  cache_get                 server.c:31\n"
               "Tier 2 (Warm)   45.44  #########              42.98..47.93  99.9%     -       703       703       0.45  param_get                 server.c:45\n"
               "Tier 3 (Cold)    2.00                           1.42..2.83  99.9%     -        31        31       0.02  generate_diagnostic       server.c:60\n");
}

static void insufficient_mixed_and_escaped(void **state) {
  (void)state;
  static const char *programs[] = {"/a/app", "/b/my\tapp"};
  static const char *sources[] = {"load-test", "production"};
  struct merged_op ops[] = {
      op("caf\xc3\xa9_get", "src/x.c", 7, ZAPH_KIND_OP, 12, 10),
      op("odd\nname", "y.c", 1234567, ZAPH_KIND_OP, 5, 5),
  };
  struct merged_profiles m = merged_with(ops, 2, 20);
  m.profile_count = 3;
  m.inputs = test_inputs;
  m.programs = programs;
  m.program_count = 2;
  m.sources = sources;
  m.source_count = 2;
  check_report(&m, 1000,
               "profiles: 3\n"
               "program: /a/app\n"
               "program: /b/my\\tapp\n"
               "source: mixed (load-test, production)\n"
               "time range: 2026-11-24T09:12:03Z .. 2026-11-24T09:12:09Z\n"
               "requests: 20\n"
               "minimum sample: 1000 requests\n"
               "tiers: none assigned (insufficient data: 20 < 1000 requests)\n"
               "confidence: 95% Wilson score interval per op\n"
               "profiled: 2026-11-24T09:12:09Z, age 7 days: fresh (maximum age 90 days)\n"
               "next review: 2027-02-22T09:12:09Z (quarterly)\n"
               "data source: load-test (the worst of the merge; acceptable for tier assignment)\n"
               "profile 1: a.prof: load-test, 2026-11-24T09:12:03Z .. 2026-11-24T09:12:09Z, 1000 requests, age 7 days\n"
               "profile 2: b.prof: production, 2026-08-01T00:00:00Z .. 2026-08-31T23:59:59Z, 500 requests, age 92 days (stale)\n"
               "profile 3: c.prof: synthetic (not acceptable), 2026-11-20T10:00:00Z .. 2026-11-20T11:00:00Z, 47 requests, age 11 days\n"
               "\n"
               "TIER  FREQ%  BAR               95% CI   CONF  DECL  REQUESTS  ACCESSES  CALLS/REQ  OP         LOCATION     FLAGS\n"
               "-     50.00  ##########  29.93..70.07  99.9%     -        10        12       0.60  caf\xc3""\xa9""_get   src/x.c:7\n"
               "-     25.00  #####       11.19..46.87  42.3%     -         5         5       0.25  odd\\nname  y.c:1234567  not-confident (needs 246)\n");
}

static void without_requests_and_below_policy(void **state) {
  (void)state;
  struct merged_op ops[] = {
      op("parse", "p.c", 1, ZAPH_KIND_OP, 450, 0),
      op("emit", "p.c", 2, ZAPH_KIND_OP, 50, 0),
  };
  struct merged_profiles m = merged_with(ops, 2, 0);
  check_report(&m, 500,
               "profiles: 1\n"
               "program: /home/ana/svc/build/server\n"
               "source: staging-replay\n"
               "time range: 2026-11-24T09:12:03Z .. 2026-11-24T09:12:09Z\n"
               "note: no requests were marked (no zaph_request function or zaph_request_begin() ran); access frequency uses the 500 op entries as the denominator\n"
               "minimum sample: 500 op entries (below the 1000 requests ZAPH-DEC-04 requires)\n"
               "confidence: 95% Wilson score interval per op\n"
               "profiled: 2026-11-24T09:12:09Z, age 7 days: fresh (maximum age 90 days)\n"
               "next review: 2027-02-22T09:12:09Z (quarterly)\n"
               "data source: staging-replay (acceptable for tier assignment)\n"
               "\n"
               "TIER           FREQ%  BAR                       95% CI   CONF  DECL  REQUESTS  ACCESSES  CALLS/REQ  OP     LOCATION  FLAGS\n"
               "Tier 1 (Hot)   90.00  ##################  87.06..92.33  99.9%     -       450       450          -  parse  p.c:1\n"
               "Tier 3 (Cold)  10.00  ##                   7.67..12.94  99.9%     -        50        50          -  emit   p.c:2\n");
}

static void nothing_at_all(void **state) {
  (void)state;
  struct merged_op ops[] = {op("idle", "i.c", 1, ZAPH_KIND_OP, 0, 0)};
  struct merged_profiles m = merged_with(ops, 1, 0);
  check_report(&m, 1000,
               "profiles: 1\n"
               "program: /home/ana/svc/build/server\n"
               "source: staging-replay\n"
               "time range: 2026-11-24T09:12:03Z .. 2026-11-24T09:12:09Z\n"
               "note: no requests were marked (no zaph_request function or zaph_request_begin() ran); access frequency uses the 0 op entries as the denominator\n"
               "minimum sample: 1000 op entries\n"
               "tiers: none assigned (insufficient data: 0 < 1000 op entries)\n"
               "confidence: 95% Wilson score interval per op\n"
               "profiled: 2026-11-24T09:12:09Z, age 7 days: fresh (maximum age 90 days)\n"
               "next review: 2027-02-22T09:12:09Z (quarterly)\n"
               "data source: staging-replay (acceptable for tier assignment)\n"
               "\n"
               "TIER  FREQ%  BAR  95% CI  CONF  DECL  REQUESTS  ACCESSES  CALLS/REQ  OP    LOCATION  FLAGS\n"
               "-         -            -     -     -         0         0          -  idle  i.c:1     no-data, not-confident\n");
  m.op_count = 0;
  check_report(&m, 1000,
               "profiles: 1\n"
               "program: /home/ana/svc/build/server\n"
               "source: staging-replay\n"
               "time range: 2026-11-24T09:12:03Z .. 2026-11-24T09:12:09Z\n"
               "note: no requests were marked (no zaph_request function or zaph_request_begin() ran); access frequency uses the 0 op entries as the denominator\n"
               "minimum sample: 1000 op entries\n"
               "tiers: none assigned (insufficient data: 0 < 1000 op entries)\n"
               "confidence: 95% Wilson score interval per op\n"
               "profiled: 2026-11-24T09:12:09Z, age 7 days: fresh (maximum age 90 days)\n"
               "next review: 2027-02-22T09:12:09Z (quarterly)\n"
               "data source: staging-replay (acceptable for tier assignment)\n"
               "\n"
               "no ops were recorded\n");
}

static void long_names_do_not_widen_the_column(void **state) {
  (void)state;
  struct merged_op ops[] = {
      op("ns::detail::VeryLongTemplateName<int, std::string>::lookup(int) const", "l.cc", 9,
         ZAPH_KIND_OP, 2000, 1000),
      op("short", "s.c", 1, ZAPH_KIND_OP, 1000, 500),
  };
  struct merged_profiles m = merged_with(ops, 2, 1000);
  check_report(&m, 1000,
               "profiles: 1\n"
               "program: /home/ana/svc/build/server\n"
               "source: staging-replay\n"
               "time range: 2026-11-24T09:12:03Z .. 2026-11-24T09:12:09Z\n"
               "requests: 1000\n"
               "minimum sample: 1000 requests\n"
               "confidence: 95% Wilson score interval per op\n"
               "profiled: 2026-11-24T09:12:09Z, age 7 days: fresh (maximum age 90 days)\n"
               "next review: 2027-02-22T09:12:09Z (quarterly)\n"
               "data source: staging-replay (acceptable for tier assignment)\n"
               "\n"
               "TIER            FREQ%  BAR                          95% CI   CONF  DECL  REQUESTS  ACCESSES  CALLS/REQ  OP                                                LOCATION  FLAGS\n"
               "Tier 1 (Hot)   100.00  ####################  99.62..100.00  99.9%     -      1000      2000       2.00  ns::detail::VeryLongTemplateName<int, std::string>::lookup(int) const  l.cc:9\n"
               "Tier 2 (Warm)   50.00  ##########             46.91..53.09  99.9%     -       500      1000       1.00  short                                             s.c:1\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(server_example),
      cmocka_unit_test(insufficient_mixed_and_escaped),
      cmocka_unit_test(without_requests_and_below_policy),
      cmocka_unit_test(nothing_at_all),
      cmocka_unit_test(long_names_do_not_widen_the_column),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
