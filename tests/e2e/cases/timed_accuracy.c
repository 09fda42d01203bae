// The reported quantiles of a bimodal op: 300 entries busy for 5 us and 100 for 50 us, in a
// fixed shuffled order, every entry timed. The true p50 is 5 us and p90 50 us (plus the
// waits' own overshoot): each reported value, and part of its interval, lies between the true
// one less the 1.5625% error bound (docs/latency.md) and 30% above it.
// zaph-e2e quantile: bimodal p50 4922 6500
// zaph-e2e quantile: bimodal p90 49219 65000
// zaph-e2e durations: bimodal 5000 1000000000
#include "zaph.h"

#include <time.h>

static void spin(long ns) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  do
    clock_gettime(CLOCK_MONOTONIC, &b);
  while ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec < ns);
}

ZAPH_OP int warm_up(int x) { return x; }
ZAPH_OP_WITH("timed=1") void bimodal(int slow) { spin(slow ? 50000 : 5000); }

int main(void) {
  warm_up(0); // the thread's first entry, on the slow path: counted, never timed
  unsigned state = 12345;
  int slow_left = 100, fast_left = 300;
  while (slow_left + fast_left > 0) {
    state = state * 1103515245u + 12345u;
    int slow = (int)((state >> 16) % (unsigned)(slow_left + fast_left)) < slow_left;
    if (slow)
      slow_left--;
    else
      fast_left--;
    bimodal(slow);
  }
  return 0;
}
