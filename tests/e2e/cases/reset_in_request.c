/* zaph_reset() inside an open request: the request counts as one after the reset, and it
 * touches each op it enters after the reset once, also an op it entered before; an op it
 * entered only before is not touched (it has no entry since). The same for a request another
 * thread has open across the reset. Counts before the reset are gone. */
#include "zaph.h"

#include <pthread.h>
#include <stdio.h>

ZAPH_OP static int before_and_after(int x) { return x + 1; }
ZAPH_OP static int before_only(int x) { return x + 2; }
ZAPH_OP static int after_only(int x) { return x + 3; }

static pthread_barrier_t barrier;

static void *other_thread(void *arg) {
  (void)arg;
  zaph_request_begin();
  before_and_after(1);
  before_only(1);
  pthread_barrier_wait(&barrier); /* main resets */
  pthread_barrier_wait(&barrier);
  before_and_after(2);
  after_only(2);
  zaph_request_end();
  return NULL;
}

int main(void) {
  for (int r = 0; r < 10; r++) {
    zaph_request_begin();
    before_and_after(r);
    before_only(r);
    after_only(r);
  }
  pthread_t t;
  pthread_barrier_init(&barrier, NULL, 2);
  pthread_create(&t, NULL, other_thread, NULL);
  zaph_request_begin();
  before_and_after(0);
  before_only(0);
  pthread_barrier_wait(&barrier);
  printf("reset: %d\n", zaph_reset());
  pthread_barrier_wait(&barrier);
  before_and_after(3);
  before_and_after(4);
  after_only(3);
  pthread_join(t, NULL);
  zaph_request_end();
  before_and_after(5); /* outside requests */
  return 0;
}
