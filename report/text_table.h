/* An aligned text table: a title row and rows of cells, each column as wide as its widest cell
 * (counted in UTF-8 characters), numbers right-aligned, two spaces between columns and no
 * padding after the last one. A column may have a cap: a wider cell just runs on. */
#ifndef ZAPH_REPORT_TEXT_TABLE_H
#define ZAPH_REPORT_TEXT_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct text_column {
  const char *title;
  int right_aligned;
  size_t max_width; /* 0 for none */
};

/* Prints titles and rows; cells holds rows * column_count strings, row by row. */
void text_table_print(FILE *out, const struct text_column *columns, size_t column_count,
                      char *const *cells, size_t rows);

/* Columns a terminal uses for text: one per UTF-8 character (wide characters not counted), none
 * for an ANSI control sequence (ESC [ ... final byte), such as a colour. */
size_t text_display_width(const char *text);

/* Text made printable as in a profile (\t, \n, \xHH); malloc()ed. */
char *text_escaped(const char *text);

#endif
