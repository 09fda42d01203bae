/* Allocation helpers that end the program on exhaustion (see xalloc.h), so the rest of
 * zaph-report never carries NULL checks for memory. */
#include "xalloc.h"

#include "report_exit.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void out_of_memory(void) {
  fputs("zaph-report: error: out of memory\n", stderr);
  exit(REPORT_EXIT_OUT_OF_MEMORY);
}

void *xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xcalloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xreallocarray(void *ptr, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size)
    out_of_memory();
  size_t bytes = count * size;
  void *p = realloc(ptr, bytes ? bytes : 1);
  if (!p)
    out_of_memory();
  return p;
}

char *xstrdup(const char *text) {
  size_t len = strlen(text);
  char *copy = xmalloc(len + 1);
  memcpy(copy, text, len + 1);
  return copy;
}

char *xformat(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (len < 0)
    out_of_memory();
  char *text = xmalloc((size_t)len + 1);
  va_start(ap, fmt);
  vsnprintf(text, (size_t)len + 1, fmt, ap);
  va_end(ap);
  return text;
}
