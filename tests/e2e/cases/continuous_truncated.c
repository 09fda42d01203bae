/* A continuous profile cut short while the program counts into it, as `: > app.prof`,
 * truncate or logrotate's copytruncate would: the program is not killed (SIGBUS), its output
 * and exit status (6) are its own, and the runtime never touches the file again (it stays
 * empty, also when a library with a new op is loaded afterwards). One error line says the
 * counts made since are lost; zaph_dump() returns -1. A SIGBUS that is not the mapping's is
 * the program's as before: a handler it installs sees the one it raises. */
// zaph-e2e profile: app%c.prof
// zaph-e2e shared: libcontinuous.so continuous_lib.c
// zaph-e2e link: -ldl -rdynamic
#include "zaph.h"

#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

ZAPH_OP static int work(int x) { return x + 1; }

static volatile sig_atomic_t own_sigbus;
static void on_own_sigbus(int sig) { own_sigbus = sig; }

int main(void) {
  int sum = 0;
  for (int i = 0; i < 100; i++)
    sum += work(i);
  truncate("app.prof", 0);
  for (int i = 0; i < 100; i++)
    sum += work(i);
  void *lib = dlopen("../lib/libcontinuous.so", RTLD_NOW);
  int (*lib_op)(int) = lib ? (int (*)(int))dlsym(lib, "lib_op") : NULL;
  if (lib_op)
    sum += lib_op(1);
  int dumped = zaph_dump();
  struct stat st;
  stat("app.prof", &st);
  signal(SIGBUS, on_own_sigbus);
  raise(SIGBUS);
  printf("sum %d, zaph_dump %d, file %lld bytes, own SIGBUS handled: %d\n", sum, dumped,
         (long long)st.st_size, own_sigbus == SIGBUS);
  return 6;
}
