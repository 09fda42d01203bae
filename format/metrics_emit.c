/* The writer of zaph's Prometheus metrics (include/zaph_metrics.h), in OpenMetrics 1.0 for
 * zaph-report --format=openmetrics and in the text format 0.0.4 for the runtime's node_exporter
 * textfile: one function, so both name, label and escape every sample alike. */
#include "zaph_histogram.h"
#include "zaph_metrics.h"

#include <stdio.h>
#include <string.h>

#define METRIC_FAMILY(id, family, help) family,
static const char *const families[] = {ZAPH_METRICS(METRIC_FAMILY)};
#undef METRIC_FAMILY
#define METRIC_SAMPLE(id, family, help) family ZAPH_METRIC_TOTAL_SUFFIX,
static const char *const sample_names[] = {ZAPH_METRICS(METRIC_SAMPLE)};
#undef METRIC_SAMPLE
#define METRIC_HELP(id, family, help) help,
static const char *const helps[] = {ZAPH_METRICS(METRIC_HELP)};
#undef METRIC_HELP
#define LABEL_NAME(id, name, meaning) name,
static const char *const label_names[] = {ZAPH_METRIC_LABELS(LABEL_NAME)};
#undef LABEL_NAME

const char *zaph_metric_family(enum zaph_metric metric) { return families[metric]; }

const char *zaph_metric_sample_name(enum zaph_metric metric) { return sample_names[metric]; }

const char *zaph_metric_label_name(enum zaph_metric_label label) { return label_names[label]; }

static void emit_string(zaph_emit_fn *emit, void *context, const char *text) {
  emit(context, text, strlen(text));
}

/* A label value: valid UTF-8, every other byte U+FFFD, and \, " and newline escaped. */
static void emit_label_value(zaph_emit_fn *emit, void *context, const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = strlen(text);
  for (size_t i = 0; i < len;) {
    size_t n = zaph_utf8_sequence_length(s + i, len - i);
    if (n == 0) {
      emit(context, "\xef\xbf\xbd", 3);
      n = 1;
    } else if (s[i] == '\\') {
      emit(context, "\\\\", 2);
    } else if (s[i] == '"') {
      emit(context, "\\\"", 2);
    } else if (s[i] == '\n') {
      emit(context, "\\n", 2);
    } else {
      emit(context, text + i, n);
    }
    i += n;
  }
}

/* Writes ',name="value"' (without the comma for the first label). */
static void emit_label(zaph_emit_fn *emit, void *context, int *first,
                       enum zaph_metric_label label, const char *value) {
  if (!*first)
    emit(context, ",", 1);
  *first = 0;
  emit_string(emit, context, label_names[label]);
  emit(context, "=\"", 2);
  emit_label_value(emit, context, value);
  emit(context, "\"", 1);
}

static void emit_family(zaph_emit_fn *emit, void *context, const struct zaph_metrics_set *set,
                        enum zaph_metric metric) {
  const char *name = set->syntax == ZAPH_METRICS_OPENMETRICS ? families[metric]
                                                             : sample_names[metric];
  emit_string(emit, context, "# HELP ");
  emit_string(emit, context, name);
  emit(context, " ", 1);
  emit_string(emit, context, helps[metric]);
  emit_string(emit, context, "\n# TYPE ");
  emit_string(emit, context, name);
  emit_string(emit, context, " counter\n");
}

/* The labels of one sample, inside its braces: the op's when op is not NULL, source, process. */
static void emit_labels(zaph_emit_fn *emit, void *context, const struct zaph_metrics_set *set,
                        const struct zaph_identity *op) {
  int first = 1;
  char digits[24];
  if (op) {
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)op->line);
    emit_label(emit, context, &first, ZAPH_LABEL_op, op->name);
    emit_label(emit, context, &first, ZAPH_LABEL_file, op->file);
    emit_label(emit, context, &first, ZAPH_LABEL_line, digits);
    emit_label(emit, context, &first, ZAPH_LABEL_kind, zaph_kind_name(op->kind));
  }
  emit_label(emit, context, &first, ZAPH_LABEL_source, set->source);
  if (set->process)
    emit_label(emit, context, &first, ZAPH_LABEL_process, set->process);
}

