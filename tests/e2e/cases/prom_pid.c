/* ZAPH_PROM_FILE=svc-%p.prom: each process writes its own textfile, named and labelled by its
 * pid: a forked child at its exit, the parent on zaph_dump() and again at exit. */
// zaph-e2e env: ZAPH_PROM_FILE=svc-%p.prom
#include "zaph.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

ZAPH_OP static int op(int x) { return x + 1; }

/* Whether svc-<pid>.prom exists and its samples carry process="svc-<pid>". */
static const char *labelled(pid_t pid) {
  char path[64], label[64], line[512];
  snprintf(path, sizeof path, "svc-%ld.prom", (long)pid);
  snprintf(label, sizeof label, "process=\"svc-%ld\"", (long)pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return "no file";
  int samples = 0, with_label = 0;
  while (fgets(line, sizeof line, f))
    if (line[0] != '#') {
      samples++;
      with_label += strstr(line, label) != NULL;
    }
  fclose(f);
  return samples == 3 && with_label == 3 ? "yes" : "wrong labels";
}

int main(void) {
  op(1);
  pid_t child = fork();
  if (child == 0) {
    op(2);
    op(3);
    op(5);
    return 0;
  }
  int status;
  waitpid(child, &status, 0);
  printf("child's textfile named and labelled by its pid: %s\n", labelled(child));
  printf("before zaph_dump(), the parent's: %s\n", labelled(getpid()));
  zaph_dump();
  printf("after zaph_dump(), the parent's: %s\n", labelled(getpid()));
  op(4);
  return 0;
}
