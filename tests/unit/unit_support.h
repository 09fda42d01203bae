/* Helpers shared by the unit tests: cmocka's required includes in the required order, a stream
 * holding given bytes (NULs included), and capturing what a writer function prints. */
#ifndef ZAPH_UNIT_SUPPORT_H
#define ZAPH_UNIT_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* A temporary file holding len bytes of data, positioned at its start. */
static inline FILE *stream_with(const char *data, size_t len) {
  FILE *f = tmpfile();
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  rewind(f);
  return f;
}

/* A stream that collects output in memory; finish with capture_end(). */
struct capture {
  FILE *stream;
  char *text;
  size_t len;
};

static inline void capture_begin(struct capture *c) {
  c->text = NULL;
  c->len = 0;
  c->stream = open_memstream(&c->text, &c->len);
  assert_non_null(c->stream);
}

/* Closes the stream; the caller frees c->text. */
static inline char *capture_end(struct capture *c) {
  assert_int_equal(fclose(c->stream), 0);
  return c->text;
}

#endif
