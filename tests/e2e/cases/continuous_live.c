/* zaph-report reads a continuous profile while the program counts into it: two threads make
 * 2,000,000 short requests each (a request, then its op, so requests and requests touching
 * grow together), and meanwhile the program runs `zaph-report convert` on its own file again
 * and again. Every read must pass the reader's checks (requests touching never above requests
 * or entries), which holds only if the reader's loads are ordered against the runtime's adds.
 * The file's final counts are exact. */
// zaph-e2e profile: live%c.prof
#include "zaph.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define REQUESTS 2000000

ZAPH_OP static int op(int x) { return x + 1; }

static volatile int running = 2;
static int reads_started; /* reads main has begun */
static int reads_done;    /* reads main has finished */

/* Each worker waits at each quarter of its requests until main has begun as many reads, and
 * then counts on while that read runs; it stops counting only once three reads have ended, so
 * that however fast the threads or slow a read (a sanitizer, a busy CI host), three reads
 * overlap both threads' counting and the final counts stay exact. */
static void *worker(void *arg) {
  for (int r = 0; r < REQUESTS; r++) {
    if (r % (REQUESTS / 4) == 0)
      while (__atomic_load_n(&reads_started, __ATOMIC_ACQUIRE) < r / (REQUESTS / 4))
        sched_yield();
    zaph_request_begin();
    op(r);
  }
  while (__atomic_load_n(&reads_done, __ATOMIC_ACQUIRE) < 3)
    sched_yield();
  __atomic_fetch_sub(&running, 1, __ATOMIC_RELEASE);
  return arg;
}

/* Runs zaph-report convert on the profile; returns its exit status. */
static int read_profile(const char *report) {
  pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    execl(report, "zaph-report", "convert", "live.prof", (char *)NULL);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void) {
  const char *report = getenv("ZAPH_REPORT");
  if (!report)
    return 2;
  pthread_t threads[2];
  for (int t = 0; t < 2; t++)
    pthread_create(&threads[t], NULL, worker, NULL);
  /* A read counts as concurrent when both threads were counting before it began and after it
   * ended; the test means nothing without one. */
  int reads = 0, concurrent = 0, failed = 0;
  while (__atomic_load_n(&running, __ATOMIC_ACQUIRE) > 0) {
    int before = __atomic_load_n(&running, __ATOMIC_ACQUIRE);
    __atomic_store_n(&reads_started, ++reads, __ATOMIC_RELEASE);
    failed += read_profile(report) != 0;
    concurrent += before == 2 && __atomic_load_n(&running, __ATOMIC_ACQUIRE) == 2;
    __atomic_store_n(&reads_done, reads, __ATOMIC_RELEASE);
  }
  for (int t = 0; t < 2; t++)
    pthread_join(threads[t], NULL);
  printf("reads while both threads counted: %s; failed reads: %d\n",
         concurrent >= 3 ? "3 or more" : "fewer than 3", failed);
  return 0;
}
