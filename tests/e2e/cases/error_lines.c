/* The runtime's error lines are whole and one line each: a value over 1,024 bytes (a profile
 * path of 1,100 letters) keeps the reason that follows it; a newline, a tab or a backslash in
 * a value (ZAPH_PROFILE_FILE, ZAPH_SOURCE) is escaped as in a profile; a path under /proc
 * (memory, continuous and merge mode) names the proc file system, not a missing directory.
 * The program runs itself once per case, each with its own environment. */
#include "run_self.h"
#include "zaph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int work(int x) { return x + 1; }

static void run(const char *profile, const char *source) {
  char profile_var[1300], source_var[64];
  snprintf(profile_var, sizeof profile_var, "ZAPH_PROFILE_FILE=%s", profile);
  snprintf(source_var, sizeof source_var, "ZAPH_SOURCE=%s", source ? source : "");
  const char *env[] = {profile_var, source ? source_var : NULL, NULL};
  int status;
  waitpid(start_self("child", env), &status, 0);
  printf("exit %d\n", WEXITSTATUS(status));
}

int main(int argc, char **argv) {
  (void)argv;
  if (argc > 1)
    return work(1) + 1;
  char long_path[1200] = "missing/";
  memset(long_path + 8, 'a', 1100);
  strcpy(long_path + 1108, ".prof");
  run(long_path, NULL);
  run("missing/two\nlines\\and\ta tab.prof", "load\ntest");
  run("/proc/app.prof", NULL);
  run("/proc/app%c.prof", NULL);
  run("/proc/app-%m.prof", NULL);
  return 0;
}
