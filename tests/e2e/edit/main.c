/* 2000 requests: each gets a key, one in four also sets one. */
#include "zaph.h"

int kv_get(int key);
void kv_set(int key, int value);

static volatile int sink;

ZAPH_REQUEST static void handle_request(int i) {
  sink += kv_get(i);
  if (i % 4 == 0)
    kv_set(i, i);
}

int main(void) {
  for (int i = 0; i < 2000; i++)
    handle_request(i);
  return 0;
}
