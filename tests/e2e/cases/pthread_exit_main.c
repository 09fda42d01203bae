/* main() ends with pthread_exit while a worker still runs: the process exits when the worker
 * returns, and the profile holds both threads' counts. */
#include "zaph.h"

#include <pthread.h>
#include <time.h>

ZAPH_OP static int op(int x) { return x + 1; }

static void *worker(void *arg) {
  (void)arg;
  struct timespec pause = {0, 50000000};
  nanosleep(&pause, NULL);
  for (int i = 0; i < 30; i++)
    op(i);
  return NULL;
}

int main(void) {
  pthread_t t;
  for (int i = 0; i < 12; i++)
    op(i);
  pthread_create(&t, NULL, worker, NULL);
  pthread_exit(NULL);
}
