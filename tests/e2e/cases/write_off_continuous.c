/* ZAPH_WRITE=0 with continuous mode and merge mode asked for: no file at all, neither the
 * mapped profile nor the merge lock. */
// zaph-e2e env: ZAPH_WRITE=0
// zaph-e2e env: ZAPH_CONTINUOUS=1
// zaph-e2e profile: %m.prof
#include <stdio.h>

#include "zaph.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  int sum = op(0) + op(1);
  printf("dump %d\n", zaph_dump());
  return sum == 3 ? 0 : 1;
}
