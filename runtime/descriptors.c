/* The runtime's file descriptors: every one it opens is moved above the standard three and
 * closed on exec, so a program that runs with stdin, stdout or stderr closed never finds the
 * runtime's file behind one of them (its read(0) returning profile bytes, its output written
 * into a profile), and a program it execs inherits none. A leaf: it calls nothing else of the
 * runtime. */
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int zaph_keep_fd(int fd) {
  if (fd < 0 || fd > 2)
    return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  int err = errno;
  close(fd);
  errno = err;
  return moved;
}
