/* Allocation that cannot return NULL: on exhaustion zaph-report prints one error line and exits
 * with REPORT_EXIT_OUT_OF_MEMORY, as git's xmalloc does. Also formats heap-allocated messages. */
#ifndef ZAPH_REPORT_XALLOC_H
#define ZAPH_REPORT_XALLOC_H

#include <stddef.h>

/* Ends zaph-report as an exhausted allocation does, for a library's own allocation failure. */
_Noreturn void out_of_memory(void);
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
/* Resizes to count * size bytes, treating a multiplication overflow as exhaustion. */
void *xreallocarray(void *ptr, size_t count, size_t size);
char *xstrdup(const char *text);
/* Returns a malloc()ed string formatted like printf. */
char *xformat(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
