/* The profile parser: magic line, the header keys in order, the op lines and the 'end' line, each
 * checked against include/zaph_profile.h, then a check that no op identity appears twice. The
 * first problem found ends the parse with one message; nothing is guessed or repaired. */
#include "profile_read.h"

#include "calendar.h"
#include "line_reader.h"
#include "profile_continuous.h"
#include "profile_duplicates.h"
#include "profile_values.h"
#include "xalloc.h"
#include "zaph_continuous.h"
#include "zaph_profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HEADER_INDEX(key, description) HEADER_##key,
enum header_index { ZAPH_PROFILE_HEADER(HEADER_INDEX) HEADER_COUNT };
#undef HEADER_INDEX

#define HEADER_NAME(key, description) #key,
static const char *const header_names[] = {ZAPH_PROFILE_HEADER(HEADER_NAME)};
#undef HEADER_NAME

#define FIELD_INDEX(field, description) FIELD_##field,
enum field_index { ZAPH_PROFILE_OP_FIELDS(FIELD_INDEX) FIELD_COUNT };
#undef FIELD_INDEX

#define FIELD_NAME(field, description) #field,
static const char *const field_names[] = {ZAPH_PROFILE_OP_FIELDS(FIELD_NAME)};
#undef FIELD_NAME

/* How much of an unexpected word a message quotes. */
#define QUOTE_LIMIT 64

struct parser {
  struct line_reader reader;
  struct profile *profile;
  const char *name;
  char *error;
};

/* Sets the error: "<name>: <what>", or "<name>:<line>: <what>" when line is not 0. */
static void fail_va(struct parser *p, unsigned long line, const char *fmt, va_list ap) {
  va_list again;
  va_copy(again, ap);
  int len = vsnprintf(NULL, 0, fmt, ap);
  char *what = xmalloc(len > 0 ? (size_t)len + 1 : 1);
  what[0] = '\0';
  if (len > 0)
    vsnprintf(what, (size_t)len + 1, fmt, again);
  va_end(again);
  p->error = line ? xformat("%s:%lu: %s", p->name, line, what) : xformat("%s: %s", p->name, what);
  free(what);
}

static void fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct parser *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fail_va(p, 0, fmt, ap);
  va_end(ap);
}

