/* Merge mode without /proc (a chroot, some containers): %m still tells programs apart, by the
 * name each was executed by, made absolute, and each profile names its program. This program
 * stands in for a system without /proc by failing every readlink() of a path under /proc, the
 * runtime's own included. It runs itself (3 entries) and a copy of itself, ./other (5
 * entries), as two programs: two files, each with its own program's counts and name. The copy
 * is removed at the end. */
// zaph-e2e profile: merged-%m.prof
// zaph-e2e args: start
#include "zaph.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int op(int x) { return x + 1; }

ssize_t readlink(const char *restrict path, char *restrict buf, size_t size) {
  if (strncmp(path, "/proc/", 6) == 0) {
    errno = ENOENT;
    return -1;
  }
  return syscall(SYS_readlink, path, buf, size);
}

static void copy_file(const char *from, const char *to) {
  char buf[65536];
  int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)n) != n)
      break;
  close(in);
  close(out);
}

static void run(const char *program, const char *entries) {
  pid_t child = fork();
  if (child == 0) {
    execl(program, program, entries, (char *)NULL);
    perror("execl");
    _exit(1);
  }
  waitpid(child, NULL, 0);
}

static int compare_lines(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the program line of every profile, in order. */
static void print_programs(void) {
  char *lines[8];
  int n = 0;
  DIR *dir = opendir(".");
  for (struct dirent *e; n < 8 && (e = readdir(dir));) {
    size_t len = strlen(e->d_name);
    if (len < 5 || strcmp(e->d_name + len - 5, ".prof") != 0)
      continue;
    char line[4096];
    FILE *f = fopen(e->d_name, "r");
    while (f && fgets(line, sizeof line, f))
      if (strncmp(line, "program\t", 8) == 0)
        lines[n++] = strdup(line);
    if (f)
      fclose(f);
  }
  closedir(dir);
  qsort(lines, (size_t)n, sizeof *lines, compare_lines);
  for (int i = 0; i < n; i++) {
    fputs(lines[i], stdout);
    free(lines[i]);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "start") != 0) {
    for (int i = 0; i < atoi(argv[1]); i++)
      op(i);
    return 0;
  }
  copy_file(argv[0], "other");
  run(argv[0], "3");
  run("./other", "5");
  print_programs();
  unlink("other");
  return 0;
}
