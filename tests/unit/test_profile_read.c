/* Unit tests of profile_read.c: a valid profile read field by field, and every error message,
 * exactly, with the line it names. */
#include "unit_support.h"

#include "profile_read.h"
#include "zaph_profile.h"

#include <unistd.h>

/* Lines 1-8; the ops header is line 9 and op lines start at line 10. */
#define HEADER                                                                                 \
  "zaph-profile 1\nprogram\t/srv/app\npid\t41327\nhost\tbuild-07\n"                            \
  "start\t2026-11-24T09:12:03Z\nend\t2026-11-24T09:12:09Z\nsource\tload-test\n"                \
  "requests\t1500\n"

#define OP(fields) "op\t" fields "\n"

/* Parses len bytes as "t.prof"; returns the error message, or NULL on success. */
static char *parse_error(const char *data, size_t len) {
  FILE *stream = stream_with(data, len);
  struct profile profile;
  char *error = NULL;
  int rc = profile_parse(&profile, stream, "t.prof", &error);
  profile_free(&profile);
  fclose(stream);
  assert_true(rc == 0 ? error == NULL : error != NULL);
  return error;
}

static void check_error(const char *data, size_t len, const char *expected) {
  char *error = parse_error(data, len);
  if (!error)
    fail_msg("parsed without error, expected \"%s\"", expected);
  assert_string_equal(error, expected);
  free(error);
}

#define EXPECT_ERROR(literal, message) check_error(literal, sizeof literal - 1, message)

static void reads_every_field(void **state) {
  (void)state;
  static const char text[] = HEADER "ops\t3\n"
                                    OP("request\t0\t1500\t1500\t0\t88\tserver.c\thandle_request")
                                    OP("op\t1\t1603\t1421\t7\t31\tserver.c\tcache_get")
                                    OP("op\t3\t0\t0\t0\t4294967295\tdir\\twith tab.c\tns::f\\x01(int)")
                                    "end\t3\n";
  FILE *stream = stream_with(text, sizeof text - 1);
  struct profile p;
  char *error = NULL;
  assert_int_equal(profile_parse(&p, stream, "t.prof", &error), 0);
  assert_null(error);
  assert_string_equal(p.display_name, "t.prof");
  assert_int_equal(p.version, 1);
  assert_string_equal(p.program, "/srv/app");
  assert_int_equal(p.pid, 41327);
  assert_string_equal(p.host, "build-07");
  assert_string_equal(p.start, "2026-11-24T09:12:03Z");
  assert_string_equal(p.end, "2026-11-24T09:12:09Z");
  assert_string_equal(p.source, "load-test");
  assert_int_equal(p.requests, 1500);
  assert_int_equal(p.declared_ops, 3);
  assert_int_equal(p.op_count, 3);
  const struct profile_op *op = &p.ops[0];
  assert_string_equal(op->id.name, "handle_request");
  assert_string_equal(op->id.file, "server.c");
  assert_int_equal(op->id.line, 88);
  assert_int_equal(op->id.kind, ZAPH_KIND_REQUEST);
  assert_int_equal(op->declared_tier, 0);
  assert_int_equal(op->entries, 1500);
  assert_int_equal(op->requests_touching, 1500);
  assert_int_equal(op->entries_outside, 0);
  assert_int_equal(op->text_line, 10);
  op = &p.ops[1];
  assert_string_equal(op->id.name, "cache_get");
  assert_int_equal(op->id.kind, ZAPH_KIND_OP);
  assert_int_equal(op->declared_tier, 1);
  assert_int_equal(op->entries, 1603);
  assert_int_equal(op->requests_touching, 1421);
  assert_int_equal(op->entries_outside, 7);
  assert_int_equal(op->text_line, 11);
  op = &p.ops[2];
  assert_string_equal(op->id.name, "ns::f\x01(int)");
  assert_string_equal(op->id.file, "dir\twith tab.c");
  assert_true(op->id.line == UINT32_MAX);
  assert_int_equal(op->declared_tier, 3);
  assert_int_equal(op->text_line, 12);
  profile_free(&p);
  fclose(stream);
}

