/* Unit tests of report/ledger_write.c: the exact text of a ledger (entries sorted, keys in the
 * documented order, strings escaped, numbers exact), refusals of text TOML cannot hold, and the
 * atomic replacement of the file, which keeps the old file whole when it fails. */
#include "unit_support.h"

#include "ledger_write.h"
#include "zaph_profile.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static char *no_strings[] = {NULL};
static char *old_names[] = {"kv_lookup", "kv_find"};
static char *reasons[] = {"few-requests", "unacceptable-source"};

/* Two entries given out of order: the writer sorts them by file, then name. */
static struct zaph_ledger_assignment history[] = {{
    .status = ZAPH_LEDGER_ASSIGNED, .tier = 2, .assigned = "2026-09-01", .until = "2026-12-01",
    .period_start = "2026-08-01T00:00:00Z", .period_end = "2026-08-31T23:59:59Z",
    .requests = 5000, .requests_touching = 3000, .frequency_pct = 60,
    .interval_low_pct = 58.63, .interval_high_pct = 61.35, .confidence_pct = 99.9,
    .source = "load-test", .approved_by = "", .reasons = no_strings, .reason_count = 0}};

static struct zaph_ledger_entry entries[] = {
    {.name = "slow \"path\"\t\\", .file = "src/z.c", .line = 7, .kind = ZAPH_KIND_OP,
     .previous_names = no_strings, .previous_name_count = 0,
     .current = {.status = ZAPH_LEDGER_UNASSIGNED, .assigned = "2026-12-01",
                 .period_start = "2026-11-01T00:00:00Z", .period_end = "2026-11-30T23:59:59Z",
                 .requests = 500, .requests_touching = 5, .frequency_pct = 1,
                 .interval_low_pct = 0.43, .interval_high_pct = 2.32, .confidence_pct = 0,
                 .source = "synthetic", .approved_by = "", .reasons = reasons,
                 .reason_count = 2},
     .review = "", .history = NULL, .history_count = 0},
    {.name = "kv_get", .file = "src/kv.c", .line = 42, .kind = ZAPH_KIND_OP,
     .previous_names = old_names, .previous_name_count = 2,
     .current = {.status = ZAPH_LEDGER_ASSIGNED, .tier = 1, .assigned = "2026-12-01",
                 .period_start = "2026-11-01T00:00:00Z", .period_end = "2026-11-30T23:59:59Z",
                 .requests = 700000, .requests_touching = 612010, .frequency_pct = 87.43,
                 .interval_low_pct = 87.35, .interval_high_pct = 87.51, .confidence_pct = 99.9,
                 .source = "production", .approved_by = "capacity review\x01",
                 .reasons = no_strings, .reason_count = 0},
     .review = "2027-02-28", .history = history, .history_count = 1},
};
static struct zaph_ledger ledger = {"zaph-tiers.toml", entries, 2};

static const char expected_text[] =
    "# zaph tier ledger (docs/ledger.md): written by `zaph-report assign`.\n"
    "zaph_ledger = 1\n"
    "\n"
    "[[op]]\n"
    "name = \"kv_get\"\n"
    "file = \"src/kv.c\"\n"
    "line = 42\n"
    "kind = \"op\"\n"
    "previous_names = [\"kv_lookup\", \"kv_find\"]\n"
    "status = \"assigned\"\n"
    "tier = 1\n"
    "assigned = 2026-12-01\n"
    "period_start = 2026-11-01T00:00:00Z\n"
    "period_end = 2026-11-30T23:59:59Z\n"
    "requests = 700000\n"
    "requests_touching = 612010\n"
    "frequency_pct = 87.43\n"
    "interval_pct = [87.35, 87.51]\n"
    "confidence_pct = 99.9\n"
    "source = \"production\"\n"
    "review = 2027-02-28\n"
    "approved_by = \"capacity review\\u0001\"\n"
    "\n"
    "[[op.history]]\n"
    "status = \"assigned\"\n"
    "tier = 2\n"
    "assigned = 2026-09-01\n"
    "until = 2026-12-01\n"
    "period_start = 2026-08-01T00:00:00Z\n"
    "period_end = 2026-08-31T23:59:59Z\n"
    "requests = 5000\n"
    "requests_touching = 3000\n"
    "frequency_pct = 60.0\n"
    "interval_pct = [58.63, 61.35]\n"
    "confidence_pct = 99.9\n"
    "source = \"load-test\"\n"
    "approved_by = \"\"\n"
    "\n"
    "[[op]]\n"
    "name = \"slow \\\"path\\\"\\t\\\\\"\n"
    "file = \"src/z.c\"\n"
    "line = 7\n"
    "kind = \"op\"\n"
    "previous_names = []\n"
    "status = \"unassigned\"\n"
    "assigned = 2026-12-01\n"
    "period_start = 2026-11-01T00:00:00Z\n"
    "period_end = 2026-11-30T23:59:59Z\n"
    "requests = 500\n"
    "requests_touching = 5\n"
    "frequency_pct = 1.0\n"
    "interval_pct = [0.43, 2.32]\n"
    "confidence_pct = 0.0\n"
    "source = \"synthetic\"\n"
    "approved_by = \"\"\n"
    "reasons = [\"few-requests\", \"unacceptable-source\"]\n";

