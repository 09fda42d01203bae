/* The grammar of a text profile, line by line: the magic line, the header keys in order, the op
 * lines and the end line, each checked against include/zaph_profile.h, and the words for every
 * problem. zaph-report's reader and the runtime's merge-mode reader both read through it, so
 * what one accepts the other accepts. No allocation: everything points into the line. */
#include "zaph_histogram.h"
#include "zaph_profile.h"

#include <stdio.h>
#include <string.h>

#define HEADER_NAME(key, since, description) #key,
static const char *const header_names[] = {ZAPH_PROFILE_HEADER(HEADER_NAME)};
#undef HEADER_NAME
#define HEADER_SINCE(key, since, description) since,
static const unsigned header_since[] = {ZAPH_PROFILE_HEADER(HEADER_SINCE)};
#undef HEADER_SINCE

#define TIMING_INDEX(field, description) TIMING_##field,
enum timing_index { ZAPH_PROFILE_TIMING_FIELDS(TIMING_INDEX) TIMING_COUNT };
#undef TIMING_INDEX

#define TIMING_NAME(field, description) #field,
static const char *const timing_names[] = {ZAPH_PROFILE_TIMING_FIELDS(TIMING_NAME)};
#undef TIMING_NAME

#define FIELD_INDEX(field, description) FIELD_##field,
enum field_index { ZAPH_PROFILE_OP_FIELDS(FIELD_INDEX) FIELD_COUNT };
#undef FIELD_INDEX

#define FIELD_NAME(field, description) #field,
static const char *const field_names[] = {ZAPH_PROFILE_OP_FIELDS(FIELD_NAME)};
#undef FIELD_NAME

/* Stages after the header's: op lines, timing lines, then the end line, then nothing. */
#define STAGE_OPS (1 + ZAPH_HEADER_COUNT)
#define STAGE_TIMING (STAGE_OPS + 1)
#define STAGE_END (STAGE_TIMING + 1)
#define STAGE_DONE (STAGE_END + 1)

void zaph_text_read_begin(struct zaph_text_reader *r, const char *reader_name) {
  memset(r, 0, sizeof *r);
  r->reader_name = reader_name;
}

static int fail_at(struct zaph_text_reader *r, enum zaph_text_problem problem, unsigned long line) {
  if (r->problem == ZAPH_TEXT_GOOD) {
    r->problem = problem;
    r->problem_line = line;
  }
  return -1;
}

static int fail(struct zaph_text_reader *r, enum zaph_text_problem problem) {
  return fail_at(r, problem, r->line_number);
}

static int fail_field(struct zaph_text_reader *r, enum zaph_text_problem problem,
                      const char *field) {
  r->field = field;
  return fail(r, problem);
}

static int fail_found(struct zaph_text_reader *r, enum zaph_text_problem problem,
                      const char *found) {
  zaph_quote(r->found, found);
  return fail(r, problem);
}

static int fail_counts(struct zaph_text_reader *r, enum zaph_text_problem problem, uint64_t a,
                       uint64_t b) {
  r->a = a;
  r->b = b;
  return fail(r, problem);
}

int zaph_text_fail_duplicate(struct zaph_text_reader *r, const struct zaph_identity *id,
                             unsigned long line) {
  zaph_quote(r->found, id->name);
  zaph_quote(r->found_too, id->file);
  r->a = id->line;
  return fail_at(r, ZAPH_TEXT_DUPLICATE_OP, line);
}

/* Splits line at tabs in place; returns the number of fields, storing at most max of them.
 * Empty fields count: "a\t\tb" has three. */
static size_t split_fields(char *line, char **fields, size_t max) {
  size_t count = 0;
  for (char *field = line;;) {
    char *tab = strchr(field, '\t');
    if (count < max)
      fields[count] = field;
    count++;
    if (!tab)
      return count;
    *tab = '\0';
    field = tab + 1;
  }
}

/* Unescapes a text field in place; an empty one is valid. */
static int take_text(struct zaph_text_reader *r, char *field, const char *name) {
  long len = zaph_unescape(field);
  if (len < 0)
    return fail_field(r, ZAPH_TEXT_INVALID_ESCAPE, name);
  if (strlen(field) != (size_t)len)
    return fail_field(r, ZAPH_TEXT_ESCAPED_NUL, name);
  return 0;
}

