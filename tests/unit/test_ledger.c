/* Unit tests of the tier ledger's reader (ledger/ledger_read.cpp, include/zaph_ledger.h): every
 * field of valid ledgers, a round trip through a TOML writer of the test's own, the exact
 * "PATH:LINE:COLUMN: ..." message of each malformed ledger, and zaph_ledger_find's choices. */
#include "unit_support.h"

#include <unistd.h>

#include "zaph_ledger.h"
#include "zaph_profile.h"

static char error[512];

/* Three entries: an assigned op with a history and previous names, an unassigned op, and a
 * Tier 3 request of the largest count a ledger holds. Line numbers in the messages below are
 * this text's. */
static const char BASE[] =
  "# zaph tier ledger (docs/ledger.md)\n"
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
  "confidence_pct = 99.99\n"
  "source = \"production\"\n"
  "review = 2027-03-01\n"
  "approved_by = \"\"\n"
  "\n"
  "[[op.history]]\n"
  "status = \"assigned\"\n"
  "tier = 2\n"
  "assigned = 2026-09-01\n"
  "until = 2026-12-01\n"
  "period_start = 2026-08-01T00:00:00Z\n"
  "period_end = 2026-08-31T23:59:59Z\n"
  "requests = 500000\n"
  "requests_touching = 300000\n"
  "frequency_pct = 60\n"
  "interval_pct = [59.8, 60.2]\n"
  "confidence_pct = 99.9\n"
  "source = \"load-test\"\n"
  "approved_by = \"J. Doe, ticket 42\"\n"
  "\n"
  "[[op]]\n"
  "name = \"kv_scan\"\n"
  "file = \"src/kv.c\"\n"
  "line = 90\n"
  "kind = \"op\"\n"
  "status = \"unassigned\"\n"
  "assigned = 2026-12-01\n"
  "period_start = 2026-11-01T00:00:00Z\n"
  "period_end = 2026-11-30T23:59:59Z\n"
  "requests = 700\n"
  "requests_touching = 0\n"
  "frequency_pct = 0.0\n"
  "interval_pct = [0.0, 0.53]\n"
  "confidence_pct = 95.0\n"
  "source = \"staging\"\n"
  "reasons = [\"few-requests\", \"unacceptable-source\"]\n"
  "\n"
  "[[op]]\n"
  "name = \"handle\"\n"
  "file = \"src/server.c\"\n"
  "line = 7\n"
  "kind = \"request\"\n"
  "status = \"assigned\"\n"
  "tier = 3\n"
  "assigned = 2026-12-01\n"
  "period_start = 2026-11-01T00:00:00Z\n"
  "period_end = 2026-11-30T23:59:59Z\n"
  "requests = 9223372036854775807\n"
  "requests_touching = 0\n"
  "frequency_pct = 0.0\n"
  "interval_pct = [0.0, 0.01]\n"
  "confidence_pct = 99.0\n"
  "source = \"production\"\n"
  "review = 2027-03-01\n";

static struct zaph_ledger *parse(const char *text) {
  error[0] = '\0';
  return zaph_ledger_parse("t.toml", text, strlen(text), error, sizeof error);
}

/* BASE with the first occurrence of from replaced by to. */
static char *edited(const char *from, const char *to) {
  const char *at = strstr(BASE, from);
  assert_non_null(at);
  size_t before = (size_t)(at - BASE), from_length = strlen(from), to_length = strlen(to);
  char *text = malloc(sizeof BASE - from_length + to_length);
  assert_non_null(text);
  memcpy(text, BASE, before);
  memcpy(text + before, to, to_length);
  strcpy(text + before + to_length, at + from_length);
  return text;
}

static void refused_text(const char *text, const char *message) {
  struct zaph_ledger *ledger = parse(text);
  if (ledger)
    fail_msg("accepted; expected \"%s\"", message);
  assert_string_equal(error, message);
}

static void refused(const char *from, const char *to, const char *message) {
  char *text = edited(from, to);
  refused_text(text, message);
  free(text);
}

