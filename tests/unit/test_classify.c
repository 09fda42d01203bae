/* Unit tests of classify.c: exact tier boundaries, half-up rounding to hundredths, the
 * minimum sample, the no-requests rule, the zero denominator and the report order. */
#include "unit_support.h"
#include "report_test_support.h"

#include "classify.h"
#include "zaph_profile.h"

static void tier_boundaries_are_exact(void **state) {
  (void)state;
  assert_int_equal(tier_for(801, 1000), TIER_HOT);
  assert_int_equal(tier_for(800, 1000), TIER_WARM); /* 80.0% exactly is Warm */
  assert_int_equal(tier_for(201, 1000), TIER_WARM);
  assert_int_equal(tier_for(200, 1000), TIER_COLD); /* 20.0% exactly is Cold */
  assert_int_equal(tier_for(0, 1000), TIER_COLD);
  assert_int_equal(tier_for(1000, 1000), TIER_HOT);
  /* 1237/1546 = 80.0129%, 1236/1546 = 79.95%. */
  assert_int_equal(tier_for(1237, 1546), TIER_HOT);
  assert_int_equal(tier_for(1236, 1546), TIER_WARM);
  /* No overflow near 2^64: k*4 / k*5 is 80% exactly. */
  uint64_t k = UINT64_MAX / 5;
  assert_int_equal(tier_for(k * 4, k * 5), TIER_WARM);
  assert_int_equal(tier_for(k * 4 + 1, k * 5), TIER_HOT);
  assert_int_equal(tier_for(k, k * 5), TIER_COLD);
  assert_int_equal(tier_for(k + 1, k * 5), TIER_WARM);
  assert_int_equal(tier_for(UINT64_MAX, UINT64_MAX), TIER_HOT);
}

static void tier_labels(void **state) {
  (void)state;
  assert_string_equal(tier_label(TIER_HOT), "Tier 1 (Hot)");
  assert_string_equal(tier_label(TIER_WARM), "Tier 2 (Warm)");
  assert_string_equal(tier_label(TIER_COLD), "Tier 3 (Cold)");
  assert_null(tier_label(TIER_NONE));
}

static void check_hundredths(uint64_t n, uint64_t d, unsigned scale, uint64_t whole,
                             unsigned cents) {
  struct hundredths h = ratio_hundredths(n, d, scale);
  assert_true(h.whole == whole);
  assert_int_equal(h.cents, cents);
}

static void rounds_half_up_to_hundredths(void **state) {
  (void)state;
  check_hundredths(1421, 1547, 100, 91, 86); /* 91.855... */
  check_hundredths(703, 1547, 100, 45, 44);  /* 45.443... */
  check_hundredths(1603, 1547, 1, 1, 4);     /* 1.036... */
  check_hundredths(1, 3, 100, 33, 33);
  check_hundredths(2, 3, 100, 66, 67);
  check_hundredths(1, 8, 1, 0, 13);    /* 0.125 exactly: half up */
  check_hundredths(3, 200, 1, 0, 2);   /* 0.015 exactly */
  check_hundredths(1, 20000, 100, 0, 1); /* 0.005% exactly */
  check_hundredths(1, 20001, 100, 0, 0);
  check_hundredths(0, 7, 100, 0, 0);
  check_hundredths(7, 7, 100, 100, 0);
  check_hundredths(UINT64_MAX, 1, 1, UINT64_MAX, 0);
  check_hundredths(UINT64_MAX, UINT64_MAX, 100, 100, 0);
  check_hundredths(UINT64_MAX - 1, UINT64_MAX, 100, 100, 0);
}

static struct merged_op op(const char *name, const char *file, uint64_t line, int kind,
                           uint64_t entries, uint64_t touching) {
  return merged_op_of(name, file, line, kind, 0, entries, touching, 0);
}

