/* The JSON report, schema "zaph-report/1": the decision record's fields (total_requests,
 * operations with access_count, access_frequency_pct, recommended_tier) plus fields beside
 * them, always all present, in a fixed order, indented by two spaces. */
#include "output.h"

#include "json_string.h"
#include "op_keys.h"
#include "zaph_profile.h"

#define JSON_SCHEMA "zaph-report/1"

static void write_hundredths(FILE *out, int present, struct hundredths value) {
  if (present)
    fprintf(out, "%llu.%02u", (unsigned long long)value.whole, value.cents);
  else
    fputs("null", out);
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

static void write_op(FILE *out, const char *key, const struct classified_op *c) {
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
  fputs("      \"name\": ", out);
  json_write_string(out, op->id.name);
  fputs(",\n      \"file\": ", out);
  json_write_string(out, op->id.file);
  fprintf(out, ",\n      \"line\": %llu\n    }", (unsigned long long)op->id.line);
}

void output_json(FILE *out, const struct merged_profiles *m, const struct classification *c) {
  fprintf(out, "{\n  \"schema\": \"%s\",\n", JSON_SCHEMA);
  fprintf(out, "  \"total_requests\": %llu,\n", (unsigned long long)m->total_requests);
  fprintf(out, "  \"denominator\": \"%s\",\n",
          c->denominator_kind == DENOMINATOR_REQUESTS ? "requests" : "op_entries");
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
  fputs("  \"operations\": {", out);
  char **keys = op_keys_make(c);
  for (size_t i = 0; i < c->op_count; i++) {
    fputs(i ? ",\n" : "\n", out);
    write_op(out, keys[i], &c->ops[i]);
  }
  op_keys_free(keys, c->op_count);
  fputs(c->op_count ? "\n  }\n}\n" : "}\n}\n", out);
}
