/* Unit tests of runtime/thread.c: the inline fast path and the slow path together count
 * entries, requests touching and entries outside requests exactly, across requests, thread
 * exit, live threads, a module entered before it was registered, and zaph_reset() — for
 * block modules and for modules with their own thread_local counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "runtime_test_support.h"

#include <pthread.h>

static struct zaph_op_desc ops[] = {
    {"a", "t.c", 1, ZAPH_KIND_OP, 0, 0, 0},
    {"b", "t.c", 2, ZAPH_KIND_OP, 0, 0, 0},
};
static struct zaph_module module = MODULE(ops, NULL);

static struct zaph_op_desc tls_ops[] = {
    {"t0", "tls.c", 1, ZAPH_KIND_OP, 0, 0, 0},
    {"t1", "tls.c", 2, ZAPH_KIND_OP, 0, 0, 0},
};
static struct zaph_module tls_module = TLS_MODULE(tls_ops, NULL);
TLS_SLOTS(tls_counters, 2);

/* Modules whose constructors have not run: the slow path calls them. */
static struct zaph_op_desc late_ops[] = {{"late", "late.c", 7, ZAPH_KIND_OP, 0, 0, 0}};
static void register_late(void);
static struct zaph_module late_module = MODULE(late_ops, register_late);
static void register_late(void) { __zaph_register_module(&late_module, late_ops, NULL, NULL); }

static struct zaph_op_desc late_tls_ops[] = {{"late_tls", "late.c", 9, ZAPH_KIND_OP, 0, 0, 0}};
static void register_late_tls(void);
static struct zaph_module late_tls_module = TLS_MODULE(late_tls_ops, register_late_tls);
TLS_SLOTS(late_tls_counters, 1);
static void register_late_tls(void) {
  __zaph_register_module(&late_tls_module, late_tls_ops, late_tls_counters, &test_exe_epoch);
}

static int reset_all(void **state) {
  (void)state;
  zaph_request_end();
  return zaph_reset();
}

static void counts_requests_and_outside_entries(void **state) {
  (void)state;
  uint64_t requests;
  enter_op(&module, 0);          /* outside */
  zaph_request_begin();          /* request 1 */
  enter_op(&module, 0);
  enter_op(&module, 0);
  enter_op(&module, 1);
  zaph_request_begin();          /* request 2 */
  enter_op(&module, 0);
  zaph_request_end();
  enter_op(&module, 1);          /* outside */
  struct op_counts a = counts_of("a", &requests), b = counts_of("b", &requests);
  assert_int_equal(requests, 2);
  assert_int_equal(a.entries, 4);
  assert_int_equal(a.requests_touching, 2);
  assert_int_equal(a.entries_outside, 1);
  assert_int_equal(b.entries, 2);
  assert_int_equal(b.requests_touching, 1);
  assert_int_equal(b.entries_outside, 1);
}

static void tls_requests_and_outside_entries(void **state) {
  (void)state;
  uint64_t requests;
  enter_hot(&tls_module, 0, tls_counters); /* outside */
  zaph_request_begin();
  enter_hot(&tls_module, 0, tls_counters);
  enter_hot(&tls_module, 0, tls_counters);
  enter_hot(&tls_module, 1, tls_counters);
  zaph_request_begin();
  enter_hot(&tls_module, 0, tls_counters);
  zaph_request_end();
  enter_hot(&tls_module, 1, tls_counters); /* outside */
  enter_hot(&tls_module, 1, tls_counters); /* outside */
  struct op_counts a = counts_of("t0", &requests), b = counts_of("t1", &requests);
  assert_int_equal(requests, 2);
  assert_int_equal(a.entries, 4);
  assert_int_equal(a.requests_touching, 2);
  assert_int_equal(a.entries_outside, 1);
  assert_int_equal(b.entries, 3);
  assert_int_equal(b.requests_touching, 1);
  assert_int_equal(b.entries_outside, 2);
}

static void *thread_body(void *arg) {
  (void)arg;
  for (int r = 0; r < 10; r++) {
    zaph_request_begin();
    for (int i = 0; i < 3; i++) {
      enter_op(&module, 1);
      enter_hot(&tls_module, 1, tls_counters);
    }
  }
  return NULL; /* exits inside request 10 */
}

