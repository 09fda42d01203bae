/* Storage for many small strings that live as long as their owner (a profile, the merged set):
 * copies go into large blocks that never move, so the pointers handed out stay valid. */
#ifndef ZAPH_REPORT_STRING_POOL_H
#define ZAPH_REPORT_STRING_POOL_H

#include <stddef.h>

struct string_block;

struct string_pool {
  struct string_block *blocks; /* newest first */
};

void string_pool_init(struct string_pool *pool);
/* Copies len bytes of text plus a terminating NUL; returns the stable copy. */
const char *string_pool_add(struct string_pool *pool, const char *text, size_t len);
void string_pool_free(struct string_pool *pool);

#endif