static void writes_the_exact_text(void **state) {
  (void)state;
  char *error = NULL;
  size_t length;
  char *text = ledger_format(&ledger, &length, &error);
  assert_null(error);
  assert_non_null(text);
  assert_string_equal(text, expected_text);
  assert_int_equal(length, sizeof expected_text - 1);
  free(text);
}

/* What the writer writes, the reader reads back as the same ledger: written again, the same
 * bytes; and the values themselves, numbers to the bit. */
static void the_reader_reads_it_back(void **state) {
  (void)state;
  char *error = NULL, message[512];
  size_t length, again_length;
  char *text = ledger_format(&ledger, &length, &error);
  struct zaph_ledger *read = zaph_ledger_parse("round-trip.toml", text, length, message,
                                               sizeof message);
  if (!read)
    fail_msg("%s", message);
  char *again = ledger_format(read, &again_length, &error);
  assert_string_equal(again, text);
  assert_int_equal(read->entry_count, 2);
  const struct zaph_ledger_entry *kv = &read->entries[0];
  assert_string_equal(kv->name, "kv_get");
  assert_string_equal(kv->previous_names[1], "kv_find");
  assert_true(kv->current.frequency_pct == 87.43);
  assert_true(kv->current.interval_high_pct == 87.51);
  assert_string_equal(kv->current.approved_by, "capacity review\x01");
  assert_int_equal(kv->history_count, 1);
  assert_string_equal(kv->history[0].until, "2026-12-01");
  const struct zaph_ledger_entry *slow = &read->entries[1];
  assert_string_equal(slow->name, "slow \"path\"\t\\");
  assert_int_equal(slow->current.status, ZAPH_LEDGER_UNASSIGNED);
  assert_int_equal(slow->current.reason_count, 2);
  assert_string_equal(slow->current.reasons[1], "unacceptable-source");
  zaph_ledger_free(read);
  free(again);
  free(text);
}

/* Ledgers made from a fixed seed, with awkward names and numbers of every magnitude: each is
 * read back and written again to the same bytes. */
static unsigned long long seed = 42;
static unsigned long long next_random(void) {
  seed = seed * 6364136223846793005ull + 1442695040888963407ull;
  return seed >> 11;
}

static double random_hundredths(unsigned max_whole) {
  char text[32];
  snprintf(text, sizeof text, "%llu.%02llu", next_random() % max_whole, next_random() % 100);
  return strtod(text, NULL);
}

static void random_assignment(struct zaph_ledger_assignment *a, int assigned) {
  memset(a, 0, sizeof *a);
  a->status = assigned ? ZAPH_LEDGER_ASSIGNED : ZAPH_LEDGER_UNASSIGNED;
  a->tier = assigned ? 1 + (unsigned)(next_random() % 3) : 0;
  strcpy(a->assigned, "2026-12-01");
  strcpy(a->period_start, "2026-11-01T00:00:00Z");
  strcpy(a->period_end, "2026-11-30T23:59:59Z");
  a->requests = next_random() % (1ull << 62);
  a->requests_touching = a->requests ? next_random() % a->requests : 0;
  a->frequency_pct = random_hundredths(100);
  a->interval_low_pct = random_hundredths(50);
  a->interval_high_pct = 50 + random_hundredths(50);
  a->confidence_pct = (double)(next_random() % 1000) / 10;
  a->source = "production";
  a->approved_by = next_random() % 2 ? "" : "Ana \"A\" \\ review\n";
  a->reasons = assigned ? no_strings : reasons;
  a->reason_count = assigned ? 0 : 2;
}

