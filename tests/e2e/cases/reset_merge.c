/* zaph_reset() in merge mode (%m): what was written before the reset stays in the file, and
 * what is counted after it is added once. 100 entries in 10 requests, a dump, a reset, 50
 * entries in 5 requests, a dump, 20 entries in 2 requests, exit: the file holds 170 entries in
 * 17 requests. */
// zaph-e2e profile: merged-%m.prof
#include "zaph.h"

#include <stdio.h>

ZAPH_OP static int op(int x) { return x + 1; }

static void requests(int n) {
  for (int r = 0; r < n; r++) {
    zaph_request_begin();
    for (int i = 0; i < 10; i++)
      op(i);
  }
  zaph_request_end();
}

int main(void) {
  requests(10);
  printf("dump: %d\n", zaph_dump());
  printf("reset: %d\n", zaph_reset());
  requests(5);
  printf("dump: %d\n", zaph_dump());
  requests(2);
  return 0;
}
