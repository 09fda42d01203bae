/* An allocator that is an op, timed: malloc, calloc, realloc and free of the program, which
 * the C library and the runtime call too. The runtime's start-up, its registration of the
 * module (from the module's constructor, before the thread has state), zaph_dump() and the
 * exit-time write call them; an entry that needs the slow path while the runtime runs on its
 * thread is not counted, instead of waiting for the start-up or the lock the thread is already
 * in (the program hung at start-up). Those made while the thread has state count and are
 * timed: the C library's (stdout's buffer) and the runtime's included. */
#include "zaph.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

extern void *__libc_malloc(size_t), *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

ZAPH_OP_WITH("timed=1") void *malloc(size_t n) { return __libc_malloc(n); }
ZAPH_OP_WITH("timed=1") void *calloc(size_t n, size_t m) { return __libc_calloc(n, m); }
ZAPH_OP_WITH("timed=1") void *realloc(void *p, size_t n) { return __libc_realloc(p, n); }
ZAPH_OP_WITH("timed=1") void free(void *p) { __libc_free(p); }

int main(void) {
  char *p = malloc(16);
  strcpy(p, "allocated");
  p = realloc(p, 32);
  puts(p);
  free(p);
  printf("zaph_dump: %d\n", zaph_dump());
  return 0;
}
