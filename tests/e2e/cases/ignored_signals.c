/* Signals the program ignores, and signals that cannot be caught. The program re-executes
 * itself with SIGINT ignored, as nohup or a background job would start it: the runtime leaves
 * SIGINT ignored (one line says so), so the program survives the SIGINT it sends itself and
 * the exec'ed child still ignores it; SIGKILL and SIGSTOP cannot be caught (one line each). */
// zaph-e2e env: ZAPH_DUMP_ON_SIGNALS=INT,9
// zaph-e2e env: ZAPH_DUMP_SIGNAL=19
#include "zaph.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

ZAPH_OP static int work(int x) { return x + 1; }

int main(int argc, char **argv) {
  if (argc < 2) {
    signal(SIGINT, SIG_IGN);
    execl("/proc/self/exe", argv[0], "child", (char *)NULL);
    return 1;
  }
  work(1);
  raise(SIGINT);
  struct sigaction now;
  sigaction(SIGINT, NULL, &now);
  printf("survived SIGINT; still ignored: %d\n", now.sa_handler == SIG_IGN);
  return 0;
}
