/* Unit tests of runtime/registry.c: slots, identities shared across modules, and refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "runtime_test_support.h"

static struct zaph_op_desc ops_a[] = {
    {"get", "a.c", 10, ZAPH_KIND_OP, 0, 0, 0},
    {"inline_helper", "h.h", 3, ZAPH_KIND_OP, 2, 0, 0},
};
static struct zaph_op_desc ops_b[] = {
    {"inline_helper", "h.h", 3, ZAPH_KIND_OP, 0, 0, 0}, /* same identity as in a */
    {"get", "b.c", 10, ZAPH_KIND_OP, 0, 0, 0},          /* same name, other file */
    {"get", "a.c", 10, ZAPH_KIND_REQUEST, 0, 0, 0},     /* same place, other kind */
};
static struct zaph_module module_a = MODULE(ops_a, NULL);
static struct zaph_module module_b = MODULE(ops_b, NULL);

static void registers_slots_and_identities(void **state) {
  (void)state;
  __zaph_register_module(&module_a, ops_a, NULL, NULL);
  __zaph_register_module(&module_b, ops_b, NULL, NULL);
  assert_int_equal(module_a.base, ZAPH_BLOCK_HEADER + ZAPH_SINK_OPS * ZAPH_SLOT_SIZE);
  assert_int_equal(module_b.base, module_a.base + 2 * ZAPH_SLOT_SIZE);
  assert_int_equal(zaph_slot_count, ZAPH_SINK_OPS + 5);
  assert_int_equal(zaph_op_count, 4);
  assert_int_equal(zaph_slot_op[ZAPH_SINK_OPS + 0], 0);
  assert_int_equal(zaph_slot_op[ZAPH_SINK_OPS + 1], 1);
  assert_int_equal(zaph_slot_op[ZAPH_SINK_OPS + 2], 1);
  assert_int_equal(zaph_slot_op[ZAPH_SINK_OPS + 3], 2);
  assert_int_equal(zaph_slot_op[ZAPH_SINK_OPS + 4], 3);
  assert_string_equal(zaph_ops[3].file, "a.c");
  assert_int_equal(zaph_ops[3].kind, ZAPH_KIND_REQUEST);
  assert_int_equal(zaph_ops[1].tier, 2); /* a declared tier survives a copy without one */
}

static void registering_twice_changes_nothing(void **state) {
  (void)state;
  uint64_t base = module_a.base;
  __zaph_register_module(&module_a, ops_a, NULL, NULL);
  assert_int_equal(module_a.base, base);
  assert_int_equal(zaph_slot_count, ZAPH_SINK_OPS + 5);
}

static void copies_of_one_op_are_counted_as_one(void **state) {
  (void)state;
  uint64_t requests;
  for (int i = 0; i < 3; i++)
    enter_op(&module_a, 1);
  for (int i = 0; i < 4; i++)
    enter_op(&module_b, 0);
  struct op_counts c = counts_of("inline_helper", &requests);
  assert_int_equal(c.entries, 7);
  assert_int_equal(c.entries_outside, 7);
  assert_int_equal(c.requests_touching, 0);
}

static void copies_entered_in_one_request_touch_it_once(void **state) {
  (void)state;
  uint64_t requests;
  zaph_reset();
  for (int r = 0; r < 2; r++) {
    zaph_request_begin();
    enter_op(&module_a, 1);
    enter_op(&module_b, 0);
    enter_op(&module_b, 0);
  }
  zaph_request_end();
  struct op_counts c = counts_of("inline_helper", &requests);
  assert_int_equal(requests, 2);
  assert_int_equal(c.entries, 6);
  assert_int_equal(c.requests_touching, 2);
  assert_int_equal(c.entries_outside, 0);
}

/* The same, whichever copy a request enters first: the copy registered later reports its
 * first entry, and the first copy, entered after it, finds the request already counted. */
static void copies_touch_once_in_any_order(void **state) {
  (void)state;
  uint64_t requests;
  zaph_reset();
  zaph_request_begin();
  enter_op(&module_b, 0); /* the later copy first */
  enter_op(&module_a, 1);
  zaph_request_begin();
  enter_op(&module_a, 1); /* the first copy first */
  enter_op(&module_b, 0);
  zaph_request_begin();
  enter_op(&module_b, 0); /* the later copy only */
  zaph_request_end();
  enter_op(&module_a, 1); /* outside */
  enter_op(&module_b, 0);
  zaph_request_begin();
  enter_op(&module_a, 1); /* from outside, both copies */
  enter_op(&module_b, 0);
  for (int r = 0; r < 3; r++) /* requests without it, so that no bound hides a double count */
    zaph_request_begin();
  zaph_request_end();
  struct op_counts c = counts_of("inline_helper", &requests);
  assert_int_equal(requests, 7);
  assert_int_equal(c.entries, 9);
  assert_int_equal(c.requests_touching, 4);
  assert_int_equal(c.entries_outside, 2);
  assert_int_equal(module_a.shared[1], 0); /* the first copy calls out for nothing */
  assert_int_equal(module_b.shared[0], 1);
  assert_int_equal(module_b.shared[1], 0);
}

