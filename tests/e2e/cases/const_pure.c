/* Functions declared const or pure would let the optimizer merge or drop repeated calls;
 * the pass removes that licence in the translation unit, so every call counts, and warns. */
#include "zaph.h"

static volatile int sink;
static int table[4] = {1, 2, 3, 4};

ZAPH_OP __attribute__((const, noinline)) int square(int x) { return x * x; }
ZAPH_OP __attribute__((pure, noinline)) int lookup(int i) { return table[i & 3]; }

int main(void) {
  int a = square(3), b = square(3); /* same argument: mergeable if const were kept */
  int c = lookup(1), d = lookup(1);
  (void)square(4);                  /* result unused: removable if const were kept */
  sink = a + b + c + d;
  return 0;
}
