// ZAPH_TIMED=N in the compiler's environment times every op at one in N, but those whose
// annotation says otherwise; ZAPH_TIMING=0 at run time counts them without timing (its run
// is the second: the profile named b.prof).
// zaph-e2e timed-env: 4
// zaph-e2e profile: a.prof
#include "zaph.h"

#include <stdlib.h>
#include <unistd.h>

ZAPH_OP int every4(int x) { return x + 1; }
ZAPH_OP_WITH("timed=2") int every2(int x) { return x * 2; }
ZAPH_OP int first(int x) { return x; }

int main(int argc, char **argv) {
  first(0); // the thread's first entry: the slow path, counted, never timed
  for (int i = 0; i < 16; i++)
    every4(every2(i));
  if (argc == 1) {
    setenv("ZAPH_TIMING", "0", 1);
    setenv("ZAPH_PROFILE_FILE", "b.prof", 1);
    execv(argv[0], (char *[]){argv[0], "again", NULL});
  }
  return 0;
}
