/* daemon(): its parent ends at once, without writing, so the child goes on with the program's
 * counts: those made before daemon() on this thread (in a request still open across it) and on
 * another thread, which the child does not have, and its own. The first process waits for
 * the daemon through a pipe only the daemon holds open, and writes its own, empty, profile.
 * LeakSanitizer, which does not see the C library's fork inside daemon(), would stop at exit
 * on the thread the child does not have; it is turned off for this case. */
// zaph-e2e env: ASAN_OPTIONS=detect_leaks=0
#include "zaph.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int op(int x) { return x + 1; }
ZAPH_OP static int other_thread_op(int x) { return x + 2; }

static int ready[2];

static void *other_thread(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++)
    other_thread_op(i);
  char c = 1;
  write(ready[1], &c, 1);
  for (;;)
    pause(); /* still running when daemon() forks */
  return NULL;
}

/* Runs in the first process's child, holding the pipe's write end open. */
static void become_daemon(void) {
  pthread_t t;
  char c;
  pipe(ready);
  pthread_create(&t, NULL, other_thread, NULL);
  read(ready[0], &c, 1);
  zaph_request_begin();
  op(1);
  op(2);
  if (daemon(1, 1) != 0)
    exit(1);
  op(3);
  zaph_request_end();
  op(4);
  exit(0);
}

int main(void) {
  int gone[2];
  pipe(gone);
  pid_t child = fork();
  if (child == 0) {
    close(gone[0]);
    become_daemon();
  }
  close(gone[1]);
  waitpid(child, NULL, 0);
  char c;
  while (read(gone[0], &c, 1) > 0)
    ;
  return 0;
}
