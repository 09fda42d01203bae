/* Unit tests of runtime/timing.c with the counting it rides on: a timed op counts its entries
 * exactly in its steps (zaph_abi.h), the entry that carries is the one timed, and the profile
 * holds each timed op's started, samples, histogram and unfinished entries exactly, across
 * threads, a reset and merge mode's read-back. Durations are checked by their bounds; their
 * accuracy is the end-to-end tests' and the benchmark's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "runtime_test_support.h"

#include <pthread.h>
#include <time.h>

/* One op timed 1 in 4, with a target; one timed every entry; one not timed. */
static struct zaph_op_desc ops[] = {
    {"every4", "t.c", 1, ZAPH_KIND_OP, 0, 1 + 2, 500},
    {"every1", "t.c", 2, ZAPH_KIND_OP, 0, 1 + 0, 0},
    {"plain", "t.c", 3, ZAPH_KIND_OP, 0, 0, 0},
};
static struct zaph_module module = MODULE(ops, NULL);

static int reset_all(void **state) {
  (void)state;
  zaph_request_end();
  return zaph_reset();
}

/* What the pass emits at the entry of op i: the count in the op's steps, then, for the entry
 * that carries, the op's timed copy, which spins for spin_ns. Returns 1 for a timed entry. */
static int enter_timed(uint32_t i, uint64_t spin_ns, int finish) {
  uint64_t *hot = (uint64_t *)(__zaph_tls.self + module.base + (size_t)i * ZAPH_SLOT_SIZE);
  uint64_t epoch = *(uint64_t *)((char *)&__zaph_tls + module.epoch_offset);
  uint64_t step = ops[i].timed ? ZAPH_TIMED_STEP(ops[i].timed - 1) : 1;
  if (!zaph_count_entry_step(&module, i, hot, epoch, step) || !ops[i].timed)
    return 0;
  uint64_t start = __zaph_time_begin(&module, i);
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  do
    clock_gettime(CLOCK_MONOTONIC, &t);
  while ((uint64_t)(t.tv_sec - t0.tv_sec) * 1000000000u + (uint64_t)t.tv_nsec -
             (uint64_t)t0.tv_nsec < spin_ns);
  if (finish) /* else: left by longjmp, an exception */
    __zaph_time_end(&module, i, start);
  return 1;
}

/* The profile's record of the op named name. */
static struct profile_op *record_of(struct profile *p, const char *name) {
  for (uint32_t i = 0; i < p->n_ops; i++)
    if (strcmp(p->ops[i].name, name) == 0)
      return &p->ops[i];
  fail_msg("no op '%s'", name);
  return NULL;
}

static uint64_t histogram_sum(const struct profile_op *op) {
  uint64_t sum = 0;
  for (unsigned b = 0; b < ZAPH_TIMED_BUCKETS; b++)
    sum += op->counts[b];
  return sum;
}

static void counts_exactly_and_times_one_in_four(void **state) {
  (void)state;
  int timed = 0;
  zaph_request_begin();
  for (int k = 0; k < 10; k++)
    timed += enter_timed(0, 1000, 1);
  zaph_request_end();
  for (int k = 0; k < 3; k++)
    timed += enter_timed(0, 1000, 1); /* outside requests */
  assert_int_equal(timed, 3);         /* the 4th, 8th and 12th entries */
  struct profile p;
  assert_int_equal(zaph_profile_snapshot(&p, 0, "load-test"), 0);
  struct profile_op *op = record_of(&p, "every4");
  assert_int_equal(op->entries, 13);
  assert_int_equal(op->entries_outside, 3);
  assert_int_equal(op->requests_touching, 1);
  assert_non_null(op->counts);
  assert_int_equal(op->every, 4);
  assert_int_equal(op->target, 500);
  assert_int_equal(op->started, 3);
  assert_int_equal(op->samples, 3);
  assert_int_equal(histogram_sum(op), 3);
  assert_true(op->max >= 1000);
  assert_true(op->total >= 3000 && op->total <= 3 * op->max);
  /* An op not timed has no timing; one timed but not entered has an empty histogram. */
  assert_null(record_of(&p, "plain")->counts);
  assert_non_null(record_of(&p, "every1")->counts);
  assert_int_equal(record_of(&p, "every1")->samples, 0);
  zaph_profile_free(&p);
}

static void an_unfinished_entry_is_counted_never_timed(void **state) {
  (void)state;
  assert_int_equal(enter_timed(1, 0, 1), 1);
  assert_int_equal(enter_timed(1, 0, 0), 1); /* left by longjmp */
  assert_int_equal(enter_timed(1, 0, 1), 1);
  struct profile p;
  assert_int_equal(zaph_profile_snapshot(&p, 0, "load-test"), 0);
  struct profile_op *op = record_of(&p, "every1");
  assert_int_equal(op->entries, 3);
  assert_int_equal(op->started, 3);
  assert_int_equal(op->samples, 2);
  assert_int_equal(histogram_sum(op), 2);
  zaph_profile_free(&p);
}

static void *time_on_a_thread(void *arg) {
  (void)arg;
  for (int k = 0; k < 5; k++)
    enter_timed(1, 2000, 1);
  return NULL;
}

static void keeps_the_durations_of_ended_threads(void **state) {
  (void)state;
  pthread_t thread;
  pthread_create(&thread, NULL, time_on_a_thread, NULL);
  pthread_join(thread, NULL);
  enter_timed(1, 0, 1);
  struct profile p;
  assert_int_equal(zaph_profile_snapshot(&p, 0, "load-test"), 0);
  struct profile_op *op = record_of(&p, "every1");
  assert_int_equal(op->entries, 6);
  /* The thread's first entry took the slow path, which gives it its state: counted, never
   * timed. */
  assert_int_equal(op->started, 5);
  assert_int_equal(op->samples, 5);
  assert_true(op->max >= 2000);
  zaph_profile_free(&p);
}

