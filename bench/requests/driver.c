/* The request-shaped workload of bench/requests.sh. Compiled once per LLVM without the pass and
 * linked, unchanged, with each variant's op file (gen_ops.sh) and either zaph's runtime or
 * stub.c, so the calling code and the call sequence are the same in every variant and only
 * what zaph adds differs.
 *
 *     usage: requests MODE K M DIST REQUESTS WARMUP [expect]
 *
 * The measured pass is REQUESTS requests. Each touches K distinct ops of the N in the table,
 * chosen by a partial Fisher-Yates shuffle driven by a xorshift64 with a fixed seed, and enters
 * each of them a number of times in a row: 1..M, uniformly (DIST "u"), or exactly M (DIST
 * "x"). Before it, uncounted, bench_warmup() makes one request that enters every op once (so
 * thread start, registration and each op's first entry in the thread are done) and then the
 * first WARMUP requests of the same sequence; bench_measure(), the function callgrind counts
 * inside (bench/requests.sh), restarts the sequence. MODE says how requests are marked:
 *   req      zaph_request_begin(), the entries, zaph_request_end()
 *   chain    zaph_request_begin(), the entries; the next begin ends the request (one
 *            zaph_request_end() after the last request of a pass)
 *   fn       as chain, but a call of bench_request_fn() (annotated zaph_request) begins it
 *   outside  zaph_request_begin(), zaph_request_end(), then the entries: all outside requests
 *   none     the entries only: a program that marks no requests
 * Prints "ns_per_request <wall time of the measured pass / REQUESTS> entries <entries in the
 * measured pass> requests <REQUESTS>". With "expect" it calls no op and prints instead what a
 * profile of the same arguments must hold: "requests R" and, per op, "op NAME ENTRIES
 * REQUESTS_TOUCHING ENTRIES_OUTSIDE" (bench_request_fn included). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zaph.h"

extern const unsigned bench_n_ops;
extern unsigned (*const bench_ops[])(unsigned);
unsigned bench_request_fn(unsigned x);

enum mode { MODE_REQ, MODE_CHAIN, MODE_FN, MODE_OUTSIDE, MODE_NONE };

static enum mode mode;
static unsigned k_ops, m_max, exact, n_ops;
static long requests; /* in the measured pass */
static unsigned *perm;
static uint64_t rng;
volatile unsigned bench_sink; /* keeps the calls' results, and so the calls, alive */

/* What the profile must say (expect runs only). */
static uint64_t *want_entries, *want_touching, *want_outside, want_fn, want_requests;

static uint64_t next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static void restart_generator(void) {
  rng = 0x9e3779b97f4a7c15u;
  for (unsigned j = 0; j < n_ops; j++)
    perm[j] = j;
}

/* The k-th op of the current request: a partial Fisher-Yates step over perm, which stays a
 * permutation from request to request, so the K ops of one request are distinct. */
static inline unsigned pick(unsigned k) {
  unsigned j = k + (unsigned)(next_random() % (n_ops - k)), op = perm[j];
  perm[j] = perm[k];
  perm[k] = op;
  return op;
}

static inline unsigned times(void) {
  return exact ? m_max : 1 + (unsigned)(next_random() % m_max);
}

static inline __attribute__((always_inline)) int open_request(int expect, unsigned *sum) {
  if (expect) {
    want_fn += mode == MODE_FN;
    want_requests += mode != MODE_NONE;
    return mode != MODE_OUTSIDE && mode != MODE_NONE;
  }
  switch (mode) {
    case MODE_REQ:
    case MODE_CHAIN:
      zaph_request_begin();
      return 1;
    case MODE_FN:
      *sum = bench_request_fn(*sum);
      return 1;
    case MODE_OUTSIDE:
      zaph_request_begin();
      zaph_request_end();
      return 0;
    case MODE_NONE:
      break;
  }
  return 0;
}

/* Enters op c times in a row; with expect, keeps the counts a profile must hold instead. */
static inline __attribute__((always_inline)) void enter(int expect, int inside, unsigned op,
                                                        unsigned c, unsigned *sum) {
  if (expect) {
    want_entries[op] += c;
    if (inside)
      want_touching[op]++;
    else
      want_outside[op] += c;
    return;
  }
  for (unsigned i = 0; i < c; i++)
    *sum = bench_ops[op](*sum);
}

