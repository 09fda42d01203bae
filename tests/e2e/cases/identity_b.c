/* The second translation unit of identity.c. */
#include "identity.h"

static volatile int sink;

ZAPH_OP static int helper(int x) { return x * 5; }

int run_b(void) {
  for (int i = 0; i < 5; i++)
    sink += helper(i);
  for (int i = 0; i < 7; i++)
    sink += shared_inline(i);
  return sink;
}
