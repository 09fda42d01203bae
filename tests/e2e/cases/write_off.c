/* ZAPH_WRITE=0: the run writes no profile, at exit or on zaph_dump() (which succeeds), and the
 * program is otherwise unchanged. */
// zaph-e2e env: ZAPH_WRITE=0
#include <stdio.h>

#include "zaph.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  int sum = op(0) + op(1);
  printf("dump %d\n", zaph_dump());
  return sum == 3 ? 0 : 1;
}
