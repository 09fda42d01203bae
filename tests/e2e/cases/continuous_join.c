/* Continuous mode with merge (%m%c): separately started processes join one file. The parent
 * creates it; four children exec()ed at once join it and append their own records under the
 * file lock; the reader sums records of one op: 4 x 100 + 5 requests. Then two runs with bad
 * input: a text file where a continuous profile should be joined (counted beside it instead),
 * and ZAPH_CONTINUOUS=2 (an error; the profile is written at exit as usual). */
// zaph-e2e profile: joined-%m%c.prof
// zaph-e2e env: ZAPH_SOURCE=load-test
#include "zaph.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int op(int x) { return x + 1; }

static pid_t start(const char *profile, const char *continuous) {
  pid_t pid = fork();
  if (pid == 0) {
    if (profile)
      setenv("ZAPH_PROFILE_FILE", profile, 1);
    if (continuous)
      setenv("ZAPH_CONTINUOUS", continuous, 1);
    execl("/proc/self/exe", "prog", "child", (char *)NULL);
    _exit(127);
  }
  return pid;
}

static int finish(pid_t pid) {
  int status;
  waitpid(pid, &status, 0);
  return WEXITSTATUS(status);
}

/* The %m signature: FNV-1a of the executable's path, as the runtime computes it. */
static void signature(char out[17]) {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe);
  uint64_t h = 0xcbf29ce484222325ull;
  for (ssize_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)exe[i]) * 0x100000001b3ull;
  snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) {
    for (int r = 0; r < 100; r++) {
      zaph_request_begin();
      for (int i = 0; i < 10; i++)
        op(i);
    }
    return 0;
  }
  pid_t children[4];
  for (int c = 0; c < 4; c++)
    children[c] = start(NULL, NULL);
  int failed = 0;
  for (int c = 0; c < 4; c++)
    failed |= finish(children[c]);
  printf("joined: %s\n", failed ? "a child failed" : "4 children");
  for (int r = 0; r < 5; r++) {
    zaph_request_begin();
    op(r);
  }
  char sig[17], bad[64];
  signature(sig);
  snprintf(bad, sizeof bad, "bad-%s.prof", sig);
  FILE *f = fopen(bad, "w");
  fputs("not a profile\n", f);
  fclose(f);
  printf("bad file: exit %d\n", finish(start("bad-%m%c.prof", NULL)));
  printf("ZAPH_CONTINUOUS=2: exit %d\n", finish(start("plain.prof", "2")));
  return 0;
}
