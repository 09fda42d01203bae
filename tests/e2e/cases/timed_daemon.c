/* Timing across daemon(): the child goes on with the histograms made before it, on its thread
 * and on a thread it does not have, as it does with the counts. The timed op that calls
 * daemon() began in the parent, which ends at once, and returns in the child: one sample, in
 * the child's profile. The first process waits for the daemon through a pipe only the daemon
 * holds open, and writes its own profile, which holds what it counted before its fork. */
// zaph-e2e env: ASAN_OPTIONS=detect_leaks=0
#include "zaph.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int first(int x) { return x; }
ZAPH_OP_WITH("timed=1") static int op(int x) { return x + 1; }
ZAPH_OP_WITH("timed=1") static int other_thread_op(int x) { return x + 2; }
ZAPH_OP_WITH("timed=1") static int to_daemon(void) { return daemon(1, 1); }

static int other_ready;

static void *other_thread(void *arg) {
  first(0);
  for (int i = 0; i < 3; i++)
    other_thread_op(i);
  __atomic_store_n(&other_ready, 1, __ATOMIC_RELEASE);
  for (;;)
    pause(); /* still running when daemon() forks */
  return arg;
}

int main(void) {
  first(0);
  op(0);
  /* The daemon holds the write end of `done` until it exits: its end of file is the daemon's
   * profile written. */
  int done[2];
  pipe(done);
  if (fork() != 0) {
    close(done[1]);
    char c;
    while (read(done[0], &c, 1) > 0)
      ;
    wait(NULL);
    return 0;
  }
  close(done[0]);
  pthread_t t;
  pthread_create(&t, NULL, other_thread, NULL);
  while (!__atomic_load_n(&other_ready, __ATOMIC_ACQUIRE))
    usleep(1000);
  op(1);
  op(2);
  if (to_daemon() != 0)
    return 1;
  for (int i = 0; i < 4; i++)
    op(i);
  exit(0);
}
