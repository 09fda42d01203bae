/* A program started with stdin and stdout closed (it re-executes itself so), counting in
 * continuous mode, whose file the runtime opens before main: the runtime's descriptors are
 * above 2 and close-on exec, so 0 and 1 stay free for the program, the file it opens next is
 * its 0, and what it writes there goes to its file, not into the profile. */
// zaph-e2e env: ZAPH_CONTINUOUS=1
#include "zaph.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

ZAPH_OP static int work(int x) { return x + 1; }

int main(int argc, char **argv) {
  if (argc < 2) {
    close(0);
    close(1);
    execl("/proc/self/exe", argv[0], "child", (char *)NULL);
    return 1;
  }
  int sum = 0;
  for (int i = 0; i < 100; i++)
    sum += work(i);
  int stdin_free = fcntl(0, F_GETFD) < 0 && errno == EBADF;
  int stdout_free = fcntl(1, F_GETFD) < 0 && errno == EBADF;
  int own = open("own.txt", O_RDWR | O_CREAT | O_TRUNC, 0644); /* the lowest free number */
  int wrote = (int)write(own, "mine\n", 5);
  int profiles = 0;
  for (int fd = 3; fd < 256; fd++) { /* the runtime's: those open on a profile */
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 5 || memcmp(target + n - 5, ".prof", 5) != 0)
      continue;
    profiles++;
    if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
      fprintf(stderr, "descriptor %d is not close-on-exec\n", fd);
  }
  fprintf(stderr, "sum %d, 0 free: %d, 1 free: %d, own file: %d, wrote %d, profiles open: %d\n",
          sum, stdin_free, stdout_free, own, wrote, profiles);
  return 0;
}
