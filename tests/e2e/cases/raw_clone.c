/* Processes made without fork()'s handlers: syscall(SYS_fork) and syscall(SYS_clone) (the
 * system call, as fork() makes it, without the C library's fork). Such a child holds
 * its parent's counts and its own in one memory and cannot tell them apart: it writes no
 * profile (one error line each), and the parent's file holds the parent's counts exactly:
 * 10 + 2. */
#include "zaph.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int op(int x) { return x + 1; }

static void child_main(void) {
  for (int i = 0; i < 4; i++)
    op(i);
  exit(0);
}

int main(void) {
  for (int i = 0; i < 10; i++)
    op(i);
  pid_t child = (pid_t)syscall(SYS_fork);
  if (child == 0)
    child_main();
  waitpid(child, NULL, 0);
  child = (pid_t)syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, NULL);
  if (child == 0)
    child_main();
  waitpid(child, NULL, 0);
  for (int i = 0; i < 2; i++)
    op(i);
  return 0;
}