static void check_assignment(const struct zaph_ledger_assignment *a, enum zaph_ledger_status status,
                             unsigned tier, const char *assigned, const char *until,
                             uint64_t requests, uint64_t touching, double frequency, double low,
                             double high, double confidence, const char *source,
                             const char *approved_by, size_t reasons) {
  assert_int_equal(a->status, status);
  assert_int_equal(a->tier, tier);
  assert_string_equal(a->assigned, assigned);
  assert_string_equal(a->until, until);
  assert_int_equal(a->requests, requests);
  assert_int_equal(a->requests_touching, touching);
  assert_true(a->frequency_pct == frequency);
  assert_true(a->interval_low_pct == low);
  assert_true(a->interval_high_pct == high);
  assert_true(a->confidence_pct == confidence);
  assert_string_equal(a->source, source);
  assert_string_equal(a->approved_by, approved_by);
  assert_int_equal(a->reason_count, reasons);
}

static void check_base(const struct zaph_ledger *ledger) {
  assert_int_equal(ledger->entry_count, 3);
  const struct zaph_ledger_entry *e = &ledger->entries[0];
  assert_string_equal(e->name, "kv_get");
  assert_string_equal(e->file, "src/kv.c");
  assert_int_equal(e->line, 42);
  assert_int_equal(e->kind, ZAPH_KIND_OP);
  assert_int_equal(e->previous_name_count, 2);
  assert_string_equal(e->previous_names[0], "kv_lookup");
  assert_string_equal(e->previous_names[1], "kv_find");
  check_assignment(&e->current, ZAPH_LEDGER_ASSIGNED, 1, "2026-12-01", "", 700000, 612010, 87.43,
                   87.35, 87.51, 99.99, "production", "", 0);
  assert_string_equal(e->current.period_start, "2026-11-01T00:00:00Z");
  assert_string_equal(e->current.period_end, "2026-11-30T23:59:59Z");
  assert_string_equal(e->review, "2027-03-01");
  assert_int_equal(e->history_count, 1);
  check_assignment(&e->history[0], ZAPH_LEDGER_ASSIGNED, 2, "2026-09-01", "2026-12-01", 500000,
                   300000, 60, 59.8, 60.2, 99.9, "load-test", "J. Doe, ticket 42", 0);
  assert_string_equal(e->history[0].period_start, "2026-08-01T00:00:00Z");
  assert_string_equal(e->history[0].period_end, "2026-08-31T23:59:59Z");

  e = &ledger->entries[1];
  assert_string_equal(e->name, "kv_scan");
  assert_int_equal(e->line, 90);
  assert_int_equal(e->previous_name_count, 0);
  check_assignment(&e->current, ZAPH_LEDGER_UNASSIGNED, 0, "2026-12-01", "", 700, 0, 0, 0, 0.53,
                   95, "staging", "", 2);
  assert_string_equal(e->current.reasons[0], "few-requests");
  assert_string_equal(e->current.reasons[1], "unacceptable-source");
  assert_string_equal(e->review, "");
  assert_int_equal(e->history_count, 0);

  e = &ledger->entries[2];
  assert_string_equal(e->name, "handle");
  assert_string_equal(e->file, "src/server.c");
  assert_int_equal(e->kind, ZAPH_KIND_REQUEST);
  check_assignment(&e->current, ZAPH_LEDGER_ASSIGNED, 3, "2026-12-01", "", INT64_MAX, 0, 0, 0,
                   0.01, 99, "production", "", 0);
}

static void reads_every_field(void **state) {
  (void)state;
  struct zaph_ledger *ledger = parse(BASE);
  assert_non_null(ledger);
  assert_string_equal(ledger->path, "t.toml");
  check_base(ledger);
  zaph_ledger_free(ledger);
}

static void reads_an_empty_ledger(void **state) {
  (void)state;
  struct zaph_ledger *ledger = parse("# nothing assigned yet\nzaph_ledger = 1\n");
  assert_non_null(ledger);
  assert_int_equal(ledger->entry_count, 0);
  zaph_ledger_free(ledger);
}