static void classifies_by_requests(void **state) {
  (void)state;
  struct merged_op ops[] = {
      op("generate_diagnostic", "server.c", 60, ZAPH_KIND_OP, 31, 31),
      op("cache_get", "server.c", 31, ZAPH_KIND_OP, 1603, 1421),
      op("handle_request", "server.c", 88, ZAPH_KIND_REQUEST, 1547, 1547),
      op("param_get", "server.c", 45, ZAPH_KIND_OP, 703, 703),
  };
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.total_requests = 1547;
  m.total_entries = 1;
  m.ops = ops;
  m.op_count = 4;
  struct classification c;
  char *error = (char *)"unchanged";
  assert_int_equal(classify(&c, &m, 1000, &error), 0);
  assert_null(error);
  assert_int_equal(c.denominator_kind, DENOMINATOR_REQUESTS);
  assert_int_equal(c.denominator, 1547);
  assert_int_equal(c.min_requests, 1000);
  assert_false(c.min_requests_below_policy);
  assert_true(c.sufficient);
  assert_int_equal(c.op_count, 4);
  assert_ptr_equal(c.ops[0].op, &ops[2]);
  assert_ptr_equal(c.ops[1].op, &ops[1]);
  assert_ptr_equal(c.ops[2].op, &ops[3]);
  assert_ptr_equal(c.ops[3].op, &ops[0]);
  assert_int_equal(c.ops[1].requests_touching, 1421);
  assert_true(c.ops[1].has_frequency);
  assert_int_equal(c.ops[1].frequency_pct.whole, 91);
  assert_int_equal(c.ops[1].frequency_pct.cents, 86);
  assert_true(c.ops[1].has_calls_per_request);
  assert_int_equal(c.ops[1].calls_per_request.whole, 1);
  assert_int_equal(c.ops[1].calls_per_request.cents, 4);
  assert_int_equal(c.ops[0].tier, TIER_HOT);
  assert_int_equal(c.ops[1].tier, TIER_HOT);
  assert_int_equal(c.ops[2].tier, TIER_WARM);
  assert_int_equal(c.ops[3].tier, TIER_COLD);
  assert_int_equal(c.ops[3].frequency_pct.whole, 2);
  assert_int_equal(c.ops[3].frequency_pct.cents, 0);
  classification_free(&c);
}

static void too_small_a_sample_gets_no_tiers(void **state) {
  (void)state;
  struct merged_op ops[] = {op("f", "a.c", 1, ZAPH_KIND_OP, 999, 999)};
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.total_requests = 999;
  m.ops = ops;
  m.op_count = 1;
  struct classification c;
  char *error;
  assert_int_equal(classify(&c, &m, 1000, &error), 0);
  assert_false(c.sufficient);
  assert_int_equal(c.ops[0].tier, TIER_NONE);
  assert_int_equal(c.ops[0].frequency_pct.whole, 100);
  classification_free(&c);
  assert_int_equal(classify(&c, &m, 999, &error), 0);
  assert_true(c.sufficient);
  assert_true(c.min_requests_below_policy);
  assert_int_equal(c.ops[0].tier, TIER_HOT);
  classification_free(&c);
  m.total_requests = 5000;
  assert_int_equal(classify(&c, &m, 5001, &error), 0);
  assert_false(c.sufficient);
  assert_false(c.min_requests_below_policy);
  classification_free(&c);
}

