/* The writer of text profiles: the magic line, the header keys and the op fields in the order
 * include/zaph_profile.h lists them, text fields escaped, times and numbers as the grammar reads
 * them. The runtime (into its buffer) and zaph-report convert (into a stream) both write
 * through it. */
#include "zaph_histogram.h"
#include "zaph_profile.h"

#include <stdio.h>
#include <string.h>

static void emit_string(zaph_emit_fn *emit, void *context, const char *text) {
  emit(context, text, strlen(text));
}

/* Escapes text in pieces, so a field of any length takes no more than a small buffer. */
static void emit_text(zaph_emit_fn *emit, void *context, const char *text) {
  char escaped[4 * 256 + 1];
  for (size_t len = strlen(text); len > 0;) {
    size_t piece = len < 256 ? len : 256;
    size_t n = zaph_escape(escaped, sizeof escaped, text, piece);
    emit(context, escaped, n);
    text += piece;
    len -= piece;
  }
}

static void emit_number(zaph_emit_fn *emit, void *context, uint64_t value) {
  char digits[24];
  int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)value);
  emit(context, digits, (size_t)n);
}

/* "<key>\t", the start of a header line. */
static void emit_key(zaph_emit_fn *emit, void *context, enum zaph_header_key key) {
#define HEADER_NAME(k, since, description) #k,
  static const char *const names[] = {ZAPH_PROFILE_HEADER(HEADER_NAME)};
#undef HEADER_NAME
  emit_string(emit, context, names[key]);
  emit(context, "\t", 1);
}

/* The format version each header key appeared in. */
#define HEADER_SINCE(k, since, description) since,
static const unsigned header_since[] = {ZAPH_PROFILE_HEADER(HEADER_SINCE)};
#undef HEADER_SINCE

void zaph_emit_header(zaph_emit_fn *emit, void *context, const struct zaph_header_values *h) {
  unsigned version = h->timed ? ZAPH_PROFILE_VERSION_TIMING : 1;
  emit_string(emit, context, ZAPH_PROFILE_MAGIC " ");
  emit_number(emit, context, version);
  emit(context, "\n", 1);
  for (int key = 0; key < ZAPH_HEADER_COUNT; key++) {
    if (header_since[key] > version)
      continue;
    emit_key(emit, context, (enum zaph_header_key)key);
    switch ((enum zaph_header_key)key) {
    case ZAPH_HEADER_program: emit_text(emit, context, h->program); break;
    case ZAPH_HEADER_pid: emit_number(emit, context, h->pid); break;
    case ZAPH_HEADER_host: emit_text(emit, context, h->host); break;
    case ZAPH_HEADER_start: emit_string(emit, context, h->start); break;
    case ZAPH_HEADER_end: emit_string(emit, context, h->end); break;
    case ZAPH_HEADER_source: emit_text(emit, context, h->source); break;
    case ZAPH_HEADER_requests: emit_number(emit, context, h->requests); break;
    case ZAPH_HEADER_ops: emit_number(emit, context, h->ops); break;
    case ZAPH_HEADER_timed: emit_number(emit, context, h->timed); break;
    case ZAPH_HEADER_clock_hz: emit_number(emit, context, h->clock_hz); break;
    case ZAPH_HEADER_COUNT: break;
    }
    emit(context, "\n", 1);
  }
}

void zaph_emit_op(zaph_emit_fn *emit, void *context, const struct zaph_op_line *op) {
  const uint64_t numbers[] = {op->tier, op->entries, op->requests_touching, op->entries_outside,
                              op->id.line};
  emit_string(emit, context, "op\t");
  emit_string(emit, context, zaph_kind_name(op->id.kind));
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    emit(context, "\t", 1);
    emit_number(emit, context, numbers[i]);
  }
  emit(context, "\t", 1);
  emit_text(emit, context, op->id.file);
  emit(context, "\t", 1);
  emit_text(emit, context, op->id.name);
  emit(context, "\n", 1);
}

void zaph_emit_timing(zaph_emit_fn *emit, void *context, const struct zaph_timing_line *t,
                      const uint64_t *counts) {
  const uint64_t numbers[] = {t->op,      t->every, t->target, t->started,
                              t->samples, t->total, t->max};
  emit_string(emit, context, "timing");
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    emit(context, "\t", 1);
    emit_number(emit, context, numbers[i]);
  }
  emit(context, "\t", 1);
  const char *separator = "";
  for (unsigned b = 0; b < ZAPH_HIST_BUCKETS; b++) {
    if (!counts[b])
      continue;
    emit_string(emit, context, separator);
    emit_number(emit, context, b);
    emit(context, ":", 1);
    emit_number(emit, context, counts[b]);
    separator = ",";
  }
  emit(context, "\n", 1);
}

void zaph_emit_end(zaph_emit_fn *emit, void *context, uint64_t ops) {
  emit_string(emit, context, ZAPH_PROFILE_END "\t");
  emit_number(emit, context, ops);
  emit(context, "\n", 1);
}
