/* The exec family. An exec replaces the image without running its exit hook, so the runtime
 * writes the image's counts first, and names the file in the new image's environment
 * (ZAPH_EXEC_PROFILE=<pid>:<path>): an instrumented image of the same process (same pid)
 * whose profile path is the same then adds to that file instead of replacing it. A vfork() or
 * raw clone child, whose memory is not its own, hands nothing on. Every function here ends in
 * the C library's own. */
#include "runtime.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXEC_VARIABLE "ZAPH_EXEC_PROFILE"

extern char **environ;

enum exec_kind { EXEC_PATH, EXEC_SEARCH, EXEC_FD, EXEC_AT };

static const char *const real_names[] = {"execve", "execvpe", "fexecve", "execveat"};
static void *real[4];

/* The C library's functions, found at start-up so that an exec in a vfork() child need not
 * look them up; found then if the runtime has not started. */
void zaph_exec_init(void) {
  for (int k = 0; k < 4; k++)
    real[k] = dlsym(RTLD_NEXT, real_names[k]);
}

int zaph_exec_predecessor(const char *path) {
  const char *v = getenv(EXEC_VARIABLE);
  if (!v)
    return 0;
  char *end;
  long pid = strtol(v, &end, 10);
  return *end == ':' && pid == (long)getpid() && strcmp(end + 1, path) == 0;
}

/* Fills env with envp, without an earlier image's variable, and this image's if it wrote its
 * counts (into variable). */
static void prepare_environment(char *const envp[], char **env, char *variable, size_t size) {
  size_t n = 0, len = strlen(EXEC_VARIABLE "=");
  for (size_t i = 0; envp && envp[i]; i++)
    if (strncmp(envp[i], EXEC_VARIABLE "=", len) != 0)
      env[n++] = envp[i];
  size_t prefix = (size_t)snprintf(variable, size, "%s=%ld:", EXEC_VARIABLE, (long)getpid());
  if (prefix < size && zaph_write_before_exec(variable + prefix, size - prefix))
    env[n++] = variable;
  env[n] = NULL;
}

static int run_exec(enum exec_kind kind, int dirfd, const char *path, char *const argv[],
                    char *const envp[], int flags) {
  if (!real[kind])
    real[kind] = dlsym(RTLD_NEXT, real_names[kind]);
  if (!real[kind]) {
    errno = ENOSYS;
    return -1;
  }
  size_t count = 0;
  while (envp && envp[count])
    count++;
  int own = zaph_process_owns_counts();
  char *env_room[own ? count + 2 : 1];
  char variable[PATH_MAX + 64];
  char *const *env = envp;
  if (own) {
    int saved = errno, running = zaph_runtime_enter();
    prepare_environment(envp, env_room, variable, sizeof variable);
    zaph_runtime_leave(running);
    env = env_room;
    errno = saved;
  }
  switch (kind) {
  case EXEC_PATH:
  case EXEC_SEARCH:
    return ((int (*)(const char *, char *const[], char *const[]))real[kind])(path, argv, env);
  case EXEC_FD:
    return ((int (*)(int, char *const[], char *const[]))real[kind])(dirfd, argv, env);
  case EXEC_AT:
    return ((int (*)(int, const char *, char *const[], char *const[], int))real[kind])(
        dirfd, path, argv, env, flags);
  }
  return -1;
}

ZAPH_API int execve(const char *path, char *const argv[], char *const envp[]) {
  return run_exec(EXEC_PATH, -1, path, argv, envp, 0);
}

ZAPH_API int execv(const char *path, char *const argv[]) {
  return run_exec(EXEC_PATH, -1, path, argv, environ, 0);
}

ZAPH_API int execvpe(const char *file, char *const argv[], char *const envp[]) {
  return run_exec(EXEC_SEARCH, -1, file, argv, envp, 0);
}

ZAPH_API int execvp(const char *file, char *const argv[]) {
  return run_exec(EXEC_SEARCH, -1, file, argv, environ, 0);
}

ZAPH_API int fexecve(int fd, char *const argv[], char *const envp[]) {
  return run_exec(EXEC_FD, fd, NULL, argv, envp, 0);
}

ZAPH_API int execveat(int dirfd, const char *path, char *const argv[], char *const envp[],
                      int flags) {
  return run_exec(EXEC_AT, dirfd, path, argv, envp, flags);
}

/* The arguments of execl(), execlp() and execle(), from `first` to the terminating NULL, as an
 * argv array named `argv` on the caller's stack; `ap` is left after the NULL. */
#define COLLECT_ARGUMENTS(first, ap, argv)                                                    \
  size_t argc_ = 1;                                                                          \
  va_start(ap, first);                                                                       \
  while (va_arg(ap, char *))                                                                 \
    argc_++;                                                                                 \
  va_end(ap);                                                                                \
  char *argv[argc_ + 1];                                                                     \
  argv[0] = (char *)(first);                                                                 \
  va_start(ap, first);                                                                       \
  for (size_t i_ = 1; i_ <= argc_; i_++)                                                     \
    argv[i_] = va_arg(ap, char *)

ZAPH_API int execl(const char *path, const char *arg, ...) {
  va_list ap;
  COLLECT_ARGUMENTS(arg, ap, argv);
  va_end(ap);
  return run_exec(EXEC_PATH, -1, path, argv, environ, 0);
}

ZAPH_API int execlp(const char *file, const char *arg, ...) {
  va_list ap;
  COLLECT_ARGUMENTS(arg, ap, argv);
  va_end(ap);
  return run_exec(EXEC_SEARCH, -1, file, argv, environ, 0);
}

ZAPH_API int execle(const char *path, const char *arg, ...) {
  va_list ap;
  COLLECT_ARGUMENTS(arg, ap, argv);
  char *const *envp = va_arg(ap, char *const *);
  va_end(ap);
  return run_exec(EXEC_PATH, -1, path, argv, envp, 0);
}