static void keeps_counts_of_exited_threads(void **state) {
  (void)state;
  uint64_t requests;
  pthread_t t[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, thread_body, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  struct op_counts b = counts_of("b", &requests), t1 = counts_of("t1", &requests);
  assert_int_equal(requests, 40);
  assert_int_equal(b.entries, 120);
  assert_int_equal(b.requests_touching, 40);
  assert_int_equal(b.entries_outside, 0);
  assert_int_equal(t1.entries, 120);
  assert_int_equal(t1.requests_touching, 40);
  assert_int_equal(t1.entries_outside, 0);
}

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t live_cond = PTHREAD_COND_INITIALIZER;
static int live_stage;

static void wait_for_stage(int stage) {
  pthread_mutex_lock(&live_lock);
  while (live_stage < stage)
    pthread_cond_wait(&live_cond, &live_lock);
  pthread_mutex_unlock(&live_lock);
}

static void set_stage(int stage) {
  pthread_mutex_lock(&live_lock);
  live_stage = stage;
  pthread_cond_broadcast(&live_cond);
  pthread_mutex_unlock(&live_lock);
}

static void *live_body(void *arg) {
  (void)arg;
  for (int i = 0; i < 5; i++)
    enter_hot(&tls_module, 0, tls_counters); /* outside */
  zaph_request_begin();
  for (int i = 0; i < 7; i++)
    enter_hot(&tls_module, 0, tls_counters); /* inside the request still open below */
  set_stage(1);
  wait_for_stage(2);
  return NULL;
}

/* Another thread's thread_local counters are read where they are, while it runs. */
static void reads_live_threads(void **state) {
  (void)state;
  uint64_t requests;
  pthread_t t;
  live_stage = 0;
  pthread_create(&t, NULL, live_body, NULL);
  wait_for_stage(1);
  struct op_counts a = counts_of("t0", &requests);
  assert_int_equal(requests, 1);
  assert_int_equal(a.entries, 12);
  assert_int_equal(a.requests_touching, 1);
  assert_int_equal(a.entries_outside, 5);
  set_stage(2);
  pthread_join(t, NULL);
  a = counts_of("t0", &requests); /* the same after the thread's exit */
  assert_int_equal(requests, 1);
  assert_int_equal(a.entries, 12);
  assert_int_equal(a.requests_touching, 1);
  assert_int_equal(a.entries_outside, 5);
}

static void counts_entries_before_registration(void **state) {
  (void)state;
  uint64_t requests;
  assert_int_equal(late_module.base, ZAPH_MODULE_BASE_INIT);
  enter_op(&late_module, 0); /* the slow path registers the module, then counts */
  assert_int_not_equal(late_module.base, ZAPH_MODULE_BASE_INIT);
  enter_op(&late_module, 0);
  assert_int_equal(counts_of("late", &requests).entries, 2);
  /* A thread_local module counts in its own slots before its constructor ran (the thread's
   * epoch is known once another executable module registered); registration finds them. */
  for (int i = 0; i < 3; i++)
    enter_hot(&late_tls_module, 0, late_tls_counters);
  assert_int_equal(late_tls_module.first_slot, 0);
  register_late_tls();
  assert_int_equal(counts_of("late_tls", &requests).entries, 3);
}

static void reset_zeroes_and_keeps_an_open_request(void **state) {
  (void)state;
  uint64_t requests;
  zaph_request_begin();
  enter_op(&module, 0);
  zaph_reset();
  assert_int_equal(counts_of("a", &requests).entries, 0);
  assert_int_equal(requests, 1); /* the open request counts again after the reset */
  enter_op(&module, 1);
  struct op_counts b = counts_of("b", &requests);
  assert_int_equal(b.entries, 1);
  assert_int_equal(b.requests_touching, 1);
  assert_int_equal(requests, 1); /* so requests_touching (1) does not exceed requests */
}

/* Every transition of a slot's epoch: outside to inside, inside to inside (a new request),
 * inside to outside, and back; the counts of each run are kept apart exactly. */
static void counts_every_epoch_transition(void **state) {
  (void)state;
  uint64_t requests;
  for (int round = 0; round < 3; round++) {
    enter_op(&module, 0);          /* outside, 2 entries */
    enter_op(&module, 0);
    zaph_request_begin();          /* inside, 3 entries */
    for (int i = 0; i < 3; i++)
      enter_op(&module, 0);
    zaph_request_begin();          /* the next request, 1 entry */
    enter_op(&module, 0);
    zaph_request_end();
    zaph_request_end();            /* a second end changes nothing */
  }
  zaph_request_begin();            /* a request that does not touch the op */
  zaph_request_end();
  enter_op(&module, 0);            /* outside, 1 entry */
  struct op_counts a = counts_of("a", &requests);
  assert_int_equal(requests, 7);
  assert_int_equal(a.entries, 3 * 6 + 1);
  assert_int_equal(a.requests_touching, 6);
  assert_int_equal(a.entries_outside, 3 * 2 + 1);
}

/* A dump while a request is open sees that request's entries as inside, and the open
 * request's first entries as touching, with nothing folded first. */
static void snapshot_sees_the_open_request(void **state) {
  (void)state;
  uint64_t requests;
  enter_hot(&tls_module, 0, tls_counters); /* outside */
  zaph_request_begin();
  for (int i = 0; i < 4; i++)
    enter_hot(&tls_module, 0, tls_counters);
  struct op_counts a = counts_of("t0", &requests);
  assert_int_equal(requests, 1);
  assert_int_equal(a.entries, 5);
  assert_int_equal(a.requests_touching, 1);
  assert_int_equal(a.entries_outside, 1);
  enter_hot(&tls_module, 0, tls_counters); /* still the same request */
  a = counts_of("t0", &requests);
  assert_int_equal(a.entries, 6);
  assert_int_equal(a.requests_touching, 1);
  assert_int_equal(a.entries_outside, 1);
}

#define RACE_ENTRIES 1000000u
static uint64_t race_progress;

static void *count_through_a_reset(void *arg) {
  (void)arg;
  for (uint64_t i = 0; i < RACE_ENTRIES; i++) {
    enter_hot(&tls_module, 1, tls_counters);
    __atomic_store_n(&race_progress, i + 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

/* A reset while another thread counts: the entries after it are all there, none undone by the
 * reset and none from before it kept, within the entries the thread made while the reset ran
 * (a reset that stored zeros into the counting thread's slots lost to its increments). */
static void reset_while_another_thread_counts(void **state) {
  (void)state;
  uint64_t requests;
  pthread_t t;
  race_progress = 0;
  pthread_create(&t, NULL, count_through_a_reset, NULL);
  while (__atomic_load_n(&race_progress, __ATOMIC_ACQUIRE) < RACE_ENTRIES / 4)
    ;
  uint64_t before = __atomic_load_n(&race_progress, __ATOMIC_ACQUIRE);
  zaph_reset();
  uint64_t after = __atomic_load_n(&race_progress, __ATOMIC_ACQUIRE);
  pthread_join(t, NULL);
  struct op_counts c = counts_of("t1", &requests);
  /* the thread may have made one more entry than its progress says when either was read */
  uint64_t least = after < RACE_ENTRIES ? RACE_ENTRIES - after - 1 : 0;
  assert_in_range(c.entries, least, RACE_ENTRIES - before);
  assert_int_equal(c.entries_outside, c.entries);
}

static void end_without_request_is_harmless(void **state) {
  (void)state;
  uint64_t requests;
  assert_int_equal(zaph_request_end(), 0);
  assert_int_equal(zaph_request_end(), 0);
  enter_op(&module, 0);
  struct op_counts a = counts_of("a", &requests);
  assert_int_equal(a.entries_outside, 1);
  assert_int_equal(requests, 0);
}

int main(void) {
  setenv("ZAPH_PROFILE_FILE", "/dev/null", 1);
  __zaph_register_module(&module, ops, NULL, NULL);
  __zaph_register_module(&tls_module, tls_ops, tls_counters, &test_exe_epoch);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(counts_requests_and_outside_entries, reset_all),
      cmocka_unit_test_setup(tls_requests_and_outside_entries, reset_all),
      cmocka_unit_test_setup(keeps_counts_of_exited_threads, reset_all),
      cmocka_unit_test_setup(reads_live_threads, reset_all),
      cmocka_unit_test_setup(counts_entries_before_registration, reset_all),
      cmocka_unit_test_setup(reset_zeroes_and_keeps_an_open_request, reset_all),
      cmocka_unit_test_setup(end_without_request_is_harmless, reset_all),
      cmocka_unit_test_setup(counts_every_epoch_transition, reset_all),
      cmocka_unit_test_setup(snapshot_sees_the_open_request, reset_all),
      cmocka_unit_test_setup(reset_while_another_thread_counts, reset_all),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
