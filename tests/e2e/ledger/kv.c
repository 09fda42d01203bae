/* The program of the ledger workflow (workflow.sh): a key-value service whose request mix is
 * its argument, "load" or "shifted" (kv_put from 40% of requests to 10%), 2000 requests. The
 * lines "// STATS" are where the workflow's edit adds an op. */
#include "zaph.h"

#include <stdio.h>
#include <string.h>

static volatile int store[64];
// STATS

ZAPH_OP_TIER(1) int kv_get(int k) { return store[k & 63]; }
ZAPH_OP void kv_put(int k, int v) { store[k & 63] = v; }
ZAPH_OP int kv_scan(int from) {
  int sum = 0;
  for (int i = from & 63; i < 64; i++)
    sum += store[i];
  return sum;
}
ZAPH_OP void kv_compact(void) { memset((void *)store, 0, sizeof store); }

ZAPH_REQUEST int handle(int i, int shifted) {
  int r = 0;
  if (i % 10 != 0)
    r += kv_get(i);
  if (shifted ? i % 10 == 0 : i % 5 < 2)
    kv_put(i, i);
  if (i % 20 == 0)
    r += kv_scan(i);
  if (i % 50 == 0)
    kv_compact();
  // STATS
  return r;
}

int main(int argc, char **argv) {
  int shifted = argc > 1 && strcmp(argv[1], "shifted") == 0, r = 0;
  for (int i = 0; i < 2000; i++)
    r += handle(i, shifted);
  printf("%d\n", r != -1);
  return 0;
}
