/* ZAPH_DUMP_ON_SIGNALS=TERM,INT: SIGTERM writes the profile, then the process dies of SIGTERM
 * (exit status 128 + 15 in the shell), as it would have without zaph. */
// zaph-e2e env: ZAPH_DUMP_ON_SIGNALS=TERM,INT
#include "zaph.h"

#include <signal.h>
#include <stdio.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  for (int i = 0; i < 6; i++)
    op(i);
  printf("terminating\n");
  fflush(stdout);
  raise(SIGTERM);
  printf("not reached\n");
  return 0;
}
