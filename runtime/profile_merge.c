/* Reads a profile file back and adds it to the process's profile, for merge mode (%m in
 * ZAPH_PROFILE_FILE): several processes writing one path leave the exact sum, their latency
 * histograms included. Strict: a file that is not a complete profile is reported, never
 * guessed at or overwritten. */
#include "runtime.h"

#include "zaph_profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The words of the last problem; merging runs under profile_write.c's write lock only. */
static char problem_text[2 * ZAPH_QUOTE_SIZE + 128];

/* Puts a timing line (checked by the grammar) on the op line it names. */
static int keep_timing(struct profile *file, const struct zaph_timing_line *t) {
  struct profile_op *op = &file->ops[t->op];
  if (!(op->counts = calloc(ZAPH_TIMED_BUCKETS, sizeof *op->counts)))
    return -1;
  op->every = t->every;
  op->target = t->target;
  op->started = t->started;
  op->samples = t->samples;
  op->total = t->total;
  op->max = t->max;
  zaph_timing_counts(t, op->counts);
  return 0;
}

/* Reads the whole file through the grammar into file (names copied); returns 0, or -1 with the
 * reader's problem set (none when memory ran out). */
static int read_profile(FILE *f, struct profile *file, struct zaph_text_reader *r) {
  char *line = NULL;
  size_t cap = 0;
  int rc = 0;
  ssize_t len;
  while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
    int complete = line[len - 1] == '\n';
    switch (zaph_text_read_line(r, line, (size_t)len - complete, complete)) {
    case ZAPH_LINE_BAD: rc = -1; break;
    case ZAPH_LINE_CUT: len = 0; break;
    case ZAPH_LINE_HEADER:
      if (r->key == ZAPH_HEADER_source && !(file->source = strdup(r->text)))
        rc = -1;
      break;
    case ZAPH_LINE_OP: {
      struct profile_op op = {.name = (char *)r->op.id.name,
                              .file = (char *)r->op.id.file,
                              .line = (uint32_t)r->op.id.line,
                              .kind = (uint32_t)r->op.id.kind,
                              .tier = r->op.tier,
                              .entries = r->op.entries,
                              .requests_touching = r->op.requests_touching,
                              .entries_outside = r->op.entries_outside};
      rc = zaph_profile_add_op(file, &op);
      break;
    }
    case ZAPH_LINE_TIMING:
      rc = keep_timing(file, &r->timing);
      break;
    case ZAPH_LINE_MAGIC:
    case ZAPH_LINE_END: break;
    }
    if (len == 0)
      break;
  }
  free(line);
  if (rc == 0)
    rc = zaph_text_read_end(r);
  file->start = (time_t)r->start;
  file->end = (time_t)r->end;
  file->requests = r->requests;
  file->clock_hz = r->clock_hz;
  return rc;
}

/* The first op of the file (sorted) that repeats an identity, which the format forbids. */
static int check_duplicates(struct profile *file, struct zaph_text_reader *r) {
  zaph_profile_sort(file);
  for (uint32_t i = 1; i < file->n_ops; i++) {
    const struct profile_op *a = &file->ops[i - 1], *b = &file->ops[i];
    struct zaph_identity x = {a->name, a->file, a->line, (int)a->kind};
    struct zaph_identity y = {b->name, b->file, b->line, (int)b->kind};
    if (zaph_identity_equal(&x, &y))
      return zaph_text_fail_duplicate(r, &y, 0);
  }
  return 0;
}

/* Whether a timed op's timing sums fit: 0, or -1. */
static int timing_fits(const struct profile_op *a, const struct profile_op *b) {
  if (!a->counts || !b->counts)
    return 0;
  uint64_t started = a->started, samples = a->samples, total = a->total;
  if (zaph_add_count(&started, b->started) || zaph_add_count(&samples, b->samples) ||
      zaph_add_count(&total, b->total))
    return -1;
  for (unsigned k = 0; k < ZAPH_TIMED_BUCKETS; k++) {
    uint64_t count = a->counts[k];
    if (zaph_add_count(&count, b->counts[k]))
      return -1;
  }
  return 0;
}

/* Adds b's timing to a's (or gives a b's histogram); timing_fits() said the sums fit. */
static void add_timing(struct profile_op *a, struct profile_op *b) {
  if (!b->counts)
    return;
  if (!a->counts) {
    a->every = b->every;
    a->target = b->target;
    a->started = b->started;
    a->samples = b->samples;
    a->total = b->total;
    a->max = b->max;
    a->counts = b->counts;
    b->counts = NULL;
    return;
  }
  a->started += b->started;
  a->samples += b->samples;
  a->total += b->total;
  a->max = b->max > a->max ? b->max : a->max;
  if (!a->target)
    a->target = b->target;
  /* A histogram holds the durations of entries timed at any rate; the line says one rate. */
  a->every = b->every < a->every ? b->every : a->every;
  for (unsigned k = 0; k < ZAPH_TIMED_BUCKETS; k++)
    a->counts[k] += b->counts[k];
}

/* Sums that would pass 2^64-1 are refused, as zaph-report refuses them: the file is then not
 * merged into, and the counts go beside it. p and file are sorted. */
