/* Unit tests of string_pool.c: copies are NUL-terminated, independent of the source, and stay
 * where they are while the pool grows, big strings included. */
#include "unit_support.h"

#include "string_pool.h"

static void copies_exactly_len_bytes(void **state) {
  (void)state;
  struct string_pool pool;
  string_pool_init(&pool);
  char source[] = "cache_get and more";
  const char *copy = string_pool_add(&pool, source, 9);
  source[0] = 'X';
  assert_string_equal(copy, "cache_get");
  assert_string_equal(string_pool_add(&pool, "", 0), "");
  string_pool_free(&pool);
  assert_null(pool.blocks);
}

static void pointers_stay_valid_while_the_pool_grows(void **state) {
  (void)state;
  struct string_pool pool;
  string_pool_init(&pool);
  enum { COUNT = 50000 };
  const char **copies = malloc(COUNT * sizeof *copies);
  char text[32];
  for (int i = 0; i < COUNT; i++) {
    int len = snprintf(text, sizeof text, "op_%d", i);
    copies[i] = string_pool_add(&pool, text, (size_t)len);
  }
  for (int i = 0; i < COUNT; i++) {
    snprintf(text, sizeof text, "op_%d", i);
    assert_string_equal(copies[i], text);
  }
  free(copies);
  string_pool_free(&pool);
}

static void a_string_bigger_than_a_block_gets_its_own(void **state) {
  (void)state;
  struct string_pool pool;
  string_pool_init(&pool);
  size_t big_len = 200 * 1024;
  char *big = malloc(big_len);
  memset(big, 'b', big_len);
  const char *small = string_pool_add(&pool, "before", 6);
  const char *copy = string_pool_add(&pool, big, big_len);
  const char *after = string_pool_add(&pool, "after", 5);
  assert_int_equal(strlen(copy), big_len);
  assert_memory_equal(copy, big, big_len);
  assert_string_equal(small, "before");
  assert_string_equal(after, "after");
  /* The small strings share the first block: the big one did not displace it. */
  assert_ptr_equal(after, small + 7);
  free(big);
  string_pool_free(&pool);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(copies_exactly_len_bytes),
      cmocka_unit_test(pointers_stay_valid_while_the_pool_grows),
      cmocka_unit_test(a_string_bigger_than_a_block_gets_its_own),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
