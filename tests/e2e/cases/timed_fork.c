/* Timing across fork(): the child starts with empty histograms as with zero counts, so parent
 * and child each hold only their own samples; an op that calls fork() is timed in the parent,
 * which began it, and leaves no sample in the child, which only ends it. */
#include "zaph.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int sink;

ZAPH_OP static int first(int x) { return x; }
ZAPH_OP_WITH("timed=1") static int timed(int x) { return x + 1; }
ZAPH_OP_WITH("timed=1") static pid_t forking(void) { return fork(); }

int main(void) {
  sink += first(0); /* the thread's first entry: counted on the slow path, never timed */
  for (int i = 0; i < 4; i++)
    sink += timed(i);
  pid_t child = forking();
  if (child == 0) {
    for (int i = 0; i < 2; i++)
      sink += timed(i);
    exit(0);
  }
  waitpid(child, NULL, 0);
  sink += timed(0);
  return 0;
}
