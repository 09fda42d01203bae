/* A program that closes every descriptor from 3 to 1023, as daemons do, while the runtime
 * counts in continuous mode, then opens a file of its own, which gets the number the
 * runtime's file had, and loads a library of 1,000 ops, whose records need the continuous file
 * to grow: the runtime sees that the number is no longer on its file (device and inode), opens
 * its file again by its path, and never touches the program's file. The program runs itself
 * with the profile in out/ (the runtime opens it before main) and reads the profile there:
 * every op and every entry is in it. Run again with the profile moved away before the
 * descriptors are closed: one error line, the library's ops are not counted, the program's
 * file is still untouched. */
// zaph-e2e shared: libmany.so closed_descriptors_lib.c
// zaph-e2e link: -ldl -rdynamic
#include "run_self.h"
#include "zaph.h"
#include "zaph_continuous.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int work(int x) { return x + 1; }

/* The descriptor the runtime has on its profile (in out/), or -1. */
static int runtime_descriptor(void) {
  for (int fd = 3; fd < 1024; fd++) {
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    if (strstr(target, "/run/out/"))
      return fd;
  }
  return -1;
}

static int child(const char *how) {
  work(1);
  if (strcmp(how, "moved") == 0)
    rename("out/app.prof", "out/moved.prof");
  int runtimes = runtime_descriptor();
  for (int fd = 3; fd < 1024; fd++)
    close(fd);
  int own = open("own.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (own != runtimes && runtimes >= 0) { /* the lowest free number may be another one */
    dup2(own, runtimes);
    close(own);
    own = runtimes;
  }
  if (write(own, "mine\n", 5) != 5)
    return 1;
  void *lib = dlopen("../lib/libmany.so", RTLD_NOW);
  int (*enter_all)(void) = lib ? (int (*)(void))dlsym(lib, "lib_enter_all") : NULL;
  if (!enter_all)
    return 1;
  enter_all();
  struct stat st;
  fstat(own, &st);
  printf("own file: on the runtime's old descriptor: %d, %lld bytes\n", own == runtimes,
         (long long)st.st_size);
  return 0;
}

/* Counts the records and entries of the continuous profile at path. */
static void read_profile(const char *path) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0)
    return;
  char *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  const struct zaph_continuous_header *h = (const void *)m;
  unsigned records = 0;
  unsigned long long entries = 0;
  for (uint64_t at = 0; at < h->used;) {
    const struct zaph_continuous_record *r = (const void *)(m + h->header_size + at);
    records++;
    entries += r->entries_inside + r->entries_outside;
    at += r->size;
  }
  printf("profile: %u ops, %llu entries\n", records, entries);
}

/* Runs the program as a child that does `how`, then reads its profile at `profile`. */
static void run(const char *how, const char *profile) {
  const char *env[] = {"ZAPH_PROFILE_FILE=out/app.prof", "ZAPH_CONTINUOUS=1", NULL};
  int status;
  waitpid(start_self(how, env), &status, 0);
  if (WIFSIGNALED(status))
    printf("%s: killed by signal %d\n", how, WTERMSIG(status));
  else
    printf("%s: exit %d\n", how, WEXITSTATUS(status));
  read_profile(profile);
  int own = open("own.txt", O_RDONLY);
  char text[16] = "";
  ssize_t n = read(own, text, sizeof text - 1);
  printf("own file holds %zd bytes: %s", n, text);
  close(own);
}

int main(int argc, char **argv) {
  if (argc > 1)
    return child(argv[1]);
  mkdir("out", 0755);
  run("kept", "out/app.prof");
  run("moved", "out/moved.prof"); /* the path names no file when the runtime reopens */
  return 0;
}
