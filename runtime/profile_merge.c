/* Reads a profile file back and adds it to the process's profile, for merge mode (%m in
 * ZAPH_PROFILE_FILE): several processes writing one path leave the exact sum. Strict: a file
 * that is not a complete version-1 profile is reported, never guessed at or overwritten. */
#include "runtime.h"

#include "zaph_profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct reader {
  FILE *f;
  char *line;
  size_t cap;
  unsigned number;
  const char *problem;
};

/* The text of the last problem; merging runs under profile_write.c's write lock only. */
static char problem_text[96];

static int fail(struct reader *r, const char *what, const char *key) {
  snprintf(problem_text, sizeof problem_text, "%s in '%s'", what, key);
  r->problem = problem_text;
  return 0;
}

/* Reads the next line without its newline; NULL at the end or on a bad line. */
static char *next_line(struct reader *r) {
  ssize_t len = getline(&r->line, &r->cap, r->f);
  r->number++;
  if (len <= 0 || r->line[len - 1] != '\n') {
    r->problem = "truncated";
    return NULL;
  }
  if ((size_t)len > ZAPH_PROFILE_MAX_LINE || strlen(r->line) != (size_t)len) {
    r->problem = "line too long or NUL byte";
    return NULL;
  }
  r->line[len - 1] = '\0';
  return r->line;
}

static int parse_u64(const char *text, uint64_t *out) {
  if (*text < '0' || *text > '9')
    return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || *end)
    return -1;
  *out = v;
  return 0;
}

static int parse_time(const char *text, time_t *out) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  const char *end = strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (!end || *end)
    return -1;
  *out = timegm(&tm);
  return 0;
}

/* Reads "<key>\t<value>" and returns the value. */
static char *header(struct reader *r, const char *key) {
  char *line = next_line(r);
  size_t len = strlen(key);
  if (!line)
    return NULL;
  if (strncmp(line, key, len) != 0 || line[len] != '\t') {
    r->problem = "unexpected header line";
    return NULL;
  }
  return line + len + 1;
}

static int header_u64(struct reader *r, const char *key, uint64_t *out) {
  char *v = header(r, key);
  return v && (parse_u64(v, out) == 0 || fail(r, "invalid number", key));
}

static int header_time(struct reader *r, const char *key, time_t *out) {
  char *v = header(r, key);
  return v && (parse_time(v, out) == 0 || fail(r, "invalid time", key));
}

static uint64_t saturating_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* Splits an op line into its nine fields and reads them into op (strings point into line). */
static int parse_op(char *line, struct profile_op *op) {
  char *field[9];
  int n = 0;
  for (char *save = NULL, *f = strtok_r(line, "\t", &save); f && n < 9;
       f = strtok_r(NULL, "\t", &save))
    field[n++] = f;
  uint64_t tier, line_no;
  if (n != 9 || strcmp(field[0], "op") != 0 || !(op->kind = (uint32_t)zaph_kind_from_name(field[1])) ||
      parse_u64(field[2], &tier) || tier > 3 || parse_u64(field[3], &op->entries) ||
      parse_u64(field[4], &op->touched) || parse_u64(field[5], &op->outside) ||
      parse_u64(field[6], &line_no) || line_no > UINT32_MAX || zaph_unescape(field[7]) < 0 ||
      zaph_unescape(field[8]) < 0 || op->touched > op->entries || op->outside > op->entries)
    return -1;
  op->tier = (uint32_t)tier;
  op->line = (uint32_t)line_no;
  op->file = field[7];
  op->name = field[8];
  return 0;
}

/* Sums the records of equal identity (p sorted), saturating where a sum would overflow. */
static void combine_duplicates(struct profile *p) {
  uint32_t w = 0;
  for (uint32_t i = 0; i < p->n_ops; i++) {
    struct profile_op *op = &p->ops[i], *last = w ? &p->ops[w - 1] : NULL;
    if (last && last->line == op->line && last->kind == op->kind &&
        strcmp(last->name, op->name) == 0 && strcmp(last->file, op->file) == 0) {
      if (last->entries > UINT64_MAX - op->entries)
        zaph_error("merged count of %s overflows 64 bits; kept at the maximum", op->name);
      last->entries = saturating_add(last->entries, op->entries);
      last->touched = saturating_add(last->touched, op->touched);
      last->outside = saturating_add(last->outside, op->outside);
      if (!last->tier)
        last->tier = op->tier;
      free(op->name);
      free(op->file);
      continue;
    }
    p->ops[w++] = *op;
  }
  p->n_ops = w;
}

