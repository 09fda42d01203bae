/* What every output repeats, written once so that the report formats, check, diff and doc say
 * the same thing the same way: the unit of the sample, percentages, an op's name, place and
 * flags. */
#include "output.h"

#include "json_string.h"
#include "text_table.h"
#include "xalloc.h"

#include <math.h>
#include "zaph_profile.h"

#include <stdlib.h>
#include <string.h>

const char *denominator_unit(const struct classification *c) {
  return c->denominator_kind == DENOMINATOR_REQUESTS ? "requests" : "op entries";
}

const char *denominator_key(const struct classification *c) {
  return c->denominator_kind == DENOMINATOR_REQUESTS ? "requests" : "op_entries";
}

const char *hundredths_text(char out[HUNDREDTHS_TEXT_SIZE], int present, struct hundredths value,
                            const char *none) {
  if (!present)
    return none;
  snprintf(out, HUNDREDTHS_TEXT_SIZE, "%llu.%02u", (unsigned long long)value.whole, value.cents);
  return out;
}

char *interval_text(const struct op_assessment *a) {
  return xformat("%.2f..%.2f", a->low_pct, a->high_pct);
}

const char *level_text(char out[LEVEL_TEXT_SIZE], const struct op_assessment *a) {
  snprintf(out, LEVEL_TEXT_SIZE, "%.1f", level_shown(a->level_pct));
  return out;
}

static void append(char **text, const char *part) {
  char *joined = xformat("%s%s%s", *text, **text ? ", " : "", part);
  free(*text);
  *text = joined;
}

char *op_flags_text(const struct op_assessment *a, unsigned declared_tier) {
  char *text = xstrdup("");
  if (a->flags & FLAG_NO_DATA)
    append(&text, "no-data");
  if (a->flags & FLAG_NOT_CONFIDENT) {
    char *part;
    if (!a->has_interval)
      part = xstrdup("not-confident");
    else if (a->requests_needed == UINT64_MAX)
      part = xstrdup("not-confident (never at this frequency)");
    else
      part = xformat("not-confident (needs %llu)", (unsigned long long)a->requests_needed);
    append(&text, part);
    free(part);
  }
  if (a->flags & FLAG_MISCLASSIFIED) {
    char *part = xformat("misclassified (declared %u)", declared_tier);
    append(&text, part);
    free(part);
  }
  if (a->flags & FLAG_ABOVE_TARGET)
    append(&text, "p99-above-target");
  return text;
}

char *op_name_text(const struct merged_op *op) {
  char *name = text_escaped(op->id.name);
  if (op->id.kind != ZAPH_KIND_REQUEST)
    return name;
  char *shown = xformat("%s [request]", name);
  free(name);
  return shown;
}

char *op_location_text(const struct merged_op *op) {
  char *file = text_escaped(op->id.file);
  char *location = xformat("%s:%llu", file, (unsigned long long)op->id.line);
  free(file);
  return location;
}

char *op_label(const struct merged_op *op) {
  char *name = op_name_text(op), *location = op_location_text(op);
  char *label = xformat("%s (%s)", name, location);
  free(name);
  free(location);
  return label;
}

static const struct tier_style tier_styles[] = {
    [TIER_NONE] = {"none", "#94a3b8", ""},
    [TIER_HOT] = {"hot", "#dc2626", "31"},
    [TIER_WARM] = {"warm", "#d97706", "33"},
    [TIER_COLD] = {"cold", "#2563eb", "34"},
};

const struct tier_style *tier_style(enum recommended_tier tier) {
  return &tier_styles[tier];
}

void json_write_identity(FILE *out, const struct zaph_identity *id, const char *separator) {
  fputs("\"name\": ", out);
  json_write_string(out, id->name);
  fprintf(out, "%s\"file\": ", separator);
  json_write_string(out, id->file);
  fprintf(out, "%s\"line\": %llu", separator, (unsigned long long)id->line);
}

char *duration_text(double ns) {
  static const struct {
    double scale;
    const char *unit;
  } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}};
  double whole = floor(ns + 0.5); /* 999.5 is shown as 1.00us, not 1000ns */
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (whole >= units[i].scale)
      return xformat("%.2f%s", ns / units[i].scale, units[i].unit);
  return xformat("%.0fns", whole);
}

/* A quantile of a timed op: "121ns [120ns..121ns]", the interval's end "inf" (UTF-8 "∞") when
 * the sample gives it none. */
char *quantile_text(const struct latency_quantile *q, int utf8) {
  char *value = duration_text(q->value), *low = duration_text((double)q->low);
  char *high = q->high_bounded ? duration_text((double)q->high)
                               : xstrdup(utf8 ? "\xe2\x88\x9e" : "inf");
  char *text = xformat("%s [%s..%s]", value, low, high);
  free(value);
  free(low);
  free(high);
  return text;
}
