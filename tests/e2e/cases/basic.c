/* Ops of every linkage and inline kind, entered a known number of times in 1,000 requests,
 * with frequencies on the tier boundaries: 100%, 85%, exactly 80% (Warm), 20.1% (Warm),
 * exactly 20% (Cold) and an op that never runs (0). */
// zaph-e2e report:
// zaph-e2e report: --format=json
#include "zaph.h"

static volatile int sink;

ZAPH_OP int plain(int x) { return x + 1; }
ZAPH_OP static int file_local(int x) { return x * 3; }
ZAPH_OP static inline int inlined(int x) { return x - 1; }
ZAPH_OP __attribute__((always_inline)) static inline int forced(int x) { return x ^ 7; }
ZAPH_OP __attribute__((noinline)) int outlined(int x) { return x | 1; }
ZAPH_OP int never_run(int x) { return x; }

ZAPH_REQUEST static void handle(int i) {
  sink += plain(i);
  if (i % 20 < 17)
    sink += file_local(i) + file_local(i + 1);
  if (i % 5 != 0)
    sink += inlined(i);
  if (i < 201)
    sink += forced(i);
  if (i >= 800)
    sink += outlined(i);
}

int main(void) {
  for (int i = 0; i < 1000; i++)
    handle(i);
  zaph_request_end();
  for (int i = 0; i < 3; i++)
    sink += plain(i);
  if (sink == 42)
    sink += never_run(sink);
  return 0;
}
