/* The runtime API in continuous mode (ZAPH_CONTINUOUS=1), with the same counts as in memory:
 * zaph_reset() zeroes the file, a request open at the reset counts as one request afterwards
 * (and touches again an op it touched before the reset), zaph_dump() syncs the file and
 * returns 0, and SIGKILL after it loses nothing counted later. */
// zaph-e2e env: ZAPH_CONTINUOUS=1
#include "zaph.h"

#include <signal.h>
#include <stdio.h>

ZAPH_OP static int op(int x) { return x + 1; }
ZAPH_OP static int other(int x) { return x + 2; }

int main(void) {
  for (int r = 0; r < 50; r++) {
    zaph_request_begin();
    op(r);
    other(r);
  }
  zaph_request_begin();
  op(0);
  printf("reset: %d\n", zaph_reset());
  op(1);    /* counted, and touches op again */
  other(1); /* counted, and touches other */
  zaph_request_end();
  for (int r = 0; r < 3; r++) {
    zaph_request_begin();
    op(r);
  }
  printf("dump: %d\n", zaph_dump());
  op(9);
  fflush(stdout);
  raise(SIGKILL);
  return 0;
}
