/* Unit tests of runtime/profile_merge.c: a profile read back is added by identity, a file that
 * is not a whole version-1 profile is refused with its line and nothing of it is added, and
 * subtracting what was merged before leaves the difference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "runtime_test_support.h"

static char path[] = "/tmp/zaph-merge-XXXXXX";

static void write_file(const char *text) {
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

static void base_profile(struct profile *p) {
  memset(p, 0, sizeof *p);
  p->start = 2000000000;
  p->requests = 10;
  p->source = strdup("load-test");
  struct profile_op a = {.name = "a", .file = "x.c", .line = 1, .kind = ZAPH_KIND_OP, .entries = 7, .requests_touching = 5, .entries_outside = 1};
  zaph_profile_add_op(p, &a);
}

#define GOOD_HEADER                                                                            \
  "zaph-profile 1\nprogram\t/bin/x\npid\t1\nhost\th\nstart\t2020-01-01T00:00:00Z\n"            \
  "end\t2020-01-01T00:00:01Z\n"

static void adds_a_file_by_identity(void **state) {
  (void)state;
  struct profile p;
  unsigned line = 99;
  const char *problem = NULL;
  base_profile(&p);
  write_file(GOOD_HEADER "source\tproduction\nrequests\t4\nops\t2\n"
                         "op\top\t0\t3\t2\t0\t1\tx.c\ta\n"
                         "op\top\t2\t9\t4\t1\t5\ty.c\tb\\tc\n"
                         "end\t2\n");
  assert_int_equal(zaph_profile_merge_file(&p, path, &line, &problem), 0);
  assert_int_equal(p.requests, 14);
  assert_int_equal(p.start, 1577836800); /* the earlier start */
  assert_string_equal(p.source, "mixed");
  assert_int_equal(p.n_ops, 2);
  assert_string_equal(p.ops[0].name, "a");
  assert_int_equal(p.ops[0].entries, 10);
  assert_int_equal(p.ops[0].requests_touching, 7);
  assert_int_equal(p.ops[0].entries_outside, 1);
  assert_string_equal(p.ops[1].name, "b\tc");
  assert_int_equal(p.ops[1].tier, 2);
  assert_int_equal(p.ops[1].entries, 9);
  zaph_profile_free(&p);
}

/* Version 2: the timing lines add up with the process's own, histogram and all. */
static void adds_timing_lines(void **state) {
  (void)state;
  struct profile p;
  unsigned line = 99;
  const char *problem = NULL;
  base_profile(&p);
  uint64_t mine[ZAPH_TIMED_BUCKETS] = {[40] = 2, [92] = 1};
  p.ops[0].counts = malloc(sizeof mine);
  memcpy(p.ops[0].counts, mine, sizeof mine);
  p.ops[0].every = 4;
  p.ops[0].started = 4;
  p.ops[0].samples = 3;
  p.ops[0].total = 200;
  p.ops[0].max = 120;
  write_file("zaph-profile 2\nprogram\t/bin/x\npid\t1\nhost\th\nstart\t2020-01-01T00:00:00Z\n"
             "end\t2020-01-01T00:00:01Z\nsource\tload-test\nrequests\t4\nops\t2\ntimed\t2\n"
             "clock_hz\t2794748000\n"
             "op\top\t0\t3\t2\t0\t1\tx.c\ta\n"
             "op\top\t0\t9\t4\t1\t5\ty.c\tb\n"
             "timing\t0\t4\t500\t2\t1\t1000\t1000\t190:1\n"
             "timing\t1\t1\t0\t9\t9\t360\t40\t40:9\n"
             "end\t2\n");
  assert_int_equal(zaph_profile_merge_file(&p, path, &line, &problem), 0);
  assert_int_equal(p.clock_hz, 2794748000u);
  assert_int_equal(p.n_ops, 2);
  const struct profile_op *a = &p.ops[0], *b = &p.ops[1];
  assert_string_equal(a->name, "a");
  assert_non_null(a->counts);
  assert_int_equal(a->started, 6);
  assert_int_equal(a->samples, 4);
  assert_int_equal(a->total, 1200);
  assert_int_equal(a->max, 1000);
  assert_int_equal(a->target, 500);
  assert_int_equal(a->counts[40], 2);
  assert_int_equal(a->counts[92], 1);
  assert_int_equal(a->counts[190], 1);
  assert_string_equal(b->name, "b");
  assert_non_null(b->counts);
  assert_int_equal(b->samples, 9);
  assert_int_equal(b->counts[40], 9);
  /* and the text says so, a version-2 profile */
  size_t len;
  char *text = zaph_profile_format(&p, &len);
  assert_non_null(strstr(text, "zaph-profile 2\n"));
  assert_non_null(strstr(text, "\ntimed\t2\nclock_hz\t2794748000\n"));
  assert_non_null(strstr(text, "\ntiming\t0\t4\t500\t6\t4\t1200\t1000\t40:2,92:1,190:1\n"
                               "timing\t1\t1\t0\t9\t9\t360\t40\t40:9\nend\t2\n"));
  free(text);
  zaph_profile_free(&p);
}

