/* For the service-thread cases: wait until the profile (or textfile) a program is promised
 * appears (it is renamed into place whole), then print its requests and op lines. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Opens path once it exists, waiting up to 5 s; NULL after printing that it did not appear. */
static FILE *wait_and_open(const char *path) {
  struct stat st;
  struct timespec tick = {0, 10000000};
  for (int i = 0; i < 500 && stat(path, &st) != 0; i++)
    nanosleep(&tick, NULL);
  FILE *f = fopen(path, "r");
  if (!f)
    printf("no profile at %s\n", path);
  return f;
}

static int wait_and_print(const char *path) {
  FILE *f = wait_and_open(path);
  if (!f)
    return -1;
  char line[512];
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "op\t", 3) == 0 || strncmp(line, "requests\t", 9) == 0)
      printf("seen: %s", line);
  fclose(f);
  fflush(stdout);
  return 0;
}
