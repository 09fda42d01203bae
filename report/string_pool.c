/* A bump allocator of strings in 64 KiB blocks (larger strings get a block of their own). One
 * free releases everything, which is how profiles and the merged set are torn down. */
#include "string_pool.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64 * 1024)

struct string_block {
  struct string_block *next;
  size_t used, size;
  char text[];
};

void string_pool_init(struct string_pool *pool) { pool->blocks = NULL; }

const char *string_pool_add(struct string_pool *pool, const char *text, size_t len) {
  struct string_block *block = pool->blocks;
  if (!block || block->size - block->used < len + 1) {
    size_t size = len + 1 > BLOCK_SIZE ? len + 1 : BLOCK_SIZE;
    block = xmalloc(sizeof *block + size);
    block->used = 0;
    block->size = size;
    /* A block made for one big string goes behind the current one, which may still have room. */
    if (size > BLOCK_SIZE && pool->blocks) {
      block->next = pool->blocks->next;
      pool->blocks->next = block;
    } else {
      block->next = pool->blocks;
      pool->blocks = block;
    }
  }
  char *copy = block->text + block->used;
  memcpy(copy, text, len);
  copy[len] = '\0';
  block->used += len + 1;
  return copy;
}

void string_pool_free(struct string_pool *pool) {
  while (pool->blocks) {
    struct string_block *next = pool->blocks->next;
    free(pool->blocks);
    pool->blocks = next;
  }
}
