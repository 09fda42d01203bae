// zaph-e2e profile: api.prof
/* The runtime API: zaph_dump() writes the profile while counting goes on (the exit write
 * replaces it), zaph_reset() zeroes everything, and the calls work before any op ran. */
#include "zaph.h"

#include <stdio.h>
#include <string.h>

ZAPH_OP static int op(int x) { return x + 1; }

static void print_ops(const char *path) {
  char line[512];
  FILE *f = fopen(path, "r");
  if (!f) {
    printf("cannot open %s\n", path);
    return;
  }
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "op\t", 3) == 0 || strncmp(line, "requests\t", 9) == 0)
      fputs(line, stdout);
  fclose(f);
}

int main(void) {
  printf("end before any request: %d\n", zaph_request_end());
  for (int i = 0; i < 5; i++) {
    zaph_request_begin();
    op(i);
  }
  printf("dump: %d\n", zaph_dump());
  print_ops("api.prof");
  printf("reset: %d\n", zaph_reset());
  zaph_request_begin();
  op(1);
  op(2);
  return 0;
}
