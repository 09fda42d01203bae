/* Continuous mode (%c): counts live in the mapped file as they are made, so a process that
 * ends without exiting loses none. Three threads make 300 requests; then three children, each
 * with its own file (%p) counting from zero, end by SIGKILL, abort() and _exit(); the parent
 * exits normally. Every file holds exact counts. */
// zaph-e2e profile: cont-%p%c.prof
// zaph-e2e env: ZAPH_SOURCE=load-test
#include "zaph.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int get(int x) { return x + 1; }
ZAPH_OP static int put(int x) { return x + 2; }

static void *worker(void *arg) {
  for (int r = 0; r < 100; r++) {
    zaph_request_begin();
    for (int i = 0; i < 3; i++)
      get(i);
    if (r % 4 == 0)
      put(r);
  }
  return arg;
}

static void child(int how) {
  fflush(stdout); /* a child that ends in abort() may flush what it inherited */
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 10 * (how + 1); i++)
      get(i);
    if (how == 0)
      raise(SIGKILL);
    if (how == 1)
      abort();
    _exit(3);
  }
  int status;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    printf("child %d: signal %d\n", how, WTERMSIG(status));
  else
    printf("child %d: exit %d\n", how, WEXITSTATUS(status));
}

int main(void) {
  pthread_t threads[3];
  for (int t = 0; t < 3; t++)
    pthread_create(&threads[t], NULL, worker, NULL);
  for (int t = 0; t < 3; t++)
    pthread_join(threads[t], NULL);
  for (int how = 0; how < 3; how++)
    child(how);
  for (int i = 0; i < 5; i++)
    put(i);
  return 0;
}
