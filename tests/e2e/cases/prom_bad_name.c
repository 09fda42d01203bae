/* Bad ZAPH_PROM_FILE values, each given to a fresh run of this program: one error line each,
 * no textfile, and the program goes on (each run prints its line, and the profiles are
 * written). */
#include "zaph.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int op(int x) { return x + 1; }

int main(int argc, char **argv) {
  if (argc > 1) {
    op(1);
    printf("ran with ZAPH_PROM_FILE=%s\n", getenv("ZAPH_PROM_FILE"));
    return 0;
  }
  static const char *const values[] = {"", "svc.txt", "svc.prom.tmp", ".prom", "dir/.prom",
                                       "svc-%h.prom", "svc%", "svc"};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
      setenv("ZAPH_PROM_FILE", values[i], 1);
      char name[16];
      snprintf(name, sizeof name, "run%zu.prof", i);
      setenv("ZAPH_PROFILE_FILE", name, 1);
      execl("/proc/self/exe", argv[0], "child", (char *)NULL);
      _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
  }
  return 0;
}