static void reads_escaped_header_text_and_no_ops(void **state) {
  (void)state;
  static const char text[] = "zaph-profile 1\nprogram\t/srv/my\\tapp\npid\t0\nhost\t\n"
                             "start\t2026-01-01T00:00:00Z\nend\t2026-12-31T23:59:60Z\n"
                             "source\tunspecified\nrequests\t007\nops\t0\nend\t0\n";
  FILE *stream = stream_with(text, sizeof text - 1);
  struct profile p;
  char *error = NULL;
  assert_int_equal(profile_parse(&p, stream, "t.prof", &error), 0);
  assert_string_equal(p.program, "/srv/my\tapp");
  assert_string_equal(p.host, "");
  assert_string_equal(p.source, "unspecified");
  assert_int_equal(p.requests, 7);
  assert_int_equal(p.op_count, 0);
  profile_free(&p);
  fclose(stream);
}

static void same_op_of_another_kind_is_no_duplicate(void **state) {
  (void)state;
  static const char text[] = HEADER "ops\t2\n" OP("op\t0\t5\t5\t0\t3\tc.c\tget")
      OP("request\t0\t5\t5\t0\t3\tc.c\tget") "end\t2\n";
  assert_null(parse_error(text, sizeof text - 1));
}

static void first_line_errors(void **state) {
  (void)state;
  EXPECT_ERROR("", "t.prof: empty file");
  EXPECT_ERROR("hello\n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("\n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("zaph-profile\n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("zaph-profile \n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("zaph-profile  1\n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("zaph-profile 1x\n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("zaph-profile -1\n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("zaph-profile 0\n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("zaph-profile 1\r\n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("zaph\0profile 1\n", "t.prof:1: not a zaph profile");
  EXPECT_ERROR("zaph-profile 3\n",
               "t.prof:1: format version 3 is newer than this zaph-report understands (2)");
  EXPECT_ERROR("zaph-profile 18446744073709551616\n",
               "t.prof:1: format version 18446744073709551616 is newer than this zaph-report "
               "understands (2)");
}

static void an_overlong_first_line_is_not_a_profile(void **state) {
  (void)state;
  size_t len = ZAPH_PROFILE_MAX_LINE + 10;
  char *data = malloc(len);
  memset(data, 'z', len);
  char *error = parse_error(data, len);
  assert_string_equal(error, "t.prof:1: not a zaph profile");
  free(error);
  free(data);
}

static void header_errors(void **state) {
  (void)state;
  EXPECT_ERROR("zaph-profile 1", "t.prof: truncated: missing header 'program'");
  EXPECT_ERROR("zaph-profile 1\n", "t.prof: truncated: missing header 'program'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npid\t1", "t.prof: truncated: missing header 'pid'");
  EXPECT_ERROR(HEADER, "t.prof: truncated: missing header 'ops'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npif\t3\n",
               "t.prof:3: expected header 'pid', found 'pif'");
  EXPECT_ERROR("zaph-profile 1\nhost\tx\n", "t.prof:2: expected header 'program', found 'host'");
  EXPECT_ERROR("zaph-profile 1\n\n", "t.prof:2: expected header 'program', found ''");
  EXPECT_ERROR("zaph-profile 1\nprogram\n", "t.prof:2: expected 2 fields, found 1");
  EXPECT_ERROR("zaph-profile 1\nprogram\ta\tb\n", "t.prof:2: expected 2 fields, found 3");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\\q\n",
               "t.prof:2: invalid escape in field 'program'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\\x00b\n",
               "t.prof:2: escaped NUL byte in field 'program'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npid\t-3\n", "t.prof:3: invalid number in field 'pid'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npid\t\n", "t.prof:3: invalid number in field 'pid'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npid\t+3\n", "t.prof:3: invalid number in field 'pid'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npid\t 3\n", "t.prof:3: invalid number in field 'pid'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npid\t1\nhost\th\nstart\t2026-13-24T09:12:03Z\n",
               "t.prof:5: invalid time in field 'start'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npid\t1\nhost\th\nstart\t2026-11-24T09:12:03Z\n"
               "end\t2026-11-24 09:12:09Z\n",
               "t.prof:6: invalid time in field 'end'");
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npid\t1\nhost\th\nstart\t2026-11-24T09:12:03Z\n"
               "end\t2026-11-24T09:12:09\n",
               "t.prof:6: invalid time in field 'end'");
  EXPECT_ERROR(HEADER "ops\tmany\n", "t.prof:9: invalid number in field 'ops'");
}

static void requests_must_fit_in_64_bits(void **state) {
  (void)state;
  EXPECT_ERROR("zaph-profile 1\nprogram\t/a\npid\t1\nhost\th\nstart\t2026-11-24T09:12:03Z\n"
               "end\t2026-11-24T09:12:09Z\nsource\ts\nrequests\t18446744073709551616\n",
               "t.prof:8: invalid number in field 'requests'");
  static const char largest[] =
      "zaph-profile 1\nprogram\t/a\npid\t1\nhost\th\nstart\t2026-11-24T09:12:03Z\n"
      "end\t2026-11-24T09:12:09Z\nsource\ts\nrequests\t18446744073709551615\nops\t0\nend\t0\n";
  assert_null(parse_error(largest, sizeof largest - 1));
}

static void op_line_errors(void **state) {
  (void)state;
  EXPECT_ERROR(HEADER "ops\t2\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf"),
               "t.prof: truncated: missing 'end' line after 1 of 2 ops");
  EXPECT_ERROR(HEADER "ops\t2\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") "op\top\t0\t1",
               "t.prof: truncated: missing 'end' line after 1 of 2 ops");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") "end\t1",
               "t.prof: truncated: missing 'end' line after 1 of 1 ops");
  EXPECT_ERROR(HEADER "ops\t2\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") "end\t2\n",
               "t.prof:11: 'end' line after 1 of 2 ops");
  EXPECT_ERROR(HEADER "ops\t18446744073709551615\nend\t18446744073709551615\n",
               "t.prof:10: 'end' line after 0 of 18446744073709551615 ops");
  EXPECT_ERROR(HEADER "ops\t1\nxop\top\t0\t1\t1\t0\t3\tc.c\tf\n",
               "t.prof:10: expected 'op' line, found 'xop'");
  EXPECT_ERROR(HEADER "ops\t1\n"
                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\x01\n",
               "t.prof:10: expected 'op' line, found "
               "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
  EXPECT_ERROR(HEADER "ops\t1\nop\x01\n", "t.prof:10: expected 'op' line, found 'op\\x01'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c"),
               "t.prof:10: expected 9 fields, found 8");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf\textra"),
               "t.prof:10: expected 9 fields, found 10");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("func\t0\t1\t1\t0\t3\tc.c\tf"),
               "t.prof:10: invalid kind 'func' (expected op or request)");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t4\t1\t1\t0\t3\tc.c\tf"),
               "t.prof:10: invalid tier '4' (expected 0, 1, 2 or 3)");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\tx\t1\t1\t0\t3\tc.c\tf"),
               "t.prof:10: invalid tier 'x' (expected 0, 1, 2 or 3)");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1x\t1\t0\t3\tc.c\tf"),
               "t.prof:10: invalid number in field 'entries'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t18446744073709551616\t1\t0\t3\tc.c\tf"),
               "t.prof:10: invalid number in field 'entries'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t\t0\t3\tc.c\tf"),
               "t.prof:10: invalid number in field 'requests_touching'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t-0\t3\tc.c\tf"),
               "t.prof:10: invalid number in field 'entries_outside'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3.5\tc.c\tf"),
               "t.prof:10: invalid number in field 'line'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc\\.c\tf"),
               "t.prof:10: invalid escape in field 'file'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf\\x0"),
               "t.prof:10: invalid escape in field 'name'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf\\x00"),
               "t.prof:10: escaped NUL byte in field 'name'");
  EXPECT_ERROR(HEADER "ops\t1\nop\top\t0\t1\t1\t0\t3\tc.c\tf\0\n", "t.prof:10: NUL byte");
}

