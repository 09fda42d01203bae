/* Which process the runtime's counts belong to. fork() runs the runtime's handlers, so a
 * child knows it is one; a process made without them (a raw clone(), syscall(SYS_fork)) or a
 * vfork() child, which runs in its parent's memory, sees another pid than the one recorded
 * and so knows that the counts in its memory are not its own. daemon() is a fork() whose
 * parent ends at once without writing, so its child goes on with the counts instead of
 * starting from zero. README.md has the life cycles, docs/design.md the reasons. */
#include "runtime.h"

#include <dlfcn.h>
#include <errno.h>
#include <unistd.h>

static pid_t owner;
/* Set on the thread calling daemon() while it forks: read by the fork handlers in the child. */
static __thread int forking_to_continue __attribute__((tls_model("initial-exec")));

static void child_after_fork(void) { owner = getpid(); }

void zaph_lifecycle_init(void) {
  owner = getpid();
  pthread_atfork(NULL, NULL, child_after_fork);
}

int zaph_process_owns_counts(void) { return getpid() == owner; }

int zaph_fork_continues(void) { return forking_to_continue; }

/* The C library's daemon(), with the runtime told that the child continues the program. */
ZAPH_API int daemon(int nochdir, int noclose) {
  int (*real)(int, int) = (int (*)(int, int))dlsym(RTLD_NEXT, "daemon");
  if (!real) {
    zaph_error("daemon: not found in the C library");
    errno = ENOSYS;
    return -1;
  }
  forking_to_continue = 1;
  int rc = real(nochdir, noclose);
  forking_to_continue = 0;
  return rc;
}
