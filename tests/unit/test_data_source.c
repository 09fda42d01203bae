/* Unit tests of data_source.c: ZAPH-DEC-04's order, acceptability, wording, and the worst source
 * of a merge. */
#include "unit_support.h"

#include "data_source.h"

static void ranks_and_acceptance(void **state) {
  (void)state;
  assert_int_equal(source_rank("production"), 1);
  assert_int_equal(source_rank("staging-replay"), 2);
  assert_int_equal(source_rank("load-test"), 3);
  assert_int_equal(source_rank("synthetic"), 4);
  assert_int_equal(source_rank("unspecified"), 5);
  assert_int_equal(source_rank("canary"), 5);
  assert_int_equal(source_rank("Production"), 5);
  assert_true(source_is_acceptable("production"));
  assert_true(source_is_acceptable("staging-replay"));
  assert_true(source_is_acceptable("load-test"));
  assert_false(source_is_acceptable("synthetic"));
  assert_false(source_is_acceptable("unspecified"));
  assert_false(source_is_acceptable("canary"));
  assert_string_equal(source_description("production"), "Production metrics");
  assert_string_equal(source_description("staging-replay"), "Staging with production replay");
  assert_string_equal(source_description("load-test"),
                      "Load testing with representative scenarios");
  assert_string_equal(source_description("synthetic"), "Synthetic benchmarks");
  assert_string_equal(source_description("canary"), "Unspecified");
}

static void worst_of_a_merge(void **state) {
  (void)state;
  const char *mixed[] = {"load-test", "production", "staging-replay"};
  assert_string_equal(source_worst(mixed, 3), "load-test");
  const char *with_synthetic[] = {"production", "synthetic"};
  assert_string_equal(source_worst(with_synthetic, 2), "synthetic");
  const char *unknowns[] = {"canary", "production", "unspecified"};
  assert_string_equal(source_worst(unknowns, 3), "canary"); /* equal ranks: the first */
  const char *one[] = {"production"};
  assert_string_equal(source_worst(one, 1), "production");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ranks_and_acceptance),
      cmocka_unit_test(worst_of_a_merge),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