static int take_number(struct zaph_text_reader *r, const char *field, const char *name,
                       uint64_t *value) {
  return zaph_parse_u64(field, value) == 0 ? 0 : fail_field(r, ZAPH_TEXT_INVALID_NUMBER, name);
}

/* "zaph-profile <version>"; a line that is not exactly that is not a profile. */
static int read_magic(struct zaph_text_reader *r, const char *line) {
  size_t magic_len = strlen(ZAPH_PROFILE_MAGIC);
  const char *digits = line + magic_len + 1;
  if (strncmp(line, ZAPH_PROFILE_MAGIC, magic_len) != 0 || line[magic_len] != ' ' ||
      !*digits || strspn(digits, "0123456789") != strlen(digits))
    return fail(r, ZAPH_TEXT_NOT_A_PROFILE);
  if (zaph_parse_u64(digits, &r->version) != 0 || r->version > ZAPH_PROFILE_VERSION)
    return fail_found(r, ZAPH_TEXT_NEWER_VERSION, digits);
  return r->version == 0 ? fail(r, ZAPH_TEXT_NOT_A_PROFILE) : 0;
}

static int read_time(struct zaph_text_reader *r, const char *value, const char *name,
                     int64_t *seconds, char *text) {
  if (zaph_time_parse(value, seconds) != 0)
    return fail_field(r, ZAPH_TEXT_INVALID_TIME, name);
  memcpy(text, value, ZAPH_PROFILE_TIME_LENGTH + 1);
  return 0;
}

static int read_header(struct zaph_text_reader *r, char *line) {
  enum zaph_header_key key = (enum zaph_header_key)(r->stage - 1);
  const char *name = header_names[key];
  char *fields[2];
  size_t count = split_fields(line, fields, 2);
  if (strcmp(fields[0], name) != 0) {
    r->field = name;
    return fail_found(r, ZAPH_TEXT_EXPECTED_HEADER, fields[0]);
  }
  if (count != 2)
    return fail_counts(r, ZAPH_TEXT_FIELD_COUNT, 2, count);
  char *value = fields[1];
  r->key = key;
  r->text = value;
  switch (key) {
  case ZAPH_HEADER_program:
  case ZAPH_HEADER_host:
  case ZAPH_HEADER_source:
    return take_text(r, value, name);
  case ZAPH_HEADER_pid:
    return take_number(r, value, name, &r->pid);
  case ZAPH_HEADER_requests:
    return take_number(r, value, name, &r->requests);
  case ZAPH_HEADER_ops:
    return take_number(r, value, name, &r->ops);
  case ZAPH_HEADER_timed:
    if (take_number(r, value, name, &r->timed) != 0)
      return -1;
    return r->timed ? 0 : fail(r, ZAPH_TEXT_NO_TIMED_OPS);
  case ZAPH_HEADER_clock_hz:
    return take_number(r, value, name, &r->clock_hz);
  case ZAPH_HEADER_start:
    return read_time(r, value, name, &r->start, r->start_text);
  case ZAPH_HEADER_end:
    if (read_time(r, value, name, &r->end, r->end_text) != 0)
      return -1;
    /* A start after the end, beyond the clock skew a reader allows, is not a time range. */
    if (r->start > r->end + ZAPH_PROFILE_CLOCK_SKEW_SECONDS) {
      zaph_quote(r->found, r->start_text);
      zaph_quote(r->found_too, r->end_text);
      return fail(r, ZAPH_TEXT_START_AFTER_END);
    }
    return 0;
  case ZAPH_HEADER_COUNT:
    break;
  }
  return -1;
}

static int check_invariants(struct zaph_text_reader *r, const struct zaph_op_line *op) {
  if (op->requests_touching > r->requests)
    return fail_counts(r, ZAPH_TEXT_TOUCHING_ABOVE_REQUESTS, op->requests_touching, r->requests);
  if (op->requests_touching > op->entries)
    return fail_counts(r, ZAPH_TEXT_TOUCHING_ABOVE_ENTRIES, op->requests_touching, op->entries);
  if (op->entries_outside > op->entries)
    return fail_counts(r, ZAPH_TEXT_OUTSIDE_ABOVE_ENTRIES, op->entries_outside, op->entries);
  return 0;
}

