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

ZAPH_OP __attribute__((noinline)) long op_small(long x) {
  COUNT_BY_HAND();
  return x * 3 + 1;
}
