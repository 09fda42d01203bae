/* A write error on the profile (/dev/full: no space left) is one error line; the program's
 * output and exit status are unchanged. */
// zaph-e2e profile: /dev/full
#include "zaph.h"

#include <stdio.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  printf("result %d\n", op(1));
  return 7;
}
