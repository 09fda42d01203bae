/* ZAPH_PROM_FILE with ZAPH_FLUSH_INTERVAL=1: the textfile is rewritten with each flush, whole
 * (renamed into place), and once more at exit with the final counts. */
// zaph-e2e profile: svc.prof
// zaph-e2e env: ZAPH_FLUSH_INTERVAL=1
// zaph-e2e env: ZAPH_PROM_FILE=svc.prom
#include "zaph.h"
#include "service_support.h"

ZAPH_OP static int op(int x) { return x + 1; }

/* Prints the textfile's samples once the service thread has renamed it into place. */
static void wait_and_print_metrics(const char *path) {
  FILE *f = wait_and_open(path);
  if (!f)
    return;
  char line[512];
  while (fgets(line, sizeof line, f))
    if (line[0] != '#')
      printf("seen: %s", line);
  fclose(f);
  fflush(stdout);
}

int main(void) {
  for (int i = 0; i < 4; i++)
    op(i);
  wait_and_print_metrics("svc.prom");
  op(5);
  return 0;
}
