/* Unit tests of merge.c: sums by identity, first-appearance order, the declared-tier rule, the
 * time range, programs and sources, overflow errors, and a table large enough to grow. */
#include "unit_support.h"

#include "merge.h"
#include "zaph_profile.h"

/* A profile built by hand; ops point at string literals. */
static struct profile make_profile(const char *name, const char *program, const char *source,
                                   const char *start, const char *end, uint64_t requests) {
  struct profile p;
  memset(&p, 0, sizeof p);
  p.display_name = name;
  p.program = program;
  p.source = source;
  p.host = "h";
  strcpy(p.start, start);
  strcpy(p.end, end);
  p.requests = requests;
  return p;
}

static void add_op(struct profile *p, const char *name, const char *file, uint64_t line, int kind,
                   unsigned tier, uint64_t entries, uint64_t touching, uint64_t outside) {
  p->ops = realloc(p->ops, (p->op_count + 1) * sizeof *p->ops);
  struct profile_op *op = &p->ops[p->op_count++];
  memset(op, 0, sizeof *op);
  op->id.name = name;
  op->id.file = file;
  op->id.line = line;
  op->id.kind = kind;
  op->declared_tier = tier;
  op->entries = entries;
  op->requests_touching = touching;
  op->entries_outside = outside;
}

#define T1 "2026-11-24T09:00:00Z"
#define T2 "2026-11-24T10:00:00Z"
#define T3 "2026-11-25T08:00:00Z"

static void merges_by_identity(void **state) {
  (void)state;
  struct profile a = make_profile("a.prof", "/srv/app", "load-test", T2, T3, 1000);
  add_op(&a, "get", "c.c", 3, ZAPH_KIND_OP, 0, 900, 800, 5);
  add_op(&a, "handle", "c.c", 9, ZAPH_KIND_REQUEST, 0, 1000, 1000, 0);
  struct profile b = make_profile("b.prof", "/srv/app", "production", T1, T2, 547);
  add_op(&b, "put", "c.c", 5, ZAPH_KIND_OP, 0, 7, 7, 0);
  add_op(&b, "get", "c.c", 3, ZAPH_KIND_OP, 0, 703, 621, 2);
  add_op(&b, "get", "c.c", 3, ZAPH_KIND_REQUEST, 0, 1, 1, 0);
  add_op(&b, "get", "d.c", 3, ZAPH_KIND_OP, 0, 2, 2, 0);
  struct merged_profiles m;
  char *error = (char *)"unchanged";
  merge_init(&m);
  assert_int_equal(merge_add(&m, &a, &error), 0);
  assert_null(error);
  assert_int_equal(merge_add(&m, &b, &error), 0);
  merge_finish(&m);
  assert_int_equal(m.profile_count, 2);
  assert_int_equal(m.total_requests, 1547);
  assert_int_equal(m.total_entries, 900 + 1000 + 7 + 703 + 1 + 2);
  assert_null(m.total_entries_overflow_file);
  assert_int_equal(m.op_count, 5);
  const struct merged_op *get = &m.ops[0];
  assert_string_equal(get->id.name, "get");
  assert_string_equal(get->id.file, "c.c");
  assert_int_equal(get->id.kind, ZAPH_KIND_OP);
  assert_int_equal(get->entries, 1603);
  assert_int_equal(get->requests_touching, 1421);
  assert_int_equal(get->entries_outside, 7);
  assert_string_equal(m.ops[1].id.name, "handle");
  assert_int_equal(m.ops[1].entries, 1000);
  assert_string_equal(m.ops[2].id.name, "put");
  assert_int_equal(m.ops[3].id.kind, ZAPH_KIND_REQUEST);
  assert_int_equal(m.ops[3].entries, 1);
  assert_string_equal(m.ops[4].id.file, "d.c");
  assert_int_equal(m.ops[4].entries, 2);
  assert_string_equal(m.start, T1);
  assert_string_equal(m.end, T3);
  assert_int_equal(m.program_count, 1);
  assert_string_equal(m.programs[0], "/srv/app");
  assert_int_equal(m.source_count, 2);
  assert_string_equal(m.sources[0], "load-test");
  assert_string_equal(m.sources[1], "production");
  /* The merged set owns its strings. */
  assert_ptr_not_equal(get->id.name, a.ops[0].id.name);
  merge_free(&m);
  free(a.ops);
  free(b.ops);
}

