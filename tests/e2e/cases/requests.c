/* Request semantics (docs/requests.md): a request begins at the entry of a zaph_request
 * function or zaph_request_begin() and lasts until the next begin on the same thread,
 * zaph_request_end(), or the thread's end; entries outside any request are counted apart. */
#include "zaph.h"

#include <pthread.h>

static volatile int sink;

ZAPH_OP static int op_a(int x) { return x + 1; }
ZAPH_OP static int op_b(int x) { return x + 2; }

ZAPH_REQUEST static void serve(int i) { sink += op_a(i) + op_a(i + 1); }

static void *worker(void *arg) {
  (void)arg;
  op_b(0);            /* outside: 1 */
  zaph_request_begin(); /* request 4 */
  op_b(1);
  op_b(2);
  return NULL;        /* the thread's end ends request 4 */
}

int main(void) {
  op_a(0);            /* outside any request */
  serve(1);           /* request 1: op_a twice */
  op_b(1);            /* still request 1: it lasts past serve()'s return */
  serve(2);           /* request 2 */
  zaph_request_end();
  op_b(2);            /* outside */
  zaph_request_begin(); /* request 3, explicit */
  op_b(3);
  zaph_request_begin(); /* request 4 ends 3 (5 in total with the worker's) */
  op_a(3);
  zaph_request_end();
  zaph_request_end(); /* ending twice is harmless */
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, NULL);
  return 0;
}
