/* The gate's output: in text one "FAIL <op>: <reason>" line per reason, so CI logs can be
 * grepped, then a verdict line; in JSON (schema zaph-report-check/2) the same as objects. Policy
 * values loosened below ZAPH-DEC-04's minimums are stated in both. */
#include "check.h"

#include "data_source.h"
#include "json_string.h"
#include "op_keys.h"
#include "text_table.h"
#include "xalloc.h"

#include <stdlib.h>

static char *not_confident_reason(const struct report_view *view, const struct op_assessment *a) {
  const char *bar = view->confidence_text;
  if (!a->has_interval)
    return xformat("tier not confident at %s%%: no sample", bar);
  char *need = a->requests_needed == UINT64_MAX
                   ? xstrdup("the frequency is on a tier edge, no sample size suffices")
                   : xformat("needs %llu %s at this frequency",
                             (unsigned long long)a->requests_needed,
                             denominator_unit(view->classification));
  char *interval = interval_text(a);
  char level[LEVEL_TEXT_SIZE];
  char *reason = xformat("tier not confident at %s%%: interval %s leaves the %s band, which "
                         "holds at %s%%; %s",
                         bar, interval, tier_label(a->margin.tier), level_text(level, a), need);
  free(interval);
  free(need);
  return reason;
}

char *check_reason(const struct report_view *view, size_t i, int flag) {
  const struct classification *c = view->classification;
  const struct assessment *as = view->assessment;
  const struct op_assessment *a = &as->ops[i];
  const char *unit = denominator_unit(c);
  char level[LEVEL_TEXT_SIZE];
  switch (1 << flag) {
  case FLAG_NO_DATA:
    return xformat("no profiling data: 0 of %llu %s touch it", (unsigned long long)c->denominator,
                   unit);
  case FLAG_FEW_REQUESTS:
    return xformat("fewer than %llu %s: %llu", (unsigned long long)c->min_requests, unit,
                   (unsigned long long)c->denominator);
  case FLAG_NOT_CONFIDENT:
    return not_confident_reason(view, a);
  case FLAG_STALE:
    return xformat("stale data: profiled %s, %ld days old, more than %llu", view->merged->end,
                   as->age_days, (unsigned long long)as->policy.max_age_days);
  case FLAG_UNACCEPTABLE_SOURCE: {
    /* Escaped like every name in text output, so a reason stays on one line. */
    char *source = text_escaped(as->effective_source);
    char *reason = xformat("unacceptable data source '%s': ZAPH-DEC-04 accepts %s", source,
                           sources_accepted());
    free(source);
    return reason;
  }
  case FLAG_MISCLASSIFIED:
    return xformat("misclassified: declared %s, measured %s at %s%% confidence",
                   tier_label((enum recommended_tier)c->ops[i].op->declared_tier),
                   tier_label(a->measured), level_text(level, a));
  case FLAG_ABOVE_TARGET: {
    const struct latency_quantile *p99 = &a->latency.quantiles[LATENCY_p99];
    char *value = duration_text(p99->value), *low = duration_text((double)p99->low);
    char *target = duration_text((double)c->ops[i].op->timing->target);
    char *reason = xformat("p99 above target: p99 %s, at least %s at %s%% confidence, target %s "
                           "(%llu samples)",
                           value, low, view->confidence_text, target,
                           (unsigned long long)a->latency.samples);
    free(value);
    free(low);
    free(target);
    return reason;
  }
  }
  return xstrdup("");
}

size_t check_policy_notes(const struct report_view *view, char *notes[3]) {
  const struct assessment *a = view->assessment;
  size_t count = 0;
  if (view->classification->min_requests_below_policy)
    notes[count++] = xformat("minimum sample %llu is below the %d requests ZAPH-DEC-04 requires",
                             (unsigned long long)view->classification->min_requests,
                             POLICY_MIN_REQUESTS);
  if (a->confidence_below_policy)
    notes[count++] = xformat("confidence %s%% is below the %d%% ZAPH-DEC-04 requires",
                             view->confidence_text, POLICY_CONFIDENCE_PCT);
  if (a->max_age_above_policy)
    notes[count++] = xformat("maximum age %llu days is above the %d days ZAPH-DEC-04 allows",
                             (unsigned long long)a->policy.max_age_days, POLICY_MAX_AGE_DAYS);
  return count;
}

