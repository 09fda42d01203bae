/* For the service-thread cases: wait until the profile a program is promised appears (it is
 * renamed into place whole), then print its requests and op lines. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static int wait_and_print(const char *path) {
  struct stat st;
  struct timespec tick = {0, 10000000};
  for (int i = 0; i < 500 && stat(path, &st) != 0; i++)
    nanosleep(&tick, NULL);
  FILE *f = fopen(path, "r");
  if (!f) {
    printf("no profile at %s\n", path);
    return -1;
  }
  char line[512];
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "op\t", 3) == 0 || strncmp(line, "requests\t", 9) == 0)
      printf("seen: %s", line);
  fclose(f);
  fflush(stdout);
  return 0;
}
