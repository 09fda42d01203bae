/* Printing aligned tables for the text outputs of report, diff and check. */
#include "text_table.h"

#include "xalloc.h"
#include "zaph_profile.h"

#include <stdlib.h>
#include <string.h>

size_t text_display_width(const char *text) {
  size_t width = 0;
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
    if (c[0] == 0x1b && c[1] == '[') { /* a control sequence: parameters, then a final byte */
      c += 2;
      while (*c && !(*c >= 0x40 && *c <= 0x7e))
        c++;
      if (!*c)
        break;
      continue;
    }
    width += (*c & 0xc0) != 0x80;
  }
  return width;
}

char *text_escaped(const char *text) {
  size_t len = strlen(text);
  size_t need = zaph_escape(NULL, 0, text, len);
  char *out = xmalloc(need + 1);
  zaph_escape(out, need + 1, text, len);
  return out;
}

static void print_cell(FILE *out, const char *text, size_t width, int right_aligned, int last) {
  size_t used = text_display_width(text);
  size_t pad = used < width ? width - used : 0;
  if (right_aligned)
    fprintf(out, "%*s", (int)pad, "");
  fputs(text, out);
  if (!right_aligned && !last)
    fprintf(out, "%*s", (int)pad, "");
}

/* Prints a row up to its last non-empty cell, so no line ends in spaces. */
static void print_row(FILE *out, const struct text_column *columns, size_t column_count,
                      const char *const *cells, const size_t *widths) {
  size_t used = column_count;
  while (used > 1 && !*cells[used - 1])
    used--;
  for (size_t col = 0; col < used; col++) {
    if (col > 0)
      fputs("  ", out);
    print_cell(out, cells[col], widths[col], columns[col].right_aligned, col + 1 == used);
  }
  putc('\n', out);
}

void text_table_print(FILE *out, const struct text_column *columns, size_t column_count,
                      char *const *cells, size_t rows) {
  size_t *widths = xcalloc(column_count, sizeof *widths);
  const char **titles = xcalloc(column_count, sizeof *titles);
  for (size_t col = 0; col < column_count; col++) {
    titles[col] = columns[col].title;
    widths[col] = text_display_width(columns[col].title);
  }
  for (size_t i = 0; i < rows * column_count; i++) {
    size_t col = i % column_count, w = text_display_width(cells[i]);
    if (columns[col].max_width && w > columns[col].max_width)
      w = columns[col].max_width;
    if (w > widths[col])
      widths[col] = w;
  }
  print_row(out, columns, column_count, titles, widths);
  for (size_t r = 0; r < rows; r++)
    print_row(out, columns, column_count, (const char *const *)cells + r * column_count, widths);
  free(titles);
  free(widths);
}
