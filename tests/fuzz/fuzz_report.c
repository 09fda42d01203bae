/* libFuzzer target for zaph-report and the text profile's grammar it shares with the runtime:
 * parses the input as one profile, or two when a later line starts a second one, reads the first
 * through the grammar line by line as the runtime does, then merges, classifies and assesses them and renders every report, check,
 * diff and doc format into memory, checking what each writer promises (output_checks.h).
 * Built and run by tests/fuzz/run.sh; docs/fuzzing.md describes the layout of an input. */
#define _GNU_SOURCE /* memmem */
#include "analysis.h"
#include "check.h"
#include "diff.h"
#include "doc.h"
#include "options.h"
#include "output.h"
#include "output_checks.h"
#include "profile_continuous.h"
#include "profile_read.h"
#include "profile_write.h"
#include "xalloc.h"
#include "zaph_profile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Policy options the profile's pid chooses from (pid % POLICY_COUNT), read by the real option
 * parser: the defaults, then loosened and tightened ones at their limits. */
#define POLICY_COUNT 4
static const char *const policies[POLICY_COUNT][6] = {
    {"zaph-report", "--now=2026-12-01", "fuzz.prof", NULL},
    {"zaph-report", "--now=2026-12-01", "--min-requests=1", "--confidence=50", "--max-age=0",
     "fuzz.prof"},
    {"zaph-report", "--now=0001-01-01", "--min-requests=18446744073709551615",
     "--confidence=99.999", "--max-age=1000000", "fuzz.prof"},
    {"zaph-report", "--now=9999-12-31", "--min-requests=10", "--confidence=0.001",
     "--max-age=30d", "fuzz.prof"},
};

static void fail(const char *what) {
  fprintf(stderr, "fuzz_report: %s\n", what);
  abort();
}

static void check_grammar_agrees(const uint8_t *data, size_t size, const char *error);

/* Parses data[0, size) as a profile; returns 0, or -1 (the profile is freed then). The first
 * profile of an input, a text one, is read by the grammar alone too. */
static int parse(struct profile *profile, const uint8_t *data, size_t size, const char *name) {
  FILE *stream = fmemopen((void *)data, size, "r");
  if (!stream)
    fail("fmemopen failed");
  char *error = NULL;
  int rc = profile_parse(profile, stream, name, &error);
  fclose(stream);
  if ((rc == 0) != (error == NULL))
    fail("profile_parse: the return value and the message disagree");
  if (strcmp(name, "a.prof") == 0 && !profile_is_continuous(data, size))
    check_grammar_agrees(data, size, error);
  free(error);
  if (rc != 0)
    profile_free(profile);
  return rc;
}

static void parse_policy(const struct profile *profile, struct report_options *options) {
  const char *const *argv = policies[profile->pid % POLICY_COUNT];
  int argc = 0;
  while (argc < 6 && argv[argc])
    argc++;
  char *error = NULL;
  if (options_parse(options, argc, (char *const *)argv, &error) != 0)
    fail(error);
}

/* analysis_run() from profiles already in memory: merged here, then completed by the tool's
 * own analysis_complete(). Returns 0, or -1 when the merge overflows; analysis_free() either
 * way. */
static int analyse(struct analysis *a, const struct profile *const *profiles, size_t count,
                   const struct report_options *options) {
  char *error = NULL;
  memset(a, 0, sizeof *a);
  merge_init(&a->merged);
  for (size_t i = 0; i < count; i++)
    if (merge_add(&a->merged, profiles[i], &error) != 0) {
      if (!error)
        fail("merge_add failed without a message");
      free(error);
      return -1;
    }
  merge_finish(&a->merged);
  if (analysis_complete(a, options, &error) != 0) {
    if (!error)
      fail("analysis_complete failed without a message");
    free(error);
    return -1;
  }
  return 0;
}

/* A profile merged with itself has the same ops with every count doubled. */
static void check_self_merge(const struct analysis *a, const struct profile *profile) {
  const struct merged_profiles *m = &a->merged;
  if (m->op_count != profile->op_count || m->total_requests != 2 * profile->requests)
    fail("merging a profile with itself changed its ops or requests");
  for (size_t i = 0; i < m->op_count; i++)
    if (m->ops[i].entries != 2 * profile->ops[i].entries ||
        m->ops[i].requests_touching != 2 * profile->ops[i].requests_touching)
      fail("merging a profile with itself did not double an op's counts");
}

enum rendering { RENDER_TEXT, RENDER_JSON, RENDER_CSV, RENDER_CHECK_TEXT, RENDER_CHECK_JSON,
                 RENDER_DOC_TEXT, RENDER_DOC_HEADER, RENDER_OPENMETRICS, RENDERING_COUNT };

