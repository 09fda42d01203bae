/* Parent, child and grandchild each write their own profile and together sum to the exact
 * totals; the fork happens while another thread of the parent is counting (the child has
 * only the forking thread, and none of the worker's counts). The children inherit the
 * sanitizers' record of a worker they do not have, so ThreadSanitizer is told not to call it
 * a leak, and LeakSanitizer (which would warn that it cannot suspend it) is off here. */
// zaph-e2e env: TSAN_OPTIONS=report_thread_leaks=0
// zaph-e2e env: ASAN_OPTIONS=detect_leaks=0
#include "zaph.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int parent_op(int x) { return x + 1; }
ZAPH_OP static int worker_op(int x) { return x + 2; }
ZAPH_OP static int child_op(int x) { return x + 3; }
ZAPH_OP static int grandchild_op(int x) { return x + 4; }

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 200000; i++)
    worker_op(i);
  return NULL;
}

int main(void) {
  pthread_t t;
  for (int i = 0; i < 7; i++)
    parent_op(i);
  pthread_create(&t, NULL, worker, NULL);
  pid_t child = fork();
  if (child == 0) {
    for (int i = 0; i < 5; i++)
      child_op(i);
    pid_t grandchild = fork();
    if (grandchild == 0) {
      for (int i = 0; i < 3; i++)
        grandchild_op(i);
      exit(0);
    }
    waitpid(grandchild, NULL, 0);
    child_op(99);
    exit(0);
  }
  waitpid(child, NULL, 0);
  pthread_join(t, NULL);
  parent_op(99);
  return 0;
}
