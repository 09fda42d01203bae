/* ZAPH_FLUSH_INTERVAL=1: the profile is rewritten every second, whole each time. */
// zaph-e2e profile: svc.prof
// zaph-e2e env: ZAPH_FLUSH_INTERVAL=1
#include "zaph.h"
#include "service_support.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  for (int i = 0; i < 4; i++)
    op(i);
  wait_and_print("svc.prof");
  op(5);
  return 0;
}
