/* The profile parser: lines from the line reader through the grammar the runtime reads with too
 * (format/profile_grammar.c), then a check that no op identity appears twice; or a continuous
 * profile. The first problem found ends the parse with one message; nothing is guessed or
 * repaired. */
#include "profile_read.h"

#include "line_reader.h"
#include "profile_continuous.h"
#include "xalloc.h"
#include "zaph_continuous.h"
#include "zaph_profile.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct parser {
  struct line_reader reader;
  struct zaph_text_reader grammar;
  struct profile *profile;
};

/* Copies a text field the grammar has unescaped into the profile. */
static const char *keep_text(struct parser *p, const char *text) {
  return string_pool_add(&p->profile->text, text, strlen(text));
}

/* Keeps what a line held: header values, op lines. */
static void keep_line(struct parser *p) {
  struct profile *profile = p->profile;
  const struct zaph_text_reader *g = &p->grammar;
  if (profile->op_count == profile->op_capacity) {
    profile->op_capacity = profile->op_capacity ? profile->op_capacity * 2 : 64;
    profile->ops = xreallocarray(profile->ops, profile->op_capacity, sizeof *profile->ops);
  }
  struct profile_op *op = &profile->ops[profile->op_count++];
  op->id = g->op.id;
  op->id.name = keep_text(p, g->op.id.name);
  op->id.file = keep_text(p, g->op.id.file);
  op->declared_tier = g->op.tier;
  op->entries = g->op.entries;
  op->requests_touching = g->op.requests_touching;
  op->entries_outside = g->op.entries_outside;
  op->text_line = g->line_number;
  op->timing = NULL;
}

/* Keeps a timing line, with its histogram, on the op line it names. */
static void keep_timing(struct parser *p) {
  const struct zaph_timing_line *t = &p->grammar.timing;
  struct op_timing *timing = xcalloc(1, sizeof *timing);
  timing->every = t->every;
  timing->target = t->target;
  timing->started = t->started;
  timing->samples = t->samples;
  timing->total = t->total;
  timing->max = t->max;
  zaph_timing_counts(t, timing->counts);
  p->profile->ops[t->op].timing = timing;
}

static void keep_header(struct parser *p) {
  struct profile *profile = p->profile;
  const struct zaph_text_reader *g = &p->grammar;
  switch (g->key) {
  case ZAPH_HEADER_program: profile->program = keep_text(p, g->text); break;
  case ZAPH_HEADER_host: profile->host = keep_text(p, g->text); break;
  case ZAPH_HEADER_source: profile->source = keep_text(p, g->text); break;
  case ZAPH_HEADER_pid: profile->pid = g->pid; break;
  case ZAPH_HEADER_requests: profile->requests = g->requests; break;
  case ZAPH_HEADER_ops: profile->declared_ops = g->ops; break;
  case ZAPH_HEADER_timed: break;
  case ZAPH_HEADER_clock_hz: profile->clock_hz = g->clock_hz; break;
  case ZAPH_HEADER_start: memcpy(profile->start, g->start_text, sizeof profile->start); break;
  case ZAPH_HEADER_end: memcpy(profile->end, g->end_text, sizeof profile->end); break;
  case ZAPH_HEADER_COUNT: break;
  }
}

/* Reads the next line and hands it to the grammar. Returns 1 after a good line, 0 at the end
 * of the data, -1 after a problem. */
static int next_line(struct parser *p) {
  struct zaph_text_reader *g = &p->grammar;
  char *line;
  size_t len;
  enum line_status status = line_reader_next(&p->reader, &line, &len);
  if (status == LINE_READ_ERROR)
    return -1;
  if (status == LINE_END_OF_FILE)
    return 0;
  if (status == LINE_TOO_LONG) { /* the bytes of the line are not at hand */
    static char none[1];
    line = none;
    len = ZAPH_PROFILE_MAX_LINE;
  }
  switch (zaph_text_read_line(g, line, len, status == LINE_OK || status == LINE_HAS_NUL)) {
  case ZAPH_LINE_BAD: return -1;
  case ZAPH_LINE_CUT: return 0;
  case ZAPH_LINE_MAGIC: p->profile->version = g->version; break;
  case ZAPH_LINE_HEADER: keep_header(p); break;
  case ZAPH_LINE_OP: keep_line(p); break;
  case ZAPH_LINE_TIMING: keep_timing(p); break;
  case ZAPH_LINE_END: break;
  }
  return 1;
}