static int read_op(struct zaph_text_reader *r, char *line) {
  char *fields[FIELD_COUNT];
  size_t count = split_fields(line, fields, FIELD_COUNT);
  if (strcmp(fields[0], ZAPH_PROFILE_END) == 0)
    return fail_counts(r, ZAPH_TEXT_EARLY_END, r->ops_read, r->ops);
  if (strcmp(fields[0], field_names[FIELD_op]) != 0)
    return fail_found(r, ZAPH_TEXT_EXPECTED_OP, fields[0]);
  if (count != FIELD_COUNT)
    return fail_counts(r, ZAPH_TEXT_FIELD_COUNT, FIELD_COUNT, count);
  struct zaph_op_line *op = &r->op;
  uint64_t tier;
  memset(op, 0, sizeof *op);
  if (!(op->id.kind = zaph_kind_from_name(fields[FIELD_kind])))
    return fail_found(r, ZAPH_TEXT_INVALID_KIND, fields[FIELD_kind]);
  if (zaph_parse_u64(fields[FIELD_tier], &tier) != 0 || tier > 3)
    return fail_found(r, ZAPH_TEXT_INVALID_TIER, fields[FIELD_tier]);
  op->tier = (unsigned)tier;
  if (take_number(r, fields[FIELD_entries], field_names[FIELD_entries], &op->entries) != 0 ||
      take_number(r, fields[FIELD_requests_touching], field_names[FIELD_requests_touching],
                  &op->requests_touching) != 0 ||
      take_number(r, fields[FIELD_entries_outside], field_names[FIELD_entries_outside],
                  &op->entries_outside) != 0 ||
      take_number(r, fields[FIELD_line], field_names[FIELD_line], &op->id.line) != 0)
    return -1;
  if (op->id.line > ZAPH_PROFILE_MAX_LINE_NUMBER)
    return fail_field(r, ZAPH_TEXT_INVALID_NUMBER, field_names[FIELD_line]);
  if (take_text(r, fields[FIELD_file], field_names[FIELD_file]) != 0 ||
      take_text(r, fields[FIELD_name], field_names[FIELD_name]) != 0)
    return -1;
  op->id.file = fields[FIELD_file];
  op->id.name = fields[FIELD_name];
  return check_invariants(r, op);
}

void zaph_timing_counts(const struct zaph_timing_line *t, uint64_t *counts) {
  memset(counts, 0, ZAPH_HIST_BUCKETS * sizeof *counts);
  for (const char *p = t->buckets; *p;) {
    uint64_t b = 0, c = 0;
    for (; *p >= '0' && *p <= '9'; p++)
      b = b * 10 + (uint64_t)(*p - '0');
    for (p++; *p >= '0' && *p <= '9'; p++)
      c = c * 10 + (uint64_t)(*p - '0');
    counts[b] = c;
    if (*p == ',')
      p++;
  }
}

/* Checks a buckets field against samples, total and max. */
static int check_buckets(struct zaph_text_reader *r, char *field) {
  const struct zaph_timing_line *t = &r->timing;
  unsigned __int128 sum = 0, least = 0;
  long last = -1;
  for (char *pair = field; *pair;) {
    char *comma = strchr(pair, ',');
    if (comma)
      *comma = '\0';
    char *colon = strchr(pair, ':');
    uint64_t bucket, count;
    if (colon)
      *colon = '\0';
    int good = colon && zaph_parse_u64(pair, &bucket) == 0 && bucket < ZAPH_HIST_BUCKETS &&
               (long)bucket > last && zaph_parse_u64(colon + 1, &count) == 0 && count > 0;
    if (colon)
      *colon = ':';
    if (!good)
      return fail_found(r, ZAPH_TEXT_INVALID_BUCKETS, pair);
    if (comma) {
      *comma = ',';
      if (!comma[1])
        return fail_found(r, ZAPH_TEXT_INVALID_BUCKETS, comma);
    }
    last = (long)bucket;
    sum += count;
    least += (unsigned __int128)count * zaph_hist_lower((unsigned)bucket);
    pair = comma ? comma + 1 : pair + strlen(pair);
  }
  if (sum != t->samples)
    return fail_counts(r, ZAPH_TEXT_BUCKETS_SUM, sum > UINT64_MAX ? UINT64_MAX : (uint64_t)sum,
                       t->samples);
  if (t->samples == 0)
    return t->max || t->total ? fail(r, ZAPH_TEXT_VALUES_WITHOUT_SAMPLES) : 0;
  if (zaph_hist_bucket(t->max) != (unsigned)last)
    return fail_counts(r, ZAPH_TEXT_MAX_OUTSIDE_BUCKET, t->max, (uint64_t)last);
  /* Every duration is at least its bucket's lower edge and at most max. */
  if (t->total < least || t->total > (unsigned __int128)t->samples * t->max)
    return fail_counts(r, ZAPH_TEXT_TOTAL_OUTSIDE_BUCKETS, t->total, 0);
  return 0;
}

