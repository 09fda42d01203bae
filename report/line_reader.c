/* A buffered line reader over fread() and memchr(): profiles of many thousand ops are read at
 * memory speed, and no line can grow a buffer beyond the cap the format sets. */
#include "line_reader.h"

#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MIN_READ (64 * 1024)

void line_reader_init(struct line_reader *reader, FILE *stream, size_t max_line) {
  reader->stream = stream;
  reader->max_line = max_line;
  reader->capacity = max_line + MIN_READ + 1;
  reader->buffer = xmalloc(reader->capacity);
  reader->start = reader->end = 0;
  reader->at_eof = 0;
  reader->read_error = 0;
  reader->line_number = 0;
}

/* Moves unread bytes to the front and reads more; returns 0, or -1 on a read error. */
static int fill(struct line_reader *reader) {
  size_t pending = reader->end - reader->start;
  memmove(reader->buffer, reader->buffer + reader->start, pending);
  reader->start = 0;
  reader->end = pending;
  size_t room = reader->capacity - 1 - pending;
  errno = 0;
  size_t got = fread(reader->buffer + pending, 1, room, reader->stream);
  reader->end += got;
  if (got < room) {
    if (ferror(reader->stream)) {
      reader->read_error = errno ? errno : EIO;
      return -1;
    }
    reader->at_eof = 1;
  }
  return 0;
}

enum line_status line_reader_next(struct line_reader *reader, char **line, size_t *length) {
  for (;;) {
    char *begin = reader->buffer + reader->start;
    size_t pending = reader->end - reader->start;
    size_t window = pending < reader->max_line ? pending : reader->max_line;
    char *newline = memchr(begin, '\n', window);
    if (newline) {
      reader->line_number++;
      *newline = '\0';
      *line = begin;
      *length = (size_t)(newline - begin);
      reader->start += *length + 1;
      return memchr(begin, '\0', *length) ? LINE_HAS_NUL : LINE_OK;
    }
    if (pending >= reader->max_line) {
      reader->line_number++;
      return LINE_TOO_LONG;
    }
    if (reader->at_eof) {
      if (pending == 0)
        return LINE_END_OF_FILE;
      reader->line_number++;
      begin[pending] = '\0';
      *line = begin;
      *length = pending;
      reader->start = reader->end;
      return LINE_UNTERMINATED;
    }
    if (fill(reader) != 0)
      return LINE_READ_ERROR;
  }
}

void line_reader_free(struct line_reader *reader) {
  free(reader->buffer);
  reader->buffer = NULL;
}
