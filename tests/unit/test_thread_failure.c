/* Unit test of runtime/thread.c's one resource failure: a thread whose counter mapping cannot
 * be made. Reached for real, with an address-space limit that the thread's mapping does not fit
 * in and the (smaller) discard block does: one error line, the thread's entries uncounted and
 * the other threads' counts intact, and the thread kept on the inline fast path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "runtime_test_support.h"


static struct zaph_op_desc ops[] = {{"block_op", "f.c", 1, ZAPH_KIND_OP, 0, 0, 0}};
static struct zaph_module module = MODULE(ops, NULL);
static struct zaph_op_desc tls_ops[] = {{"tls_op", "f.c", 2, ZAPH_KIND_OP, 0, 0, 0}};
static struct zaph_module tls_module = TLS_MODULE(tls_ops, NULL);
TLS_SLOTS(tls_counters, 1);

static int thread_on_discard_block;
static uint64_t thread_tls_entries;

static void *starved_thread(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++) {
    enter_op(&module, 0);
    enter_hot(&tls_module, 0, tls_counters);
  }
  thread_on_discard_block = __zaph_tls.self != zaph_bootstrap_block && __zaph_tls.thread == NULL;
  thread_tls_entries = tls_counters[0][ZAPH_SLOT_ENTRIES / 8];
  return NULL;
}

static void a_thread_without_counters_changes_nothing_else(void **state) {
  (void)state;
  uint64_t requests;
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  skip(); /* the sanitizers' shadow memory does not live with an address-space limit */
#endif
#endif
  enter_op(&module, 0); /* the main thread has its mapping before the limit */
  enter_hot(&tls_module, 0, tls_counters);
  /* Room for the thread's 260 KiB stack and the 8 MiB + 4 KiB discard block, not for its
   * mapping: 8 MiB + 8 KiB and 96 KiB of bases (4,096 slots past the sink, 24 bytes each). */
  struct limited_thread run = {starved_thread, (8u << 20) + (320u << 10), -1};
  char *err = capture_stderr(run_limited_thread, &run);
  assert_int_equal(run.created, 0);
  assert_string_equal(err, "zaph: error: cannot allocate counters for a thread: Cannot allocate "
                           "memory; its entries are not counted\n");
  free(err);
  assert_true(thread_on_discard_block);
  /* The thread's first entry (a block op's) found no state; from then on the thread_local
   * slots count inline, unread. */
  assert_int_equal(thread_tls_entries, 3);
  assert_int_equal(counts_of("block_op", &requests).entries, 1);
  assert_int_equal(counts_of("tls_op", &requests).entries, 1);
  enter_op(&module, 0); /* and the main thread goes on counting */
  assert_int_equal(counts_of("block_op", &requests).entries, 2);
}

int main(void) {
  setenv("ZAPH_PROFILE_FILE", "/dev/null", 1);
  __zaph_register_module(&module, ops, NULL, NULL);
  __zaph_register_module(&tls_module, tls_ops, tls_counters, &test_exe_epoch);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_thread_without_counters_changes_nothing_else),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