static void a_reset_starts_the_histograms_over(void **state) {
  (void)state;
  enter_timed(1, 0, 1);
  enter_timed(1, 0, 1);
  zaph_reset();
  struct profile p;
  assert_int_equal(zaph_profile_snapshot(&p, 0, "load-test"), 0);
  assert_int_equal(record_of(&p, "every1")->started, 0);
  assert_int_equal(record_of(&p, "every1")->samples, 0);
  zaph_profile_free(&p);
  enter_timed(1, 0, 1);
  assert_int_equal(zaph_profile_snapshot(&p, 0, "load-test"), 0);
  assert_int_equal(record_of(&p, "every1")->started, 1);
  assert_int_equal(record_of(&p, "every1")->samples, 1);
  assert_int_equal(histogram_sum(record_of(&p, "every1")), 1);
  zaph_profile_free(&p);
}

/* The text a process writes is a version-2 profile that zaph-report's grammar reads. */
static void writes_a_version_2_profile(void **state) {
  (void)state;
  for (int k = 0; k < 8; k++)
    enter_timed(0, 100, 1);
  struct profile p;
  assert_int_equal(zaph_profile_snapshot(&p, 0, "load-test"), 0);
  size_t len;
  char *text = zaph_profile_format(&p, &len);
  assert_non_null(text);
  assert_memory_equal(text, "zaph-profile 2\n", 15);
  assert_non_null(strstr(text, "\ntimed\t2\nclock_hz\t"));
  assert_non_null(strstr(text, "\ntiming\t0\t4\t500\t2\t2\t"));
  assert_non_null(strstr(text, "\ntiming\t1\t1\t0\t0\t0\t0\t0\t\nend\t3\n"));
  struct zaph_text_reader r;
  zaph_text_read_begin(&r, "test");
  for (char *line = text, *nl; (nl = memchr(line, '\n', (size_t)(text + len - line)));
       line = nl + 1)
    assert_int_not_equal(zaph_text_read_line(&r, line, (size_t)(nl - line), 1), ZAPH_LINE_BAD);
  assert_int_equal(zaph_text_read_end(&r), 0);
  free(text);
  zaph_profile_free(&p);
}

/* The node_exporter textfile (ZAPH_PROM_FILE) carries a timed op's histogram as the OpenMetrics
 * writer does: cumulative octaves, +Inf, count and sum in seconds. */
static void the_textfile_has_the_histogram(void **state) {
  (void)state;
  static uint64_t counts[ZAPH_TIMED_BUCKETS] = {[40] = 2, [92] = 1};
  struct profile_op op = {.name = "get", .file = "a.c", .line = 3, .kind = ZAPH_KIND_OP,
                          .entries = 12, .every = 4, .started = 3, .samples = 3, .total = 200,
                          .max = 120, .counts = counts};
  struct profile p = {.requests = 0, .source = "load-test", .ops = &op, .n_ops = 1};
  size_t len;
  char *text = zaph_profile_format_metrics(&p, "svc", &len);
  assert_non_null(text);
  const char *labels = "{op=\"get\",file=\"a.c\",line=\"3\",kind=\"op\",source=\"load-test\","
                       "process=\"svc\"";
  char want[512];
  assert_non_null(strstr(text, "# TYPE zaph_op_duration_seconds histogram\n"));
  snprintf(want, sizeof want, "zaph_op_duration_seconds_bucket%s,le=\"0.000000063\"} 2\n", labels);
  assert_non_null(strstr(text, want));
  snprintf(want, sizeof want, "zaph_op_duration_seconds_bucket%s,le=\"0.000000127\"} 3\n", labels);
  assert_non_null(strstr(text, want));
  snprintf(want, sizeof want, "zaph_op_duration_seconds_bucket%s,le=\"+Inf\"} 3\n", labels);
  assert_non_null(strstr(text, want));
  snprintf(want, sizeof want, "zaph_op_duration_seconds_count%s} 3\n", labels);
  assert_non_null(strstr(text, want));
  snprintf(want, sizeof want, "zaph_op_duration_seconds_sum%s} 0.0000002\n", labels);
  assert_non_null(strstr(text, want));
  free(text);
}

int main(void) {
  setenv("ZAPH_PROFILE_FILE", "/dev/null", 1);
  __zaph_register_module(&module, ops, NULL, NULL);
  /* The thread's first entry takes the slow path (it has no state yet) and is counted there;
   * the tests start from a thread that has state. */
  zaph_request_end();
  uint64_t *hot = (uint64_t *)(__zaph_tls.self + module.base + 2 * ZAPH_SLOT_SIZE);
  zaph_count_entry(&module, 2, hot, *(uint64_t *)((char *)&__zaph_tls + module.epoch_offset));
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(counts_exactly_and_times_one_in_four, reset_all),
      cmocka_unit_test_setup(an_unfinished_entry_is_counted_never_timed, reset_all),
      cmocka_unit_test_setup(keeps_the_durations_of_ended_threads, reset_all),
      cmocka_unit_test_setup(a_reset_starts_the_histograms_over, reset_all),
      cmocka_unit_test_setup(writes_a_version_2_profile, reset_all),
      cmocka_unit_test(the_textfile_has_the_histogram),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