static int read_timing(struct zaph_text_reader *r, char *line) {
  char *fields[TIMING_COUNT];
  size_t count = split_fields(line, fields, TIMING_COUNT);
  if (strcmp(fields[0], timing_names[TIMING_timing]) != 0)
    return fail_found(r, ZAPH_TEXT_EXPECTED_TIMING, fields[0]);
  if (count != TIMING_COUNT)
    return fail_counts(r, ZAPH_TEXT_FIELD_COUNT, TIMING_COUNT, count);
  struct zaph_timing_line *t = &r->timing;
  uint64_t previous = t->op;
  uint64_t *numbers[] = {&t->op,      &t->every, &t->target, &t->started,
                         &t->samples, &t->total, &t->max};
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
    if (take_number(r, fields[TIMING_op + i], timing_names[TIMING_op + i], numbers[i]) != 0)
      return -1;
  if (t->op >= r->ops)
    return fail_counts(r, ZAPH_TEXT_TIMING_OP_RANGE, t->op, r->ops);
  if (r->timings_read > 0 && t->op <= previous)
    return fail_counts(r, ZAPH_TEXT_TIMING_OP_ORDER, t->op, previous);
  if (t->every == 0 || t->every > ZAPH_PROFILE_TIMING_MAX_EVERY || (t->every & (t->every - 1)))
    return fail_found(r, ZAPH_TEXT_INVALID_EVERY, fields[TIMING_every]);
  if (t->samples > t->started)
    return fail_counts(r, ZAPH_TEXT_SAMPLES_ABOVE_STARTED, t->samples, t->started);
  t->buckets = fields[TIMING_buckets];
  return check_buckets(r, fields[TIMING_buckets]);
}

static int read_end(struct zaph_text_reader *r, char *line) {
  char *fields[2];
  uint64_t repeated;
  size_t count = split_fields(line, fields, 2);
  if (strcmp(fields[0], ZAPH_PROFILE_END) != 0)
    return fail_found(r, ZAPH_TEXT_EXPECTED_END, fields[0]);
  if (count != 2)
    return fail_counts(r, ZAPH_TEXT_FIELD_COUNT, 2, count);
  if (take_number(r, fields[1], ZAPH_PROFILE_END, &repeated) != 0)
    return -1;
  if (repeated != r->ops)
    return fail_counts(r, ZAPH_TEXT_END_MISMATCH, repeated, r->ops);
  return 0;
}

/* The stage after the last op line. */
static int after_ops(const struct zaph_text_reader *r) {
  return r->timed ? STAGE_TIMING : STAGE_END;
}

