/* Reads a stream one line at a time with a cap on the line length (ZAPH_PROFILE_MAX_LINE,
 * newline included), telling a clean end of file from a cut-off last line, an over-long line
 * and a NUL byte, so the profile parser can name the exact line that is wrong. */
#ifndef ZAPH_REPORT_LINE_READER_H
#define ZAPH_REPORT_LINE_READER_H

#include <stddef.h>
#include <stdio.h>

enum line_status {
  LINE_OK,           /* a complete line; the newline is replaced by a NUL */
  LINE_END_OF_FILE,  /* no more bytes */
  LINE_UNTERMINATED, /* the last bytes of the stream, without a newline */
  LINE_TOO_LONG,     /* no newline within the cap */
  LINE_HAS_NUL,      /* a complete line containing a NUL byte */
  LINE_READ_ERROR,   /* the stream failed; errno-style code in read_error */
};

struct line_reader {
  FILE *stream;
  size_t max_line; /* longest accepted line, newline included */
  char *buffer;
  size_t capacity, start, end;
  int at_eof;
  int read_error;
  unsigned long line_number; /* of the line last returned, 1-based */
};

void line_reader_init(struct line_reader *reader, FILE *stream, size_t max_line);
/* Returns the next line in *line (valid until the next call) and its length without the
 * newline. For LINE_UNTERMINATED *line holds the partial text, also NUL-terminated. */
enum line_status line_reader_next(struct line_reader *reader, char **line, size_t *length);
void line_reader_free(struct line_reader *reader);

#endif
