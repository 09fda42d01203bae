/* Unit tests of an op's identity (format/profile_format.c): the writer's order (file, line, name, kind), equality of all
 * four parts, and a hash that agrees with equality and keeps the parts apart. */
#include "unit_support.h"

#include "zaph_profile.h"

static struct zaph_identity id(const char *name, const char *file, uint64_t line, int kind) {
  struct zaph_identity i = {name, file, line, kind};
  return i;
}

static void orders_by_file_line_name_kind(void **state) {
  (void)state;
  struct zaph_identity a = id("z", "a.c", 9, ZAPH_KIND_REQUEST), b = id("a", "b.c", 1, ZAPH_KIND_OP);
  assert_true(zaph_identity_compare(&a, &b) < 0); /* file first */
  a = id("z", "a.c", 2, ZAPH_KIND_REQUEST);
  b = id("a", "a.c", 10, ZAPH_KIND_OP);
  assert_true(zaph_identity_compare(&a, &b) < 0); /* then line, numerically */
  a = id("a", "a.c", 2, ZAPH_KIND_REQUEST);
  b = id("b", "a.c", 2, ZAPH_KIND_OP);
  assert_true(zaph_identity_compare(&a, &b) < 0); /* then name */
  a = id("a", "a.c", 2, ZAPH_KIND_OP);
  b = id("a", "a.c", 2, ZAPH_KIND_REQUEST);
  assert_int_equal(zaph_identity_compare(&a, &b), -1); /* then kind */
  assert_int_equal(zaph_identity_compare(&b, &a), 1);
  assert_int_equal(zaph_identity_compare(&a, &a), 0);
  a = id("a", "a.c", UINT64_MAX, ZAPH_KIND_OP);
  b = id("a", "a.c", 0, ZAPH_KIND_OP);
  assert_int_equal(zaph_identity_compare(&a, &b), 1);
}

static void equality_needs_all_four_parts(void **state) {
  (void)state;
  char name[] = "get", file[] = "c.c";
  struct zaph_identity a = id("get", "c.c", 3, ZAPH_KIND_OP), b = id(name, file, 3, ZAPH_KIND_OP);
  assert_true(zaph_identity_equal(&a, &b));
  b.kind = ZAPH_KIND_REQUEST;
  assert_false(zaph_identity_equal(&a, &b));
  b = id(name, file, 4, ZAPH_KIND_OP);
  assert_false(zaph_identity_equal(&a, &b));
  b = id("get", "d.c", 3, ZAPH_KIND_OP);
  assert_false(zaph_identity_equal(&a, &b));
  b = id("put", "c.c", 3, ZAPH_KIND_OP);
  assert_false(zaph_identity_equal(&a, &b));
}

static void hash_follows_equality_and_separates_parts(void **state) {
  (void)state;
  char name[] = "get", file[] = "c.c";
  struct zaph_identity a = id("get", "c.c", 3, ZAPH_KIND_OP), b = id(name, file, 3, ZAPH_KIND_OP);
  assert_true(zaph_identity_hash(&a) == zaph_identity_hash(&b));
  struct zaph_identity x = id("ab", "c", 1, ZAPH_KIND_OP), y = id("a", "bc", 1, ZAPH_KIND_OP);
  assert_true(zaph_identity_hash(&x) != zaph_identity_hash(&y));
  y = id("ab", "c", 1, ZAPH_KIND_REQUEST);
  assert_true(zaph_identity_hash(&x) != zaph_identity_hash(&y));
  y = id("ab", "c", 257, ZAPH_KIND_OP);
  assert_true(zaph_identity_hash(&x) != zaph_identity_hash(&y));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(orders_by_file_line_name_kind),
      cmocka_unit_test(equality_needs_all_four_parts),
      cmocka_unit_test(hash_follows_equality_and_separates_parts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
