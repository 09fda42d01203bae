/* The text report: header lines about the sample, then one aligned table row per op in report
 * order. Names and paths are shown escaped as in a profile (\t, \n, \xHH), so every op stays
 * on one line whatever its name holds. */
#include "output.h"

#include "xalloc.h"
#include "zaph_profile.h"

#include <stdlib.h>
#include <string.h>

/* An OP cell wider than this does not widen the column; its row just runs on. */
#define OP_COLUMN_MAX 48

enum column { COL_TIER, COL_FREQ, COL_REQUESTS, COL_ACCESSES, COL_CALLS, COL_OP, COL_LOCATION,
              COLUMN_COUNT };

static const char *const column_titles[COLUMN_COUNT] = {
    "TIER", "FREQ%", "REQUESTS", "ACCESSES", "CALLS/REQ", "OP", "LOCATION"};
static const int column_right_aligned[COLUMN_COUNT] = {0, 1, 1, 1, 1, 0, 0};

static char *escaped(const char *text) {
  size_t len = strlen(text);
  size_t need = zaph_escape(NULL, 0, text, len);
  char *out = xmalloc(need + 1);
  zaph_escape(out, need + 1, text, len);
  return out;
}

/* Columns a terminal uses for text: one per UTF-8 character (wide characters not counted). */
static size_t display_width(const char *text) {
  size_t width = 0;
  for (const unsigned char *c = (const unsigned char *)text; *c; c++)
    width += (*c & 0xc0) != 0x80;
  return width;
}

static char *format_hundredths(int present, struct hundredths value) {
  if (!present)
    return xstrdup("-");
  return xformat("%llu.%02u", (unsigned long long)value.whole, value.cents);
}

static void fill_row(char **cells, const struct classified_op *c) {
  const struct merged_op *op = c->op;
  const char *tier = tier_label(c->tier);
  char *name = escaped(op->id.name), *file = escaped(op->id.file);
  cells[COL_TIER] = xstrdup(tier ? tier : "-");
  cells[COL_FREQ] = format_hundredths(c->has_frequency, c->frequency_pct);
  cells[COL_REQUESTS] = xformat("%llu", (unsigned long long)c->requests_touching);
  cells[COL_ACCESSES] = xformat("%llu", (unsigned long long)op->entries);
  cells[COL_CALLS] = format_hundredths(c->has_calls_per_request, c->calls_per_request);
  cells[COL_OP] = op->id.kind == ZAPH_KIND_REQUEST ? xformat("%s [request]", name) : xstrdup(name);
  cells[COL_LOCATION] = xformat("%s:%llu", file, (unsigned long long)op->id.line);
  free(name);
  free(file);
}

static void print_cell(FILE *out, const char *text, size_t width, int right_aligned, int last) {
  size_t used = display_width(text);
  size_t pad = used < width ? width - used : 0;
  if (right_aligned)
    fprintf(out, "%*s", (int)pad, "");
  fputs(text, out);
  if (!right_aligned && !last)
    fprintf(out, "%*s", (int)pad, "");
}

static void print_row(FILE *out, char *const *cells, const size_t *widths) {
  for (int col = 0; col < COLUMN_COUNT; col++) {
    if (col > 0)
      fputs("  ", out);
    print_cell(out, cells[col], widths[col], column_right_aligned[col], col == COLUMN_COUNT - 1);
  }
  putc('\n', out);
}

static void print_table(FILE *out, const struct classification *c) {
  size_t widths[COLUMN_COUNT];
  char **cells = xcalloc(c->op_count * COLUMN_COUNT, sizeof *cells);
  for (int col = 0; col < COLUMN_COUNT; col++)
    widths[col] = display_width(column_titles[col]);
  for (size_t i = 0; i < c->op_count; i++) {
    fill_row(cells + i * COLUMN_COUNT, &c->ops[i]);
    for (int col = 0; col < COLUMN_COUNT; col++) {
      size_t w = display_width(cells[i * COLUMN_COUNT + col]);
      if (col == COL_OP && w > OP_COLUMN_MAX)
        w = OP_COLUMN_MAX;
      if (w > widths[col])
        widths[col] = w;
    }
  }
  print_row(out, (char *const *)column_titles, widths);
  for (size_t i = 0; i < c->op_count; i++)
    print_row(out, cells + i * COLUMN_COUNT, widths);
  for (size_t i = 0; i < c->op_count * COLUMN_COUNT; i++)
    free(cells[i]);
  free(cells);
}

static void print_header(FILE *out, const struct merged_profiles *m,
                         const struct classification *c) {
  const char *unit = c->denominator_kind == DENOMINATOR_REQUESTS ? "requests" : "op entries";
  fprintf(out, "profiles: %zu\n", m->profile_count);
  for (size_t i = 0; i < m->program_count; i++) {
    char *program = escaped(m->programs[i]);
    fprintf(out, "program: %s\n", program);
    free(program);
  }
  fputs(m->source_count == 1 ? "source: " : "source: mixed (", out);
  for (size_t i = 0; i < m->source_count; i++) {
    char *source = escaped(m->sources[i]);
    fprintf(out, "%s%s", i ? ", " : "", source);
    free(source);
  }
  fputs(m->source_count == 1 ? "\n" : ")\n", out);
  fprintf(out, "time range: %s .. %s\n", m->start, m->end);
  if (c->denominator_kind == DENOMINATOR_REQUESTS)
    fprintf(out, "requests: %llu\n", (unsigned long long)c->denominator);
  else
    fprintf(out,
            "note: no requests were marked (no zaph_request function or zaph_request_begin() "
            "ran); access frequency uses the %llu op entries as the denominator\n",
            (unsigned long long)c->denominator);
  fprintf(out, "minimum sample: %llu %s", (unsigned long long)c->min_requests, unit);
  if (c->min_requests_below_policy)
    fprintf(out, " (below the %d requests ZAPH-DEC-04 requires)", POLICY_MIN_REQUESTS);
  putc('\n', out);
  if (!c->sufficient)
    fprintf(out, "tiers: none assigned (insufficient data: %llu < %llu %s)\n",
            (unsigned long long)c->denominator, (unsigned long long)c->min_requests, unit);
}

void output_text(FILE *out, const struct merged_profiles *merged,
                 const struct classification *classification) {
  print_header(out, merged, classification);
  putc('\n', out);
  if (classification->op_count == 0)
    fputs("no ops were recorded\n", out);
  else
    print_table(out, classification);
}
