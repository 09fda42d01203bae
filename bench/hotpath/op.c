/* The measured function: a small annotated op, compiled once per variant with that variant's
 * instrumentation flags and called through a loop in driver.c, another translation unit, so
 * it is never inlined. With -DBENCH_HAND_TLS it carries the hand-written counter instead. */
#include "zaph.h"

#ifdef BENCH_HAND_TLS
/* Defined here, in the executable, so the increment is one local-exec instruction. */
__thread unsigned long bench_hand_count;
#define COUNT_BY_HAND() (bench_hand_count++)
#else
#define COUNT_BY_HAND() ((void)0)
#endif

/* bench/timing.sh: -DBENCH_TIMED='"timed=N"' makes the op a timed one; -DBENCH_RDTSC_PAIR gives
 * it the bare pair of cycle-counter reads a timed entry is weighed against. */
#ifdef BENCH_TIMED
#define BENCH_OP ZAPH_OP_WITH(BENCH_TIMED)
#else
#define BENCH_OP ZAPH_OP
#endif
#ifdef BENCH_RDTSC_PAIR
#include <x86intrin.h>
volatile unsigned long long bench_ticks;
#endif

BENCH_OP __attribute__((noinline)) long op_small(long x) {
  COUNT_BY_HAND();
#ifdef BENCH_RDTSC_PAIR
  unsigned long long start = __rdtsc();
  x = x * 3 + 1;
  bench_ticks = __rdtsc() - start;
  return x;
#else
  return x * 3 + 1;
#endif
}