/* n requests of the sequence, from its start. */
static inline __attribute__((always_inline)) unsigned run_requests(int expect, long n) {
  unsigned sum = 0;
  restart_generator();
  for (long r = 0; r < n; r++) {
    int inside = open_request(expect, &sum);
    for (unsigned k = 0; k < k_ops; k++) {
      unsigned op = pick(k);
      enter(expect, inside, op, times(), &sum);
    }
    if (!expect && mode == MODE_REQ)
      zaph_request_end();
  }
  if (!expect && (mode == MODE_CHAIN || mode == MODE_FN))
    zaph_request_end();
  return sum;
}

/* The warm-up: one request entering every op once (so each is registered and past its first
 * entry in the thread), then the first `warmup` requests of the sequence; not counted. */
static inline __attribute__((always_inline)) unsigned warm_up(int expect, long warmup) {
  unsigned sum = 0;
  int inside = open_request(expect, &sum);
  for (unsigned j = 0; j < n_ops; j++)
    enter(expect, inside, j, 1, &sum);
  if (!expect && mode == MODE_REQ)
    zaph_request_end();
  return sum + run_requests(expect, warmup);
}

/* Separate functions: callgrind counts inside bench_measure only. */
__attribute__((noinline)) unsigned bench_warmup(long warmup) { return warm_up(0, warmup); }
__attribute__((noinline)) unsigned bench_measure(long n) { return run_requests(0, n); }
__attribute__((noinline)) unsigned bench_expect(long warmup, long n) {
  return warm_up(1, warmup) + run_requests(1, n);
}

static long entries_per_pass(void) {
  long e = 0;
  restart_generator();
  for (long r = 0; r < requests; r++)
    for (unsigned k = 0; k < k_ops; k++) {
      (void)pick(k);
      e += times();
    }
  return e;
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int usage(const char *argv0) {
  fprintf(stderr, "usage: %s req|chain|fn|outside|none K M u|x REQUESTS WARMUP [expect]\n", argv0);
  return 2;
}

int main(int argc, char **argv) {
  if (argc != 7 && argc != 8)
    return usage(argv[0]);
  static const char *const names[] = {"req", "chain", "fn", "outside", "none"};
  int m = -1;
  for (int i = 0; i < 5; i++)
    if (strcmp(argv[1], names[i]) == 0)
      m = i;
  long k = atol(argv[2]), mm = atol(argv[3]), warmup = atol(argv[6]);
  requests = atol(argv[5]);
  n_ops = bench_n_ops;
  int do_expect = argc == 8 && strcmp(argv[7], "expect") == 0;
  if (m < 0 || k < 1 || k > (long)n_ops || mm < 1 || mm > 1000000 || requests < 1 ||
      warmup < 0 || (strcmp(argv[4], "u") != 0 && strcmp(argv[4], "x") != 0) ||
      (argc == 8 && !do_expect)) {
    fprintf(stderr, "%s: error: bad arguments (K must be 1..%u)\n", argv[0], n_ops);
    return usage(argv[0]);
  }
  mode = (enum mode)m;
  k_ops = (unsigned)k;
  m_max = (unsigned)mm;
  exact = argv[4][0] == 'x';
  perm = malloc(n_ops * sizeof *perm);
  if (!perm)
    return 1;

  if (do_expect) {
    want_entries = calloc(n_ops, sizeof *want_entries);
    want_touching = calloc(n_ops, sizeof *want_touching);
    want_outside = calloc(n_ops, sizeof *want_outside);
    if (!want_entries || !want_touching || !want_outside)
      return 1;
    bench_sink = bench_expect(warmup, requests);
    printf("requests %llu\n", (unsigned long long)want_requests);
    for (unsigned j = 0; j < n_ops; j++)
      printf("op op_%u %llu %llu %llu\n", j, (unsigned long long)want_entries[j],
             (unsigned long long)want_touching[j], (unsigned long long)want_outside[j]);
    printf("op bench_request_fn %llu %llu 0\n", (unsigned long long)want_fn,
           (unsigned long long)want_fn);
    return 0;
  }

  long entries = entries_per_pass();
  bench_sink = bench_warmup(warmup);
  double t0 = now_ns();
  bench_sink = bench_measure(requests);
  double t1 = now_ns();
  printf("ns_per_request %.3f entries %ld requests %ld\n", (t1 - t0) / (double)requests, entries,
         requests);
  return 0;
}
