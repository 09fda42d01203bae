/* 64 threads created and joined in 4 waves of 16, each serving 100 requests of 10 entries:
 * every exited thread's counts are kept, exactly. */
#include "zaph.h"

#include <pthread.h>

ZAPH_OP static int op(int x) { return x + 1; }

static void *worker(void *arg) {
  (void)arg;
  for (int r = 0; r < 100; r++) {
    zaph_request_begin();
    for (int i = 0; i < 10; i++)
      op(i);
  }
  return NULL;
}

int main(void) {
  for (int wave = 0; wave < 4; wave++) {
    pthread_t t[16];
    for (int i = 0; i < 16; i++)
      pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 16; i++)
      pthread_join(t[i], NULL);
  }
  return 0;
}
