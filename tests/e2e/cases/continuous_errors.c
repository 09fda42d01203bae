/* Continuous mode on a path it cannot create (a missing directory): one error line at start,
 * counting goes on in memory, the exit-time write reports its own error, and the program's
 * output and exit status (4) do not change. */
// zaph-e2e profile: missing/app%c.prof
#include "zaph.h"

#include <stdio.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  int sum = 0;
  for (int i = 0; i < 3; i++)
    sum += op(i);
  printf("sum %d\n", sum);
  return 4;
}
