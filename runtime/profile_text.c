/* The process's counts as a profile (one record per op identity, sorted as the format says),
 * and a profile as the text include/zaph_profile.h defines, or as the metrics of
 * include/zaph_metrics.h in the text format node_exporter's textfile collector reads. profile_write.c puts the text in a
 * file; profile_merge.c adds a profile read back from one. */
#include "runtime.h"

#include "zaph_metrics.h"
#include "zaph_profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A malloc()ed copy of the text a profile holds for text (zaph_identity_text), or NULL. */
static char *identity_copy(const char *text) {
  size_t len = zaph_identity_text(NULL, text);
  char *copy = malloc(len + 1);
  if (copy) {
    zaph_identity_text(copy, text);
    copy[len] = '\0';
  }
  return copy;
}

/* Adds a copy of op, its name and file as a profile holds them: a snapshot, a profile read back
 * and the file written all name each op alike. */
int zaph_profile_add_op(struct profile *p, const struct profile_op *op) {
  if (zaph_grow(&p->ops, &p->cap_ops, p->n_ops, sizeof *p->ops, 64) != 0)
    return -1;
  struct profile_op *copy = &p->ops[p->n_ops];
  *copy = *op;
  copy->name = identity_copy(op->name);
  copy->file = identity_copy(op->file);
  copy->counts = op->counts ? malloc(ZAPH_TIMED_BUCKETS * sizeof *op->counts) : NULL;
  if (!copy->name || !copy->file || (op->counts && !copy->counts)) {
    free(copy->name);
    free(copy->file);
    free(copy->counts);
    return -1;
  }
  if (op->counts)
    memcpy(copy->counts, op->counts, ZAPH_TIMED_BUCKETS * sizeof *op->counts);
  p->n_ops++;
  return 0;
}

int zaph_profile_copy(struct profile *to, const struct profile *from) {
  memset(to, 0, sizeof *to);
  to->start = from->start;
  to->end = from->end;
  to->requests = from->requests;
  to->clock_hz = from->clock_hz;
  if (!(to->source = strdup(from->source)))
    return -1;
  for (uint32_t i = 0; i < from->n_ops; i++)
    if (zaph_profile_add_op(to, &from->ops[i]) != 0) {
      zaph_profile_free(to);
      return -1;
    }
  return 0;
}

void zaph_profile_free(struct profile *p) {
  for (uint32_t i = 0; i < p->n_ops; i++) {
    free(p->ops[i].name);
    free(p->ops[i].file);
    free(p->ops[i].counts);
  }
  free(p->ops);
  free(p->source);
  memset(p, 0, sizeof *p);
}

static int compare_records(const void *a, const void *b) {
  const struct profile_op *x = a, *y = b;
  struct zaph_identity ix = {x->name, x->file, x->line, (int)x->kind};
  struct zaph_identity iy = {y->name, y->file, y->line, (int)y->kind};
  return zaph_identity_compare(&ix, &iy);
}

void zaph_profile_sort(struct profile *p) {
  if (p->n_ops > 1) /* ops is NULL when there are none */
    qsort(p->ops, p->n_ops, sizeof *p->ops, compare_records);
}

int zaph_profile_snapshot(struct profile *p, time_t start, const char *source) {
  memset(p, 0, sizeof *p);
  p->start = start;
  p->end = time(NULL);
  p->source = strdup(source);
  p->clock_hz = zaph_timing_clock_hz();
  pthread_mutex_lock(&zaph_lock);
  uint32_t n = zaph_op_count, timed = zaph_timed_count;
  struct op_counts *counts = calloc(n ? n : 1, sizeof *counts);
  struct timing_hist *timing = timed ? calloc(timed, sizeof *timing) : NULL;
  int rc = p->source && counts && (timing || !timed) ? 0 : -1;
  if (rc == 0)
    zaph_snapshot_locked(counts, &p->requests);
  if (rc == 0 && timed)
    rc = zaph_timing_snapshot_locked(timing);
  for (uint32_t i = 0; rc == 0 && i < n; i++) {
    const struct op_info *op = &zaph_ops[i];
    struct profile_op record = {.name = op->name,
                                .file = op->file,
                                .line = op->line,
                                .kind = op->kind,
                                .tier = op->tier,
                                .entries = counts[i].entries,
                                .requests_touching = counts[i].requests_touching,
                                .entries_outside = counts[i].entries_outside};
    if (op->timing) {
      const struct timing_hist *h = &timing[op->timing - 1];
      record.every = 1ull << (op->timed - 1);
      record.target = op->target_ns;
      record.started = h->started;
      record.samples = h->samples;
      record.total = h->total;
      record.max = h->max;
      record.counts = (uint64_t *)h->counts;
    }
    rc = zaph_profile_add_op(p, &record);
  }
  pthread_mutex_unlock(&zaph_lock);
  free(counts);
  free(timing);
  zaph_profile_sort(p);
  return rc;
}