/* A TOML writer of the test's own, in the schema's key order: what the reader read, written
 * back, reads the same, and writes the same text again. */
static void write_strings(FILE *out, const char *key, char **strings, size_t count) {
  fprintf(out, "%s = [", key);
  for (size_t i = 0; i < count; i++)
    fprintf(out, "%s\"%s\"", i ? ", " : "", strings[i]);
  fprintf(out, "]\n");
}

static void write_assignment(FILE *out, const struct zaph_ledger_assignment *a, int history) {
  fprintf(out, "status = \"%s\"\n", a->status == ZAPH_LEDGER_ASSIGNED ? "assigned" : "unassigned");
  if (a->tier)
    fprintf(out, "tier = %u\n", a->tier);
  fprintf(out, "assigned = %s\n", a->assigned);
  if (history)
    fprintf(out, "until = %s\n", a->until);
  fprintf(out, "period_start = %s\nperiod_end = %s\n", a->period_start, a->period_end);
  fprintf(out, "requests = %llu\nrequests_touching = %llu\n", (unsigned long long)a->requests,
          (unsigned long long)a->requests_touching);
  fprintf(out, "frequency_pct = %.17g\ninterval_pct = [%.17g, %.17g]\nconfidence_pct = %.17g\n",
          a->frequency_pct, a->interval_low_pct, a->interval_high_pct, a->confidence_pct);
  fprintf(out, "source = \"%s\"\n", a->source);
  if (!history && a->status == ZAPH_LEDGER_ASSIGNED)
    return;
  fprintf(out, "approved_by = \"%s\"\n", a->approved_by);
  if (a->reason_count)
    write_strings(out, "reasons", a->reasons, a->reason_count);
}

static char *write_ledger(const struct zaph_ledger *ledger) {
  struct capture c;
  capture_begin(&c);
  fprintf(c.stream, "zaph_ledger = 1\n");
  for (size_t i = 0; i < ledger->entry_count; i++) {
    const struct zaph_ledger_entry *e = &ledger->entries[i];
    fprintf(c.stream, "\n[[op]]\nname = \"%s\"\nfile = \"%s\"\nline = %u\nkind = \"%s\"\n", e->name,
            e->file, e->line, e->kind == ZAPH_KIND_OP ? "op" : "request");
    if (e->previous_name_count)
      write_strings(c.stream, "previous_names", e->previous_names, e->previous_name_count);
    write_assignment(c.stream, &e->current, 0);
    if (e->current.status == ZAPH_LEDGER_ASSIGNED)
      fprintf(c.stream, "review = %s\napproved_by = \"%s\"\n", e->review, e->current.approved_by);
    for (size_t j = 0; j < e->history_count; j++) {
      fprintf(c.stream, "\n[[op.history]]\n");
      write_assignment(c.stream, &e->history[j], 1);
    }
  }
  return capture_end(&c);
}

static void round_trips(void **state) {
  (void)state;
  struct zaph_ledger *ledger = parse(BASE);
  assert_non_null(ledger);
  char *text = write_ledger(ledger);
  struct zaph_ledger *again = parse(text);
  if (!again)
    fail_msg("%s", error);
  check_base(again);
  char *text_again = write_ledger(again);
  assert_string_equal(text, text_again);
  free(text_again);
  zaph_ledger_free(again);
  free(text);
  zaph_ledger_free(ledger);
}

static void accepts_integers_as_percentages_and_no_history(void **state) {
  (void)state;
  char *text = edited("confidence_pct = 99.99", "confidence_pct = 100");
  struct zaph_ledger *ledger = parse(text);
  assert_non_null(ledger);
  assert_true(ledger->entries[0].current.confidence_pct == 100);
  zaph_ledger_free(ledger);
  free(text);
}