/* One sample: the name, the labels, the value. */
static void emit_sample(zaph_emit_fn *emit, void *context, const struct zaph_metrics_set *set,
                        enum zaph_metric metric, const struct zaph_identity *op,
                        uint64_t value) {
  char digits[24];
  emit_string(emit, context, sample_names[metric]);
  emit(context, "{", 1);
  emit_labels(emit, context, set, op);
  int n = snprintf(digits, sizeof digits, "} %llu\n", (unsigned long long)value);
  emit(context, digits, (size_t)n);
}

/* Nanoseconds as seconds, exactly: "0.000000063", "1.5", "549.755813887". */
static void seconds_text(char out[40], uint64_t ns) {
  int n = snprintf(out, 40, "%llu.%09llu", (unsigned long long)(ns / 1000000000u),
                   (unsigned long long)(ns % 1000000000u));
  while (n > 0 && out[n - 1] == '0')
    out[--n] = '\0';
  if (n > 0 && out[n - 1] == '.')
    out[n] = '0', out[n + 1] = '\0';
}

/* A timed op's histogram: a cumulative bucket per octave, +Inf, count and sum. */
static void emit_duration(zaph_emit_fn *emit, void *context, const struct zaph_metrics_set *set,
                          const struct zaph_metrics_op *op) {
  char text[64];
  uint64_t below = 0;
  unsigned b = 0;
  for (unsigned k = ZAPH_METRIC_DURATION_FIRST_LOG2; k <= ZAPH_METRIC_DURATION_LAST_LOG2; k++) {
    for (; b < ZAPH_HIST_BUCKETS && zaph_hist_lower(b) < (1ull << k); b++)
      below += op->counts[b];
    emit_string(emit, context, ZAPH_METRIC_DURATION_FAMILY "_bucket{");
    emit_labels(emit, context, set, &op->id);
    seconds_text(text, (1ull << k) - 1);
    emit_string(emit, context, ",le=\"");
    emit_string(emit, context, text);
    int n = snprintf(text, sizeof text, "\"} %llu\n", (unsigned long long)below);
    emit(context, text, (size_t)n);
  }
  static const char *const tails[] = {"_bucket{", "_count{", "_sum{"};
  for (int t = 0; t < 3; t++) {
    emit_string(emit, context, ZAPH_METRIC_DURATION_FAMILY);
    emit_string(emit, context, tails[t]);
    emit_labels(emit, context, set, &op->id);
    if (t == 0)
      emit_string(emit, context, ",le=\"+Inf\"");
    if (t < 2) {
      int n = snprintf(text, sizeof text, "} %llu\n", (unsigned long long)op->samples);
      emit(context, text, (size_t)n);
    } else {
      seconds_text(text, op->total);
      emit_string(emit, context, "} ");
      emit_string(emit, context, text);
      emit(context, "\n", 1);
    }
  }
}

void zaph_metrics_emit(zaph_emit_fn *emit, void *context, const struct zaph_metrics_set *set) {
  emit_family(emit, context, set, ZAPH_METRIC_op_entries);
  for (size_t i = 0; i < set->op_count; i++)
    emit_sample(emit, context, set, ZAPH_METRIC_op_entries, &set->ops[i].id,
                set->ops[i].entries);
  emit_family(emit, context, set, ZAPH_METRIC_op_requests_touching);
  for (size_t i = 0; i < set->op_count; i++)
    emit_sample(emit, context, set, ZAPH_METRIC_op_requests_touching, &set->ops[i].id,
                set->ops[i].requests_touching);
  emit_family(emit, context, set, ZAPH_METRIC_requests);
  emit_sample(emit, context, set, ZAPH_METRIC_requests, NULL, set->requests);
  int timed = 0;
  for (size_t i = 0; i < set->op_count; i++)
    timed |= set->ops[i].counts != NULL;
  if (timed)
    emit_string(emit, context, "# HELP " ZAPH_METRIC_DURATION_FAMILY " "
                ZAPH_METRIC_DURATION_HELP "\n# TYPE " ZAPH_METRIC_DURATION_FAMILY " histogram\n");
  for (size_t i = 0; i < set->op_count; i++)
    if (set->ops[i].counts)
      emit_duration(emit, context, set, &set->ops[i]);
  if (set->syntax == ZAPH_METRICS_OPENMETRICS)
    emit_string(emit, context, "# EOF\n");
}
