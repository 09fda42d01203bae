/* Nothing lost across threads: 8 workers counting at once, a worker that exits in the middle
 * of a request, one still running (blocked) at exit(), and exit() called from a thread that is
 * not main. */
#include "zaph.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static _Thread_local volatile int sink; /* per thread: the workers must not race on it */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int parked;

ZAPH_OP static int work(int x) { return x ^ 3; }
ZAPH_OP static int rare(int x) { return x + 9; }
ZAPH_REQUEST static void request(int i) {
  sink += work(i);
  if (i % 1000 == 0)
    sink += rare(i);
}

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 5000; i++)
    request(i);
  return NULL;
}

static void *parker(void *arg) {
  (void)arg;
  for (int i = 0; i < 7; i++)
    sink += work(i);
  pthread_mutex_lock(&lock);
  parked = 1;
  pthread_cond_signal(&cond);
  pthread_mutex_unlock(&lock);
  for (;;)
    pause();
}

static void *exiter(void *arg) {
  (void)arg;
  request(1);
  exit(0);
}

int main(void) {
  pthread_t t[8], p, e;
  for (int i = 0; i < 8; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 8; i++)
    pthread_join(t[i], NULL);
  pthread_create(&p, NULL, parker, NULL);
  pthread_mutex_lock(&lock);
  while (!parked)
    pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  pthread_create(&e, NULL, exiter, NULL);
  pthread_join(e, NULL);
  return 1; /* not reached: the exiter's exit(0) ends the process */
}
