/* The kv server's table: a fixed array of key/value pairs, each access an op. */
#include <string.h>

#include "kv.h"
#include "zaph.h"

static struct {
  char key[32];
  char value[32];
  int used;
} table[64];

static int find(const char *key) {
  for (int i = 0; i < 64; i++)
    if (table[i].used && strcmp(table[i].key, key) == 0)
      return i;
  return -1;
}

ZAPH_OP const char *kv_get(const char *key) {
  int i = find(key);
  return i < 0 ? NULL : table[i].value;
}

ZAPH_OP int kv_set(const char *key, const char *value) {
  int i = find(key);
  for (int j = 0; i < 0 && j < 64; j++)
    if (!table[j].used)
      i = j;
  if (i < 0)
    return -1;
  table[i].used = 1;
  snprintf(table[i].key, sizeof table[i].key, "%s", key);
  snprintf(table[i].value, sizeof table[i].value, "%s", value);
  return 0;
}

ZAPH_OP int kv_delete(const char *key) {
  int i = find(key);
  if (i >= 0)
    table[i].used = 0;
  return i >= 0;
}