enum zaph_text_line zaph_text_read_line(struct zaph_text_reader *r, char *line, size_t len,
                                        int complete) {
  if (r->problem != ZAPH_TEXT_GOOD)
    return ZAPH_LINE_BAD;
  int first = r->stage == 0;
  r->line_number++;
  if (r->stage == STAGE_DONE) {
    fail(r, ZAPH_TEXT_DATA_AFTER_END);
    return ZAPH_LINE_BAD;
  }
  /* A first line too long or with a NUL byte is binary, not a profile. */
  if (len >= ZAPH_PROFILE_MAX_LINE) {
    fail(r, first ? ZAPH_TEXT_NOT_A_PROFILE : ZAPH_TEXT_LINE_TOO_LONG);
    return ZAPH_LINE_BAD;
  }
  if (complete && memchr(line, '\0', len)) {
    fail(r, first ? ZAPH_TEXT_NOT_A_PROFILE : ZAPH_TEXT_NUL_BYTE);
    return ZAPH_LINE_BAD;
  }
  line[len] = '\0';
  if (!complete && !first)
    return ZAPH_LINE_CUT;
  if (r->stage == 0) {
    if (read_magic(r, line) != 0)
      return ZAPH_LINE_BAD;
    r->stage = 1;
    return ZAPH_LINE_MAGIC;
  }
  if (r->stage < STAGE_OPS) {
    if (read_header(r, line) != 0)
      return ZAPH_LINE_BAD;
    do
      r->stage++;
    while (r->stage < STAGE_OPS && header_since[r->stage - 1] > r->version);
    if (r->stage == STAGE_OPS && r->ops == 0)
      r->stage = after_ops(r);
    return ZAPH_LINE_HEADER;
  }
  if (r->stage == STAGE_OPS) {
    if (read_op(r, line) != 0)
      return ZAPH_LINE_BAD;
    if (++r->ops_read == r->ops)
      r->stage = after_ops(r);
    return ZAPH_LINE_OP;
  }
  if (r->stage == STAGE_TIMING) {
    if (read_timing(r, line) != 0)
      return ZAPH_LINE_BAD;
    if (++r->timings_read == r->timed)
      r->stage = STAGE_END;
    return ZAPH_LINE_TIMING;
  }
  if (r->stage == STAGE_END) {
    if (read_end(r, line) != 0)
      return ZAPH_LINE_BAD;
    r->stage = STAGE_DONE;
    return ZAPH_LINE_END;
  }
  return ZAPH_LINE_BAD;
}

int zaph_text_read_end(struct zaph_text_reader *r) {
  if (r->problem != ZAPH_TEXT_GOOD)
    return -1;
  if (r->stage == 0)
    return fail_at(r, ZAPH_TEXT_EMPTY_FILE, 0);
  if (r->stage < STAGE_OPS) {
    r->field = header_names[r->stage - 1];
    return fail_at(r, ZAPH_TEXT_MISSING_HEADER, 0);
  }
  if (r->stage == STAGE_TIMING) {
    r->a = r->timings_read;
    r->b = r->timed;
    return fail_at(r, ZAPH_TEXT_MISSING_TIMING, 0);
  }
  if (r->stage < STAGE_DONE) {
    r->a = r->ops_read;
    r->b = r->ops;
    return fail_at(r, ZAPH_TEXT_MISSING_END, 0);
  }
  return 0;
}

_Static_assert(ZAPH_HIST_BUCKETS == 1152, "the histogram message names the bucket count");

