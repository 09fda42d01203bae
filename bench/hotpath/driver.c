/* Calls op_small() (op.c) in a loop on T threads and reports, per thread, the time per call,
 * and how many calls the variant's counter saw. Compiled once, without instrumentation, and
 * linked with each variant's op.o and hooks.o, so the calling code is the same in every
 * variant and only the cost of counting differs.
 *     usage: hotpath CALLS_PER_THREAD THREADS [REQUEST]
 * REQUEST: "none" (default), "one" (one request around each thread's loop), or K (a new
 * request every K calls). Prints: ns_per_call <mean over threads> counted <sum or -1>
 * cpu_ns_per_call <mean over threads, thread CPU time instead of wall time>. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long op_small(long x);
void bench_setup(void);
void bench_request_begin(void);
long bench_thread_count(void);

static long calls;
static long request_every; /* 0: none; -1: one request per thread */
static pthread_barrier_t start_line;
volatile long bench_sink; /* keeps the loop's result, and so the calls, alive */

struct thread_result {
  double ns_per_call;
  double cpu_ns_per_call;
  long counted;
  long sum;
};

/* The measured loop; callgrind counts the instructions inside it (bench/hotpath.sh). */
__attribute__((noinline)) long bench_run_calls(long n, long every) {
  long sum = 0;
  for (long i = 0; i < n; i++) {
    if (every > 0 && i % every == 0)
      bench_request_begin();
    sum += op_small(i);
  }
  return sum;
}

static double now_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void *run_thread(void *arg) {
  struct thread_result *r = arg;
  if (request_every < 0)
    bench_request_begin();
  pthread_barrier_wait(&start_line);
  double t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
  r->sum = bench_run_calls(calls, request_every);
  double t1 = now_ns(CLOCK_MONOTONIC), c1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
  r->ns_per_call = (t1 - t0) / (double)calls;
  r->cpu_ns_per_call = (c1 - c0) / (double)calls;
  r->counted = bench_thread_count();
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s CALLS_PER_THREAD THREADS [none|one|K]\n", argv[0]);
    return 2;
  }
  calls = atol(argv[1]);
  int threads = atoi(argv[2]);
  const char *req = argc > 3 ? argv[3] : "none";
  request_every = strcmp(req, "none") == 0 ? 0 : strcmp(req, "one") == 0 ? -1 : atol(req);
  if (calls <= 0 || threads <= 0 || threads > 64 || request_every < -1) {
    fprintf(stderr, "%s: error: bad arguments\n", argv[0]);
    return 2;
  }
  bench_setup();
  pthread_t tid[64];
  struct thread_result result[64];
  pthread_barrier_init(&start_line, NULL, (unsigned)threads);
  for (int t = 0; t < threads; t++)
    pthread_create(&tid[t], NULL, run_thread, &result[t]);
  double ns = 0, cpu_ns = 0;
  long counted = 0;
  for (int t = 0; t < threads; t++) {
    pthread_join(tid[t], NULL);
    ns += result[t].ns_per_call / threads;
    cpu_ns += result[t].cpu_ns_per_call / threads;
    counted = result[t].counted < 0 || counted < 0 ? -1 : counted + result[t].counted;
  }
  bench_sink = result[0].sum;
  printf("ns_per_call %.4f counted %ld cpu_ns_per_call %.4f\n", ns, counted, cpu_ns);
  return 0;
}