static void check_refusal(const char *text, unsigned want_line, const char *want_problem) {
  struct profile p;
  unsigned line = 0;
  const char *problem = NULL;
  base_profile(&p);
  write_file(text);
  assert_int_equal(zaph_profile_merge_file(&p, path, &line, &problem), -1);
  assert_int_equal(line, want_line);
  assert_string_equal(problem, want_problem);
  assert_int_equal(p.n_ops, 1); /* nothing of the file was added */
  assert_int_equal(p.ops[0].entries, 7);
  assert_int_equal(p.requests, 10);
  zaph_profile_free(&p);
}

static void refuses_bad_files_with_their_line(void **state) {
  (void)state;
  check_refusal("hello\n", 1, "not a zaph profile");
  check_refusal("zaph-profile 3\n", 1,
                "format version 3 is newer than this runtime understands (2)");
  check_refusal(GOOD_HEADER "source\tx\nrequests\tmany\n", 8,
                "invalid number in field 'requests'");
  check_refusal(GOOD_HEADER "source\tx\nrequests\t4\nops\t1\nop\top\t0\t3\t5\t0\t1\tx.c\ta\n", 10,
                "requests_touching (5) exceeds requests (4)");
  check_refusal(GOOD_HEADER "source\tx\nrequests\t4\nops\t1\nop\top\t0\t3\t2\t0\t1\tx.c\ta\n", 0,
                "truncated: missing 'end' line after 1 of 1 ops");
  check_refusal(GOOD_HEADER "source\tx\nrequests\t4\nops\t0\nend\t0\nmore\n", 11,
                "data after the 'end' line");
}

/* What zaph-report's reader reads the same way (test_profile_read.c,
 * one_grammar_with_the_runtime), and what the runtime used to read otherwise. */
