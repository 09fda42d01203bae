/* zaph's counts as Prometheus metrics: the one definition of their names, help texts and labels,
 * shared by the runtime (its node_exporter textfile, ZAPH_PROM_FILE), zaph-report's
 * --format=openmetrics and zaph-report --prometheus, which queries them back from a server.
 * docs/fleet.md describes the metrics; format/metrics_emit.c writes them. */
#ifndef ZAPH_METRICS_H
#define ZAPH_METRICS_H

#include "zaph_profile.h"

#include <stddef.h>
#include <stdint.h>

/* The counters. X(id, family, help): family is the name OpenMetrics' "# TYPE" line gives; every
 * sample, and the Prometheus text format's "# TYPE", adds ZAPH_METRIC_TOTAL_SUFFIX. */
#define ZAPH_METRICS(X)                                                                        \
  X(op_entries, "zaph_op_entries", "Entries into the op, inside and outside requests.")       \
  X(op_requests_touching, "zaph_op_requests_touching",                                         \
    "Requests that entered the op at least once.")                                             \
  X(requests, "zaph_requests", "Requests begun (zaph_request functions and "                 \
                               "zaph_request_begin()).")

#define ZAPH_METRIC_TOTAL_SUFFIX "_total"

#define ZAPH_METRIC_ID(id, family, help) ZAPH_METRIC_##id,
enum zaph_metric { ZAPH_METRICS(ZAPH_METRIC_ID) ZAPH_METRIC_COUNT };
#undef ZAPH_METRIC_ID

/* The labels, in the order every sample carries them. X(id, name, meaning). The op labels are
 * on the two op counters only; source on all three; process only in the runtime's textfile. */
#define ZAPH_METRIC_LABELS(X)                                                                  \
  X(op, "op", "the op's name, demangled for C++")                                              \
  X(file, "file", "the source file of its definition")                                        \
  X(line, "line", "the line of its definition, decimal")                                      \
  X(kind, "kind", "op, or request for a zaph_request function")                               \
  X(source, "source", "the data source (ZAPH_SOURCE)")                                        \
  X(process, "process", "the textfile's NAME (ZAPH_PROM_FILE=DIR/NAME.prom)")

#define ZAPH_METRIC_LABEL_ID(id, name, meaning) ZAPH_LABEL_##id,
enum zaph_metric_label { ZAPH_METRIC_LABELS(ZAPH_METRIC_LABEL_ID) ZAPH_LABEL_COUNT };
#undef ZAPH_METRIC_LABEL_ID

/* "zaph_op_entries" and so on, the family name; and the sample name, "zaph_op_entries_total". */
const char *zaph_metric_family(enum zaph_metric metric);
const char *zaph_metric_sample_name(enum zaph_metric metric);
const char *zaph_metric_label_name(enum zaph_metric_label label);

/* The two text formats: OpenMetrics 1.0 (the family name in "# TYPE", "# EOF" last) and the
 * Prometheus text format 0.0.4, the one node_exporter's textfile collector reads (the sample name
 * in "# TYPE", no "# EOF"). Neither writes timestamps. */
enum zaph_metrics_syntax { ZAPH_METRICS_OPENMETRICS, ZAPH_METRICS_PROMETHEUS_TEXT };

/* A timed op's durations (docs/latency.md) as a histogram family in seconds, its buckets the
 * whole octaves of zaph_histogram.h: le = (2^k - 1) ns for k = ZAPH_METRIC_DURATION_FIRST_LOG2
 * to ZAPH_METRIC_DURATION_LAST_LOG2, each count exact, then +Inf. Written only when an op is
 * timed, so the counters' exposition of an untimed program is as it was. */
#define ZAPH_METRIC_DURATION_FAMILY "zaph_op_duration_seconds"
#define ZAPH_METRIC_DURATION_HELP                                                              \
  "Durations of the op's timed entries (one in N sampled), from entry to return."
#define ZAPH_METRIC_DURATION_FIRST_LOG2 6
#define ZAPH_METRIC_DURATION_LAST_LOG2 39

/* One op's counts as the metrics carry them; counts (ZAPH_HIST_BUCKETS of them), samples and
 * total (ns) are a timed op's histogram, counts NULL for an op that is not timed. */
struct zaph_metrics_op {
  struct zaph_identity id;
  uint64_t entries;
  uint64_t requests_touching;
  const uint64_t *counts;
  uint64_t samples;
  uint64_t total;
};

struct zaph_metrics_set {
  enum zaph_metrics_syntax syntax;
  const char *source;
  const char *process; /* NULL: no process label */
  uint64_t requests;
  const struct zaph_metrics_op *ops;
  size_t op_count;
};

/* Writes the whole exposition through emit (include/zaph_profile.h's writer callback): each
 * counter's "# HELP" and "# TYPE" lines and one sample per op (per set for zaph_requests), in
 * the order of ops. Label values are written as the exposition formats require: valid UTF-8
 * (every byte that is not part of a valid sequence becomes U+FFFD), with backslash, double
 * quote and newline escaped as \\, \" and \n. */
void zaph_metrics_emit(zaph_emit_fn *emit, void *context, const struct zaph_metrics_set *set);

#endif
