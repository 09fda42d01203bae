/* vfork() then exec, and posix_spawn(): each child is a new run of the program, with its own
 * file, and the parent's file holds only the parent's counts: parent 6, each child 3. The
 * vfork() child runs in its parent's memory until its exec, which hands none of it on. */
// zaph-e2e args: parent
#include "zaph.h"

#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

ZAPH_OP static int in_parent(int x) { return x + 1; }
ZAPH_OP static int in_child(int x) { return x + 2; }

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) {
    for (int i = 0; i < 3; i++)
      in_child(i);
    return 0;
  }
  for (int i = 0; i < 6; i++)
    in_parent(i);
  char *args[] = {argv[0], "child", NULL};
  pid_t child = vfork();
  if (child == 0) {
    execv(argv[0], args);
    _exit(1);
  }
  waitpid(child, NULL, 0);
  posix_spawn(&child, argv[0], NULL, NULL, args, environ);
  waitpid(child, NULL, 0);
  return 0;
}