static void fail_line(struct parser *p, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_line(struct parser *p, unsigned long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fail_va(p, line, fmt, ap);
  va_end(ap);
}

/* Fails at the line last read. */
#define fail_at(p, ...) fail_line(p, (p)->reader.line_number, __VA_ARGS__)

/* Returns text made printable for a message: escaped, and cut after QUOTE_LIMIT bytes. */
static char *quote(const char *text) {
  size_t len = strlen(text);
  size_t shown = len > QUOTE_LIMIT ? QUOTE_LIMIT : len;
  size_t need = zaph_escape(NULL, 0, text, shown);
  char *out = xmalloc(need + 4);
  zaph_escape(out, need + 1, text, shown);
  if (shown < len)
    memcpy(out + need, "...", 4);
  return out;
}

static void fail_found(struct parser *p, const char *expected, const char *found) {
  char *shown = quote(found);
  fail_at(p, "expected %s, found '%s'", expected, shown);
  free(shown);
}

/* Splits line at tabs in place; returns the number of fields, storing at most max of them. */
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

/* Unescapes a text field and copies it into the profile; returns NULL after failing. */
static const char *take_text(struct parser *p, char *field, const char *field_name) {
  long len = zaph_unescape(field);
  if (len < 0) {
    fail_at(p, "invalid escape in field '%s'", field_name);
    return NULL;
  }
  if (strlen(field) != (size_t)len) {
    fail_at(p, "escaped NUL byte in field '%s'", field_name);
    return NULL;
  }
  return string_pool_add(&p->profile->text, field, (size_t)len);
}

static int take_number(struct parser *p, const char *field, const char *field_name,
                       uint64_t *value) {
  if (parse_decimal_u64(field, value) == 0)
    return 0;
  fail_at(p, "invalid number in field '%s'", field_name);
  return -1;
}

/* Reads the next line. Returns 1 for a complete line; 0 at the end of the data, which is a clean
 * end of file or a last line without its newline (the writer always ends a line, so such a
 * line is where the file was cut); -1 after failing. */
static int next_line(struct parser *p, char **line) {
  size_t len;
  switch (line_reader_next(&p->reader, line, &len)) {
  case LINE_OK:
    return 1;
  case LINE_END_OF_FILE:
    return 0;
  case LINE_UNTERMINATED:
    return 0;
  case LINE_TOO_LONG:
    fail_at(p, "line too long");
    return -1;
  case LINE_HAS_NUL:
    fail_at(p, "NUL byte");
    return -1;
  case LINE_READ_ERROR:
    fail(p, "read error: %s", strerror(p->reader.read_error));
    return -1;
  }
  return -1;
}

/* Checks "zaph-profile <version>"; a line that is not exactly that is not a profile. */
static int parse_magic_line(struct parser *p, const char *line) {
  size_t magic_len = strlen(ZAPH_PROFILE_MAGIC);
  uint64_t version;
  if (strncmp(line, ZAPH_PROFILE_MAGIC, magic_len) != 0 || line[magic_len] != ' ' ||
      strspn(line + magic_len + 1, "0123456789") != strlen(line + magic_len + 1) ||
      !line[magic_len + 1]) {
    fail_line(p, 1, "not a zaph profile");
    return -1;
  }
  const char *digits = line + magic_len + 1;
  if (parse_decimal_u64(digits, &version) != 0 || version > ZAPH_PROFILE_VERSION) {
    char *shown = quote(digits);
    fail_line(p, 1, "format version %s is newer than this zaph-report understands (%d)", shown,
              ZAPH_PROFILE_VERSION);
    free(shown);
    return -1;
  }
  if (version == 0) {
    fail_line(p, 1, "not a zaph profile");
    return -1;
  }
  p->profile->version = version;
  return 0;
}

static int parse_first_line(struct parser *p) {
  char *line;
  size_t len;
  switch (line_reader_next(&p->reader, &line, &len)) {
  case LINE_END_OF_FILE:
    fail(p, "empty file");
    return -1;
  case LINE_READ_ERROR:
    fail(p, "read error: %s", strerror(p->reader.read_error));
    return -1;
  case LINE_TOO_LONG:
  case LINE_HAS_NUL:
    fail_line(p, 1, "not a zaph profile");
    return -1;
  case LINE_OK:
  case LINE_UNTERMINATED:
    break;
  }
  return parse_magic_line(p, line);
}

/* A start after the end, beyond the clock skew a reader allows, is not a time range. */
static int check_time_order(struct parser *p) {
  const struct profile *profile = p->profile;
  if (calendar_seconds_of_time(profile->start) <=
      calendar_seconds_of_time(profile->end) + ZAPH_PROFILE_CLOCK_SKEW_SECONDS)
    return 0;
  fail_at(p, "start %s is after end %s (more than the %d seconds allowed for clock skew)",
          profile->start, profile->end, ZAPH_PROFILE_CLOCK_SKEW_SECONDS);
  return -1;
}

static int store_header_value(struct parser *p, enum header_index key, char *value) {
  struct profile *profile = p->profile;
  const char *name = header_names[key];
  switch (key) {
  case HEADER_program:
    return (profile->program = take_text(p, value, name)) ? 0 : -1;
  case HEADER_host:
    return (profile->host = take_text(p, value, name)) ? 0 : -1;
  case HEADER_source:
    return (profile->source = take_text(p, value, name)) ? 0 : -1;
  case HEADER_pid:
    return take_number(p, value, name, &profile->pid);
  case HEADER_requests:
    return take_number(p, value, name, &profile->requests);
  case HEADER_ops:
    return take_number(p, value, name, &profile->declared_ops);
  case HEADER_start:
  case HEADER_end:
    if (!profile_time_is_valid(value)) {
      fail_at(p, "invalid time in field '%s'", name);
      return -1;
    }
    memcpy(key == HEADER_start ? profile->start : profile->end, value, PROFILE_TIME_LENGTH + 1);
    return key == HEADER_end ? check_time_order(p) : 0;
  case HEADER_COUNT:
    break;
  }
  return -1;
}

static int parse_header(struct parser *p) {
  for (int key = 0; key < HEADER_COUNT; key++) {
    char *line, *fields[2];
    int got = next_line(p, &line);
    if (got < 0)
      return -1;
    if (got == 0) {
      fail(p, "truncated: missing header '%s'", header_names[key]);
      return -1;
    }
    size_t count = split_fields(line, fields, 2);
    if (strcmp(fields[0], header_names[key]) != 0) {
      char *expected = xformat("header '%s'", header_names[key]);
      fail_found(p, expected, fields[0]);
      free(expected);
      return -1;
    }
    if (count != 2) {
      fail_at(p, "expected 2 fields, found %zu", count);
      return -1;
    }
    if (store_header_value(p, (enum header_index)key, fields[1]) != 0)
      return -1;
  }
  return 0;
}

static int check_invariants(struct parser *p, const struct profile_op *op) {
  if (op->requests_touching > p->profile->requests) {
    fail_at(p, "requests_touching (%llu) exceeds requests (%llu)",
            (unsigned long long)op->requests_touching,
            (unsigned long long)p->profile->requests);
    return -1;
  }
  if (op->requests_touching > op->entries) {
    fail_at(p, "requests_touching (%llu) exceeds entries (%llu)",
            (unsigned long long)op->requests_touching, (unsigned long long)op->entries);
    return -1;
  }
  if (op->entries_outside > op->entries) {
    fail_at(p, "entries_outside (%llu) exceeds entries (%llu)",
            (unsigned long long)op->entries_outside, (unsigned long long)op->entries);
    return -1;
  }
  return 0;
}

static int parse_op_fields(struct parser *p, char **fields, struct profile_op *op) {
  uint64_t tier;
  op->id.kind = zaph_kind_from_name(fields[FIELD_kind]);
  if (!op->id.kind) {
    char *shown = quote(fields[FIELD_kind]);
    fail_at(p, "invalid kind '%s' (expected op or request)", shown);
    free(shown);
    return -1;
  }
  if (parse_decimal_u64(fields[FIELD_tier], &tier) != 0 || tier > 3) {
    char *shown = quote(fields[FIELD_tier]);
    fail_at(p, "invalid tier '%s' (expected 0, 1, 2 or 3)", shown);
    free(shown);
    return -1;
  }
  op->declared_tier = (unsigned)tier;
  if (take_number(p, fields[FIELD_entries], field_names[FIELD_entries], &op->entries) != 0 ||
      take_number(p, fields[FIELD_requests_touching], field_names[FIELD_requests_touching],
                  &op->requests_touching) != 0 ||
      take_number(p, fields[FIELD_entries_outside], field_names[FIELD_entries_outside],
                  &op->entries_outside) != 0 ||
      take_number(p, fields[FIELD_line], field_names[FIELD_line], &op->id.line) != 0)
    return -1;
  if (!(op->id.file = take_text(p, fields[FIELD_file], field_names[FIELD_file])) ||
      !(op->id.name = take_text(p, fields[FIELD_name], field_names[FIELD_name])))
    return -1;
  op->text_line = p->reader.line_number;
  return check_invariants(p, op);
}

static int parse_ops(struct parser *p) {
  struct profile *profile = p->profile;
  for (uint64_t i = 0; i < profile->declared_ops; i++) {
    char *line, *fields[FIELD_COUNT];
    int got = next_line(p, &line);
    if (got < 0)
      return -1;
    if (got == 0) {
      fail(p, "truncated: missing 'end' line after %llu of %llu ops", (unsigned long long)i,
           (unsigned long long)profile->declared_ops);
      return -1;
    }
    size_t count = split_fields(line, fields, FIELD_COUNT);
    if (strcmp(fields[0], ZAPH_PROFILE_END) == 0) {
      fail_at(p, "'end' line after %llu of %llu ops", (unsigned long long)i,
              (unsigned long long)profile->declared_ops);
      return -1;
    }
    if (strcmp(fields[0], field_names[FIELD_op]) != 0) {
      fail_found(p, "'op' line", fields[0]);
      return -1;
    }
    if (count != FIELD_COUNT) {
      fail_at(p, "expected %d fields, found %zu", FIELD_COUNT, count);
      return -1;
    }
    if (profile->op_count == profile->op_capacity) {
      profile->op_capacity = profile->op_capacity ? profile->op_capacity * 2 : 64;
      profile->ops = xreallocarray(profile->ops, profile->op_capacity, sizeof *profile->ops);
    }
    if (parse_op_fields(p, fields, &profile->ops[profile->op_count]) != 0)
      return -1;
    profile->op_count++;
  }
  return 0;
}

static int parse_end(struct parser *p) {
  struct profile *profile = p->profile;
  char *line, *fields[2];
  uint64_t repeated;
  int got = next_line(p, &line);
  if (got < 0)
    return -1;
  if (got == 0) {
    fail(p, "truncated: missing 'end' line after %llu of %llu ops",
         (unsigned long long)profile->op_count, (unsigned long long)profile->declared_ops);
    return -1;
  }
  size_t count = split_fields(line, fields, 2);
  if (strcmp(fields[0], ZAPH_PROFILE_END) != 0) {
    fail_found(p, "'end' line", fields[0]);
    return -1;
  }
  if (count != 2) {
    fail_at(p, "expected 2 fields, found %zu", count);
    return -1;
  }
  if (take_number(p, fields[1], ZAPH_PROFILE_END, &repeated) != 0)
    return -1;
  if (repeated != profile->declared_ops) {
    fail_at(p, "'end' line says %llu ops, the header says %llu", (unsigned long long)repeated,
            (unsigned long long)profile->declared_ops);
    return -1;
  }
  size_t len;
  if (line_reader_next(&p->reader, &line, &len) != LINE_END_OF_FILE) {
    fail_at(p, "data after the 'end' line");
    return -1;
  }
  return 0;
}

/* Fails on the first op line that repeats an identity seen before. */
static int check_duplicates(struct parser *p) {
  const struct profile_op *repeat = profile_find_duplicate(p->profile);
  if (!repeat)
    return 0;
  char *name = quote(repeat->id.name), *file = quote(repeat->id.file);
  fail_line(p, repeat->text_line, "duplicate op '%s' (%s:%llu)", name, file,
            (unsigned long long)repeat->id.line);
  free(name);
  free(file);
  return -1;
}

/* Parses a text profile; the first prefix_len bytes of the stream were already read into
 * prefix. */
static int parse_text(struct profile *profile, FILE *stream, const char *display_name,
                      const char *prefix, size_t prefix_len, char **error) {
  memset(profile, 0, sizeof *profile);
  string_pool_init(&profile->text);
  profile->display_name = string_pool_add(&profile->text, display_name, strlen(display_name));
  struct parser p = {.profile = profile, .name = profile->display_name};
  line_reader_init(&p.reader, stream, ZAPH_PROFILE_MAX_LINE);
  memcpy(p.reader.buffer, prefix, prefix_len);
  p.reader.end = prefix_len;
  int rc = parse_first_line(&p) == 0 && parse_header(&p) == 0 && parse_ops(&p) == 0 &&
                   parse_end(&p) == 0 && check_duplicates(&p) == 0
               ? 0
               : -1;
  line_reader_free(&p.reader);
  *error = p.error;
  return rc;
}

/* Reads size bytes of data from stream, up to want in all (the buffer grows as bytes come, not
 * to want at once); returns the bytes it holds then, fewer at the end of the stream. */
static size_t read_up_to(FILE *stream, char **data, size_t size, size_t *capacity, size_t want) {
  while (size < want) {
    if (size == *capacity)
      *data = xreallocarray(*data, *capacity *= 2, 1);
    size_t room = *capacity - size, chunk = want - size < room ? want - size : room;
    size_t got = fread(*data + size, 1, chunk, stream);
    size += got;
    if (got == 0)
      break;
  }
  return size;
}

/* Reads the header of a stream that starts with the continuous magic, then the records the
 * header counts and nothing after them, and parses that. */
static int parse_continuous_stream(struct profile *profile, FILE *stream,
                                   const char *display_name, const char *prefix,
                                   size_t prefix_len, char **error) {
  size_t capacity = 1 << 16;
  char *data = xmalloc(capacity);
  memcpy(data, prefix, prefix_len);
  size_t size = read_up_to(stream, &data, prefix_len, &capacity, ZAPH_CONTINUOUS_HEADER_SIZE);
  if (size == ZAPH_CONTINUOUS_HEADER_SIZE) {
    uint64_t used;
    memcpy(&used, data + offsetof(struct zaph_continuous_header, used), sizeof used);
    size_t want = used < SIZE_MAX - ZAPH_CONTINUOUS_HEADER_SIZE
                      ? ZAPH_CONTINUOUS_HEADER_SIZE + (size_t)used
                      : SIZE_MAX;
    size = read_up_to(stream, &data, size, &capacity, want);
  }
  int rc;
  if (ferror(stream)) {
    memset(profile, 0, sizeof *profile);
    *error = xformat("%s: read error: %s", display_name, strerror(errno ? errno : EIO));
    rc = -1;
  } else {
    rc = profile_parse_continuous(profile, data, size, 0, display_name, error);
  }
  free(data);
  return rc;
}

/* Parses a text or a continuous profile, as its first bytes say. regular, when not NULL, is the
 * stream's stat as a regular file: a continuous one is then read in place, in the order that
 * stays consistent while a program may still be counting into it. */
static int parse_either(struct profile *profile, FILE *stream, const char *display_name,
                        const struct stat *regular, char **error) {
  char prefix[ZAPH_CONTINUOUS_MAGIC_SIZE];
  size_t got = fread(prefix, 1, sizeof prefix, stream);
  if (!profile_is_continuous(prefix, got))
    return parse_text(profile, stream, display_name, prefix, got, error);
  if (regular)
    return profile_load_continuous(profile, fileno(stream), (size_t)regular->st_size,
                                   (int64_t)regular->st_mtime, display_name, error);
  return parse_continuous_stream(profile, stream, display_name, prefix, got, error);
}

int profile_parse(struct profile *profile, FILE *stream, const char *display_name, char **error) {
  return parse_either(profile, stream, display_name, NULL, error);
}

int profile_load(struct profile *profile, const char *path, char **error) {
  int from_stdin = strcmp(path, "-") == 0;
  FILE *stream = from_stdin ? stdin : fopen(path, "r");
  struct stat st;
  memset(profile, 0, sizeof *profile);
  if (!stream) {
    *error = xformat("%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  int have_stat = fstat(fileno(stream), &st) == 0;
  if (have_stat && S_ISDIR(st.st_mode)) {
    *error = xformat("%s: is a directory", from_stdin ? PROFILE_STDIN_NAME : path);
    if (!from_stdin)
      fclose(stream);
    return -1;
  }
  int rc = parse_either(profile, stream, from_stdin ? PROFILE_STDIN_NAME : path,
                        have_stat && S_ISREG(st.st_mode) ? &st : NULL, error);
  if (!from_stdin)
    fclose(stream);
  return rc;
}

void profile_free(struct profile *profile) {
  free(profile->ops);
  profile->ops = NULL;
  profile->op_count = profile->op_capacity = 0;
  string_pool_free(&profile->text);
}