static void an_overlong_op_line_is_refused(void **state) {
  (void)state;
  size_t head = strlen(HEADER "ops\t1\nop\top\t0\t1\t1\t0\t3\tc.c\t");
  size_t len = head + ZAPH_PROFILE_MAX_LINE + 1;
  char *data = malloc(len);
  memcpy(data, HEADER "ops\t1\nop\top\t0\t1\t1\t0\t3\tc.c\t", head);
  memset(data + head, 'n', len - head - 1);
  data[len - 1] = '\n';
  char *error = parse_error(data, len);
  assert_string_equal(error, "t.prof:10: line too long");
  free(error);
  free(data);
}

/* What the runtime's merge-mode reader reads the same way (test_profile_merge.c,
 * one_grammar_with_zaph_report): one grammar, format/profile_grammar.c. */
static void one_grammar_with_the_runtime(void **state) {
  (void)state;
  /* An empty text field is a value like any other. */
  static const char empty_file[] = HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\t\tf") "end\t1\n";
  char *error = parse_error(empty_file, sizeof empty_file - 1);
  assert_null(error);
  /* The end line repeats the count exactly; nothing follows it. */
  EXPECT_ERROR(HEADER "ops\t0\nend\t7\n", "t.prof:10: 'end' line says 7 ops, the header says 0");
  EXPECT_ERROR(HEADER "ops\t0\nend\n", "t.prof:10: expected 2 fields, found 1");
  EXPECT_ERROR(HEADER "ops\t0\nend\t0\nend\t0\n", "t.prof:11: data after the 'end' line");
  /* Times have exactly the writer's form. */
  EXPECT_ERROR("zaph-profile 1\nprogram\t/srv/app\npid\t41327\nhost\tbuild-07\n"
               "start\t2026-1-2T3:04:05Z\n",
               "t.prof:5: invalid time in field 'start'");
  /* A line number has the width of the ABI's. */
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t4294967296\tc.c\tf") "end\t1\n",
               "t.prof:10: invalid number in field 'line'");
}

