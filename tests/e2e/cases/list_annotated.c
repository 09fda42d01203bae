/* A list file beside annotations: a function both listed and annotated is one op, with the
 * tier either declares; an annotated function the list does not name stays an op; and with
 * ZAPH_LIST_VERBOSE=1 each list line that matched no function of the translation unit is a
 * warning naming the list file and the line. */
// zaph-e2e list: list_annotated.list
// zaph-e2e list-verbose
// zaph-e2e profile: run.prof
#include "zaph.h"

ZAPH_OP_TIER(2) __attribute__((noinline)) int lookup(int x) { return x + 1; }
ZAPH_OP __attribute__((noinline)) int price(int x) { return x * 2; }
ZAPH_OP __attribute__((noinline)) int audit(int x) { return x - 1; }

int main(void) {
  volatile int sink = 0;
  for (int i = 0; i < 4; i++)
    sink += lookup(i) + price(i) + (i == 0 ? audit(i) : 0);
  return 0;
}
