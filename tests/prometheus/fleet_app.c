/* The instrumented service of prometheus.fleet: request i enters lookup twice unless i is a
 * multiple of 10, render when i is a multiple of 3, audit when i is a multiple of 20. Serves
 * FIRST requests; with GO_FILE, then writes its counts (zaph_dump()), waits until GO_FILE
 * exists and serves THEN more. The textfile is written at each dump and at exit.
 * Usage: fleet_app FIRST [GO_FILE THEN] */
#include "zaph.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static volatile int sink;

ZAPH_OP static void lookup(int i) { sink += i; }
ZAPH_OP static void render(int i) { sink -= i; }
ZAPH_OP static void audit(int i) { sink ^= i; }

ZAPH_REQUEST static void serve(int i) {
  if (i % 10 != 0) {
    lookup(i);
    lookup(i + 1);
  }
  if (i % 3 == 0)
    render(i);
  if (i % 20 == 0)
    audit(i);
}

int main(int argc, char **argv) {
  int first = atoi(argv[1]), i = 0;
  for (; i < first; i++)
    serve(i);
  if (argc < 4)
    return 0;
  zaph_request_end();
  zaph_dump();
  struct stat st;
  struct timespec tick = {0, 20000000};
  for (int waited = 0; stat(argv[2], &st) != 0 && waited < 3000; waited++)
    nanosleep(&tick, NULL);
  for (int then = i + atoi(argv[3]); i < then; i++)
    serve(i);
  return 0;
}
