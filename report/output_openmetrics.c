/* The report as OpenMetrics counters (--format=openmetrics): the merged counts of every op in
 * report order, labelled with the merge's effective data source, written by format/'s metrics
 * writer, which the runtime's node_exporter textfile shares (include/zaph_metrics.h). */
#include "output.h"

#include "xalloc.h"
#include "zaph_metrics.h"

#include <stdlib.h>

static void write_bytes(void *context, const char *bytes, size_t len) {
  fwrite(bytes, 1, len, context);
}

void output_openmetrics(FILE *out, const struct report_view *view) {
  const struct classification *c = view->classification;
  struct zaph_metrics_op *ops = xreallocarray(NULL, c->op_count ? c->op_count : 1, sizeof *ops);
  for (size_t i = 0; i < c->op_count; i++) {
    const struct merged_op *op = c->ops[i].op;
    const struct op_timing *t = op->timing;
    ops[i] = (struct zaph_metrics_op){op->id, op->entries, op->requests_touching,
                                      t ? t->counts : NULL, t ? t->samples : 0,
                                      t ? t->total : 0};
  }
  struct zaph_metrics_set set = {ZAPH_METRICS_OPENMETRICS, view->assessment->effective_source,
                                 NULL, view->merged->total_requests, ops, c->op_count};
  zaph_metrics_emit(write_bytes, out, &set);
  free(ops);
}
