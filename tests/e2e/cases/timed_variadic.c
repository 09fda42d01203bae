// A variadic op is counted and not timed, with a warning: its timed copy could not take its
// arguments. ZAPH_TIMED leaves it untimed without one and times the others.
// zaph-e2e timed-env: 2
#include "zaph.h"

#include <stdarg.h>

static int sum_list(int n, va_list ap) {
  int total = 0;
  for (int i = 0; i < n; i++)
    total += va_arg(ap, int);
  return total;
}

ZAPH_OP_WITH("timed=1") int sum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int total = sum_list(n, ap);
  va_end(ap);
  return total;
}
ZAPH_OP int product(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int total = 1;
  for (int i = 0; i < n; i++)
    total *= va_arg(ap, int);
  va_end(ap);
  return total;
}
ZAPH_OP int warm_up(int x) { return x + 1; }
ZAPH_OP int fixed(int x) { return x * 2; }

int main(void) {
  warm_up(0); // the thread's first entry, on the runtime's slow path: counted, never timed
  int wrong = 0;
  for (int i = 0; i < 6; i++)
    wrong += sum(3, i, 1, 2) != i + 3 || product(2, i, 3) != 3 * i || fixed(i) != 2 * i;
  return wrong;
}
