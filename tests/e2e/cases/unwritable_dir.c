/* A directory the program may not write to: one error line naming the path and the reason,
 * nothing left behind, the program's output and exit status unchanged. */
// zaph-e2e read-only-dir: locked
// zaph-e2e profile: locked/app.prof
#include "zaph.h"

#include <stdio.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  printf("result %d\n", op(4));
  return 5;
}
