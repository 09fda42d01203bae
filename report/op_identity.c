/* Comparing and hashing op identities, shared by the parser's duplicate check and the merge so
 * both agree on what "the same op" means. */
#include "op_identity.h"

#include "zaph_profile.h"

#include <string.h>

int op_identity_compare(const struct op_identity *a, const struct op_identity *b) {
  struct zaph_identity x = {a->name, a->file, a->line, a->kind};
  struct zaph_identity y = {b->name, b->file, b->line, b->kind};
  return zaph_identity_compare(&x, &y);
}

int op_identity_equal(const struct op_identity *a, const struct op_identity *b) {
  return a->line == b->line && a->kind == b->kind && strcmp(a->name, b->name) == 0 &&
         strcmp(a->file, b->file) == 0;
}

#define FNV_OFFSET 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

static uint64_t hash_bytes(uint64_t h, const unsigned char *bytes, size_t len) {
  for (size_t i = 0; i < len; i++) {
    h ^= bytes[i];
    h *= FNV_PRIME;
  }
  return h;
}

uint64_t op_identity_hash(const struct op_identity *id) {
  uint64_t h = FNV_OFFSET;
  /* The terminating NUL separates name from file, so ("ab", "c") and ("a", "bc") differ. */
  h = hash_bytes(h, (const unsigned char *)id->name, strlen(id->name) + 1);
  h = hash_bytes(h, (const unsigned char *)id->file, strlen(id->file) + 1);
  uint64_t line = id->line;
  for (int i = 0; i < 8; i++, line >>= 8)
    h = hash_bytes(h, (const unsigned char[]){(unsigned char)line}, 1);
  return hash_bytes(h, (const unsigned char[]){(unsigned char)id->kind}, 1);
}
