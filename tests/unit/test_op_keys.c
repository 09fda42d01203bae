/* Unit tests of op_keys.c: plain names when unique, "name (file)" when not, with as much of the
 * file as tells the ops apart, the line only when name and file are shared, the kind when even
 * that collides, the numbered last resort, and names alike once JSON shows them. */
#include "unit_support.h"

#include "op_keys.h"
#include "zaph_profile.h"

static struct merged_op ops[8];
static struct classified_op classified[8];

static void set_op(int i, const char *name, const char *file, uint64_t line, int kind) {
  memset(&ops[i], 0, sizeof ops[i]);
  ops[i].id.name = name;
  ops[i].id.file = file;
  ops[i].id.line = line;
  ops[i].id.kind = kind;
  memset(&classified[i], 0, sizeof classified[i]);
  classified[i].op = &ops[i];
}

static char **keys_for(size_t count) {
  struct classification c;
  memset(&c, 0, sizeof c);
  c.ops = classified;
  c.op_count = count;
  return op_keys_make(&c);
}

static void unique_names_are_keys(void **state) {
  (void)state;
  set_op(0, "cache_get", "server.c", 31, ZAPH_KIND_OP);
  set_op(1, "handle_request", "server.c", 88, ZAPH_KIND_REQUEST);
  char **keys = keys_for(2);
  assert_string_equal(keys[0], "cache_get");
  assert_string_equal(keys[1], "handle_request");
  op_keys_free(keys, 2);
}

static void shared_names_get_their_location(void **state) {
  (void)state;
  set_op(0, "helper", "a.c", 10, ZAPH_KIND_OP);
  set_op(1, "main_op", "a.c", 20, ZAPH_KIND_OP);
  set_op(2, "helper", "b.c", 5, ZAPH_KIND_OP);
  set_op(3, "helper", "b.c", 6, ZAPH_KIND_OP);
  char **keys = keys_for(4);
  assert_string_equal(keys[0], "helper (a.c)");
  assert_string_equal(keys[1], "main_op");
  assert_string_equal(keys[2], "helper (b.c:5)");
  assert_string_equal(keys[3], "helper (b.c:6)");
  op_keys_free(keys, 4);
}

/* As much of the path as tells the files apart, normalised, so the build directory the compiler
 * ran in does not show. */
static void shared_file_names_get_their_directories(void **state) {
  (void)state;
  set_op(0, "helper", "../src/a/util.c", 10, ZAPH_KIND_OP);
  set_op(1, "helper", "/home/ci/w/src/b/util.c", 10, ZAPH_KIND_OP);
  set_op(2, "helper", "./lib/./x/../util.c", 4, ZAPH_KIND_OP);
  set_op(3, "helper", "kv.c", 4, ZAPH_KIND_OP);
  char **keys = keys_for(4);
  assert_string_equal(keys[0], "helper (a/util.c)");
  assert_string_equal(keys[1], "helper (b/util.c)");
  assert_string_equal(keys[2], "helper (lib/util.c)");
  assert_string_equal(keys[3], "helper (kv.c)");
  op_keys_free(keys, 4);
}

/* A key depends only on the ops that share its name: another op of that name in another file
 * adds nothing to it once it has its file, and no line moves it. */
static void keys_stay_when_another_op_of_the_name_comes(void **state) {
  (void)state;
  set_op(0, "helper", "a.c", 10, ZAPH_KIND_OP);
  set_op(1, "helper", "b.c", 20, ZAPH_KIND_OP);
  set_op(2, "other", "a.c", 30, ZAPH_KIND_OP);
  char **before = keys_for(3);
  set_op(0, "helper", "a.c", 11, ZAPH_KIND_OP);
  set_op(2, "helper", "c.c", 30, ZAPH_KIND_OP);
  set_op(3, "unrelated", "a.c", 1, ZAPH_KIND_OP);
  char **after = keys_for(4);
  assert_string_equal(before[0], "helper (a.c)");
  assert_string_equal(before[1], "helper (b.c)");
  assert_string_equal(before[2], "other");
  assert_string_equal(after[0], "helper (a.c)");
  assert_string_equal(after[1], "helper (b.c)");
  assert_string_equal(after[2], "helper (c.c)");
  assert_string_equal(after[3], "unrelated");
  op_keys_free(before, 3);
  op_keys_free(after, 4);
}

