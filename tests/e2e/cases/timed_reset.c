/* Timed entries that never return, and zaph_dump() and zaph_reset() inside a timed op. A
 * thread leaves a timed op by pthread_exit(), another is cancelled in one: each entry begun
 * and unfinished, kept at the thread's end. A dump inside a timed op shows that entry begun and
 * unfinished. A reset inside a timed op starts every histogram over: the entry that reset
 * began before it and returns no duration, also after a later timed entry on its thread. */
#include "profile_lines.h"
#include "zaph.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static volatile int sink;

ZAPH_OP static int first(int x) { return x; }
ZAPH_OP_WITH("timed=1") static int op(int x) { return sink += x; }
ZAPH_OP_WITH("timed=1") static void leave_thread(void) { pthread_exit(NULL); }
ZAPH_OP_WITH("timed=1") static void wait_to_be_cancelled(void) {
  for (;;)
    pause();
}
ZAPH_OP_WITH("timed=1") static int dumps(void) {
  op(1);
  return zaph_dump();
}
ZAPH_OP_WITH("timed=1") static int resets(void) {
  op(1);
  int rc = zaph_reset();
  op(2);
  return rc;
}

static int waiting;

static void *exits(void *arg) {
  first(0);
  op(1);
  leave_thread();
  return arg;
}

static void *cancelled(void *arg) {
  first(0);
  op(1);
  __atomic_store_n(&waiting, 1, __ATOMIC_RELEASE);
  wait_to_be_cancelled();
  return arg;
}

int main(void) {
  first(0);
  pthread_t a, b;
  pthread_create(&a, NULL, exits, NULL);
  pthread_join(a, NULL);
  pthread_create(&b, NULL, cancelled, NULL);
  while (!__atomic_load_n(&waiting, __ATOMIC_ACQUIRE))
    usleep(1000);
  pthread_cancel(b);
  pthread_join(b, NULL);
  printf("zaph_dump: %d\n", dumps());
  show_profile();
  printf("zaph_reset: %d\n", resets());
  op(3);
  return 0;
}