static void invariant_errors(void **state) {
  (void)state;
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t2000\t1501\t0\t3\tc.c\tf") "end\t1\n",
               "t.prof:10: requests_touching (1501) exceeds requests (1500)");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t4\t5\t0\t3\tc.c\tf") "end\t1\n",
               "t.prof:10: requests_touching (5) exceeds entries (4)");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t4\t4\t5\t3\tc.c\tf") "end\t1\n",
               "t.prof:10: entries_outside (5) exceeds entries (4)");
}

static void duplicate_errors(void **state) {
  (void)state;
  EXPECT_ERROR(HEADER "ops\t3\n" OP("op\t0\t1\t1\t0\t3\tc.c\tget") OP("op\t0\t1\t1\t0\t3\tc.c\tget")
                   OP("op\t0\t1\t1\t0\t3\tc.c\tget") "end\t3\n",
               "t.prof:11: duplicate op 'get' (c.c:3)");
  EXPECT_ERROR(HEADER "ops\t3\n" OP("op\t0\t1\t1\t0\t1\tb.c\tx") OP("op\t0\t1\t1\t0\t1\ta.c\ty")
                   OP("op\t0\t1\t1\t0\t1\tb.c\tx") "end\t3\n",
               "t.prof:12: duplicate op 'x' (b.c:1)");
  /* Unsorted, two repeated ops: the first line that repeats one is named. */
  EXPECT_ERROR(HEADER "ops\t4\n" OP("op\t0\t1\t1\t0\t1\tz.c\tz") OP("op\t0\t1\t1\t0\t1\ta.c\ta")
                   OP("op\t0\t1\t1\t0\t1\tz.c\tz") OP("op\t0\t1\t1\t0\t1\ta.c\ta") "end\t4\n",
               "t.prof:12: duplicate op 'z' (z.c:1)");
  EXPECT_ERROR(HEADER "ops\t2\n" OP("op\t0\t1\t1\t0\t7\tdir\\ta.c\tf\\n") OP("op\t0\t1\t1\t0\t7\tdir\\ta.c\tf\\n")
                   "end\t2\n",
               "t.prof:11: duplicate op 'f\\n' (dir\\ta.c:7)");
}

static void end_line_errors(void **state) {
  (void)state;
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") OP("op\t0\t1\t1\t0\t4\tc.c\tg"),
               "t.prof:11: expected 'end' line, found 'op'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") "end\t2\n",
               "t.prof:11: 'end' line says 2 ops, the header says 1");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") "end\n",
               "t.prof:11: expected 2 fields, found 1");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") "end\tone\n",
               "t.prof:11: invalid number in field 'end'");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") "end\t1\n\n",
               "t.prof:12: data after the 'end' line");
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") "end\t1\nx",
               "t.prof:12: data after the 'end' line");
  EXPECT_ERROR(HEADER "ops\t0\nend\t0\nend\t0\n", "t.prof:11: data after the 'end' line");
}

