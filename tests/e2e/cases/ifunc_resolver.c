/* An ifunc resolver runs in the dynamic loader, before the runtime or even the program's own
 * relocations are ready: an annotated resolver is left alone, with a warning, and the program
 * runs; the function it selects is an op like any other. */
#include "zaph.h"

#include <stdio.h>

ZAPH_OP static int add_plain(int a, int b) { return a + b; }

typedef int add_fn(int, int);
ZAPH_OP static add_fn *resolve_add(void) { return add_plain; }
int add(int a, int b) __attribute__((ifunc("resolve_add")));

int main(void) {
  int total = 0;
  for (int i = 0; i < 3; i++)
    total = add(total, i);
  printf("%d\n", total);
  return 0;
}
