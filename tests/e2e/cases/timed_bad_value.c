// A bad ZAPH_TIMING is one error line and timing stays on.
// zaph-e2e env: ZAPH_TIMING=yes
#include "zaph.h"

ZAPH_OP int first(int x) { return x; }
ZAPH_OP_WITH("timed=1") int timed(int x) { return x + 1; }

int main(void) {
  first(0); // the thread's first entry: counted on the slow path, never timed
  int s = 0;
  for (int i = 0; i < 5; i++)
    s += timed(i);
  return s == 15 ? 0 : 1;
}