/* A growing text buffer; failed is set once an allocation fails. */
struct buffer {
  char *data;
  size_t len, cap;
  int failed;
};

/* The writer's zaph_emit_fn: appends len bytes. */
static void append(void *context, const char *bytes, size_t len) {
  struct buffer *b = context;
  if (b->failed)
    return;
  if (b->len + len > b->cap) {
    size_t cap = (b->cap + len) * 2 > 4096 ? (b->cap + len) * 2 : 4096;
    char *data = realloc(b->data, cap);
    if (!data) {
      b->failed = 1;
      return;
    }
    b->data = data;
    b->cap = cap;
  }
  memcpy(b->data + b->len, bytes, len);
  b->len += len;
}

/* Copies text cut to ZAPH_PROFILE_MAX_TEXT bytes (header fields; names are cut when added). */
static const char *cut_text(char out[ZAPH_PROFILE_MAX_TEXT + 1], const char *text) {
  size_t len = strnlen(text, ZAPH_PROFILE_MAX_TEXT);
  memcpy(out, text, len);
  out[len] = '\0';
  return out;
}

char *zaph_profile_format(const struct profile *p, size_t *len) {
  struct buffer b = {0};
  char host[ZAPH_HOST_NAME_SIZE];
  zaph_host_name(host);
  char source[ZAPH_PROFILE_MAX_TEXT + 1];
  char start[ZAPH_PROFILE_TIME_LENGTH + 1], end[ZAPH_PROFILE_TIME_LENGTH + 1];
  zaph_time_format((int64_t)p->start, start);
  zaph_time_format((int64_t)p->end, end);
  uint64_t timed = 0;
  for (uint32_t i = 0; i < p->n_ops; i++)
    timed += p->ops[i].counts != NULL;
  struct zaph_header_values header = {zaph_program_path(), (uint64_t)getpid(), host, start, end,
                                      cut_text(source, p->source), p->requests, p->n_ops,
                                      timed, p->clock_hz};
  zaph_emit_header(append, &b, &header);
  for (uint32_t i = 0; i < p->n_ops; i++) {
    const struct profile_op *op = &p->ops[i];
    struct zaph_op_line line = {{op->name, op->file, op->line, (int)op->kind}, op->tier,
                                op->entries, op->requests_touching, op->entries_outside};
    zaph_emit_op(append, &b, &line);
  }
  for (uint32_t i = 0; i < p->n_ops; i++) {
    const struct profile_op *op = &p->ops[i];
    if (!op->counts)
      continue;
    struct zaph_timing_line line = {i,           op->every,   op->target, op->started,
                                    op->samples, op->total,   op->max,    NULL};
    zaph_emit_timing(append, &b, &line, op->counts);
  }
  zaph_emit_end(append, &b, p->n_ops);
  if (b.failed) {
    free(b.data);
    return NULL;
  }
  *len = b.len;
  return b.data;
}

char *zaph_profile_format_metrics(const struct profile *p, const char *process, size_t *len) {
  struct buffer b = {0};
  struct zaph_metrics_op *ops = calloc(p->n_ops ? p->n_ops : 1, sizeof *ops);
  if (!ops)
    return NULL;
  for (uint32_t i = 0; i < p->n_ops; i++) {
    const struct profile_op *op = &p->ops[i];
    ops[i] = (struct zaph_metrics_op){{op->name, op->file, op->line, (int)op->kind},
                                      op->entries, op->requests_touching,
                                      op->counts, op->samples, op->total};
  }
  char source[ZAPH_PROFILE_MAX_TEXT + 1];
  struct zaph_metrics_set set = {ZAPH_METRICS_PROMETHEUS_TEXT, cut_text(source, p->source),
                                 process, p->requests, ops, p->n_ops};
  zaph_metrics_emit(append, &b, &set);
  free(ops);
  if (b.failed) {
    free(b.data);
    return NULL;
  }
  *len = b.len;
  return b.data;
}