static struct zaph_op_desc ops_future[] = {{"f", "f.c", 1, ZAPH_KIND_OP, 0, 0, 0}};
static struct zaph_module module_future = {ZAPH_ABI_VERSION + 95, 1, ZAPH_MODULE_BASE_INIT,
                                           NULL, 0, 0, ZAPH_TLS_NONE, {0}};

static void register_future(void *arg) { __zaph_register_module(arg, ops_future, NULL, NULL); }

static void refuses_another_abi_once(void **state) {
  (void)state;
  char *err = capture_stderr(register_future, &module_future);
  assert_string_equal(err, "zaph: error: module with 1 ops was built for zaph ABI 100, this "
                           "runtime is ABI 5; its ops are not counted (rebuild it with the "
                           "matching pass)\n");
  free(err);
  err = capture_stderr(register_future, &module_future);
  assert_string_equal(err, "");
  free(err);
  assert_int_equal(module_future.base, ZAPH_MODULE_BASE_INIT);
  enter_op(&module_future, 0); /* counted nowhere, and no crash */
  assert_int_equal(zaph_op_count, 4);
}

/* A library loaded, unloaded (its destructor unregisters it) and loaded again: the second load
 * is the op's only copy, so it does not call out on its first entries. */
static struct zaph_op_desc ops_reloaded[] = {{"reloaded", "r.c", 1, ZAPH_KIND_OP, 0, 0, 0}};
static struct zaph_module reload_first = MODULE(ops_reloaded, NULL);
static struct zaph_module reload_again = MODULE(ops_reloaded, NULL);

static void a_reloaded_module_is_no_second_copy(void **state) {
  (void)state;
  uint64_t requests;
  zaph_reset();
  __zaph_register_module(&reload_first, ops_reloaded, NULL, NULL);
  zaph_request_begin();
  enter_op(&reload_first, 0);
  __zaph_unregister_module(&reload_first);
  __zaph_register_module(&reload_again, ops_reloaded, NULL, NULL);
  assert_int_equal(reload_again.shared[0], 0);
  zaph_request_begin();
  enter_op(&reload_again, 0);
  enter_op(&reload_again, 0);
  zaph_request_end();
  struct op_counts c = counts_of("reloaded", &requests);
  assert_int_equal(requests, 2);
  assert_int_equal(c.entries, 3); /* the unloaded copy's count stays */
  assert_int_equal(c.requests_touching, 2);
  assert_int_equal(c.entries_outside, 0);
}

/* Three copies; the first unloaded: the next in its ring (copies join the ring right after
 * the first, so the newest) becomes the first and stops calling out, the other still does, and
 * a request that enters both counts once, in either order. */
static struct zaph_op_desc ops_three[] = {{"three", "t.h", 5, ZAPH_KIND_OP, 0, 0, 0}};
static struct zaph_module three_a = MODULE(ops_three, NULL);
static struct zaph_module three_b = MODULE(ops_three, NULL);
static struct zaph_module three_c = MODULE(ops_three, NULL);

static void the_next_copy_becomes_the_first(void **state) {
  (void)state;
  uint64_t requests;
  zaph_reset();
  __zaph_register_module(&three_a, ops_three, NULL, NULL);
  __zaph_register_module(&three_b, ops_three, NULL, NULL);
  __zaph_register_module(&three_c, ops_three, NULL, NULL);
  assert_int_equal(three_b.shared[0], 1);
  assert_int_equal(three_c.shared[0], 1);
  __zaph_unregister_module(&three_a);
  assert_int_equal(three_b.shared[0], 1);
  assert_int_equal(three_c.shared[0], 0);
  zaph_request_begin();
  enter_op(&three_c, 0);
  enter_op(&three_b, 0);
  zaph_request_begin();
  enter_op(&three_b, 0);
  enter_op(&three_c, 0);
  for (int r = 0; r < 3; r++) /* requests without it, so that no bound hides a double count */
    zaph_request_begin();
  zaph_request_end();
  struct op_counts c = counts_of("three", &requests);
  assert_int_equal(requests, 5);
  assert_int_equal(c.entries, 4);
  assert_int_equal(c.requests_touching, 2);
}

int main(void) {
  setenv("ZAPH_PROFILE_FILE", "/dev/null", 1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(registers_slots_and_identities),
      cmocka_unit_test(registering_twice_changes_nothing),
      cmocka_unit_test(copies_of_one_op_are_counted_as_one),
      cmocka_unit_test(copies_entered_in_one_request_touch_it_once),
      cmocka_unit_test(copies_touch_once_in_any_order),
      cmocka_unit_test(refuses_another_abi_once),
      cmocka_unit_test(a_reloaded_module_is_no_second_copy),
      cmocka_unit_test(the_next_copy_becomes_the_first),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