static void refuses_unknown_keys_and_versions(void **state) {
  (void)state;
  refused("tier = 1\n", "tierr = 1\n", "t.toml:11:1: unknown key 'tierr' in [[op]]");
  refused("zaph_ledger = 1\n", "zaph_ledger = 1\nversion = 1\n",
          "t.toml:3:1: unknown key 'version' in the ledger");
  refused("approved_by = \"J. Doe, ticket 42\"\n",
          "approved_by = \"J. Doe, ticket 42\"\nreview = 2027-01-01\n",
          "t.toml:38:1: unknown key 'review' in [[op.history]]");
  refused("zaph_ledger = 1\n", "zaph_ledger = 2\n",
          "t.toml:2:15: ledger version 2 is newer than this zaph reads (1)");
  refused("zaph_ledger = 1\n", "zaph_ledger = 0\n", "t.toml:2:15: 'zaph_ledger' must be 1, not 0");
  refused("zaph_ledger = 1\n", "", "t.toml:1:1: not a zaph ledger: no 'zaph_ledger = 1' key");
  refused("zaph_ledger = 1\n", "zaph_ledger = \"1\"\n",
          "t.toml:2:15: 'zaph_ledger' must be an integer, not a string");
  refused_text("zaph_ledger = 1\nop = 3\n",
               "t.toml:2:6: 'op' must be an array of tables, not an integer");
}

static void refuses_toml_syntax_errors_at_their_position(void **state) {
  (void)state;
  refused("tier = 1\n", "tier = 1\ntier = 2\n",
          "t.toml:12:8: Error while parsing key-value pair: cannot redefine existing integer 'tier'");
  refused("frequency_pct = 87.43", "frequency_pct = 87.43.1",
          "t.toml:17:22: Error while parsing floating-point: expected decimal digit or exponent, "
          "saw '.'");
  refused("requests = 9223372036854775807", "requests = 18446744073709551615",
          "t.toml:66:32: Error while parsing decimal integer: '18446744073709551615' is not "
          "representable in 64 bits");
  refused("assigned = 2026-12-01\nperiod_start", "assigned = 2026-02-30\nperiod_start",
          "t.toml:12:22: Error while parsing date: expected day between 1 and 28 (inclusive), "
          "saw 30");
}

static void refuses_tiers_statuses_and_kinds(void **state) {
  (void)state;
  refused("tier = 1\n", "tier = 4\n", "t.toml:11:8: 'tier' must be 1, 2 or 3, not 4");
  refused("tier = 1\n", "tier = 0\n", "t.toml:11:8: 'tier' must be 1, 2 or 3, not 0");
  refused("tier = 1\n", "", "t.toml:4:1: [[op]] is assigned but has no 'tier'");
  refused("source = \"staging\"\n", "source = \"staging\"\ntier = 2\n",
          "t.toml:54:8: 'tier' is given, but the status is \"unassigned\"");
  refused("status = \"unassigned\"", "status = \"pending\"",
          "t.toml:44:10: 'status' must be \"assigned\" or \"unassigned\", not \"pending\"");
  refused("kind = \"request\"", "kind = \"req\"",
          "t.toml:60:8: 'kind' must be \"op\" or \"request\", not \"req\"");
  refused("reasons = [\"few-requests\", \"unacceptable-source\"]\n", "",
          "t.toml:39:1: [[op]] is unassigned but has no 'reasons'");
  refused("reasons = [\"few-requests\", \"unacceptable-source\"]", "reasons = []",
          "t.toml:54:11: 'reasons' must name at least one failed gate");
  refused("reasons = [\"few-requests\", \"unacceptable-source\"]", "reasons = [\"few-requests\", 3]",
          "t.toml:54:28: 'reasons' must hold strings, not an integer");
  refused("source = \"staging\"\n", "source = \"staging\"\nreview = 2027-01-01\n",
          "t.toml:54:10: 'review' is given, but the status is \"unassigned\"");
  refused("review = 2027-03-01\napproved_by", "approved_by",
          "t.toml:4:1: [[op]] is assigned but has no 'review'");
  refused("approved_by = \"\"\n", "approved_by = \"\"\nreasons = [\"few-requests\"]\n",
          "t.toml:23:11: 'reasons' is given, but the status is \"assigned\"");
}

