/* The runtime's own writes never signal or block the program. The program runs itself once
 * per case, as `(ulimit -f 0; ./app) | cat` and the like would: a file size limit of 0 (the
 * profile's write fails with EFBIG, in memory and in continuous mode, and the program's
 * buffered output still reaches the pipe), stderr a pipe without a reader (the error line
 * raises no SIGPIPE), a profile path that is a pipe without a reader (/dev/stdout) or a FIFO
 * (refused, as everything but a regular file, with one line), and a FIFO at a merge-mode path
 * (never opened to be read: the counts go beside it). Each child's exit status is its own; a
 * child still running after 5 s is killed and reported. */
#include "merge_name.h"
#include "zaph.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

ZAPH_OP static int work(int x) { return x + 1; }

/* Exits with 3; prints to stdout unless that is a pipe without a reader. */
static int child(const char *name) {
  if (strcmp(name, "probe") == 0)
    return 0;
  if (strcmp(name, "stdout_pipe") != 0)
    printf("%s: buffered output\n", name);
  return work(2);
}

/* Runs this program as `name`, its profile at `profile`; the child's stdout is a pipe read
 * here, and its stderr too, unless stderr_no_reader makes it a pipe nobody reads. */
static void run(const char *name, const char *profile, int continuous, int no_file_size,
                int stdout_no_reader, int stderr_no_reader) {
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0)
    return;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    if (stdout_no_reader && pipe(out) == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
    }
    setenv("ZAPH_PROFILE_FILE", profile, 1);
    setenv("ZAPH_CONTINUOUS", continuous ? "1" : "0", 1);
    if (no_file_size) {
      struct rlimit none = {0, RLIM_INFINITY};
      setrlimit(RLIMIT_FSIZE, &none);
      /* ThreadSanitizer's start-up writes a file in TMPDIR, which the limit would stop with
       * SIGXFSZ before the program runs; without a usable TMPDIR it writes none. */
      setenv("TMPDIR", "missing", 1);
    }
    execl("/proc/self/exe", "write_signals", name, (char *)NULL);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  if (stderr_no_reader)
    close(err[0]);
  int status = 0, waited = 0;
  struct timespec tick = {0, 10000000};
  for (int i = 0; i < 500 && !(waited = waitpid(pid, &status, WNOHANG)); i++)
    nanosleep(&tick, NULL);
  if (!waited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  char text[256], errors[1024];
  ssize_t n = read(out[0], text, sizeof text - 1);
  text[n > 0 ? n : 0] = '\0';
  close(out[0]);
  n = stderr_no_reader ? 0 : read(err[0], errors, sizeof errors - 1);
  errors[n > 0 ? n : 0] = '\0';
  if (!stderr_no_reader)
    close(err[0]);
  if (!waited)
    printf("%s: still running after 5 s, killed\n", name);
  else if (WIFSIGNALED(status))
    printf("%s: killed by signal %d\n", name, WTERMSIG(status));
  else
    printf("%s: exit %d\n", name, WEXITSTATUS(status));
  printf("%s: its stdout: %s", name, *text ? text : "(nothing)\n");
  printf("%s: its stderr:%s%s", name, *errors ? "\n" : " ", *errors ? errors : "(nothing)\n");
}

int main(int argc, char **argv) {
  if (argc > 1)
    return child(argv[1]);
  struct merge_names fifo = merge_name("fifo-", "0");
  unlink(fifo.profile);
  unlink(fifo.lock);
  mkfifo("fifo.prof", 0644);
  mkfifo(fifo.profile, 0644);
  run("file_size", "file_size.prof", 0, 1, 0, 0);
  run("file_size_continuous", "file_size_continuous.prof", 1, 1, 0, 0);
  run("stderr_pipe", "missing/stderr_pipe.prof", 0, 0, 0, 1);
  run("stdout_pipe", "/dev/stdout", 0, 0, 1, 0);
  run("fifo", "fifo.prof", 0, 0, 0, 0);
  run("fifo_continuous", "fifo.prof", 1, 0, 0, 0);
  run("fifo_merge", "fifo-%m.prof", 0, 0, 0, 0);
  return 0;
}
