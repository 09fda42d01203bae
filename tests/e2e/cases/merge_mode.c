/* Merge mode: %m in ZAPH_PROFILE_FILE. Eight processes that run at once, and then the parent,
 * all write one path; each adds its counts under a file lock, so the file holds the exact
 * sum: 8 x 1000 + 5 entries, 8 x 100 + 1 requests. Each child also writes midway
 * (zaph_dump), which must not count its first half twice. */
// zaph-e2e profile: merged-%m.prof
// zaph-e2e env: ZAPH_SOURCE=load-test
#include "zaph.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) {
  pid_t children[8];
  for (int c = 0; c < 8; c++) {
    if ((children[c] = fork()) == 0) {
      for (int r = 0; r < 100; r++) {
        zaph_request_begin();
        for (int i = 0; i < 10; i++)
          op(i);
        if (r == 49)
          zaph_dump();
      }
      exit(0);
    }
  }
  for (int c = 0; c < 8; c++)
    waitpid(children[c], NULL, 0);
  zaph_request_begin();
  for (int i = 0; i < 5; i++)
    op(i);
  return 0;
}