static void refuses_bad_dates(void **state) {
  (void)state;
  refused("assigned = 2026-12-01\nperiod_start", "assigned = \"2026-12-01\"\nperiod_start",
          "t.toml:12:12: 'assigned' must be a date (YYYY-MM-DD), not a string");
  refused("period_start = 2026-11-01T00:00:00Z", "period_start = 2026-11-01T00:00:00",
          "t.toml:13:16: 'period_start' must be a date-time in UTC, ending in Z, not a local "
          "date-time");
  refused("period_start = 2026-11-01T00:00:00Z", "period_start = 2026-11-01T00:00:00+01:00",
          "t.toml:13:16: 'period_start' must be a date-time in UTC, ending in Z, not at offset "
          "+01:00");
  refused("period_start = 2026-11-01T00:00:00Z", "period_start = 2026-11-01T00:00:00.5Z",
          "t.toml:13:16: 'period_start' must be in whole seconds");
  refused("period_end = 2026-11-30T23:59:59Z", "period_end = 2026-10-30T23:59:59Z",
          "t.toml:14:14: 'period_end' (2026-10-30T23:59:59Z) is before 'period_start' "
          "(2026-11-01T00:00:00Z)");
  refused("review = 2027-03-01\napproved_by", "review = 2026-03-01\napproved_by",
          "t.toml:21:10: 'review' (2026-03-01) is before 'assigned' (2026-12-01)");
  refused("until = 2026-12-01\n", "", "t.toml:24:1: [[op.history]] has no 'until'");
  refused("until = 2026-12-01\n", "until = 2026-08-01\n",
          "t.toml:28:9: 'until' (2026-08-01) is before 'assigned' (2026-09-01)");
  refused("until = 2026-12-01\n", "until = 2026-12-02\n",
          "t.toml:12:12: 'assigned' (2026-12-01) is before the 'until' (2026-12-02) of the last "
          "history entry");
}

static void refuses_bad_counts_and_percentages(void **state) {
  (void)state;
  refused("requests = 700000", "requests = -1", "t.toml:15:12: 'requests' must be at least 0, not -1");
  refused("requests_touching = 612010", "requests_touching = 700001",
          "t.toml:16:21: 'requests_touching' (700001) exceeds 'requests' (700000)");
  refused("requests_touching = 612010", "requests_touching = 612010.0",
          "t.toml:16:21: 'requests_touching' must be an integer, not a float");
  refused("frequency_pct = 87.43", "frequency_pct = 187.43",
          "t.toml:17:17: 'frequency_pct' must be between 0 and 100, not 187.43");
  refused("frequency_pct = 87.43", "frequency_pct = nan",
          "t.toml:17:17: 'frequency_pct' must be between 0 and 100, not nan");
  refused("interval_pct = [87.35, 87.51]", "interval_pct = [87.35]",
          "t.toml:18:16: 'interval_pct' must be [LOW, HIGH], 2 numbers, not 1");
  refused("interval_pct = [87.35, 87.51]", "interval_pct = [87.55, 87.51]",
          "t.toml:18:16: 'interval_pct' is [LOW, HIGH], but 87.55 exceeds 87.51");
  refused("interval_pct = [87.35, 87.51]", "interval_pct = [87.35, \"x\"]",
          "t.toml:18:24: 'interval_pct' must hold numbers, not a string");
}

static void refuses_bad_identities(void **state) {
  (void)state;
  refused("name = \"kv_scan\"\n", "name = \"\"\n", "t.toml:40:8: 'name' must not be empty");
  refused("name = \"kv_scan\"\n", "", "t.toml:39:1: [[op]] has no 'name'");
  refused("line = 90\n", "line = -3\n",
          "t.toml:42:8: 'line' must be between 0 and 4294967295, not -3");
  refused("line = 90\n", "line = 4294967296\n",
          "t.toml:42:8: 'line' must be between 0 and 4294967295, not 4294967296");
  refused("previous_names = [\"kv_lookup\", \"kv_find\"]", "previous_names = \"kv_lookup\"",
          "t.toml:9:18: 'previous_names' must be an array of strings, not a string");
  refused("source = \"production\"\nreview", "source = \"\"\nreview",
          "t.toml:20:10: 'source' must not be empty");
  refused("[[op]]\nname = \"handle\"\nfile = \"src/server.c\"\nline = 7\nkind = \"request\"",
          "[[op]]\nname = \"kv_scan\"\nfile = \"src/kv.c\"\nline = 90\nkind = \"op\"",
          "t.toml:56:1: a second entry for 'kv_scan' (src/kv.c:90), first at 39:1");
}

