/* Continuous mode without %p: a forked child keeps counting into its parent's file (both add
 * to it atomically), also after it registers a module the parent never loaded, so the file
 * holds the exact sum of both. The parent ends by _exit(), which runs no exit hook: nothing is
 * lost. 1000 requests in the parent and 200 in the child; the library's op only in the child. */
// zaph-e2e profile: shared%c.prof
// zaph-e2e env: ZAPH_SOURCE=staging-replay
// zaph-e2e shared: libcontinuous.so continuous_lib.c
// zaph-e2e link: -ldl -rdynamic
// zaph-e2e report:
#include "zaph.h"

#include <dlfcn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_REQUEST static void handle(int r);
ZAPH_OP static int lookup(int x) { return x * 3; }
ZAPH_OP static int store(int x) { return x * 5; }

static void handle(int r) {
  lookup(r);
  if (r % 10 == 0)
    store(r);
}

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    void *lib = dlopen("../lib/libcontinuous.so", RTLD_NOW);
    int (*lib_op)(int) = lib ? (int (*)(int))dlsym(lib, "lib_op") : NULL;
    for (int r = 0; r < 200; r++) {
      handle(r);
      if (lib_op && r % 2 == 0)
        lib_op(r);
    }
    printf("child: library %s\n", lib_op ? "loaded" : dlerror());
    fflush(stdout);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  for (int r = 0; r < 1000; r++)
    handle(r);
  printf("parent: done\n");
  fflush(stdout);
  _exit(0);
}