static void same_location_gets_the_kind(void **state) {
  (void)state;
  set_op(0, "serve", "s.c", 3, ZAPH_KIND_REQUEST);
  set_op(1, "serve", "s.c", 3, ZAPH_KIND_OP);
  set_op(2, "serve", "t.c", 3, ZAPH_KIND_OP);
  char **keys = keys_for(3);
  assert_string_equal(keys[0], "serve (s.c:3) [request]");
  assert_string_equal(keys[1], "serve (s.c:3) [op]");
  assert_string_equal(keys[2], "serve (t.c)");
  op_keys_free(keys, 3);
}

static void keys_stay_unique_when_a_name_looks_like_a_key(void **state) {
  (void)state;
  set_op(0, "f", "a.c", 1, ZAPH_KIND_OP);
  set_op(1, "f", "b.c", 1, ZAPH_KIND_OP);
  set_op(2, "f (a.c)", "c.c", 2, ZAPH_KIND_OP);
  set_op(3, "f (a.c:1)", "d.c", 3, ZAPH_KIND_OP);
  char **keys = keys_for(4);
  assert_string_equal(keys[0], "f (a.c:1) [op]");
  assert_string_equal(keys[1], "f (b.c)");
  assert_string_equal(keys[2], "f (a.c) (c.c)");
  assert_string_equal(keys[3], "f (a.c:1) (d.c)");
  op_keys_free(keys, 4);
}

static void identical_keys_with_kinds_are_numbered(void **state) {
  (void)state;
  set_op(0, "g", "a.c:1) (b.c", 2, ZAPH_KIND_OP);
  set_op(1, "g", "q.c", 1, ZAPH_KIND_OP);
  set_op(2, "g (a.c:1)", "b.c", 2, ZAPH_KIND_OP);
  set_op(3, "g (a.c:1)", "r.c", 1, ZAPH_KIND_OP);
  char **keys = keys_for(4);
  assert_string_equal(keys[0], "g (a.c:1) (b.c:2) [op]");
  assert_string_equal(keys[1], "g (q.c)");
  assert_string_equal(keys[2], "g (a.c:1) (b.c:2) [op] #2");
  assert_string_equal(keys[3], "g (a.c:1) (r.c)");
  op_keys_free(keys, 4);
}

/* Found by fuzzing: names that differ only in bytes that are not UTF-8 are the same name in JSON
 * (both bytes become U+FFFD), so their keys must be lengthened like any other shared name. */
static void names_alike_in_json_get_their_location(void **state) {
  (void)state;
  set_op(0, "get\xfe", "a.c", 1, ZAPH_KIND_OP);
  set_op(1, "get\xff", "a.c", 2, ZAPH_KIND_OP);
  set_op(2, "get\xef\xbf\xbd", "b.c", 3, ZAPH_KIND_OP);
  set_op(3, "get\xc3\xa9", "b.c", 4, ZAPH_KIND_OP);
  char **keys = keys_for(4);
  assert_string_equal(keys[0], "get\xfe (a.c:1)");
  assert_string_equal(keys[1], "get\xff (a.c:2)");
  assert_string_equal(keys[2], "get\xef\xbf\xbd (b.c)");
  assert_string_equal(keys[3], "get\xc3\xa9");
  op_keys_free(keys, 4);
}

static void no_ops_no_keys(void **state) {
  (void)state;
  char **keys = keys_for(0);
  assert_non_null(keys);
  op_keys_free(keys, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(unique_names_are_keys),
      cmocka_unit_test(shared_names_get_their_location),
      cmocka_unit_test(shared_file_names_get_their_directories),
      cmocka_unit_test(keys_stay_when_another_op_of_the_name_comes),
      cmocka_unit_test(same_location_gets_the_kind),
      cmocka_unit_test(keys_stay_unique_when_a_name_looks_like_a_key),
      cmocka_unit_test(identical_keys_with_kinds_are_numbered),
      cmocka_unit_test(names_alike_in_json_get_their_location),
      cmocka_unit_test(no_ops_no_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