static void reports_an_unreadable_file(void **state) {
  (void)state;
  assert_null(zaph_ledger_read("/nonexistent/zaph-tiers.toml", error, sizeof error));
  assert_string_equal(error, "/nonexistent/zaph-tiers.toml: cannot read: No such file or directory");
  assert_null(zaph_ledger_read("/", error, sizeof error));
  assert_string_equal(error, "/: cannot read: Is a directory");
}

static void reads_a_file(void **state) {
  (void)state;
  char path[] = "/tmp/zaph-ledger-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, BASE, strlen(BASE)), (ssize_t)strlen(BASE));
  close(fd);
  struct zaph_ledger *ledger = zaph_ledger_read(path, error, sizeof error);
  assert_non_null(ledger);
  assert_string_equal(ledger->path, path);
  check_base(ledger);
  zaph_ledger_free(ledger);
  unlink(path);
}

/* Entries of one name in several files and lines, for zaph_ledger_find. */
static const char *entry(char *buffer, size_t size, const char *name, const char *previous,
                         const char *file, unsigned line, const char *kind) {
  snprintf(buffer, size,
           "[[op]]\nname = \"%s\"\nfile = \"%s\"\nline = %u\nkind = \"%s\"\n"
           "previous_names = [%s]\nstatus = \"assigned\"\ntier = 1\nassigned = 2026-12-01\n"
           "period_start = 2026-11-01T00:00:00Z\nperiod_end = 2026-11-30T23:59:59Z\n"
           "requests = 2000\nrequests_touching = 1900\nfrequency_pct = 95.0\n"
           "interval_pct = [94.0, 96.0]\nconfidence_pct = 99.0\nsource = \"production\"\n"
           "review = 2027-03-01\n\n",
           name, file, line, kind, previous);
  return buffer;
}

static struct zaph_ledger *find_ledger(void) {
  static char text[16384];
  char one[1024];
  strcpy(text, "zaph_ledger = 1\n\n");
  strcat(text, entry(one, sizeof one, "get", "\"lookup\"", "src/kv.c", 42, "op"));      /* 0 */
  strcat(text, entry(one, sizeof one, "get", "", "src/cache/kv.c", 10, "op"));          /* 1 */
  strcat(text, entry(one, sizeof one, "helper", "", "src/kv.c", 100, "op"));            /* 2 */
  strcat(text, entry(one, sizeof one, "helper", "", "src/kv.c", 200, "op"));            /* 3 */
  strcat(text, entry(one, sizeof one, "serve", "", "src/server.c", 5, "request"));      /* 4 */
  strcat(text, entry(one, sizeof one, "lookup", "", "lib/other.c", 3, "op"));           /* 5 */
  strcat(text, entry(one, sizeof one, "twin", "", "a/x.c", 1, "op"));                   /* 6 */
  strcat(text, entry(one, sizeof one, "twin", "", "b/x.c", 1, "op"));                   /* 7 */
  strcat(text, entry(one, sizeof one, "moved", "\"old\"", "src/m.c", 1, "op"));         /* 8 */
  strcat(text, entry(one, sizeof one, "old", "", "src/m.c", 50, "op"));                 /* 9 */
  struct zaph_ledger *ledger = parse(text);
  if (!ledger)
    fail_msg("%s", error);
  return ledger;
}