/* The words of each problem, and which of the reader's values they take. */
enum problem_values { NONE, FIELD, FOUND, FIELD_FOUND, COUNTS, NEWER, TIMES, DUPLICATE };
static const struct {
  const char *format;
  enum problem_values values;
} problem_words[] = {
    [ZAPH_TEXT_GOOD] = {"no problem", NONE},
    [ZAPH_TEXT_EMPTY_FILE] = {"empty file", NONE},
    [ZAPH_TEXT_NOT_A_PROFILE] = {"not a zaph profile", NONE},
    [ZAPH_TEXT_NEWER_VERSION] = {"format version %s is newer than this %s understands (%d)", NEWER},
    [ZAPH_TEXT_LINE_TOO_LONG] = {"line too long", NONE},
    [ZAPH_TEXT_NUL_BYTE] = {"NUL byte", NONE},
    [ZAPH_TEXT_MISSING_HEADER] = {"truncated: missing header '%s'", FIELD},
    [ZAPH_TEXT_EXPECTED_HEADER] = {"expected header '%s', found '%s'", FIELD_FOUND},
    [ZAPH_TEXT_FIELD_COUNT] = {"expected %llu fields, found %llu", COUNTS},
    [ZAPH_TEXT_INVALID_NUMBER] = {"invalid number in field '%s'", FIELD},
    [ZAPH_TEXT_INVALID_TIME] = {"invalid time in field '%s'", FIELD},
    [ZAPH_TEXT_START_AFTER_END] = {"start %s is after end %s (more than the %d seconds allowed "
                                   "for clock skew)", TIMES},
    [ZAPH_TEXT_INVALID_ESCAPE] = {"invalid escape in field '%s'", FIELD},
    [ZAPH_TEXT_ESCAPED_NUL] = {"escaped NUL byte in field '%s'", FIELD},
    [ZAPH_TEXT_EXPECTED_OP] = {"expected 'op' line, found '%s'", FOUND},
    [ZAPH_TEXT_EARLY_END] = {"'end' line after %llu of %llu ops", COUNTS},
    [ZAPH_TEXT_MISSING_END] = {"truncated: missing 'end' line after %llu of %llu ops", COUNTS},
    [ZAPH_TEXT_INVALID_KIND] = {"invalid kind '%s' (expected op or request)", FOUND},
    [ZAPH_TEXT_INVALID_TIER] = {"invalid tier '%s' (expected 0, 1, 2 or 3)", FOUND},
    [ZAPH_TEXT_TOUCHING_ABOVE_REQUESTS] = {"requests_touching (%llu) exceeds requests (%llu)",
                                           COUNTS},
    [ZAPH_TEXT_TOUCHING_ABOVE_ENTRIES] = {"requests_touching (%llu) exceeds entries (%llu)",
                                          COUNTS},
    [ZAPH_TEXT_OUTSIDE_ABOVE_ENTRIES] = {"entries_outside (%llu) exceeds entries (%llu)", COUNTS},
    [ZAPH_TEXT_EXPECTED_END] = {"expected 'end' line, found '%s'", FOUND},
    [ZAPH_TEXT_END_MISMATCH] = {"'end' line says %llu ops, the header says %llu", COUNTS},
    [ZAPH_TEXT_DATA_AFTER_END] = {"data after the 'end' line", NONE},
    [ZAPH_TEXT_DUPLICATE_OP] = {"duplicate op '%s' (%s:%llu)", DUPLICATE},
    [ZAPH_TEXT_NO_TIMED_OPS] = {"header 'timed' is 0 (a profile without timing is version 1)",
                                NONE},
    [ZAPH_TEXT_EXPECTED_TIMING] = {"expected 'timing' line, found '%s'", FOUND},
    [ZAPH_TEXT_MISSING_TIMING] = {"truncated: missing timing lines after %llu of %llu", COUNTS},
    [ZAPH_TEXT_TIMING_OP_RANGE] = {"timing line names op %llu of %llu op lines (counted from 0)",
                                   COUNTS},
    [ZAPH_TEXT_TIMING_OP_ORDER] = {"timing line names op %llu after op %llu (expected ascending, "
                                   "one line per op)", COUNTS},
    [ZAPH_TEXT_INVALID_EVERY] = {"invalid 'every' '%s' (expected a power of two, 1 to 65536)",
                                 FOUND},
    [ZAPH_TEXT_SAMPLES_ABOVE_STARTED] = {"samples (%llu) exceeds started (%llu)", COUNTS},
    [ZAPH_TEXT_INVALID_BUCKETS] = {"invalid histogram pair '%s' (expected bucket:count, buckets "
                                   "ascending below 1152, counts above 0)", FOUND},
    [ZAPH_TEXT_BUCKETS_SUM] = {"histogram counts sum to %llu, samples is %llu", COUNTS},
    [ZAPH_TEXT_MAX_OUTSIDE_BUCKET] = {"max (%llu) is not in the last histogram bucket (%llu)",
                                      COUNTS},
    [ZAPH_TEXT_TOTAL_OUTSIDE_BUCKETS] = {"total (%llu) does not fit the histogram and max",
                                         COUNTS},
    [ZAPH_TEXT_VALUES_WITHOUT_SAMPLES] = {"total and max must be 0 when samples is 0", NONE},
};

size_t zaph_text_problem(char *out, size_t cap, const struct zaph_text_reader *r) {
  const char *format = problem_words[r->problem].format;
  unsigned long long a = r->a, b = r->b;
  int n = 0;
  switch (problem_words[r->problem].values) {
  case NONE: n = snprintf(out, cap, "%s", format); break;
  case FIELD: n = snprintf(out, cap, format, r->field); break;
  case FOUND: n = snprintf(out, cap, format, r->found); break;
  case FIELD_FOUND: n = snprintf(out, cap, format, r->field, r->found); break;
  case COUNTS: n = snprintf(out, cap, format, a, b); break;
  case NEWER:
    n = snprintf(out, cap, format, r->found, r->reader_name, ZAPH_PROFILE_VERSION);
    break;
  case TIMES:
    n = snprintf(out, cap, format, r->found, r->found_too, ZAPH_PROFILE_CLOCK_SKEW_SECONDS);
    break;
  case DUPLICATE: n = snprintf(out, cap, format, r->found, r->found_too, a); break;
  }
  return n > 0 ? (size_t)n : 0;
}
