/* ZAPH_DUMP_SIGNAL=USR1: the signal writes the profile while the program goes on. */
// zaph-e2e profile: svc.prof
// zaph-e2e env: ZAPH_DUMP_SIGNAL=USR1
#include "zaph.h"
#include "service_support.h"

#include <signal.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  for (int i = 0; i < 3; i++)
    op(i);
  raise(SIGUSR1);
  wait_and_print("svc.prof");
  op(3);
  op(4);
  return 0;
}