static size_t write_text(FILE *out, const struct report_view *view) {
  const struct classification *c = view->classification;
  size_t failing = 0;
  for (size_t i = 0; i < c->op_count; i++) {
    unsigned flags = view->assessment->ops[i].flags;
    if (!flags)
      continue;
    failing++;
    char *label = op_label(c->ops[i].op);
    for (int f = 0; f < OP_FLAG_COUNT; f++)
      if (flags & (1u << f)) {
        char *reason = check_reason(view, i, f);
        fprintf(out, "FAIL %s: %s\n", label, reason);
        free(reason);
      }
    free(label);
  }
  char *notes[3];
  size_t note_count = check_policy_notes(view, notes);
  for (size_t i = 0; i < note_count; i++) {
    fprintf(out, "note: %s\n", notes[i]);
    free(notes[i]);
  }
  if (failing)
    fprintf(out, "check: FAILED: %zu of %zu ops fail", failing, c->op_count);
  else
    fprintf(out, "check: passed: all %zu ops pass", c->op_count);
  fprintf(out, " (confidence %s%%, minimum %llu, maximum age %llu days)\n", view->confidence_text,
          (unsigned long long)c->min_requests,
          (unsigned long long)view->assessment->policy.max_age_days);
  return failing;
}

static void write_json_failure(FILE *out, const struct report_view *view, size_t i,
                               const char *key) {
  const struct merged_op *op = view->classification->ops[i].op;
  unsigned flags = view->assessment->ops[i].flags;
  fputs("    {\"key\": ", out);
  json_write_string(out, key);
  fputs(", ", out);
  json_write_identity(out, &op->id, ", ");
  fputs(",\n     \"reasons\": [", out);
  for (int f = 0, first = 1; f < OP_FLAG_COUNT; f++)
    if (flags & (1u << f)) {
      char *reason = check_reason(view, i, f);
      fprintf(out, "%s\n       {\"flag\": \"%s\", \"message\": ", first ? "" : ",",
              op_flag_name(f));
      json_write_string(out, reason);
      putc('}', out);
      free(reason);
      first = 0;
    }
  fputs("]}", out);
}

static size_t write_json(FILE *out, const struct report_view *view) {
  const struct classification *c = view->classification;
  size_t failing = assessment_failing_ops(view->assessment);
  fprintf(out, "{\n  \"schema\": \"zaph-report-check/2\",\n  \"passed\": %s,\n",
          failing ? "false" : "true");
  fprintf(out, "  \"ops\": %zu,\n  \"failing\": %zu,\n", c->op_count, failing);
  fprintf(out, "  \"confidence_pct\": %s,\n  \"min_requests\": %llu,\n  \"max_age_days\": %llu,\n",
          view->confidence_text, (unsigned long long)c->min_requests,
          (unsigned long long)view->assessment->policy.max_age_days);
  fputs("  \"notes\": [", out);
  char *notes[3];
  size_t note_count = check_policy_notes(view, notes);
  for (size_t i = 0; i < note_count; i++) {
    fputs(i ? ", " : "", out);
    json_write_string(out, notes[i]);
    free(notes[i]);
  }
  fputs("],\n  \"failures\": [", out);
  char **keys = op_keys_make(c);
  for (size_t i = 0, first = 1; i < c->op_count; i++)
    if (view->assessment->ops[i].flags) {
      fputs(first ? "\n" : ",\n", out);
      write_json_failure(out, view, i, keys[i]);
      first = 0;
    }
  op_keys_free(keys, c->op_count);
  fputs(failing ? "\n  ]\n}\n" : "]\n}\n", out);
  return failing;
}

size_t check_write(FILE *out, const struct report_view *view, enum report_format format) {
  return format == REPORT_FORMAT_JSON ? write_json(out, view) : write_text(out, view);
}
