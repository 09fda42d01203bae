/* Timed ops of every shape a function has: many arguments (some on the stack), structs by
 * value in registers and in memory, floats, vectors, a struct returned in memory, a
 * variadic op (counted, not timed), a musttail return, an always_inline op, setjmp inside a
 * timed op and a longjmp back into it, errno set by the op and kept across its timed entry,
 * and the op's address, the same in every translation unit, whichever entry is timed. Each
 * result is the one the program gets without zaph; each op is timed on every entry. */
// zaph-e2e sources: timed_abi_b.c
#include "zaph.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>

typedef float v4 __attribute__((vector_size(16)));
struct pair {
  long a, b;
};
struct wide {
  long a[6];
};

void *address_elsewhere(void);

ZAPH_OP static int first(int x) { return x; }
ZAPH_OP_WITH("timed=1") long many(long a, long b, long c, long d, long e, long f, long g,
                                  long h, double x, double y) {
  return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + (long)(x * y);
}
ZAPH_OP_WITH("timed=1") long by_value(struct pair p, struct wide w, struct pair q) {
  return p.a - p.b + w.a[0] + w.a[5] * 10 + q.a * 100 + q.b;
}
ZAPH_OP_WITH("timed=1") struct wide returned(long x) {
  struct wide w = {{x, x + 1, x + 2, x + 3, x + 4, x + 5}};
  return w;
}
ZAPH_OP_WITH("timed=1") double floats(float a, double b, long double c) {
  return a * b + (double)c;
}
ZAPH_OP_WITH("timed=1") v4 vectors(v4 a, v4 b) { return a * b + a; }
ZAPH_OP_WITH("timed=1") int sum_of(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int s = 0;
  for (int i = 0; i < n; i++)
    s += va_arg(ap, int);
  va_end(ap);
  return s;
}
ZAPH_OP_WITH("timed=1") long countdown(long n, long acc) {
  if (n == 0)
    return acc;
  __attribute__((musttail)) return countdown(n - 1, acc + n);
}
ZAPH_OP_WITH("timed=1") __attribute__((always_inline)) inline int inlined(int x) {
  return x * 7;
}
ZAPH_OP_WITH("timed=1") int sets_errno(int e) {
  errno = e;
  return -1;
}
static jmp_buf back;
ZAPH_OP_WITH("timed=1") static void jump_back(void) { longjmp(back, 7); }
ZAPH_OP_WITH("timed=1") int jumps_within(int rounds) {
  volatile int n = 0;
  int r = setjmp(back);
  if (r)
    n += r;
  if (n < 7 * rounds)
    jump_back();
  return n;
}
ZAPH_OP_WITH("timed=1") void *address(void) { return (void *)address; }

int main(void) {
  first(0);
  printf("many %ld\n", many(1, 2, 3, 4, 5, 6, 7, 8, 1.5, 4.0));
  struct pair p = {10, 3}, q = {1, 2};
  struct wide w = {{1, 2, 3, 4, 5, 6}};
  printf("by_value %ld\n", by_value(p, w, q));
  struct wide r = returned(40);
  printf("returned %ld %ld\n", r.a[0], r.a[5]);
  printf("floats %.3f\n", floats(1.5f, 2.25, 0.125L));
  v4 v = vectors((v4){1, 2, 3, 4}, (v4){2, 2, 2, 2});
  printf("vectors %.1f %.1f %.1f %.1f\n", v[0], v[1], v[2], v[3]);
  printf("sum_of %d\n", sum_of(4, 1, 2, 3, 4));
  printf("countdown %ld\n", countdown(100000, 0));
  int s = 0;
  for (int i = 0; i < 3; i++)
    s += inlined(i);
  printf("inlined %d\n", s);
  errno = 0;
  int rc = sets_errno(ERANGE);
  printf("sets_errno %d, errno %s\n", rc, errno == ERANGE ? "ERANGE" : "changed");
  printf("jumps_within %d\n", jumps_within(3));
  void *a = address();
  printf("address: %s\n", a == (void *)address && a == address_elsewhere() ? "the same" : "differs");
  return 0;
}
