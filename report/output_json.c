/* The JSON report, schema "zaph-report/4": the decision record's fields (total_requests,
 * operations with access_count, access_frequency_pct, recommended_tier) plus fields beside
 * them, always all present, in a fixed order, indented by two spaces. Version 2 only adds keys
 * to version 1: confidence, freshness, data source, declared against measured tier, flags;
 * version 3 adds each op's "latency", null for an op that is not timed. */
#include "output.h"

#include "json_string.h"
#include "latency.h"
#include "op_keys.h"
#include "zaph_profile.h"

#define JSON_SCHEMA "zaph-report/4"

static void write_hundredths(FILE *out, int present, struct hundredths value) {
  char text[HUNDREDTHS_TEXT_SIZE];
  fputs(hundredths_text(text, present, value, "null"), out);
}

static void write_string_array(FILE *out, const char *const *items, size_t count) {
  putc('[', out);
  for (size_t i = 0; i < count; i++) {
    if (i)
      fputs(", ", out);
    json_write_string(out, items[i]);
  }
  putc(']', out);
}

static const char *boolean(int value) {
  return value ? "true" : "false";
}

static void write_flags(FILE *out, unsigned flags) {
  putc('[', out);
  for (int i = 0, first = 1; i < OP_FLAG_COUNT; i++)
    if (flags & (1u << i)) {
      fprintf(out, "%s\"%s\"", first ? "" : ", ", op_flag_name(i));
      first = 0;
    }
  putc(']', out);
}

/* The keys version 2 added to an op, after "line". */
static void write_op_assessment(FILE *out, const struct op_assessment *a) {
  if (a->measured != TIER_NONE)
    fprintf(out, ",\n      \"measured_tier\": %d", (int)a->measured);
  else
    fputs(",\n      \"measured_tier\": null", out);
  char level[LEVEL_TEXT_SIZE];
  if (a->has_interval)
    fprintf(out,
            ",\n      \"interval_pct\": {\"low\": %.4f, \"high\": %.4f},\n"
            "      \"confident\": %s,\n      \"confidence_level_pct\": %s",
            a->low_pct, a->high_pct, boolean(a->confident), level_text(level, a));
  else
    fputs(",\n      \"interval_pct\": null,\n      \"confident\": false,\n"
          "      \"confidence_level_pct\": null",
          out);
  if (a->has_interval && a->requests_needed != UINT64_MAX)
    fprintf(out, ",\n      \"requests_needed\": %llu", (unsigned long long)a->requests_needed);
  else
    fputs(",\n      \"requests_needed\": null", out);
  fprintf(out, ",\n      \"misclassified\": %s,\n      \"flags\": ", boolean(a->misclassified));
  write_flags(out, a->flags);
}

/* The key version 3 added to an op, last: its latency, in nanoseconds. */
static void write_latency(FILE *out, const struct op_timing *t, double z) {
  if (!t) {
    fputs(",\n      \"latency\": null", out);
    return;
  }
  struct latency_summary s;
  latency_summarize(t, z, &s);
  fprintf(out, ",\n      \"latency\": {\n        \"every\": ");
  if (t->every)
    fprintf(out, "%llu", (unsigned long long)t->every);
  else
    fputs("null", out);
  fputs(", \"target_ns\": ", out);
  if (t->target)
    fprintf(out, "%llu", (unsigned long long)t->target);
  else
    fputs("null", out);
  fprintf(out, ", \"started\": %llu, \"samples\": %llu, \"unfinished\": %llu,\n",
          (unsigned long long)t->started, (unsigned long long)s.samples,
          (unsigned long long)s.unfinished);
  static const char *const names[] = {
#define LATENCY_NAME(name, q, title) #name,
      LATENCY_QUANTILES(LATENCY_NAME)
#undef LATENCY_NAME
  };
  if (s.samples) {
    fprintf(out, "        \"mean_ns\": %.2f, \"max_ns\": %llu,\n", s.mean,
            (unsigned long long)t->max);
    for (int i = 0; i < LATENCY_QUANTILE_COUNT; i++) {
      const struct latency_quantile *q = &s.quantiles[i];
      fprintf(out, "        \"%s_ns\": {\"value\": %.1f, \"low\": %llu, \"high\": ", names[i],
              q->value, (unsigned long long)q->low);
      if (q->high_bounded)
        fprintf(out, "%llu},\n", (unsigned long long)q->high);
      else
        fputs("null},\n", out);
    }
  } else {
    fputs("        \"mean_ns\": null, \"max_ns\": null,\n", out);
    for (int i = 0; i < LATENCY_QUANTILE_COUNT; i++)
      fprintf(out, "        \"%s_ns\": null,\n", names[i]);
  }
  fputs("        \"p99_vs_target\": ", out);
  if (t->target)
    json_write_string(out, latency_verdict_text(s.p99_verdict));
  else
    fputs("null", out);
  fputs(",\n        \"histogram\": [", out);
  for (unsigned b = 0, first = 1; b < ZAPH_HIST_BUCKETS; b++) {
    if (!t->counts[b])
      continue;
    uint64_t low = zaph_hist_lower(b);
    fprintf(out, "%s{\"low_ns\": %llu, \"high_ns\": ", first ? "" : ", ",
            (unsigned long long)low);
    if (b == ZAPH_HIST_BUCKETS - 1)
      fputs("null", out);
    else
      fprintf(out, "%llu", (unsigned long long)(low + zaph_hist_width(b) - 1));
    fprintf(out, ", \"count\": %llu}", (unsigned long long)t->counts[b]);
    first = 0;
  }
  fputs("]\n      }", out);
}