static void programs_are_distinct_and_sorted(void **state) {
  (void)state;
  struct profile p[3] = {make_profile("1", "/z/app", "s", T1, T1, 0),
                         make_profile("2", "/a/app", "s", T1, T1, 0),
                         make_profile("3", "/z/app", "s", T1, T1, 0)};
  struct merged_profiles m;
  char *error;
  merge_init(&m);
  for (int i = 0; i < 3; i++)
    assert_int_equal(merge_add(&m, &p[i], &error), 0);
  merge_finish(&m);
  assert_int_equal(m.program_count, 2);
  assert_string_equal(m.programs[0], "/a/app");
  assert_string_equal(m.programs[1], "/z/app");
  assert_int_equal(m.source_count, 1);
  assert_int_equal(m.op_count, 0);
  merge_free(&m);
}

static void latest_declared_tier_wins(void **state) {
  (void)state;
  struct profile newest = make_profile("new", "/a", "s", T1, T3, 0);
  add_op(&newest, "f", "c.c", 1, ZAPH_KIND_OP, 1, 0, 0, 0);
  add_op(&newest, "g", "c.c", 2, ZAPH_KIND_OP, 0, 0, 0, 0);
  add_op(&newest, "h", "c.c", 3, ZAPH_KIND_OP, 2, 0, 0, 0);
  struct profile older = make_profile("old", "/a", "s", T1, T2, 0);
  add_op(&older, "f", "c.c", 1, ZAPH_KIND_OP, 3, 0, 0, 0);
  add_op(&older, "g", "c.c", 2, ZAPH_KIND_OP, 3, 0, 0, 0);
  add_op(&older, "h", "c.c", 3, ZAPH_KIND_OP, 0, 0, 0, 0);
  struct profile same_time = make_profile("same", "/a", "s", T1, T3, 0);
  add_op(&same_time, "h", "c.c", 3, ZAPH_KIND_OP, 3, 0, 0, 0);
  struct merged_profiles m;
  char *error;
  merge_init(&m);
  assert_int_equal(merge_add(&m, &newest, &error), 0);
  assert_int_equal(merge_add(&m, &older, &error), 0);
  assert_int_equal(merge_add(&m, &same_time, &error), 0);
  merge_finish(&m);
  assert_int_equal(m.ops[0].declared_tier, 1); /* the newer profile's, merged first */
  assert_int_equal(m.ops[1].declared_tier, 3); /* only the older one declares it */
  assert_int_equal(m.ops[2].declared_tier, 3); /* same end time: the later argument */
  merge_free(&m);
  free(newest.ops);
  free(older.ops);
  free(same_time.ops);
}

static void check_overflow(struct profile *second, const char *expected) {
  struct profile first = make_profile("first.prof", "/a", "s", T1, T2, UINT64_MAX - 1);
  add_op(&first, "f", "c.c", 1, ZAPH_KIND_OP, 0, UINT64_MAX - 1, UINT64_MAX - 2, UINT64_MAX - 3);
  struct merged_profiles m;
  char *error = NULL;
  merge_init(&m);
  assert_int_equal(merge_add(&m, &first, &error), 0);
  assert_int_equal(merge_add(&m, second, &error), -1);
  assert_string_equal(error, expected);
  free(error);
  merge_free(&m);
  free(first.ops);
}

static void overflowing_sums_are_errors(void **state) {
  (void)state;
  struct profile requests = make_profile("requests.prof", "/a", "s", T1, T2, 2);
  check_overflow(&requests, "counts overflow 64 bits when merging requests.prof");
  struct profile entries = make_profile("entries.prof", "/a", "s", T1, T2, 0);
  add_op(&entries, "f", "c.c", 1, ZAPH_KIND_OP, 0, 2, 0, 0);
  check_overflow(&entries, "counts overflow 64 bits when merging entries.prof");
  struct profile touching = make_profile("touching.prof", "/a", "s", T1, T2, 1);
  add_op(&touching, "f", "c.c", 1, ZAPH_KIND_OP, 0, 1, 3, 0);
  check_overflow(&touching, "counts overflow 64 bits when merging touching.prof");
  struct profile outside = make_profile("outside.prof", "/a", "s", T1, T2, 0);
  add_op(&outside, "f", "c.c", 1, ZAPH_KIND_OP, 0, 1, 0, 4);
  check_overflow(&outside, "counts overflow 64 bits when merging outside.prof");
  free(entries.ops);
  free(touching.ops);
  free(outside.ops);
}