/* Writes one format of one analysis into memory and checks it. */
static void render(const struct analysis *a, enum rendering rendering) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (!out)
    fail("open_memstream failed");
  size_t failing = 0;
  switch (rendering) {
  case RENDER_TEXT: output_text(out, &a->view); break;
  case RENDER_JSON: output_json(out, &a->view); break;
  case RENDER_CSV: output_csv(out, &a->view); break;
  case RENDER_CHECK_TEXT: failing = check_write(out, &a->view, REPORT_FORMAT_TEXT); break;
  case RENDER_CHECK_JSON: failing = check_write(out, &a->view, REPORT_FORMAT_JSON); break;
  case RENDER_DOC_TEXT: doc_write(out, &a->view, REPORT_FORMAT_TEXT); break;
  case RENDER_DOC_HEADER: doc_write(out, &a->view, REPORT_FORMAT_HEADER); break;
  case RENDER_OPENMETRICS: output_openmetrics(out, &a->view); break;
  case RENDERING_COUNT: break;
  }
  if (fclose(out) != 0)
    fail("closing a memory stream failed");
  if (failing > a->classification.op_count)
    fail("check counted more failing ops than there are");
  const char *problem = NULL;
  switch (rendering) {
  case RENDER_JSON:
  case RENDER_CHECK_JSON: problem = json_check(text, len); break;
  case RENDER_CSV: problem = csv_check(text, len); break;
  case RENDER_OPENMETRICS: problem = openmetrics_check(text, len); break;
  case RENDER_DOC_HEADER:
    if (!(problem = text_check(text, len)) && !(problem = comment_check(text, len)))
      problem = header_check(text, len);
    break;
  case RENDER_DOC_TEXT:
    if (!(problem = text_check(text, len)))
      problem = comment_check(text, len);
    break;
  default: problem = text_check(text, len); break;
  }
  if (problem) {
    fprintf(stderr, "fuzz_report: rendering %d: %s; output:\n%.*s\n", (int)rendering, problem,
            (int)len, text);
    abort();
  }
  free(text);
}

static void render_diff(const struct analysis *old, const struct analysis *new_,
                        enum report_format format) {
  char *text = NULL;
  size_t len = 0;
  struct diff_summary summary;
  FILE *out = open_memstream(&text, &len);
  if (!out)
    fail("open_memstream failed");
  diff_write(out, old, new_, format, DIFF_MIN_CHANGE_DEFAULT_PP * 100, &summary);
  diff_summary_free(&summary);
  if (fclose(out) != 0)
    fail("closing a memory stream failed");
  if (summary.new_ops > new_->classification.op_count ||
      summary.vanished_ops > old->classification.op_count)
    fail("diff counted more new or vanished ops than there are");
  const char *problem =
      format == REPORT_FORMAT_JSON ? json_check(text, len) : text_check(text, len);
  if (problem) {
    fprintf(stderr, "fuzz_report: diff: %s; output:\n%.*s\n", problem, (int)len, text);
    abort();
  }
  free(text);
}

static void render_all(const struct analysis *a) {
  for (int r = 0; r < RENDERING_COUNT; r++)
    render(a, (enum rendering)r);
}

/* zaph-report convert: the text profile written for p parses back to the same profile. It must
 * for a continuous profile (whose text fields are short enough for any line); a text profile's
 * raw control bytes are escaped on the way out and may make a line longer than a reader takes. */
static void check_convert(struct profile *p, int must_parse) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (!out)
    fail("open_memstream failed");
  profile_write_text(out, p);
  fclose(out);
  struct profile again;
  int rc = parse(&again, (const uint8_t *)text, len, "converted.prof");
  free(text);
  if (rc != 0) {
    if (must_parse)
      fail("convert: the text profile it wrote does not parse");
    return;
  }
  if (again.requests != p->requests || again.pid != p->pid || again.op_count != p->op_count ||
      strcmp(again.program, p->program) != 0 || strcmp(again.host, p->host) != 0 ||
      strcmp(again.source, p->source) != 0 || strcmp(again.start, p->start) != 0 ||
      strcmp(again.end, p->end) != 0 || again.clock_hz != p->clock_hz)
    fail("convert: the header read back differs");
  for (size_t i = 0; i < p->op_count; i++) {
    const struct profile_op *a = &p->ops[i], *b = &again.ops[i];
    if (!zaph_identity_equal(&a->id, &b->id) || a->declared_tier != b->declared_tier ||
        a->entries != b->entries || a->requests_touching != b->requests_touching ||
        a->entries_outside != b->entries_outside)
      fail("convert: an op read back differs");
    if (!a->timing != !b->timing || (a->timing && memcmp(a->timing, b->timing, sizeof *a->timing)))
      fail("convert: an op's timing read back differs");
  }
  profile_free(&again);
}