static void write_op(FILE *out, const char *key, const struct classified_op *c,
                     const struct op_assessment *a, double z) {
  const struct merged_op *op = c->op;
  const char *tier = tier_label(c->tier);
  fputs("    ", out);
  json_write_string(out, key);
  fprintf(out, ": {\n      \"access_count\": %llu,\n      \"access_frequency_pct\": ",
          (unsigned long long)op->entries);
  write_hundredths(out, c->has_frequency, c->frequency_pct);
  fputs(",\n      \"recommended_tier\": ", out);
  if (tier)
    json_write_string(out, tier);
  else
    fputs("null", out);
  fprintf(out, ",\n      \"requests_touching\": %llu,\n      \"calls_per_request\": ",
          (unsigned long long)c->requests_touching);
  write_hundredths(out, c->has_calls_per_request, c->calls_per_request);
  fprintf(out, ",\n      \"entries_outside_requests\": %llu,\n      \"kind\": \"%s\",\n",
          (unsigned long long)op->entries_outside, zaph_kind_name(op->id.kind));
  if (op->declared_tier)
    fprintf(out, "      \"declared_tier\": %u,\n", op->declared_tier);
  else
    fputs("      \"declared_tier\": null,\n", out);
  fputs("      ", out);
  json_write_identity(out, &op->id, ",\n      ");
  write_op_assessment(out, a);
  write_latency(out, op->timing, z);
  fputs("\n    }", out);
}

/* The keys version 2 added to the top level, after "time_range". */
static void write_assessment(FILE *out, const struct report_view *view) {
  const struct merged_profiles *m = view->merged;
  const struct assessment *a = view->assessment;
  fputs("  \"confidence_pct\": ", out);
  fputs(view->confidence_text, out);
  fprintf(out, ",\n  \"confidence_below_policy\": %s,\n  \"confidence_z\": %.4f,\n",
          boolean(a->confidence_below_policy), a->z);
  fprintf(out, "  \"max_age_days\": %llu,\n  \"max_age_above_policy\": %s,\n",
          (unsigned long long)a->policy.max_age_days, boolean(a->max_age_above_policy));
  fprintf(out, "  \"profiled_at\": \"%s\",\n  \"next_review_at\": \"%s\",\n", m->end,
          a->next_review_at);
  fprintf(out, "  \"age_days\": %ld,\n  \"stale\": %s,\n  \"data_source\": ", a->age_days,
          boolean(a->stale));
  json_write_string(out, a->effective_source);
  fprintf(out, ",\n  \"data_source_acceptable\": %s,\n  \"inputs\": [",
          boolean(a->source_acceptable));
  for (size_t i = 0; i < m->profile_count; i++) {
    const struct merged_input *in = &m->inputs[i];
    fprintf(out, "%s\n    {\"index\": %zu, \"program\": ", i ? "," : "", i + 1);
    json_write_string(out, in->program);
    fputs(", \"source\": ", out);
    json_write_string(out, in->source);
    fprintf(out,
            ", \"source_acceptable\": %s, \"start\": \"%s\", \"end\": \"%s\", "
            "\"requests\": %llu, \"age_days\": %ld, \"stale\": %s}",
            boolean(a->inputs[i].source_acceptable), in->start, in->end,
            (unsigned long long)in->requests, a->inputs[i].age_days, boolean(a->inputs[i].stale));
  }
  fputs(m->profile_count ? "\n  ],\n" : "],\n", out);
}

void output_json(FILE *out, const struct report_view *view) {
  const struct merged_profiles *m = view->merged;
  const struct classification *c = view->classification;
  fprintf(out, "{\n  \"schema\": \"%s\",\n", JSON_SCHEMA);
  fprintf(out, "  \"total_requests\": %llu,\n", (unsigned long long)m->total_requests);
  fprintf(out, "  \"denominator\": \"%s\",\n", denominator_key(c));
  fprintf(out, "  \"sample_size\": %llu,\n", (unsigned long long)c->denominator);
  fprintf(out, "  \"min_requests\": %llu,\n", (unsigned long long)c->min_requests);
  fprintf(out, "  \"min_requests_below_policy\": %s,\n",
          c->min_requests_below_policy ? "true" : "false");
  fprintf(out, "  \"sufficient\": %s,\n", c->sufficient ? "true" : "false");
  fprintf(out, "  \"profiles\": %zu,\n  \"programs\": ", m->profile_count);
  write_string_array(out, m->programs, m->program_count);
  fputs(",\n  \"source\": ", out);
  json_write_string(out, m->source_count == 1 ? m->sources[0] : "mixed");
  fputs(",\n  \"sources\": ", out);
  write_string_array(out, m->sources, m->source_count);
  fprintf(out, ",\n  \"time_range\": {\"start\": \"%s\", \"end\": \"%s\"},\n", m->start, m->end);
  write_assessment(out, view);
  fputs("  \"operations\": {", out);
  char **keys = op_keys_make(c);
  for (size_t i = 0; i < c->op_count; i++) {
    fputs(i ? ",\n" : "\n", out);
    write_op(out, keys[i], &c->ops[i], &view->assessment->ops[i], view->assessment->z);
  }
  op_keys_free(keys, c->op_count);
  fputs(c->op_count ? "\n  }\n}\n" : "}\n}\n", out);
}
