/* Writes a synthetic fleet for bench/report_scale.sh: PROFILES profile files of OPS ops each,
 * as the runtime writes them (docs/profile-format.md), one per process of one program. Every
 * process has the same op table; counts differ per process and per op, spread so that the
 * ops fall into all three tiers.
 *     usage: gen_profiles DIR PROFILES OPS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define REQUESTS_PER_PROCESS 2000u
#define OPS_PER_FILE 100u

/* A fixed mix of the bits of (process, op), so every run writes the same files. */
static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

static int write_profile(const char *path, unsigned process, unsigned ops) {
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    return -1;
  }
  fprintf(f, "zaph-profile 1\nprogram\t/srv/fleet/bin/server\npid\t%u\nhost\tnode-%04u\n"
             "start\t2026-11-24T09:00:00Z\nend\t2026-11-24T10:00:00Z\nsource\tload-test\n"
             "requests\t%u\nops\t%u\n",
          10000 + process, process, REQUESTS_PER_PROCESS, ops);
  /* Op lines sorted by (file, line, name): files part_000.c .. in order, lines increasing. */
  for (unsigned i = 0; i < ops; i++) {
    uint64_t h = mix((uint64_t)process << 32 | i);
    /* The op's share of requests: ops cycle through hot, warm and cold bands. */
    unsigned band = i % 10;
    uint64_t touching = band < 2   ? REQUESTS_PER_PROCESS * (85 + h % 15) / 100
                        : band < 6 ? REQUESTS_PER_PROCESS * (25 + h % 50) / 100
                                   : REQUESTS_PER_PROCESS * (h % 15) / 100;
    uint64_t entries = touching * (1 + (h >> 8) % 4) + (h >> 16) % 50;
    uint64_t outside = entries - touching * (1 + (h >> 8) % 4);
    fprintf(f, "op\top\t0\t%llu\t%llu\t%llu\t%u\tsrc/part_%03u.c\tservice_part_%05u_handle\n",
            (unsigned long long)entries, (unsigned long long)touching,
            (unsigned long long)outside, 10 + (i % OPS_PER_FILE) * 12, i / OPS_PER_FILE, i);
  }
  fprintf(f, "end\t%u\n", ops);
  if (fclose(f) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s DIR PROFILES OPS\n", argv[0]);
    return 2;
  }
  unsigned profiles = (unsigned)atoi(argv[2]), ops = (unsigned)atoi(argv[3]);
  char path[4096];
  for (unsigned p = 0; p < profiles; p++) {
    snprintf(path, sizeof path, "%s/p%05u.prof", argv[1], p);
    if (write_profile(path, p, ops) != 0)
      return 1;
  }
  return 0;
}
