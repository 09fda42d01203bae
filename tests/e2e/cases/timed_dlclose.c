/* Timed ops in a library loaded and closed inside a timed op of the program, four times over:
 * the library's ops keep one histogram each across the loads (one op, one timing line), and a
 * profile written between loads, while none is loaded, holds them. timed=2 samples its every
 * second entry in each load (10 entries: 5; 5 entries: 2). */
// zaph-e2e shared: libtimed.so timed_dlclose_lib.c
// zaph-e2e link: -ldl -rdynamic
#include "profile_lines.h"
#include "zaph.h"

#include <dlfcn.h>
#include <stdio.h>

ZAPH_OP static int first(int x) { return x; }
ZAPH_OP_WITH("timed=1") static int cycle(int calls) {
  void *h = dlopen("../lib/libtimed.so", RTLD_NOW);
  if (!h) {
    printf("dlopen: %s\n", dlerror());
    return -1;
  }
  int (*every)(int) = (int (*)(int))dlsym(h, "lib_every");
  int (*half)(int) = (int (*)(int))dlsym(h, "lib_half");
  for (int i = 0; i < calls; i++) {
    every(i);
    half(i);
  }
  return dlclose(h);
}

int main(void) {
  first(0);
  for (int r = 0; r < 3; r++)
    printf("cycle: %d\n", cycle(10));
  printf("zaph_dump: %d\n", zaph_dump());
  show_profile();
  printf("cycle: %d\n", cycle(5));
  return 0;
}
