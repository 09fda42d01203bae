/* Unit tests of the list-file matcher (list/list.c): the grammar and the exact text of each
 * malformed line, globs on names and files, exclusion, declared tiers, requests, and the lines
 * that matched nothing. */
#include "unit_support.h"

#include "zaph_abi.h"
#include "zaph_list.h"
#include "zaph_profile.h"

static char error[512];

static struct zaph_list *parse(const char *text) {
  error[0] = '\0';
  return zaph_list_parse("ops.list", text, error, sizeof error);
}

static void refused(const char *text, const char *message) {
  struct zaph_list *list = parse(text);
  assert_null(list);
  assert_string_equal(error, message);
}

static void reports_malformed_lines_with_file_and_line(void **state) {
  (void)state;
  refused("fun:a\n\nfn:b\n", "ops.list:3: unknown kind 'fn' (expected fun, src or request)");
  refused("lookup\n", "ops.list:1: expected KIND:PATTERN, got 'lookup'");
  refused("fun :a\n", "ops.list:1: expected KIND:PATTERN, got 'fun'");
  refused("# c\nsrc:\n", "ops.list:2: empty pattern after 'src:'");
  refused("fun:a tier=4\n", "ops.list:1: invalid tier '4': a tier is 1, 2 or 3");
  refused("fun:a tier=\n", "ops.list:1: invalid tier '': a tier is 1, 2 or 3");
  refused("fun:a tier=12\n", "ops.list:1: invalid tier '12': a tier is 1, 2 or 3");
  refused("fun:a b\n",
          "ops.list:1: unexpected 'b' after the pattern (known: tier=N, timed, timed=N)");
  refused("fun:a tier=1 x\n",
          "ops.list:1: unexpected 'x' after the pattern (known: tier=N, timed, timed=N)");
  refused("!fun:a tier=1\n", "ops.list:1: an exclusion takes no options ('tier=1')");
  refused("!fun:a timed\n", "ops.list:1: an exclusion takes no options ('timed')");
  refused("fun:a timed=3\n", "ops.list:1: invalid sampling '3': timed=N times one entry in N, "
                              "a power of two from 1 to 65536");
  refused("fun:a timed=131072\n", "ops.list:1: invalid sampling '131072': timed=N times one "
                                   "entry in N, a power of two from 1 to 65536");
  refused("fun:a timed=08\n", "ops.list:1: invalid sampling '08': timed=N times one entry in "
                               "N, a power of two from 1 to 65536");
  refused("fun:a timed=\n", "ops.list:1: unexpected 'timed=' after the pattern (known: tier=N, "
                             "timed, timed=N)");
  refused("!bad:a\n", "ops.list:1: unknown kind 'bad' (expected fun, src or request)");
}

static void reports_an_unreadable_file(void **state) {
  (void)state;
  assert_null(zaph_list_read("/nonexistent/ops.list", error, sizeof error));
  assert_string_equal(error, "/nonexistent/ops.list: cannot read: No such file or directory");
}

static void reads_comments_blank_lines_and_globs(void **state) {
  (void)state;
  unsigned kind, tier;
  struct zaph_list *list = parse("# ops.list\n\n  fun:sqlite3_step   # an op\r\n"
                                 "fun:sqlite3Btree*\nfun:a?c\n");
  assert_non_null(list);
  assert_true(zaph_list_match(list, "sqlite3_step", "main.c", &kind, &tier));
  assert_int_equal(kind, ZAPH_KIND_OP);
  assert_int_equal(tier, 0);
  assert_true(zaph_list_match(list, "sqlite3BtreeNext", "b.c", &kind, &tier));
  assert_true(zaph_list_match(list, "abc", "b.c", &kind, &tier));
  assert_false(zaph_list_match(list, "abbc", "b.c", &kind, &tier));
  assert_false(zaph_list_match(list, "sqlite3_step2", "main.c", &kind, &tier));
  zaph_list_free(list);
}

static void matches_source_files(void **state) {
  (void)state;
  unsigned kind, tier;
  struct zaph_list *list = parse("src:src/storage/*.c\n");
  assert_non_null(list);
  assert_true(zaph_list_match(list, "f", "src/storage/page.c", &kind, &tier));
  assert_true(zaph_list_match(list, "f", "./src/storage/page.c", &kind, &tier));
  assert_false(zaph_list_match(list, "f", "src/net/socket.c", &kind, &tier));
  assert_false(zaph_list_match(list, "src/storage/page.c", "x.c", &kind, &tier));
  zaph_list_free(list);
}