static const char *merge_overflows(const struct profile *p, const struct profile *file) {
  uint64_t requests = p->requests;
  if (zaph_add_count(&requests, file->requests) != 0)
    return "requests overflow 64 bits when added";
  uint32_t j = 0;
  for (uint32_t i = 0; i < file->n_ops; i++) {
    const struct profile_op *f = &file->ops[i];
    struct zaph_identity id = {f->name, f->file, f->line, (int)f->kind};
    int c = 1;
    for (; j < p->n_ops; j++) {
      const struct profile_op *o = &p->ops[j];
      struct zaph_identity oid = {o->name, o->file, o->line, (int)o->kind};
      if ((c = zaph_identity_compare(&oid, &id)) >= 0)
        break;
    }
    if (c != 0)
      continue;
    uint64_t entries = p->ops[j].entries, requests_touching = p->ops[j].requests_touching;
    uint64_t entries_outside = p->ops[j].entries_outside;
    if (zaph_add_count(&entries, f->entries) != 0 ||
        zaph_add_count(&requests_touching, f->requests_touching) != 0 ||
        zaph_add_count(&entries_outside, f->entries_outside) != 0 ||
        timing_fits(&p->ops[j], f) != 0) {
      char name[ZAPH_QUOTE_SIZE];
      zaph_quote(name, f->name);
      snprintf(problem_text, sizeof problem_text, "counts of '%s' overflow 64 bits when added",
               name);
      return problem_text;
    }
  }
  return NULL;
}

/* Sums the records of equal identity (p sorted); merge_overflows() has refused every sum that
 * would not fit. */
static void combine_duplicates(struct profile *p) {
  uint32_t w = 0;
  for (uint32_t i = 0; i < p->n_ops; i++) {
    struct profile_op *op = &p->ops[i], *last = w ? &p->ops[w - 1] : NULL;
    struct zaph_identity id = {op->name, op->file, op->line, (int)op->kind};
    struct zaph_identity last_id = {last ? last->name : "", last ? last->file : "",
                                    last ? last->line : 0, last ? (int)last->kind : 0};
    if (last && zaph_identity_equal(&last_id, &id)) {
      last->entries += op->entries;
      last->requests_touching += op->requests_touching;
      last->entries_outside += op->entries_outside;
      if (!last->tier)
        last->tier = op->tier;
      add_timing(last, op);
      free(op->name);
      free(op->file);
      free(op->counts);
      continue;
    }
    p->ops[w++] = *op;
  }
  p->n_ops = w;
}

int zaph_profile_merge_file(struct profile *p, const char *path, unsigned *line,
                            const char **problem) {
  int fd = zaph_open_regular(path, O_RDONLY, problem);
  FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
  if (fd >= 0 && !f) {
    *problem = strerror(errno);
    close(fd);
  }
  if (!f) {
    *line = 0;
    return errno == ENOENT ? 1 : -1;
  }
  struct profile file = {0};
  struct zaph_text_reader r;
  zaph_text_read_begin(&r, "runtime");
  errno = 0;
  int ok = read_profile(f, &file, &r) == 0 && check_duplicates(&file, &r) == 0;
  const char *refused = NULL;
  if (ok && !file.source)
    ok = 0;
  if (ok) {
    zaph_profile_sort(p);
    ok = !(refused = merge_overflows(p, &file));
  }
  /* Nothing of the file is added unless all of it is good. */
  uint32_t before = p->n_ops;
  for (uint32_t i = 0; ok && i < file.n_ops; i++)
    if (zaph_profile_add_op(p, &file.ops[i]) != 0) {
      refused = strerror(ENOMEM);
      ok = 0;
    }
  while (!ok && p->n_ops > before) {
    p->n_ops--;
    free(p->ops[p->n_ops].name);
    free(p->ops[p->n_ops].file);
  }
  if (ok) {
    p->start = file.start < p->start ? file.start : p->start;
    p->requests += file.requests;
    if (!p->clock_hz)
      p->clock_hz = file.clock_hz;
    if (strcmp(p->source, file.source) != 0) {
      free(p->source);
      p->source = strdup("mixed");
    }
    zaph_profile_sort(p);
    combine_duplicates(p);
  } else if (refused || r.problem == ZAPH_TEXT_GOOD) {
    *line = 0;
    *problem = refused ? refused : strerror(errno ? errno : ENOMEM);
  } else {
    *line = (unsigned)r.problem_line;
    zaph_text_problem(problem_text, sizeof problem_text, &r);
    *problem = problem_text;
  }
  zaph_profile_free(&file);
  fclose(f);
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
#define SUBTRACT(field) op->field -= b->field <= op->field ? b->field : op->field
      SUBTRACT(entries);
      SUBTRACT(requests_touching);
      SUBTRACT(entries_outside);
      if (op->counts && b->counts) {
        SUBTRACT(started);
        SUBTRACT(samples);
        SUBTRACT(total);
        for (unsigned k = 0; k < ZAPH_TIMED_BUCKETS; k++)
          op->counts[k] -= b->counts[k] <= op->counts[k] ? b->counts[k] : op->counts[k];
      }
#undef SUBTRACT
    }
  }
  p->requests -= base->requests <= p->requests ? base->requests : p->requests;
}