static void one_grammar_with_zaph_report(void **state) {
  (void)state;
  /* An empty text field is a value like any other (strtok() used to merge it away). */
  struct profile p;
  unsigned line = 0;
  const char *problem = NULL;
  base_profile(&p);
  write_file(GOOD_HEADER "source\tx\nrequests\t4\nops\t1\nop\top\t0\t3\t2\t0\t1\t\tb\nend\t1\n");
  assert_int_equal(zaph_profile_merge_file(&p, path, &line, &problem), 0);
  assert_int_equal(p.n_ops, 2);
  assert_string_equal(p.ops[0].file, "");
  assert_string_equal(p.ops[0].name, "b");
  assert_int_equal(p.ops[0].entries, 3);
  zaph_profile_free(&p);
  /* The end line repeats the count exactly (any "end\t..." used to do). */
  check_refusal(GOOD_HEADER "source\tx\nrequests\t4\nops\t0\nend\t7\n", 10,
                "'end' line says 7 ops, the header says 0");
  check_refusal(GOOD_HEADER "source\tx\nrequests\t4\nops\t0\nend\tx\n", 10,
                "invalid number in field 'end'");
  /* Times have exactly the writer's form (strptime() took one-digit fields and spaces). */
  check_refusal("zaph-profile 1\nprogram\t/bin/x\npid\t1\nhost\th\nstart\t2020-1-1T0:0:0Z\n", 5,
                "invalid time in field 'start'");
  check_refusal("zaph-profile 1\nprogram\t/bin/x\npid\t1\nhost\th\nstart\t2020-01-01T01:00:00Z\n"
                "end\t2020-01-01T00:00:00Z\n", 6,
                "start 2020-01-01T01:00:00Z is after end 2020-01-01T00:00:00Z (more than the 300 "
                "seconds allowed for clock skew)");
  /* A line number over 2^32-1, and an op listed twice, are refused (they used to be cut and
   * summed). */
  check_refusal(GOOD_HEADER "source\tx\nrequests\t4\nops\t1\nop\top\t0\t3\t2\t0\t4294967296\tx.c\ta\n"
                "end\t1\n", 10, "invalid number in field 'line'");
  check_refusal(GOOD_HEADER "source\tx\nrequests\t4\nops\t2\nop\top\t0\t3\t2\t0\t9\tx.c\tb\n"
                "op\top\t0\t3\t2\t0\t9\tx.c\tb\nend\t2\n", 0, "duplicate op 'b' (x.c:9)");
  /* A sum over 64 bits is refused, never saturated: the file is left as it is. */
  check_refusal(GOOD_HEADER "source\tx\nrequests\t4\nops\t1\n"
                "op\top\t0\t18446744073709551610\t2\t0\t1\tx.c\ta\nend\t1\n", 0,
                "counts of 'a' overflow 64 bits when added");
  check_refusal(GOOD_HEADER "source\tx\nrequests\t18446744073709551610\nops\t0\nend\t0\n", 0,
                "requests overflow 64 bits when added");
}

static void a_missing_file_is_not_an_error(void **state) {
  (void)state;
  struct profile p;
  unsigned line = 0;
  const char *problem = NULL;
  base_profile(&p);
  unlink(path);
  assert_int_equal(zaph_profile_merge_file(&p, path, &line, &problem), 1);
  assert_int_equal(p.n_ops, 1);
  zaph_profile_free(&p);
}

static void subtracts_what_was_merged_before(void **state) {
  (void)state;
  struct profile now, before;
  base_profile(&now);
  base_profile(&before);
  now.requests = 25;
  now.ops[0].entries = 20;
  now.ops[0].requests_touching = 9;
  now.ops[0].entries_outside = 1;
  struct profile_op fresh = {.name = "z", .file = "z.c", .line = 3, .kind = ZAPH_KIND_OP, .entries = 4, .entries_outside = 4};
  zaph_profile_add_op(&now, &fresh);
  zaph_profile_subtract(&now, &before);
  assert_int_equal(now.requests, 15);
  assert_int_equal(now.ops[0].entries, 13);
  assert_int_equal(now.ops[0].requests_touching, 4);
  assert_int_equal(now.ops[0].entries_outside, 0);
  assert_int_equal(now.ops[1].entries, 4);
  zaph_profile_free(&now);
  zaph_profile_free(&before);
}

int main(void) {
  int fd = mkstemp(path);
  if (fd < 0)
    return 1;
  close(fd);
  setenv("ZAPH_PROFILE_FILE", "/dev/null", 1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(adds_a_file_by_identity),
      cmocka_unit_test(adds_timing_lines),
      cmocka_unit_test(refuses_bad_files_with_their_line),
      cmocka_unit_test(one_grammar_with_zaph_report),
      cmocka_unit_test(a_missing_file_is_not_an_error),
      cmocka_unit_test(subtracts_what_was_merged_before),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  unlink(path);
  return failed;
}
