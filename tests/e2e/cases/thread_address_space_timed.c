/* Latency histograms count in the runtime's share of an address-space limit as threads' state
 * does (docs/design.md): under `ulimit -v 1200000` 80 threads with 8 MiB stacks are all created
 * and each worker enters a timed op twice (its first entry is counted, not timed). Counters
 * alone let 34 workers count (thread_address_space.c); each timed worker also maps 44 KiB of
 * histograms (a 32 KiB table, a 12 KiB histogram) from the same quarter of the limit, so 33
 * workers count and time, the 34th finds no share left for its counters and runs uncounted (one
 * error line), and the program's own threads and heap lose no room to zaph. */
#include "zaph.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

ZAPH_OP static int in_main(int x) { return x + 1; }
ZAPH_OP_WITH("timed=1") static int timed_in_worker(int x) { return x + 3; }

static sem_t entered;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released_cond = PTHREAD_COND_INITIALIZER;
static int released;

static void *worker(void *arg) {
  (void)arg;
  timed_in_worker(0);
  timed_in_worker(1);
  sem_post(&entered);
  pthread_mutex_lock(&lock);
  while (!released)
    pthread_cond_wait(&released_cond, &lock);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  in_main(0);
  struct rlimit old, limit;
  getrlimit(RLIMIT_AS, &old);
  limit = old;
  limit.rlim_cur = 1200000ul << 10;
  setrlimit(RLIMIT_AS, &limit);
  sem_init(&entered, 0, 0);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 8 << 20);
  pthread_t threads[80];
  int created = 0, failed = 0;
  for (int i = 0; i < 80; i++) {
    if (pthread_create(&threads[created], &attr, worker, NULL) != 0) {
      failed++;
      continue;
    }
    created++;
    sem_wait(&entered);
  }
  void *heap = malloc(64 << 20);
  pthread_mutex_lock(&lock);
  released = 1;
  pthread_cond_broadcast(&released_cond);
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < created; i++)
    pthread_join(threads[i], NULL);
  printf("under the limit: %d threads created, %d failed, 64 MiB %s\n", created, failed,
         heap ? "allocated" : "refused");
  free(heap);
  setrlimit(RLIMIT_AS, &old);
  return 0;
}