static void load_names_the_file(void **state) {
  (void)state;
  struct profile p;
  char *error = NULL;
  assert_int_equal(profile_load(&p, "/nonexistent/x.prof", &error), -1);
  assert_string_equal(error, "/nonexistent/x.prof: cannot open: No such file or directory");
  profile_free(&p);
  free(error);
  char dir[] = "/tmp/zaph-test-XXXXXX";
  assert_non_null(mkdtemp(dir));
  assert_int_equal(profile_load(&p, dir, &error), -1);
  char *expected = malloc(strlen(dir) + 32);
  sprintf(expected, "%s: is a directory", dir);
  assert_string_equal(error, expected);
  free(expected);
  free(error);
  profile_free(&p);
  rmdir(dir);
}

static void load_reads_a_file(void **state) {
  (void)state;
  char path[] = "/tmp/zaph-test-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  static const char text[] = HEADER "ops\t0\nend\t0\n";
  assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
  close(fd);
  struct profile p;
  char *error = NULL;
  assert_int_equal(profile_load(&p, path, &error), 0);
  assert_null(error);
  assert_string_equal(p.display_name, path);
  assert_int_equal(p.requests, 1500);
  profile_free(&p);
  unlink(path);
}

/* The duplicate check: sorted and unsorted op lists, with and without repeats, and which line
 * is named when several identities repeat. */
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

/* Version 2: lines 1-8 as HEADER, ops on line 9, timed on 10, clock_hz on 11, op lines from 12. */
#define HEADER_TIMED(ops, timed)                                                               \
  "zaph-profile 2\nprogram\t/srv/app\npid\t41327\nhost\tbuild-07\n"                            \
  "start\t2026-11-24T09:12:03Z\nend\t2026-11-24T09:12:09Z\nsource\tload-test\n"                \
  "requests\t1500\nops\t" ops "\ntimed\t" timed "\nclock_hz\t2794748000\n"
#define TWO_OPS OP("op\t0\t1600\t900\t0\t10\tshop.c\tcache_get") OP("op\t0\t40\t40\t0\t11\tshop.c\tload")
#define TIMING(fields) "timing\t" fields "\n"

static void reads_timing_lines(void **state) {
  (void)state;
  static const char data[] = HEADER_TIMED("2", "1") TWO_OPS
      TIMING("1\t16\t500\t100\t99\t19800\t1000\t92:90,190:9") "end\t2\n";
  FILE *stream = stream_with(data, sizeof data - 1);
  struct profile profile;
  char *error = NULL;
  assert_int_equal(profile_parse(&profile, stream, "t.prof", &error), 0);
  fclose(stream);
  assert_int_equal(profile.version, 2);
  assert_int_equal(profile.clock_hz, 2794748000u);
  assert_null(profile.ops[0].timing);
  const struct op_timing *t = profile.ops[1].timing;
  assert_non_null(t);
  assert_int_equal(t->every, 16);
  assert_int_equal(t->target, 500);
  assert_int_equal(t->started, 100);
  assert_int_equal(t->samples, 99);
  assert_int_equal(t->total, 19800);
  assert_int_equal(t->max, 1000);
  assert_int_equal(t->counts[92], 90);
  assert_int_equal(t->counts[190], 9);
  assert_int_equal(latency_samples(t->counts), 99);
  profile_free(&profile);
}

static void timing_line_errors(void **state) {
  (void)state;
  /* A version-1 profile has no timing lines, a version-2 one at least one. */
  EXPECT_ERROR(HEADER "ops\t1\n" OP("op\t0\t1\t1\t0\t3\tc.c\tf") TIMING("0\t1\t0\t0\t0\t0\t0\t")
               "end\t1\n",
               "t.prof:11: expected 'end' line, found 'timing'");
  EXPECT_ERROR(HEADER_TIMED("2", "0"),
               "t.prof:10: header 'timed' is 0 (a profile without timing is version 1)");
  EXPECT_ERROR("zaph-profile 2\nprogram\t/srv/app\npid\t41327\nhost\tbuild-07\n"
               "start\t2026-11-24T09:12:03Z\nend\t2026-11-24T09:12:09Z\nsource\tload-test\n"
               "requests\t1500\nops\t2\nclock_hz\t1\n",
               "t.prof:10: expected header 'timed', found 'clock_hz'");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS, "t.prof: truncated: missing timing lines after 0 of 1");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS "end\t2\n",
               "t.prof:14: expected 'timing' line, found 'end'");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t1\t0\t0\t0\t0\t0") "end\t2\n",
               "t.prof:14: expected 9 fields, found 8");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t1\t0\t0\t0\t0\tmany\t") "end\t2\n",
               "t.prof:14: invalid number in field 'max'");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("2\t1\t0\t0\t0\t0\t0\t") "end\t2\n",
               "t.prof:14: timing line names op 2 of 2 op lines (counted from 0)");
  EXPECT_ERROR(HEADER_TIMED("2", "2") TWO_OPS TIMING("1\t1\t0\t0\t0\t0\t0\t")
               TIMING("1\t1\t0\t0\t0\t0\t0\t") "end\t2\n",
               "t.prof:15: timing line names op 1 after op 1 (expected ascending, one line per op)");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t3\t0\t0\t0\t0\t0\t") "end\t2\n",
               "t.prof:14: invalid 'every' '3' (expected a power of two, 1 to 65536)");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t0\t0\t0\t0\t0\t0\t") "end\t2\n",
               "t.prof:14: invalid 'every' '0' (expected a power of two, 1 to 65536)");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t131072\t0\t0\t0\t0\t0\t") "end\t2\n",
               "t.prof:14: invalid 'every' '131072' (expected a power of two, 1 to 65536)");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t1\t0\t1\t2\t80\t40\t40:2") "end\t2\n",
               "t.prof:14: samples (2) exceeds started (1)");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t1\t0\t0\t0\t1\t0\t") "end\t2\n",
               "t.prof:14: total and max must be 0 when samples is 0");
