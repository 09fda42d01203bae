/* Op identity is (name, file, line, kind): two static helpers of the same name in two files
 * are two ops; a static inline function from a header used in two files is one op, and its
 * copies entered in one request touch that request once. */
// zaph-e2e sources: identity_b.c
#include "identity.h"

static volatile int sink;

ZAPH_OP static int helper(int x) { return x * 2; }

int main(void) {
  zaph_request_begin();
  for (int i = 0; i < 2; i++)
    sink += helper(i);
  for (int i = 0; i < 3; i++)
    sink += shared_inline(i);
  sink += run_b();
  return 0;
}