/* The grammar read by a front end of its own: lines split at newlines as getline() splits them
 * (the runtime's merge-mode reader). It must agree with profile_parse() on every text profile:
 * accepted by both, or refused by both with the same message (a duplicate op, which the
 * readers check after the grammar, aside). Then each value read back is checked against the
 * format's own functions: times survive formatting, an identity text is its own. */
static void check_grammar_agrees(const uint8_t *data, size_t size, const char *error) {
  char *copy = xmalloc(size + 1);
  memcpy(copy, data, size);
  struct zaph_text_reader r;
  zaph_text_read_begin(&r, "zaph-report");
  int ok = 1;
  for (size_t at = 0; ok && at < size;) {
    char *line = copy + at, *newline = memchr(line, '\n', size - at);
    size_t len = newline ? (size_t)(newline - line) : size - at;
    enum zaph_text_line got = zaph_text_read_line(&r, line, len, newline != NULL);
    if (got == ZAPH_LINE_BAD)
      ok = 0;
    if (got == ZAPH_LINE_CUT)
      break;
    if (got == ZAPH_LINE_OP) {
      char text[ZAPH_PROFILE_MAX_TEXT];
      size_t n = zaph_identity_text(text, r.op.id.name);
      if (strlen(r.op.id.name) <= ZAPH_PROFILE_MAX_TEXT &&
          (n != strlen(r.op.id.name) || memcmp(text, r.op.id.name, n) != 0))
        fail("grammar: a short name is not its own identity text");
    }
    at += len + 1;
  }
  if (ok)
    ok = zaph_text_read_end(&r) == 0;
  free(copy);
  if (error && strstr(error, ": duplicate op '"))
    return;
  if (ok != (error == NULL))
    fail("grammar: a line-by-line read and profile_parse() disagree on whether it is a profile");
  if (ok) {
    char again[ZAPH_PROFILE_TIME_LENGTH + 1];
    int64_t seconds;
    zaph_time_format(r.start, again);
    if (zaph_time_parse(again, &seconds) != 0 || seconds != r.start)
      fail("grammar: a start time does not survive formatting");
    return;
  }
  char what[2 * ZAPH_QUOTE_SIZE + 256], *expected;
  zaph_text_problem(what, sizeof what, &r);
  expected = r.problem_line ? xformat("a.prof:%lu: %s", r.problem_line, what)
                            : xformat("a.prof: %s", what);
  if (strcmp(expected, error) != 0) {
    fprintf(stderr, "fuzz_report: grammar: \"%s\" against \"%s\"\n", expected, error);
    abort();
  }
  free(expected);
}

/* Where a second profile starts: just after the first newline that a "zaph-profile" line
 * follows; size when there is none. */
static size_t second_profile_at(const uint8_t *data, size_t size) {
  static const char marker[] = "\n" ZAPH_PROFILE_MAGIC;
  const uint8_t *hit = memmem(data, size, marker, sizeof marker - 1);
  return hit ? (size_t)(hit - data) + 1 : size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t split = second_profile_at(data, size);
  struct profile first, second;
  int has_second = split < size && parse(&second, data + split, size - split, "b.prof") == 0;
  if (parse(&first, data, split, "a.prof") != 0) {
    if (has_second)
      profile_free(&second);
    return 0;
  }
  struct report_options options;
  parse_policy(&first, &options);

  /* The first profile with itself, that plus the second, and the second (or the first) alone;
   * diff compares the last with the one before it both ways. */
  const struct profile *all[3] = {&first, &first, &second};
  const struct profile *other[1] = {has_second ? &second : &first};
  struct analysis self, merged, alone;
  memset(&merged, 0, sizeof merged);
  int self_ok = analyse(&self, all, 2, &options) == 0;
  if (self_ok) {
    check_self_merge(&self, &first);
    render_all(&self);
  }
  int merged_ok = has_second ? analyse(&merged, all, 3, &options) == 0 : self_ok;
  if (has_second && merged_ok)
    render_all(&merged);
  if (analyse(&alone, other, 1, &options) == 0) {
    render_all(&alone);
    if (merged_ok) {
      const struct analysis *both = has_second ? &merged : &self;
      render_diff(&alone, both, REPORT_FORMAT_TEXT);
      render_diff(&alone, both, REPORT_FORMAT_JSON);
      render_diff(both, &alone, REPORT_FORMAT_TEXT);
      render_diff(both, &alone, REPORT_FORMAT_JSON);
    }
  }
  analysis_free(&self);
  analysis_free(&merged);
  analysis_free(&alone);
  options_free(&options);
  check_convert(&first, profile_is_continuous(data, split));
  profile_free(&first);
  if (has_second)
    profile_free(&second);
  return 0;
}
