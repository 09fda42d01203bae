/* ZAPH_PROM_FILE=NAME.prom: at exit the runtime writes, beside the profile, the three counters
 * in the text format node_exporter's textfile collector reads, with the same counts, the data
 * source and the process label NAME; a file name holding a quote and a backslash is escaped in
 * its label. */
// zaph-e2e env: ZAPH_PROM_FILE=svc.prom
// zaph-e2e env: ZAPH_SOURCE=production
// zaph-e2e report: --format=openmetrics
#include "zaph.h"

ZAPH_OP static int lookup(int x) { return x + 1; }
ZAPH_OP static int store(int x) { return x * 2; }

#line 100 "odd \"dir\"\\prom_file.c"
ZAPH_OP static int rare(int x) { return x - 1; }

ZAPH_REQUEST static int serve(int i) {
  int r = lookup(i) + lookup(i + 1);
  if (i % 4 == 0)
    r += store(i);
  if (i == 7)
    r += rare(i);
  return r;
}

int main(void) {
  volatile int sink = 0;
  for (int i = 0; i < 12; i++)
    sink += serve(i);
  zaph_request_end();
  sink += lookup(0); /* outside any request */
  return 0;
}
