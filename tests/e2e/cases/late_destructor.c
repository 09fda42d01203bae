/* Ops entered in pthread key destructors that run after the runtime's own (keys are destroyed
 * in the order they were made, and the runtime makes its key first). The thread's counts are
 * retired at its end; every later entry is added to the retired totals, as outside requests,
 * and a request begun then is not counted (docs/requests.md). Nothing is lost or counted
 * twice, also when the destructor runs again in every one of glibc's rounds, and when the
 * thread's stack (and its thread_local memory) is unmapped after it ends. */
// zaph-e2e link: -lpthread
#include "zaph.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>

static pthread_key_t late_key, every_round_key;
static int rounds;

ZAPH_OP static int work(int x) { return x + 1; }
ZAPH_OP static int in_destructor(int x) { return x * 2; }
ZAPH_REQUEST static int handle(int x) { return work(x); }

static void late_destructor(void *value) { handle((int)(long)value); }

static void every_round(void *value) {
  in_destructor((int)(long)value);
  rounds++;
  pthread_setspecific(every_round_key, value); /* glibc calls it again, a bounded number of times */
}

static void *body(void *arg) {
  int sum = 0;
  for (int i = 0; i < 1000; i++)
    sum += handle(i);
  pthread_setspecific(late_key, (void *)1L);
  if (arg)
    pthread_setspecific(every_round_key, (void *)2L);
  return (void *)(long)sum;
}

static long run(int every, int own_stack) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  size_t size = 1 << 20;
  void *stack = NULL;
  if (own_stack) {
    stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pthread_attr_setstack(&attr, stack, size);
  }
  pthread_t t;
  void *sum;
  pthread_create(&t, &attr, body, every ? (void *)1L : NULL);
  pthread_join(t, &sum);
  pthread_attr_destroy(&attr);
  if (stack)
    munmap(stack, size);
  return (long)sum;
}

int main(void) {
  work(0); /* the runtime makes its key here, before the program's */
  pthread_key_create(&late_key, late_destructor);
  pthread_key_create(&every_round_key, every_round);
  long a = run(0, 0), b = run(1, 0), c = run(1, 1);
  printf("sums: %ld %ld %ld, destructor rounds: %d\n", a, b, c, rounds);
  return 0;
}
