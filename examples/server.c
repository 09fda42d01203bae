/* A small key-value request handler with the operations of ZAPH-DEC-04's examples, driven by
 * a request log on standard input (one request a line), the way a staging box replays
 * production traffic. Built with the zaph plugin, it writes a profile at exit. */
#include "zaph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 1024

struct entry {
  char key[64];
  long value;
  int used;
};

static struct entry cache[CACHE_SLOTS];
static unsigned long served, hits, diagnostics;
static char last_diagnostic[128];

static unsigned slot_of(const char *key) {
  unsigned h = 2166136261u;
  for (; *key; key++)
    h = (h ^ (unsigned char)*key) * 16777619u;
  return h % CACHE_SLOTS;
}

ZAPH_OP static struct entry *cache_get(const char *key) {
  struct entry *e = &cache[slot_of(key)];
  return e->used && strcmp(e->key, key) == 0 ? e : NULL;
}

ZAPH_OP static void cache_put(const char *key, long value) {
  struct entry *e = &cache[slot_of(key)];
  snprintf(e->key, sizeof e->key, "%s", key);
  e->value = value;
  e->used = 1;
}

/* Returns the value of query parameter name in query ("a=1&b=2"), or NULL. */
ZAPH_OP static const char *param_get(const char *query, const char *name, char *buf,
                                     size_t cap) {
  size_t len = strlen(name);
  for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
    if (strncmp(p, name, len) == 0 && p[len] == '=') {
      size_t n = strcspn(p + len + 1, "&");
      snprintf(buf, cap, "%.*s", (int)(n < cap ? n : cap - 1), p + len + 1);
      return buf;
    }
  }
  return NULL;
}

ZAPH_OP static void generate_diagnostic(void) {
  snprintf(last_diagnostic, sizeof last_diagnostic, "served=%lu hits=%lu", served, hits);
  diagnostics++;
}

/* One request: "GET /item/<key>[?query]", "PUT /item/<key> <value>" or "GET /debug". */
ZAPH_REQUEST static void handle_request(char *line) {
  char method[8], target[256];
  long value = 0;
  served++;
  if (sscanf(line, "%7s %255s %ld", method, target, &value) < 2)
    return;
  if (strcmp(target, "/debug") == 0) {
    generate_diagnostic();
    return;
  }
  if (strncmp(target, "/item/", 6) != 0)
    return;
  char *key = target + 6, *query = strchr(key, '?');
  if (query)
    *query++ = '\0';
  if (strcmp(method, "PUT") == 0) {
    cache_put(key, value);
    return;
  }
  struct entry *e = cache_get(key);
  char fields[32];
  if (query && param_get(query, "fields", fields, sizeof fields) && e)
    hits++;
  else if (e)
    hits++;
}

int main(void) {
  char line[512];
  while (fgets(line, sizeof line, stdin))
    handle_request(line);
  printf("served %lu requests, %lu cache hits, %lu diagnostics (last: %s)\n", served, hits,
         diagnostics, last_diagnostic);
  return 0;
}
