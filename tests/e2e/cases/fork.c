/* After fork() the child starts from zero and writes its own profile, so parent and child sum
 * to the exact totals; a request open at fork() goes on in the parent only. */
#include "zaph.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int sink;

ZAPH_OP static int before(int x) { return x + 1; }
ZAPH_OP static int after(int x) { return x + 2; }

int main(void) {
  for (int i = 0; i < 100; i++)
    sink += before(i);
  zaph_request_begin();
  sink += before(0);
  pid_t child = fork();
  if (child == 0) {
    for (int i = 0; i < 30; i++) /* outside any request in the child */
      sink += after(i);
    for (int i = 0; i < 10; i++) {
      zaph_request_begin();
      sink += after(i);
    }
    exit(0);
  }
  waitpid(child, NULL, 0);
  for (int i = 0; i < 50; i++)
    sink += after(i);
  return 0;
}