static void excludes_whatever_else_matches(void **state) {
  (void)state;
  unsigned kind, tier;
  struct zaph_list *list = parse("!fun:*_debug\nsrc:*.c\nfun:dump_debug tier=1\n");
  assert_non_null(list);
  assert_false(zaph_list_match(list, "dump_debug", "a.c", &kind, &tier));
  assert_int_equal(tier, 0);
  assert_true(zaph_list_match(list, "dump", "a.c", &kind, &tier));
  zaph_list_free(list);
}

static void declares_tiers_and_requests(void **state) {
  (void)state;
  unsigned kind, tier;
  struct zaph_list *list =
      parse("fun:lookup tier=1\nrequest:handle_request\nfun:handle_* tier=3\n");
  assert_non_null(list);
  assert_true(zaph_list_match(list, "lookup", "a.c", &kind, &tier));
  assert_int_equal(kind, ZAPH_KIND_OP);
  assert_int_equal(tier, 1);
  assert_true(zaph_list_match(list, "handle_request", "a.c", &kind, &tier));
  assert_int_equal(kind, ZAPH_KIND_REQUEST);
  assert_int_equal(tier, 3);
  zaph_list_free(list);
}

static void collect(const char *message, void *context) {
  char *all = context;
  strcat(all, message);
  strcat(all, "\n");
}

static void names_the_lines_that_matched_nothing(void **state) {
  (void)state;
  unsigned kind, tier;
  char all[1024] = "";
  struct zaph_list *list = parse("fun:used\n# note\nfun:unused tier=2  # never\n!src:gen/*\n");
  assert_non_null(list);
  assert_true(zaph_list_match(list, "used", "a.c", &kind, &tier));
  zaph_list_unmatched(list, collect, all);
  assert_string_equal(all, "ops.list:3: 'fun:unused tier=2' matched no function\n"
                           "ops.list:4: '!src:gen/*' matched no function\n");
  zaph_list_free(list);
}

static void verbose_only_when_asked(void **state) {
  (void)state;
  unsetenv(ZAPH_LIST_VERBOSE_ENV);
  assert_false(zaph_list_verbose());
  setenv(ZAPH_LIST_VERBOSE_ENV, "0", 1);
  assert_false(zaph_list_verbose());
  setenv(ZAPH_LIST_VERBOSE_ENV, "1", 1);
  assert_true(zaph_list_verbose());
  unsetenv(ZAPH_LIST_VERBOSE_ENV);
}

/* timed and timed=N: the first matching line with one gives the op its sampling. */
static void takes_timed_options(void **state) {
  (void)state;
  char error[256];
  struct zaph_list *list = zaph_list_parse(
      "ops.list", "fun:lookup tier=1 timed=16\nfun:look* timed\nfun:plain\nsrc:x.c timed=1\n",
      error, sizeof error);
  assert_non_null(list);
  unsigned kind, tier, timed;
  assert_true(zaph_list_match_timed(list, "lookup", "a.c", &kind, &tier, &timed));
  assert_int_equal(tier, 1);
  assert_int_equal(timed, 1 + 4);
  assert_true(zaph_list_match_timed(list, "looking", "a.c", &kind, &tier, &timed));
  assert_int_equal(timed, 1 + ZAPH_TIMED_DEFAULT_LOG2);
  assert_true(zaph_list_match_timed(list, "plain", "a.c", &kind, &tier, &timed));
  assert_int_equal(timed, 0);
  assert_true(zaph_list_match_timed(list, "f", "x.c", &kind, &tier, &timed));
  assert_int_equal(timed, 1);
  zaph_list_free(list);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(takes_timed_options),
      cmocka_unit_test(reports_malformed_lines_with_file_and_line),
      cmocka_unit_test(reports_an_unreadable_file),
      cmocka_unit_test(reads_comments_blank_lines_and_globs),
      cmocka_unit_test(matches_source_files),
      cmocka_unit_test(excludes_whatever_else_matches),
      cmocka_unit_test(declares_tiers_and_requests),
      cmocka_unit_test(names_the_lines_that_matched_nothing),
      cmocka_unit_test(verbose_only_when_asked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
