/* An unwritable profile path is one "zaph: error:" line; the program's own output and exit
 * status are unchanged and nothing is left behind. */
// zaph-e2e profile: missing-dir/app.prof
#include "zaph.h"

#include <stdio.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  printf("result %d\n", op(41));
  return 3;
}
