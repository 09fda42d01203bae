/* A fatal signal (ZAPH_DUMP_ON_SIGNALS=TERM) that arrives on a thread while that thread is in
 * a write: a zaph_dump(), then the exit-time write, each in merge mode and held up on the
 * merge lock, which this program takes first. The signal comes while the child waits for the
 * lock; the lock is let go 300 ms later. The write goes on and is the final dump, and the
 * child dies of SIGTERM at once after it: both children's counts (5 + 7) are in the profile,
 * no temporary file is left, and neither child takes anything near the 10 s bound. */
#include "merge_name.h"
#include "run_self.h"
#include "zaph.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

ZAPH_OP static int work(int x) { return x + 1; }

static int child(const char *how) {
  if (strcmp(how, "probe") == 0)
    return 0;
  int n = strcmp(how, "dump") == 0 ? 5 : 7;
  for (int i = 0; i < n; i++)
    work(i);
  if (strcmp(how, "dump") == 0)
    zaph_dump();
  return 0; /* "exit": the exit-time write */
}

/* Whether pid waits for a POSIX lock (a "->" line of /proc/locks). */
static int waits_for_lock(pid_t pid) {
  FILE *locks = fopen("/proc/locks", "r");
  char line[256], needle[32];
  snprintf(needle, sizeof needle, " %ld ", (long)pid);
  int waiting = 0;
  while (locks && fgets(line, sizeof line, locks))
    waiting |= strstr(line, "->") && strstr(line, needle);
  if (locks)
    fclose(locks);
  return waiting;
}

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void run(const char *how, const char *lock_path) {
  int lock = open(lock_path, O_RDWR);
  struct flock whole = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
  fcntl(lock, F_SETLKW, &whole);
  const char *env[] = {"ZAPH_PROFILE_FILE=app-%m.prof", "ZAPH_DUMP_ON_SIGNALS=TERM", NULL};
  pid_t pid = start_self(how, env);
  struct timespec tick = {0, 1000000};
  while (!waits_for_lock(pid))
    nanosleep(&tick, NULL);
  double start = seconds();
  kill(pid, SIGTERM);
  struct timespec hold = {0, 300000000};
  nanosleep(&hold, NULL);
  close(lock); /* lets the lock go */
  int status;
  waitpid(pid, &status, 0);
  double took = seconds() - start;
  printf("%s: killed by signal %d; within 3 s of it: %d\n", how,
         WIFSIGNALED(status) ? WTERMSIG(status) : 0, took < 3);
}

int main(int argc, char **argv) {
  if (argc > 1)
    return child(argv[1]);
  struct merge_names app = merge_name("app-", "0");
  unlink(app.profile);
  run("dump", app.lock);
  run("exit", app.lock);
  return 0;
}