static void random_ledgers_read_back(void **state) {
  (void)state;
  static const char *const pieces[] = {"\"", "\\", "\t", "\x01", "\x7f", " ", "\xc3\xa9", "::"};
  for (int round = 0; round < 200; round++) {
    struct zaph_ledger_entry entries[5];
    char names[5][64];
    size_t count = 1 + next_random() % 5;
    for (size_t i = 0; i < count; i++) {
      snprintf(names[i], sizeof names[i], "op%zu%s%s", i, pieces[next_random() % 8],
               pieces[next_random() % 8]);
      memset(&entries[i], 0, sizeof entries[i]);
      entries[i].name = names[i];
      entries[i].file = next_random() % 2 ? "src/a.c" : "b dir/b.c";
      entries[i].line = (unsigned)(next_random() % 4294967296ull);
      entries[i].kind = next_random() % 2 ? ZAPH_KIND_OP : ZAPH_KIND_REQUEST;
      entries[i].previous_names = next_random() % 2 ? old_names : no_strings;
      entries[i].previous_name_count = entries[i].previous_names == old_names ? 2 : 0;
      int assigned = (int)(next_random() % 2);
      random_assignment(&entries[i].current, assigned);
      strcpy(entries[i].review, assigned ? "2027-02-28" : "");
    }
    struct zaph_ledger random_ledger = {"random.toml", entries, count};
    char *error = NULL, message[512];
    size_t length, again_length;
    char *text = ledger_format(&random_ledger, &length, &error);
    assert_non_null(text);
    struct zaph_ledger *read = zaph_ledger_parse("random.toml", text, length, message,
                                                 sizeof message);
    if (!read)
      fail_msg("round %d: %s\n%s", round, message, text);
    char *again = ledger_format(read, &again_length, &error);
    assert_string_equal(again, text);
    zaph_ledger_free(read);
    free(again);
    free(text);
  }
}

static void an_empty_ledger_is_its_header(void **state) {
  (void)state;
  struct zaph_ledger empty = {"x.toml", NULL, 0};
  char *error = NULL;
  size_t length;
  char *text = ledger_format(&empty, &length, &error);
  assert_string_equal(text, "# zaph tier ledger (docs/ledger.md): written by `zaph-report "
                            "assign`.\nzaph_ledger = 1\n");
  free(text);
}

static void refuses_names_that_are_not_utf8(void **state) {
  (void)state;
  struct zaph_ledger_entry bad = entries[1];
  bad.name = "kv_\xff";
  struct zaph_ledger one = {"x.toml", &bad, 1};
  char *error = NULL;
  size_t length;
  assert_null(ledger_format(&one, &length, &error));
  assert_string_equal(error, "cannot record op 'kv_\xef\xbf\xbd': its name is not valid UTF-8, "
                             "which TOML requires");
  free(error);
}

static char directory[] = "/tmp/zaph-ledger-XXXXXX";

static char *read_whole(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  char *text = calloc(1, 65536);
  size_t n = fread(text, 1, 65535, f);
  text[n] = '\0';
  fclose(f);
  return text;
}

/* The directory holds only its expected files: no temporary file is left behind. */
static size_t files_in(const char *path) {
  char command[PATH_MAX + 32];
  snprintf(command, sizeof command, "ls -A '%s' | wc -l", path);
  FILE *p = popen(command, "r");
  unsigned long count = 0;
  assert_int_equal(fscanf(p, "%lu", &count), 1);
  pclose(p);
  return count;
}

static void replaces_the_file_whole(void **state) {
  (void)state;
  char path[PATH_MAX], *error = NULL;
  snprintf(path, sizeof path, "%s/zaph-tiers.toml", directory);
  assert_int_equal(ledger_write_file(path, "first\n", 6, &error), 0);
  assert_int_equal(chmod(path, 0640), 0);
  assert_int_equal(ledger_write_file(path, "second\n", 7, &error), 0);
  char *text = read_whole(path);
  assert_string_equal(text, "second\n");
  free(text);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0640); /* the replaced file's mode is kept */
  assert_int_equal(files_in(directory), 1);
  unlink(path);
}