/* Orders ops by identity, then by the line they were read from. */
static int compare_op_pointers(const void *a, const void *b) {
  const struct profile_op *x = *(const struct profile_op *const *)a;
  const struct profile_op *y = *(const struct profile_op *const *)b;
  int c = zaph_identity_compare(&x->id, &y->id);
  if (c)
    return c;
  return (x->text_line > y->text_line) - (x->text_line < y->text_line);
}

/* Writers sort op lines by identity, so one pass over neighbours normally decides it in linear
 * time; a file that is not sorted falls back to sorting pointers. */
const struct profile_op *profile_find_duplicate(const struct profile *profile) {
  size_t n = profile->op_count;
  const struct profile_op *repeat = NULL;
  int sorted = 1;
  for (size_t i = 1; i < n && sorted && !repeat; i++) {
    int c = zaph_identity_compare(&profile->ops[i - 1].id, &profile->ops[i].id);
    if (c == 0)
      repeat = &profile->ops[i];
    sorted = c <= 0;
  }
  if (sorted)
    return repeat;
  const struct profile_op **order = xreallocarray(NULL, n, sizeof *order);
  for (size_t i = 0; i < n; i++)
    order[i] = &profile->ops[i];
  qsort(order, n, sizeof *order, compare_op_pointers);
  for (size_t i = 1; i < n; i++)
    if (zaph_identity_equal(&order[i - 1]->id, &order[i]->id) &&
        (!repeat || order[i]->text_line < repeat->text_line))
      repeat = order[i];
  free(order);
  return repeat;
}

/* Fails on the first op line that repeats an identity seen before. */
static int check_duplicates(struct parser *p) {
  const struct profile_op *repeat = profile_find_duplicate(p->profile);
  return repeat ? zaph_text_fail_duplicate(&p->grammar, &repeat->id, repeat->text_line) : 0;
}

/* The parser's message: "<name>: <what>", or "<name>:<line>: <what>" when it names a line. */
static char *error_of(const struct parser *p) {
  if (p->reader.read_error)
    return xformat("%s: read error: %s", p->profile->display_name,
                   strerror(p->reader.read_error));
  char what[2 * ZAPH_QUOTE_SIZE + 256];
  zaph_text_problem(what, sizeof what, &p->grammar);
  return p->grammar.problem_line
             ? xformat("%s:%lu: %s", p->profile->display_name, p->grammar.problem_line, what)
             : xformat("%s: %s", p->profile->display_name, what);
}

/* Parses a text profile; the first prefix_len bytes of the stream were already read into
 * prefix. */
static int parse_text(struct profile *profile, FILE *stream, const char *display_name,
                      const char *prefix, size_t prefix_len, char **error) {
  memset(profile, 0, sizeof *profile);
  string_pool_init(&profile->text);
  profile->display_name = string_pool_add(&profile->text, display_name, strlen(display_name));
  struct parser p = {.profile = profile};
  zaph_text_read_begin(&p.grammar, "zaph-report");
  line_reader_init(&p.reader, stream, ZAPH_PROFILE_MAX_LINE);
  memcpy(p.reader.buffer, prefix, prefix_len);
  p.reader.end = prefix_len;
  int got;
  while ((got = next_line(&p)) > 0) {
  }
  int rc = got == 0 && zaph_text_read_end(&p.grammar) == 0 && check_duplicates(&p) == 0 ? 0 : -1;
  *error = rc == 0 ? NULL : error_of(&p);
  line_reader_free(&p.reader);
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
  for (size_t i = 0; i < profile->op_count; i++)
    free(profile->ops[i].timing);
  free(profile->ops);
  profile->ops = NULL;
  profile->op_count = profile->op_capacity = 0;
  string_pool_free(&profile->text);
}
