/* What a thread's counters cost in address space, and a program under an address-space limit
 * (ulimit -v 1200000) that starts 80 threads with 8 MiB stacks, which fit without zaph: the
 * runtime holds at most a quarter of the limit for threads' state, so every thread is created,
 * the threads that find no share left run uncounted (one error line), and the others count:
 * 300,000 KiB hold the discard block's room (8,196 KiB), the main thread's state and 34
 * workers' (8,296 KiB each: an 8,196 KiB block, a page of state, 96 KiB of bases). */
#include "zaph.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

ZAPH_OP static int in_main(int x) { return x + 1; }
ZAPH_OP static int in_first_thread(int x) { return x + 2; }
ZAPH_OP static int in_worker(int x) { return x + 3; }

static long address_space_kib(void) {
  char line[256];
  long kib = 0;
  FILE *f = fopen("/proc/self/status", "r");
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmSize:", 7) == 0)
      kib = atol(line + 7);
  if (f)
    fclose(f);
  return kib;
}

static void *first_thread(void *arg) {
  long before = address_space_kib();
  in_first_thread(0);
  *(long *)arg = address_space_kib() - before;
  return NULL;
}

static sem_t entered;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released_cond = PTHREAD_COND_INITIALIZER;
static int released;

static void *worker(void *arg) {
  (void)arg;
  in_worker(0);
  sem_post(&entered);
  pthread_mutex_lock(&lock);
  while (!released)
    pthread_cond_wait(&released_cond, &lock);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  in_main(0);
  pthread_t threads[80];
  long kib = 0;
  pthread_create(&threads[0], NULL, first_thread, &kib);
  pthread_join(threads[0], NULL);
  printf("a thread's first entry maps %ld KiB\n", kib);

  struct rlimit old, limit;
  getrlimit(RLIMIT_AS, &old);
  limit = old;
  limit.rlim_cur = 1200000ul << 10;
  setrlimit(RLIMIT_AS, &limit);
  sem_init(&entered, 0, 0);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 8 << 20);
  int created = 0, failed = 0;
  for (int i = 0; i < 80; i++) {
    if (pthread_create(&threads[created], &attr, worker, NULL) != 0) {
      failed++;
      continue;
    }
    created++;
    sem_wait(&entered);
  }
  pthread_mutex_lock(&lock);
  released = 1;
  pthread_cond_broadcast(&released_cond);
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < created; i++)
    pthread_join(threads[i], NULL);
  setrlimit(RLIMIT_AS, &old);
  printf("under the limit: %d threads created, %d failed\n", created, failed);
  return 0;
}
