/* A profile path that is a device (/dev/full) is refused, as everything but a regular file:
 * one error line, nothing written there; the program's output and exit status are unchanged.
 * (A failing write, EFBIG past a file size limit, is in write_signals.) */
// zaph-e2e profile: /dev/full
#include "zaph.h"

#include <stdio.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  printf("result %d\n", op(1));
  return 7;
}