#define BAD_PAIR(buckets, pair)                                                                \
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t1\t0\t2\t2\t80\t40\t" buckets)       \
               "end\t2\n",                                                                     \
               "t.prof:14: invalid histogram pair '" pair "' (expected bucket:count, buckets " \
               "ascending below 1152, counts above 0)")
  BAD_PAIR("40", "40");
  BAD_PAIR("40:0", "40:0");
  BAD_PAIR("1152:2", "1152:2");
  BAD_PAIR("x:2", "x:2");
  BAD_PAIR("40:1,39:1", "39:1");
  BAD_PAIR("40:1,40:1", "40:1");
  BAD_PAIR("40:2,", ",");
  BAD_PAIR(",40:2", "");
#undef BAD_PAIR
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t1\t0\t3\t3\t80\t40\t40:2") "end\t2\n",
               "t.prof:14: histogram counts sum to 2, samples is 3");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t1\t0\t2\t2\t80\t41\t40:2") "end\t2\n",
               "t.prof:14: max (41) is not in the last histogram bucket (40)");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t1\t0\t2\t2\t78\t40\t39:1,40:1") "end\t2\n",
               "t.prof:14: total (78) does not fit the histogram and max");
  EXPECT_ERROR(HEADER_TIMED("2", "1") TWO_OPS TIMING("0\t1\t0\t2\t2\t81\t40\t40:2") "end\t2\n",
               "t.prof:14: total (81) does not fit the histogram and max");
  /* At the edges: the last bucket holds every duration from 2^40 ns on. */
  static const char huge[] = HEADER_TIMED("2", "1") TWO_OPS
      TIMING("0\t65536\t1\t2\t1\t18446744073709551615\t18446744073709551615\t1151:1") "end\t2\n";
  assert_null(parse_error(huge, sizeof huge - 1));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reads_every_field),
      cmocka_unit_test(reads_escaped_header_text_and_no_ops),
      cmocka_unit_test(same_op_of_another_kind_is_no_duplicate),
      cmocka_unit_test(first_line_errors),
      cmocka_unit_test(an_overlong_first_line_is_not_a_profile),
      cmocka_unit_test(header_errors),
      cmocka_unit_test(requests_must_fit_in_64_bits),
      cmocka_unit_test(op_line_errors),
      cmocka_unit_test(an_overlong_op_line_is_refused),
      cmocka_unit_test(invariant_errors),
      cmocka_unit_test(one_grammar_with_the_runtime),
      cmocka_unit_test(duplicate_errors),
      cmocka_unit_test(end_line_errors),
      cmocka_unit_test(load_names_the_file),
      cmocka_unit_test(load_reads_a_file),
      cmocka_unit_test(no_ops_and_one_op),
      cmocka_unit_test(sorted_without_repeats),
      cmocka_unit_test(sorted_with_repeats),
      cmocka_unit_test(unsorted_without_repeats),
      cmocka_unit_test(unsorted_with_repeats_names_the_earliest_line),
      cmocka_unit_test(a_repeat_before_the_order_breaks),
      cmocka_unit_test(reads_timing_lines),
      cmocka_unit_test(timing_line_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
