/* For cases that run their own program again, once per situation: starts it with one argument
 * and the given variables (NAME=VALUE, a NULL-terminated list) set, stdout and stderr flushed
 * first so the transcript keeps its order; returns the child's pid. */
#ifndef ZAPH_E2E_RUN_SELF_H
#define ZAPH_E2E_RUN_SELF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pid_t start_self(const char *arg, const char *const *env) {
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    for (; env && *env; env++)
      putenv((char *)*env);
    execl("/proc/self/exe", arg, arg, (char *)NULL);
    _exit(127);
  }
  return pid;
}

#endif
