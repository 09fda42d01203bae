/* Functions of unusual shapes are counted exactly, never a crash: variadic, musttail,
 * recursive, noreturn, constructors that run before the module is registered, an op whose
 * address is taken, and an unused static op (which clang does not emit at all). */
#include "zaph.h"

#include <stdarg.h>
#include <stdlib.h>

static volatile int sink;

ZAPH_OP static int sum(int n, ...) {
  va_list ap;
  int total = 0;
  va_start(ap, n);
  for (int i = 0; i < n; i++)
    total += va_arg(ap, int);
  va_end(ap);
  return total;
}

ZAPH_OP __attribute__((noinline)) static int leaf(int x) { return x + 1; }
ZAPH_OP static int tail(int x) { __attribute__((musttail)) return leaf(x); }
ZAPH_OP static int depth(int n) { return n <= 0 ? 0 : 1 + depth(n - 1); }
ZAPH_OP static int by_pointer(int x) { return x * 3; }
ZAPH_OP static int never_called(int x) { return x; }

/* Priority 101 runs no later than the registration constructors; default priority after. */
ZAPH_OP __attribute__((constructor(101))) static void early(void) { sink += leaf(1); }
ZAPH_OP __attribute__((constructor)) static void late(void) { sink += leaf(2); }

ZAPH_OP __attribute__((noreturn)) static void finish(int status) { exit(status); }

int main(void) {
  int (*fn)(int) = by_pointer;
  sink += sum(3, 1, 2, 3) + sum(0);
  for (int i = 0; i < 4; i++)
    sink += tail(i) + fn(i);
  sink += depth(5);
  finish(0);
}
