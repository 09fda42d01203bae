/* ZAPH_PROM_FILE in continuous mode is refused with one error line: the counts are in the
 * mapped profile, which zaph-report --format=openmetrics reads; the profile is written as
 * ever and no textfile appears. */
// zaph-e2e env: ZAPH_CONTINUOUS=1
// zaph-e2e env: ZAPH_PROM_FILE=svc.prom
#include "zaph.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  volatile int sink = 0;
  for (int i = 0; i < 3; i++)
    sink += op(i);
  return 0;
}
