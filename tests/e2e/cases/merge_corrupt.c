/* Merge mode never destroys what it cannot read: a corrupt file at the path is left as it is,
 * and what the process has not merged yet goes beside it, to <path>.<pid>, with one error line.
 * Here the first entry was merged by zaph_dump() before the file was spoiled, so 1 goes beside. */
// zaph-e2e profile: merged-%m.prof
#include "zaph.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  /* Where the runtime will write: the same name with %m expanded, found by a first dump. */
  op(1);
  zaph_dump();
  char name[64] = "";
  FILE *list = popen("ls merged*.prof", "r");
  if (!list || !fgets(name, sizeof name, list))
    return 1;
  pclose(list);
  name[strcspn(name, "\n")] = '\0';
  FILE *f = fopen(name, "w");
  fputs("zaph-profile 1\nprogram\tx\npid\t1\nhost\th\nstart\tgarbage\n", f);
  fclose(f);
  op(2);
  return 0;
}