int zaph_profile_merge_file(struct profile *p, const char *path, unsigned *line,
                            const char **problem) {
  int fd = zaph_open_regular(path, O_RDONLY, problem);
  struct reader r = {fd >= 0 ? fdopen(fd, "r") : NULL, NULL, 0, 0, NULL};
  if (fd >= 0 && !r.f) {
    *problem = strerror(errno);
    close(fd);
  }
  if (!r.f) {
    *line = 0;
    return errno == ENOENT ? 1 : -1;
  }
  struct profile file = {0};
  uint64_t ops = 0, version;
  char *v;
  int ok = (v = next_line(&r)) && strncmp(v, ZAPH_PROFILE_MAGIC " ", 13) == 0 &&
           parse_u64(v + 13, &version) == 0 && version == ZAPH_PROFILE_VERSION;
  if (!ok && !r.problem)
    r.problem = "not a version-1 zaph profile";
  time_t end;
  ok = ok && header(&r, "program") && header(&r, "pid") && header(&r, "host") &&
       header_time(&r, "start", &file.start) && header_time(&r, "end", &end) &&
       (v = header(&r, "source")) && (zaph_unescape(v) >= 0 || fail(&r, "invalid escape", "source")) &&
       (file.source = strdup(v)) && header_u64(&r, "requests", &file.requests) &&
       header_u64(&r, "ops", &ops);
  for (uint64_t i = 0; ok && i < ops; i++) {
    struct profile_op op;
    ok = (v = next_line(&r)) &&
         ((parse_op(v, &op) == 0 && op.touched <= file.requests) || fail(&r, "invalid op", "op")) &&
         zaph_profile_add_op(&file, &op) == 0;
  }
  ok = ok && (v = next_line(&r)) &&
       (strncmp(v, ZAPH_PROFILE_END "\t", 4) == 0 || fail(&r, "expected the end line", "end")) &&
       (getc(r.f) == EOF || fail(&r, "data after the end line", "end"));
  /* Nothing of the file is added unless all of it is good. */
  uint32_t before = p->n_ops;
  for (uint32_t i = 0; ok && i < file.n_ops; i++)
    if (zaph_profile_add_op(p, &file.ops[i]) != 0) {
      r.problem = strerror(ENOMEM);
      ok = 0;
    }
  while (!ok && p->n_ops > before) {
    p->n_ops--;
    free(p->ops[p->n_ops].name);
    free(p->ops[p->n_ops].file);
  }
  if (ok) {
    p->start = file.start < p->start ? file.start : p->start;
    p->requests = saturating_add(p->requests, file.requests);
    if (strcmp(p->source, file.source) != 0) {
      free(p->source);
      p->source = strdup("mixed");
    }
    zaph_profile_sort(p);
    combine_duplicates(p);
  } else {
    *line = r.number;
    *problem = r.problem ? r.problem : "invalid line";
  }
  zaph_profile_free(&file);
  free(r.line);
  fclose(r.f);
  return ok && p->source ? 0 : -1;
}

/* Subtracts base (what this process merged before) from p, by identity: in merge mode every
 * write adds only what the process counted since its last one. Both are sorted. */
void zaph_profile_subtract(struct profile *p, const struct profile *base) {
  uint32_t j = 0;
  for (uint32_t i = 0; i < p->n_ops; i++) {
    struct profile_op *op = &p->ops[i];
    struct zaph_identity id = {op->name, op->file, op->line, (int)op->kind};
    int c = 1;
    while (j < base->n_ops) {
      const struct profile_op *b = &base->ops[j];
      struct zaph_identity bid = {b->name, b->file, b->line, (int)b->kind};
      if ((c = zaph_identity_compare(&bid, &id)) >= 0)
        break;
      j++;
    }
    if (c == 0) {
      const struct profile_op *b = &base->ops[j];
      op->entries -= b->entries <= op->entries ? b->entries : op->entries;
      op->touched -= b->touched <= op->touched ? b->touched : op->touched;
      op->outside -= b->outside <= op->outside ? b->outside : op->outside;
    }
  }
  p->requests -= base->requests <= p->requests ? base->requests : p->requests;
}
