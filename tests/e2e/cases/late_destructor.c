/* An op entered in a pthread key destructor that runs after the runtime's own (keys are
 * destroyed in the order they were made, and the runtime makes its key first): the thread
 * starts over and exits again, and every entry counts once, 1,000 before and 1 after. */
// zaph-e2e link: -lpthread
#include "zaph.h"

#include <pthread.h>
#include <stdio.h>

static pthread_key_t late_key;

ZAPH_OP static int work(int x) { return x + 1; }

static void late_destructor(void *value) { work((int)(long)value); }

static void *body(void *arg) {
  (void)arg;
  int sum = 0;
  for (int i = 0; i < 1000; i++)
    sum += work(i);
  pthread_setspecific(late_key, (void *)1L);
  return (void *)(long)sum;
}

int main(void) {
  work(0); /* the runtime makes its key here, before the program's */
  pthread_key_create(&late_key, late_destructor);
  pthread_t t;
  void *sum;
  pthread_create(&t, NULL, body, NULL);
  pthread_join(t, &sum);
  printf("sum: %ld\n", (long)sum);
  return 0;
}
