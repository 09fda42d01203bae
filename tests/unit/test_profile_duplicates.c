/* Unit tests of the duplicate check of profile_read.c: sorted and unsorted op lists, with and
 * without repeats, and which line is named when several identities repeat. */
#include "unit_support.h"

#include "profile_read.h"
#include "zaph_profile.h"

static struct profile_op ops[8];
static struct profile profile;

static void set_op(size_t i, const char *name, const char *file, uint64_t line, int kind) {
  memset(&ops[i], 0, sizeof ops[i]);
  ops[i].id.name = name;
  ops[i].id.file = file;
  ops[i].id.line = line;
  ops[i].id.kind = kind;
  ops[i].text_line = 10 + i;
  profile.ops = ops;
  profile.op_count = i + 1;
}

static void no_ops_and_one_op(void **state) {
  (void)state;
  memset(&profile, 0, sizeof profile);
  assert_null(profile_find_duplicate(&profile));
  set_op(0, "f", "a.c", 1, ZAPH_KIND_OP);
  assert_null(profile_find_duplicate(&profile));
}

static void sorted_without_repeats(void **state) {
  (void)state;
  set_op(0, "f", "a.c", 1, ZAPH_KIND_OP);
  set_op(1, "f", "a.c", 1, ZAPH_KIND_REQUEST);
  set_op(2, "a", "a.c", 2, ZAPH_KIND_OP);
  set_op(3, "a", "b.c", 1, ZAPH_KIND_OP);
  assert_null(profile_find_duplicate(&profile));
}

static void sorted_with_repeats(void **state) {
  (void)state;
  set_op(0, "f", "a.c", 1, ZAPH_KIND_OP);
  set_op(1, "g", "a.c", 2, ZAPH_KIND_OP);
  set_op(2, "g", "a.c", 2, ZAPH_KIND_OP);
  set_op(3, "h", "a.c", 3, ZAPH_KIND_OP);
  set_op(4, "h", "a.c", 3, ZAPH_KIND_OP);
  assert_ptr_equal(profile_find_duplicate(&profile), &ops[2]);
}

static void unsorted_without_repeats(void **state) {
  (void)state;
  set_op(0, "f", "b.c", 1, ZAPH_KIND_OP);
  set_op(1, "f", "a.c", 1, ZAPH_KIND_OP);
  set_op(2, "g", "a.c", 1, ZAPH_KIND_OP);
  assert_null(profile_find_duplicate(&profile));
}

static void unsorted_with_repeats_names_the_earliest_line(void **state) {
  (void)state;
  set_op(0, "z", "z.c", 1, ZAPH_KIND_OP);
  set_op(1, "a", "a.c", 1, ZAPH_KIND_OP);
  set_op(2, "m", "m.c", 1, ZAPH_KIND_OP);
  set_op(3, "z", "z.c", 1, ZAPH_KIND_OP);
  set_op(4, "a", "a.c", 1, ZAPH_KIND_OP);
  set_op(5, "z", "z.c", 1, ZAPH_KIND_OP);
  const struct profile_op *repeat = profile_find_duplicate(&profile);
  assert_ptr_equal(repeat, &ops[3]);
  assert_int_equal(repeat->text_line, 13);
}

static void a_repeat_before_the_order_breaks(void **state) {
  (void)state;
  set_op(0, "a", "a.c", 1, ZAPH_KIND_OP);
  set_op(1, "a", "a.c", 1, ZAPH_KIND_OP);
  set_op(2, "0", "0.c", 1, ZAPH_KIND_OP);
  assert_ptr_equal(profile_find_duplicate(&profile), &ops[1]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(no_ops_and_one_op),
      cmocka_unit_test(sorted_without_repeats),
      cmocka_unit_test(sorted_with_repeats),
      cmocka_unit_test(unsorted_without_repeats),
      cmocka_unit_test(unsorted_with_repeats_names_the_earliest_line),
      cmocka_unit_test(a_repeat_before_the_order_breaks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
