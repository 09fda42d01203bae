/* Unit tests of op_match.c: the group of an op, pairing by file suffix, by line order, by the
 * nearest line, by the same line when files tie, and ambiguity. */
#include "unit_support.h"

#include "op_match.h"
#include "zaph_profile.h"

#define MAX_OPS 8
static struct zaph_identity olds[MAX_OPS], news[MAX_OPS];
static const struct zaph_identity *old_ids[MAX_OPS], *new_ids[MAX_OPS];
static size_t match[MAX_OPS], ambiguous[MAX_OPS];

static void set(struct zaph_identity *ids, const struct zaph_identity **pointers, int i,
                const char *file, uint64_t line) {
  ids[i] = (struct zaph_identity){"helper", file, line, ZAPH_KIND_OP};
  pointers[i] = &ids[i];
}

static void pair(size_t old_count, size_t new_count) {
  op_match_pair(old_ids, old_count, new_ids, new_count, match, ambiguous);
}

static void groups_are_kind_name_and_file_name(void **state) {
  (void)state;
  struct zaph_identity a = {"f", "src/kv.c", 1, ZAPH_KIND_OP};
  struct zaph_identity b = {"f", "/x/../kv.c", 9, ZAPH_KIND_OP};
  assert_true(op_match_same_group(&a, &b));
  assert_true(op_match_group_hash(&a) == op_match_group_hash(&b));
  b.file = "kv.h";
  assert_false(op_match_same_group(&a, &b));
  b.file = "kv.c";
  b.kind = ZAPH_KIND_REQUEST;
  assert_false(op_match_same_group(&a, &b));
  b.kind = ZAPH_KIND_OP;
  b.name = "g";
  assert_false(op_match_same_group(&a, &b));
  a.file = b.file = ""; /* no file at all: still one group */
  b.name = "f";
  assert_true(op_match_same_group(&a, &b));
  char *name = op_match_file_name("./src/kv.c/.");
  assert_string_equal(name, "kv.c");
  free(name);
}

static void one_op_each_pairs_whatever_the_line(void **state) {
  (void)state;
  set(olds, old_ids, 0, "src/kv.c", 42);
  set(news, new_ids, 0, "/home/ci/w/src/kv.c", 400);
  pair(1, 1);
  assert_int_equal(match[0], 0);
  assert_int_equal(ambiguous[0], 0);
}

static void the_longest_suffix_wins(void **state) {
  (void)state;
  set(olds, old_ids, 0, "src/a/util.c", 1);
  set(olds, old_ids, 1, "src/b/util.c", 1);
  set(news, new_ids, 0, "../b/util.c", 5);
  set(news, new_ids, 1, "/w/src/a/util.c", 5);
  pair(2, 2);
  assert_int_equal(match[0], 1);
  assert_int_equal(match[1], 0);
}

/* Twenty lines added above both ops of one file: line order, not the nearest line (the second
 * old op is nearer to the first new one). */
static void ops_of_one_file_pair_in_line_order(void **state) {
  (void)state;
  set(olds, old_ids, 0, "util.c", 30);
  set(olds, old_ids, 1, "util.c", 10);
  set(news, new_ids, 0, "util.c", 50);
  set(news, new_ids, 1, "util.c", 30);
  pair(2, 2);
  assert_int_equal(match[0], 0);
  assert_int_equal(match[1], 1);
}

/* One of three removed: the two left pair with their nearest lines, each mutual. */
static void unequal_counts_pair_by_nearest_line(void **state) {
  (void)state;
  set(olds, old_ids, 0, "util.c", 10);
  set(olds, old_ids, 1, "util.c", 40);
  set(olds, old_ids, 2, "util.c", 70);
  set(news, new_ids, 0, "util.c", 12);
  set(news, new_ids, 1, "util.c", 69);
  pair(3, 2);
  assert_int_equal(match[0], 0);
  assert_int_equal(match[1], 2);
  /* A new op halfway between two old ones pairs with neither. */
  set(news, new_ids, 0, "util.c", 25);
  pair(2, 1);
  assert_int_equal(match[0], OP_MATCH_NONE);
}

static void tied_files_fall_back_to_the_line(void **state) {
  (void)state;
  set(olds, old_ids, 0, "src/util.c", 5);
  set(olds, old_ids, 1, "test/util.c", 7);
  set(news, new_ids, 0, "util.c", 7);
  pair(2, 1);
  assert_int_equal(match[0], 1);
  assert_int_equal(ambiguous[0], 0);
  set(news, new_ids, 0, "util.c", 9);
  pair(2, 1);
  assert_int_equal(match[0], OP_MATCH_NONE);
  assert_int_equal(ambiguous[0], 1);
  /* Both at the new op's line: the same file string decides. */
  set(olds, old_ids, 0, "util.c", 9);
  set(olds, old_ids, 1, "lib/util.c", 9);
  pair(2, 1);
  assert_int_equal(match[0], 0);
}

/* A file whose best match is taken by a better one is new, not ambiguous. */
static void a_match_taken_by_a_better_file_is_new(void **state) {
  (void)state;
  set(olds, old_ids, 0, "x/a/util.c", 3);
  set(news, new_ids, 0, "a/util.c", 3);
  set(news, new_ids, 1, "util.c", 3);
  pair(1, 2);
  assert_int_equal(match[0], 0);
  assert_int_equal(match[1], OP_MATCH_NONE);
  assert_int_equal(ambiguous[1], 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(groups_are_kind_name_and_file_name),
      cmocka_unit_test(one_op_each_pairs_whatever_the_line),
      cmocka_unit_test(the_longest_suffix_wins),
      cmocka_unit_test(ops_of_one_file_pair_in_line_order),
      cmocka_unit_test(unequal_counts_pair_by_nearest_line),
      cmocka_unit_test(tied_files_fall_back_to_the_line),
      cmocka_unit_test(a_match_taken_by_a_better_file_is_new),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
