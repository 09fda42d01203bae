/* exec inside a timed op, without fork (same pid, same %p path): each image writes before its
 * exec and the next adds to the file, histograms included. The op that execs began in the
 * image it replaces and never returns: begun and unfinished, once per exec. An exec that fails
 * returns through the op: one sample. Three images, each timing `work` three times. */
// zaph-e2e args: 0
#include "zaph.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile int sink;

ZAPH_OP static int first(int x) { return x; }
ZAPH_OP_WITH("timed=1") static int work(int x) { return sink += x; }
ZAPH_OP_WITH("timed=1") static int run_image(const char *path, int n) {
  char arg[16];
  snprintf(arg, sizeof arg, "%d", n);
  return execl(path, path, arg, (char *)NULL);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  first(0);
  for (int i = 0; i < 3; i++)
    work(i);
  printf("image %d\n", n);
  fflush(stdout);
  if (n == 0 && run_image("./no-such-program", 1) != 0)
    printf("exec of ./no-such-program failed\n");
  fflush(stdout);
  if (n < 2)
    run_image("/proc/self/exe", n + 1);
  return 0;
}
