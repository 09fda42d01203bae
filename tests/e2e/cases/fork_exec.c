/* fork() then exec of an instrumented program (this one, in its second role): the new image
 * starts from zero and writes its own profile under its own pid. */
// zaph-e2e args: first
#include "zaph.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int first_role(int x) { return x + 1; }
ZAPH_OP static int second_role(int x) { return x + 2; }

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "second") == 0) {
    for (int i = 0; i < 4; i++)
      second_role(i);
    return 0;
  }
  for (int i = 0; i < 6; i++)
    first_role(i);
  pid_t child = fork();
  if (child == 0) {
    execl("/proc/self/exe", argv[0], "second", (char *)NULL);
    perror("execl");
    _exit(1);
  }
  waitpid(child, NULL, 0);
  return 0;
}
