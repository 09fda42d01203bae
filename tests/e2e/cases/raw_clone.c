/* Processes made without fork()'s handlers: syscall(SYS_fork) and clone(). Such a child holds
 * its parent's counts and its own in one memory and cannot tell them apart: it writes no
 * profile (one error line each), and the parent's file holds the parent's counts exactly:
 * 10 + 2. */
#define _GNU_SOURCE
#include "zaph.h"

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int op(int x) { return x + 1; }

static int child_main(void *arg) {
  (void)arg;
  for (int i = 0; i < 4; i++)
    op(i);
  exit(0);
}

static char stack[1 << 16];

int main(void) {
  for (int i = 0; i < 10; i++)
    op(i);
  pid_t child = (pid_t)syscall(SYS_fork);
  if (child == 0)
    child_main(NULL);
  waitpid(child, NULL, 0);
  child = clone(child_main, stack + sizeof stack, SIGCHLD, NULL);
  waitpid(child, NULL, 0);
  for (int i = 0; i < 2; i++)
    op(i);
  return 0;
}
