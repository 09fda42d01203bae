/* A textfile directory the program may not write to: one error line naming the path and the
 * reason; the profile is written as ever, and the program's output and exit status stay. */
// zaph-e2e read-only-dir: textfile
// zaph-e2e env: ZAPH_PROM_FILE=textfile/svc.prom
#include "zaph.h"

#include <stdio.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  printf("result %d\n", op(4));
  return 3;
}