static void the_largest_sums_still_merge(void **state) {
  (void)state;
  struct profile a = make_profile("a", "/a", "s", T1, T2, UINT64_MAX - 5);
  add_op(&a, "f", "c.c", 1, ZAPH_KIND_OP, 0, UINT64_MAX - 5, 0, 0);
  struct profile b = make_profile("b", "/a", "s", T1, T2, 5);
  add_op(&b, "f", "c.c", 1, ZAPH_KIND_OP, 0, 5, 5, 5);
  struct merged_profiles m;
  char *error;
  merge_init(&m);
  assert_int_equal(merge_add(&m, &a, &error), 0);
  assert_int_equal(merge_add(&m, &b, &error), 0);
  assert_true(m.total_requests == UINT64_MAX);
  assert_true(m.ops[0].entries == UINT64_MAX);
  assert_null(m.total_entries_overflow_file);
  merge_free(&m);
  free(a.ops);
  free(b.ops);
}

static void total_entries_overflow_is_remembered_not_reported(void **state) {
  (void)state;
  struct profile a = make_profile("a.prof", "/a", "s", T1, T2, 10);
  add_op(&a, "f", "c.c", 1, ZAPH_KIND_OP, 0, UINT64_MAX, 0, 0);
  struct profile b = make_profile("b.prof", "/a", "s", T1, T2, 10);
  add_op(&b, "g", "c.c", 2, ZAPH_KIND_OP, 0, 1, 0, 0);
  struct profile c = make_profile("c.prof", "/a", "s", T1, T2, 10);
  add_op(&c, "h", "c.c", 3, ZAPH_KIND_OP, 0, 1, 0, 0);
  struct merged_profiles m;
  char *error;
  merge_init(&m);
  assert_int_equal(merge_add(&m, &a, &error), 0);
  assert_null(m.total_entries_overflow_file);
  assert_int_equal(merge_add(&m, &b, &error), 0);
  assert_int_equal(merge_add(&m, &c, &error), 0);
  assert_string_equal(m.total_entries_overflow_file, "b.prof");
  merge_free(&m);
  free(a.ops);
  free(b.ops);
  free(c.ops);
}

static void many_ops_across_many_profiles(void **state) {
  (void)state;
  enum { OPS = 20000, PROFILES = 3 };
  static char names[OPS][16];
  struct merged_profiles m;
  char *error;
  merge_init(&m);
  for (int k = 0; k < PROFILES; k++) {
    struct profile p = make_profile("p", "/a", "s", T1, T2, 100);
    p.ops = calloc(OPS, sizeof *p.ops);
    /* Each profile lists the ops in another order. */
    for (int i = 0; i < OPS; i++) {
      int which = k == 1 ? OPS - 1 - i : i;
      snprintf(names[which], sizeof names[which], "op_%d", which);
      struct profile_op *op = &p.ops[p.op_count++];
      op->id.name = names[which];
      op->id.file = "big.c";
      op->id.line = (uint64_t)which;
      op->id.kind = ZAPH_KIND_OP;
      op->entries = (uint64_t)which + 1;
      op->requests_touching = 1;
    }
    assert_int_equal(merge_add(&m, &p, &error), 0);
    free(p.ops);
  }
  merge_finish(&m);
  assert_int_equal(m.op_count, OPS);
  for (int i = 0; i < OPS; i++) {
    char expected[16];
    snprintf(expected, sizeof expected, "op_%d", i);
    assert_string_equal(m.ops[i].id.name, expected);
    assert_int_equal(m.ops[i].entries, (uint64_t)(i + 1) * PROFILES);
    assert_int_equal(m.ops[i].requests_touching, PROFILES);
  }
  assert_int_equal(m.total_requests, 300);
  merge_free(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(merges_by_identity),
      cmocka_unit_test(programs_are_distinct_and_sorted),
      cmocka_unit_test(latest_declared_tier_wins),
      cmocka_unit_test(overflowing_sums_are_errors),
      cmocka_unit_test(the_largest_sums_still_merge),
      cmocka_unit_test(total_entries_overflow_is_remembered_not_reported),
      cmocka_unit_test(many_ops_across_many_profiles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
