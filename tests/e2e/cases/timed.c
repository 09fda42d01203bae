// Timed ops (docs/latency.md): entries counted exactly whatever the sampling, the entries that
// carry timed (every one at timed=1, one in 8 at timed=8), an entry left by longjmp begun and
// unfinished, recursion timed entry by entry, a second thread's samples kept at its end, and
// durations bounded by the busy waits that make them.
// zaph-e2e durations: spin_2us 2000 1000000000
// zaph-e2e durations: spin_20us 20000 1000000000
// zaph-e2e durations: recurse 0 1000000000
#include "zaph.h"

#include <pthread.h>
#include <setjmp.h>
#include <time.h>

static void spin(long ns) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  do
    clock_gettime(CLOCK_MONOTONIC, &b);
  while ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec < ns);
}

static jmp_buf out;

ZAPH_OP int warm_up(int x) { return x + 1; }
ZAPH_OP_WITH("timed=1,target=1ms") void spin_2us(void) { spin(2000); }
ZAPH_OP_WITH("timed=8") void spin_20us(void) { spin(20000); }
ZAPH_OP_WITH("timed=1") void leave(int how) {
  if (how)
    longjmp(out, 1);
}
ZAPH_OP_WITH("timed=1") int recurse(int depth) { return depth ? recurse(depth - 1) + 1 : 0; }

static void *worker(void *arg) {
  warm_up(0); // the thread's first entry, on the runtime's slow path: counted, never timed
  for (int i = 0; i < 10; i++)
    spin_2us();
  return arg;
}

ZAPH_REQUEST void handle(int i) {
  spin_2us();
  spin_20us();
  (void)i;
}

int main(void) {
  warm_up(0);
  for (int i = 0; i < 64; i++)
    handle(i);
  leave(0);
  if (!setjmp(out))
    leave(1);
  leave(0);
  recurse(2);
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  pthread_join(t, 0);
  return 0;
}
