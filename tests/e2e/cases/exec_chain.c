/* exec without fork: every image of the process has its pid, and so its %p path. Each image
 * writes its counts before its exec and the next adds to them, so the one file holds every
 * image's: first 7 (6, an exec that fails, 1 more) in one request, second 4, third 2. Through
 * execvp (failing), execv and execle. */
// zaph-e2e args: first
#include "zaph.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

ZAPH_OP static int first_role(int x) { return x + 1; }
ZAPH_OP static int second_role(int x) { return x + 2; }
ZAPH_OP static int third_role(int x) { return x + 3; }

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "third") == 0) {
    for (int i = 0; i < 2; i++)
      third_role(i);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "second") == 0) {
    for (int i = 0; i < 4; i++)
      second_role(i);
    execle(argv[0], argv[0], "third", (char *)NULL, environ);
    perror("execle");
    return 1;
  }
  zaph_request_begin();
  for (int i = 0; i < 6; i++)
    first_role(i);
  char *missing[] = {"zaph-no-such-program", NULL};
  printf("failed exec: %d\n", execvp(missing[0], missing));
  fflush(stdout);
  first_role(6);
  zaph_request_end();
  char *second[] = {argv[0], "second", NULL};
  execv(argv[0], second);
  perror("execv");
  return 1;
}
