/* The runtime's files and descriptors: every descriptor it opens is moved above the standard
 * three and closed on exec, so a program that runs with stdin, stdout or stderr closed never
 * finds the runtime's file behind one of them (its read(0) returning profile bytes, its output
 * written into a profile), and a program it execs inherits none. Also the file handling that
 * writing a profile and continuous mode share: a temporary file renamed into place, the
 * "<path>.<pid>" name beside a path that cannot be used, fcntl locks. A leaf: it calls nothing
 * else of the runtime. */
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
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

/* The reason a file could not be created at path, for an error line: strerror(err), but on a
 * kernel file system (proc, sysfs) the name of the place, where the kernel's ENOENT would read
 * as a missing directory. */
const char *zaph_create_problem(const char *path, int err) {
  int saved = errno;
  const char *problem = strerror(err);
  char dir[4096];
  const char *slash = strrchr(path, '/');
  size_t len = slash ? (size_t)(slash - path) + 1 : 0;
  struct statfs fs;
  if (len < sizeof dir) {
    memcpy(dir, slash ? path : ".", slash ? len : 2);
    dir[slash ? len : 1] = '\0';
    long type = statfs(dir, &fs) == 0 ? (long)fs.f_type : 0;
    if (type == PROC_SUPER_MAGIC)
      problem = "no file can be created on the proc file system";
    else if (type == SYSFS_MAGIC)
      problem = "no file can be created on the sysfs file system";
  }
  errno = saved;
  return problem;
}

/* Opens a file the runtime shares with other processes of its user and reads or adds to
 * without replacing it (a profile to merge, a continuous profile to join, a merge lock). Such
 * files sit at predictable names, often in a directory others may write to (/tmp): one that
 * another user planted could forge counts, truncate the file under the program or, as a
 * symbolic link, make the runtime create a file anywhere. So: no following a link where the
 * runtime creates the file, O_NONBLOCK so a FIFO never holds the program, and only a regular
 * file that the effective user owns and nobody else may write to. */
int zaph_open_regular(const char *path, int flags, const char **problem) {
  int nofollow = flags & O_CREAT ? O_NOFOLLOW : 0;
  int fd = zaph_keep_fd(open(path, flags | nofollow | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644));
  if (fd < 0) {
    *problem = nofollow && errno == ELOOP ? "a symbolic link"
               : nofollow                   ? zaph_create_problem(path, errno)
                                            : strerror(errno);
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    *problem = strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    *problem = S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file";
  } else if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
    errno = EPERM;
    *problem = "another user owns it or may write to it";
  } else {
    return fd;
  }
  int err = errno;
  close(fd);
  errno = err;
  return -1;
}

int zaph_file_id_of(int fd, struct zaph_file_id *id) {
  struct stat st;
  if (fstat(fd, &st) != 0)
    return -1;
  id->dev = st.st_dev;
  id->ino = st.st_ino;
  return 0;
}

/* A program may close the runtime's descriptor (closing 3..1023 before it opens its own files)
 * and get the same number for a file of its own: only the device and inode tell them apart. */
int zaph_fd_is(int fd, const struct zaph_file_id *id) {
  struct zaph_file_id now;
  int saved = errno;
  int same = fd >= 0 && zaph_file_id_of(fd, &now) == 0 && now.dev == id->dev &&
             now.ino == id->ino;
  errno = saved;
  return same;
}

const char *zaph_not_regular(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
    return NULL;
  return S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file";
}

int zaph_temp_create(struct zaph_temp_file *t, const char *path) {
  size_t len = strlen(path);
  t->fd = -1;
  if (!(t->name = malloc(len + sizeof ".XXXXXX")))
    return errno = ENOMEM, -1;
  memcpy(t->name, path, len);
  memcpy(t->name + len, ".XXXXXX", sizeof ".XXXXXX");
  t->fd = zaph_keep_fd(mkostemp(t->name, O_CLOEXEC));
  if (t->fd >= 0 && fchmod(t->fd, 0644) == 0)
    return 0;
  if (t->fd < 0) { /* nothing was created */
    free(t->name);
    t->name = NULL;
  }
  zaph_temp_discard(t);
  return -1;
}

int zaph_temp_close(struct zaph_temp_file *t) {
  int rc = close(t->fd);
  t->fd = -1;
  return rc;
}

int zaph_temp_commit(struct zaph_temp_file *t, const char *path) {
  if (rename(t->name, path) != 0)
    return -1;
  free(t->name);
  t->name = NULL;
  return 0;
}

void zaph_temp_discard(struct zaph_temp_file *t) {
  int saved = errno;
  if (t->fd >= 0)
    close(t->fd);
  if (t->name)
    unlink(t->name);
  free(t->name);
  t->fd = -1;
  t->name = NULL;
  errno = saved;
}

char *zaph_beside_path(const char *path) {
  size_t len = strlen(path) + 24;
  char *beside = malloc(len);
  if (beside)
    snprintf(beside, len, "%s.%ld", path, (long)getpid());
  return beside;
}

int zaph_lock_fd(int fd, int type, off_t len) {
  struct flock lock = {.l_type = (short)type, .l_whence = SEEK_SET, .l_len = len};
  while (fcntl(fd, F_SETLKW, &lock) != 0)
    if (errno != EINTR)
      return -1;
  return 0;
}