static void a_missing_directory_is_named(void **state) {
  (void)state;
  char path[PATH_MAX], *error = NULL;
  snprintf(path, sizeof path, "%s/no-such-dir/zaph-tiers.toml", directory);
  assert_int_equal(ledger_write_file(path, "x\n", 2, &error), -1);
  char expected[PATH_MAX + 64];
  snprintf(expected, sizeof expected, "%s: cannot write: No such file or directory", path);
  assert_string_equal(error, expected);
  free(error);
}

/* A failure after the old file exists (here the temporary file's name is too long, while the
 * ledger's own fits) leaves the old file as it was and no temporary file. */
static void a_failed_write_keeps_the_old_file(void **state) {
  (void)state;
  char name[256], path[PATH_MAX], *error = NULL;
  memset(name, 'l', 250);
  name[250] = '\0';
  snprintf(path, sizeof path, "%s/%s", directory, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("old ledger\n", f);
  fclose(f);
  assert_int_equal(ledger_write_file(path, "new\n", 4, &error), -1);
  char expected[PATH_MAX + 64];
  snprintf(expected, sizeof expected, "%s: cannot write: File name too long", path);
  assert_string_equal(error, expected);
  free(error);
  char *text = read_whole(path);
  assert_string_equal(text, "old ledger\n");
  free(text);
  assert_int_equal(files_in(directory), 1);
  unlink(path);
}

/* A ledger that is a symbolic link (kept in another directory, or a shared file) stays one: the
 * file it names is replaced, in that file's directory, and the link is left as it was. */
static void a_linked_ledger_stays_linked(void **state) {
  (void)state;
  char sub[PATH_MAX], target[PATH_MAX], link[PATH_MAX], *error = NULL;
  snprintf(sub, sizeof sub, "%s/shared", directory);
  assert_int_equal(mkdir(sub, 0755), 0);
  snprintf(target, sizeof target, "%s/zaph-tiers.toml", sub);
  snprintf(link, sizeof link, "%s/linked.toml", directory);
  FILE *f = fopen(target, "w");
  assert_non_null(f);
  fputs("old ledger\n", f);
  fclose(f);
  assert_int_equal(symlink("shared/zaph-tiers.toml", link), 0);
  assert_int_equal(ledger_write_file(link, "new\n", 4, &error), 0);
  struct stat st;
  assert_int_equal(lstat(link, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  char *text = read_whole(target);
  assert_string_equal(text, "new\n");
  free(text);
  assert_int_equal(files_in(sub), 1);
  unlink(link);
  unlink(target);
  rmdir(sub);
}

/* A link that names no file is refused, not replaced by a file of its own. */
static void a_dangling_link_is_refused(void **state) {
  (void)state;
  char link[PATH_MAX], *error = NULL;
  snprintf(link, sizeof link, "%s/dangling.toml", directory);
  assert_int_equal(symlink("nowhere/zaph-tiers.toml", link), 0);
  assert_int_equal(ledger_write_file(link, "new\n", 4, &error), -1);
  char expected[PATH_MAX + 96];
  snprintf(expected, sizeof expected,
           "%s: cannot write: a symbolic link to no file (No such file or directory)", link);
  assert_string_equal(error, expected);
  free(error);
  struct stat st;
  assert_int_equal(lstat(link, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  unlink(link);
}

static int make_directory(void **state) {
  (void)state;
  return mkdtemp(directory) ? 0 : -1;
}

static int remove_directory(void **state) {
  (void)state;
  return rmdir(directory);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(writes_the_exact_text),
      cmocka_unit_test(the_reader_reads_it_back),
      cmocka_unit_test(random_ledgers_read_back),
      cmocka_unit_test(an_empty_ledger_is_its_header),
      cmocka_unit_test(refuses_names_that_are_not_utf8),
      cmocka_unit_test(replaces_the_file_whole),
      cmocka_unit_test(a_missing_directory_is_named),
      cmocka_unit_test(a_failed_write_keeps_the_old_file),
      cmocka_unit_test(a_linked_ledger_stays_linked),
      cmocka_unit_test(a_dangling_link_is_refused),
  };
  return cmocka_run_group_tests(tests, make_directory, remove_directory);
}
