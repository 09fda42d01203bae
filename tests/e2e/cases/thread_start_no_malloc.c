/* A thread's first entry may come in a signal handler that interrupted malloc() on that
 * thread, so giving the thread its state must not call malloc() (it would wait forever on the
 * lock the interrupted call holds). The program interposes the allocator and counts the calls
 * made during each thread's first entry: none. */
// zaph-e2e link: -lpthread
#include "zaph.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void __libc_free(void *);

static __thread int watching;
static int calls_while_watching;

void *malloc(size_t n) {
  calls_while_watching += watching;
  return __libc_malloc(n);
}
void *calloc(size_t n, size_t size) {
  calls_while_watching += watching;
  return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) {
  calls_while_watching += watching;
  return __libc_realloc(p, n);
}
void free(void *p) { __libc_free(p); }

ZAPH_OP static int first(int x) { return x + 1; }

static void *body(void *arg) {
  watching = 1;
  int r = first((int)(long)arg); /* the thread's first entry */
  watching = 0;
  return (void *)(long)r;
}

int main(void) {
  long sum = 0;
  for (int i = 0; i < 3; i++) {
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, body, (void *)(long)i);
    pthread_join(t, &r);
    sum += (long)r;
  }
  printf("sum %ld, allocations during first entries: %d\n", sum, calls_while_watching);
  return 0;
}
