/* Timed ops in a library loaded and closed inside a timed op of the program, four times over:
 * the library's ops keep one histogram each across the loads (one op, one timing line), and a
 * profile written between loads, while none is loaded, holds them. timed=2 samples its every
 * second entry in each load (10 entries: 5; 5 entries: 2). */
// zaph-e2e shared: libtimed.so timed_dlclose_lib.c
// zaph-e2e link: -ldl -rdynamic
#include "zaph.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* Prints the op lines of the profile zaph_dump() wrote, and its timing lines' counts (their
 * first five numbers; the durations differ from run to run). */
static void show_profile(void) {
  char path[64], line[4096];
  snprintf(path, sizeof path, "%ld.prof", (long)getpid());
  FILE *f = fopen(path, "r");
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, "timing\t", 7) == 0) {
      char *p = line;
      for (int tabs = 0; *p && tabs < 6; p++)
        tabs += *p == '\t';
      strcpy(p - 1, "\n");
    }
    if (strncmp(line, "op\t", 3) == 0 || strncmp(line, "timing\t", 7) == 0)
      fputs(line, stdout);
  }
  if (f)
    fclose(f);
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