static void finds_entries_by_name_file_and_line(void **state) {
  (void)state;
  struct zaph_ledger *l = find_ledger();
  const struct zaph_ledger_entry *e = l->entries;
  /* The file as another directory or checkout names it. */
  assert_ptr_equal(zaph_ledger_find(l, "get", "src/kv.c", 42, ZAPH_KIND_OP), &e[0]);
  assert_ptr_equal(zaph_ledger_find(l, "get", "../src/kv.c", 1, ZAPH_KIND_OP), &e[0]);
  assert_ptr_equal(zaph_ledger_find(l, "get", "/home/ci/w/src/kv.c", 42, ZAPH_KIND_OP), &e[0]);
  assert_ptr_equal(zaph_ledger_find(l, "get", "/w/src/cache/kv.c", 42, ZAPH_KIND_OP), &e[1]);
  /* Only the file name in common: both match with one component; the nearest line decides,
   * and equally near lines are ambiguous. */
  assert_ptr_equal(zaph_ledger_find(l, "get", "kv.c", 40, ZAPH_KIND_OP), &e[0]);
  assert_ptr_equal(zaph_ledger_find(l, "get", "kv.c", 12, ZAPH_KIND_OP), &e[1]);
  assert_null(zaph_ledger_find(l, "get", "kv.c", 26, ZAPH_KIND_OP));
  /* Another file name: never paired. */
  assert_null(zaph_ledger_find(l, "get", "src/kv2.c", 42, ZAPH_KIND_OP));
  /* A previous name, and the other op that has it as its current name in another file. */
  assert_ptr_equal(zaph_ledger_find(l, "lookup", "src/kv.c", 42, ZAPH_KIND_OP), &e[0]);
  assert_ptr_equal(zaph_ledger_find(l, "lookup", "lib/other.c", 42, ZAPH_KIND_OP), &e[5]);
  /* Same name and file: the nearest line; equally near, ambiguous. */
  assert_ptr_equal(zaph_ledger_find(l, "helper", "src/kv.c", 120, ZAPH_KIND_OP), &e[2]);
  assert_ptr_equal(zaph_ledger_find(l, "helper", "src/kv.c", 190, ZAPH_KIND_OP), &e[3]);
  assert_null(zaph_ledger_find(l, "helper", "src/kv.c", 150, ZAPH_KIND_OP));
  /* The kind must agree. */
  assert_ptr_equal(zaph_ledger_find(l, "serve", "src/server.c", 5, ZAPH_KIND_REQUEST), &e[4]);
  assert_null(zaph_ledger_find(l, "serve", "src/server.c", 5, ZAPH_KIND_OP));
  /* Equal files, equal lines: ambiguous; a longer suffix decides. */
  assert_null(zaph_ledger_find(l, "twin", "x.c", 1, ZAPH_KIND_OP));
  assert_ptr_equal(zaph_ledger_find(l, "twin", "b/x.c", 1, ZAPH_KIND_OP), &e[7]);
  /* A current name beats a previous one in the same file, whatever the lines. */
  assert_ptr_equal(zaph_ledger_find(l, "old", "src/m.c", 1, ZAPH_KIND_OP), &e[9]);
  assert_ptr_equal(zaph_ledger_find(l, "moved", "src/m.c", 50, ZAPH_KIND_OP), &e[8]);
  assert_null(zaph_ledger_find(l, "absent", "src/m.c", 1, ZAPH_KIND_OP));
  zaph_ledger_free(l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reads_every_field),
      cmocka_unit_test(reads_an_empty_ledger),
      cmocka_unit_test(round_trips),
      cmocka_unit_test(accepts_integers_as_percentages_and_no_history),
      cmocka_unit_test(refuses_unknown_keys_and_versions),
      cmocka_unit_test(refuses_toml_syntax_errors_at_their_position),
      cmocka_unit_test(refuses_tiers_statuses_and_kinds),
      cmocka_unit_test(refuses_bad_dates),
      cmocka_unit_test(refuses_bad_counts_and_percentages),
      cmocka_unit_test(refuses_bad_identities),
      cmocka_unit_test(reports_an_unreadable_file),
      cmocka_unit_test(reads_a_file),
      cmocka_unit_test(finds_entries_by_name_file_and_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