static void without_requests_entries_are_the_samples(void **state) {
  (void)state;
  struct merged_op ops[] = {op("a", "a.c", 1, ZAPH_KIND_OP, 900, 0),
                            op("b", "a.c", 2, ZAPH_KIND_OP, 100, 0),
                            op("c", "a.c", 3, ZAPH_KIND_OP, 0, 0)};
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.total_entries = 1000;
  m.ops = ops;
  m.op_count = 3;
  struct classification c;
  char *error;
  assert_int_equal(classify(&c, &m, 1000, &error), 0);
  assert_int_equal(c.denominator_kind, DENOMINATOR_OP_ENTRIES);
  assert_int_equal(c.denominator, 1000);
  assert_true(c.sufficient);
  assert_int_equal(c.ops[0].requests_touching, 900);
  assert_int_equal(c.ops[0].frequency_pct.whole, 90);
  assert_false(c.ops[0].has_calls_per_request);
  assert_int_equal(c.ops[0].tier, TIER_HOT);
  assert_int_equal(c.ops[1].frequency_pct.whole, 10);
  assert_int_equal(c.ops[1].tier, TIER_COLD);
  assert_int_equal(c.ops[2].tier, TIER_COLD);
  classification_free(&c);
}

static void no_samples_at_all_has_no_frequency(void **state) {
  (void)state;
  struct merged_op ops[] = {op("a", "a.c", 1, ZAPH_KIND_OP, 0, 0)};
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.ops = ops;
  m.op_count = 1;
  struct classification c;
  char *error;
  assert_int_equal(classify(&c, &m, 1, &error), 0);
  assert_int_equal(c.denominator, 0);
  assert_false(c.sufficient);
  assert_false(c.ops[0].has_frequency);
  assert_false(c.ops[0].has_calls_per_request);
  assert_int_equal(c.ops[0].tier, TIER_NONE);
  classification_free(&c);
}

static void overflowing_entry_total_is_an_error_only_without_requests(void **state) {
  (void)state;
  struct merged_op ops[] = {op("a", "a.c", 1, ZAPH_KIND_OP, UINT64_MAX, 0)};
  char file[] = "b.prof";
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.ops = ops;
  m.op_count = 1;
  m.total_entries_overflow_file = file;
  struct classification c;
  char *error = NULL;
  assert_int_equal(classify(&c, &m, 1000, &error), -1);
  assert_string_equal(error, "counts overflow 64 bits when merging b.prof");
  free(error);
  classification_free(&c);
  m.total_requests = 1000;
  assert_int_equal(classify(&c, &m, 1000, &error), 0);
  assert_null(error);
  classification_free(&c);
}

static void ties_are_ordered_by_entries_name_file_line_kind(void **state) {
  (void)state;
  struct merged_op ops[] = {
      op("b", "a.c", 1, ZAPH_KIND_OP, 10, 5),      op("a", "b.c", 2, ZAPH_KIND_REQUEST, 10, 5),
      op("a", "b.c", 2, ZAPH_KIND_OP, 10, 5),      op("a", "b.c", 1, ZAPH_KIND_OP, 10, 5),
      op("a", "a.c", 9, ZAPH_KIND_OP, 10, 5),      op("z", "z.c", 9, ZAPH_KIND_OP, 11, 5),
      op("zz", "z.c", 9, ZAPH_KIND_OP, 1, 6),
  };
  struct merged_profiles m;
  memset(&m, 0, sizeof m);
  m.total_requests = 10;
  m.ops = ops;
  m.op_count = 7;
  struct classification c;
  char *error;
  assert_int_equal(classify(&c, &m, 1000, &error), 0);
  const struct merged_op *expected[] = {&ops[6], &ops[5], &ops[4], &ops[3],
                                        &ops[2], &ops[1], &ops[0]};
  for (int i = 0; i < 7; i++)
    assert_ptr_equal(c.ops[i].op, expected[i]);
  classification_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tier_boundaries_are_exact),
      cmocka_unit_test(tier_labels),
      cmocka_unit_test(rounds_half_up_to_hundredths),
      cmocka_unit_test(classifies_by_requests),
      cmocka_unit_test(too_small_a_sample_gets_no_tiers),
      cmocka_unit_test(without_requests_entries_are_the_samples),
      cmocka_unit_test(no_samples_at_all_has_no_frequency),
      cmocka_unit_test(overflowing_entry_total_is_an_error_only_without_requests),
      cmocka_unit_test(ties_are_ordered_by_entries_name_file_line_kind),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
