/* The durations of timed ops (docs/latency.md): the clock, and per thread and timed op a
 * histogram of nanoseconds (zaph_histogram.h) that only its thread writes. The pass's timed
 * copy of an op calls __zaph_time_begin at its entry and __zaph_time_end before each return;
 * a dump adds the histograms up, a thread's end retires its histograms into the process's.
 *
 * The clock is the cycle counter where it runs at one rate on every core (an invariant TSC),
 * converted to nanoseconds with a rate measured against CLOCK_MONOTONIC over the first
 * CALIBRATION_NS of the process; until then, and where there is no such counter, durations are
 * read from CLOCK_MONOTONIC itself. A start says which clock it was read from, so a duration
 * is always read from one clock.
 *
 * A reset (zaph_reset(), a fork's child) starts a new generation: each thread zeroes its own
 * histograms at its next timed entry, and until then a dump leaves them out, so no thread
 * writes another's memory. */
#include "runtime.h"

#include "zaph_profile.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
/* A thread's own histogram is updated in one read-modify-write instruction: a signal handler
 * that enters a timed op on the same thread may interrupt the update of the same counter, and
 * a load and a store apart would then lose the handler's update. Only its thread writes it and
 * a handler runs between instructions, never within one, so on x86-64 the add needs no lock
 * prefix (which would cost a full barrier on every timed entry); a dump's loads see the
 * aligned 8-byte store whole. */
#if defined(__x86_64__)
#define ADD(x, v) __asm__ volatile("addq %1, %0" : "+m"(x) : "er"((uint64_t)(v)))
#else
#define ADD(x, v) ((void)__atomic_fetch_add(&(x), (v), __ATOMIC_RELAXED))
#endif

/* How long the cycle counter is measured against the monotonic clock before its rate is used:
 * long enough that the rate is good to a few parts per million. */
#define CALIBRATION_NS 50000000ull

/* A start read from the monotonic clock has this bit set; one read from the cycle counter
 * does not. 0 means "not timed". */
#define START_MONOTONIC (1ull << 63)

static int tsc_usable;
static uint64_t tsc_at_start, monotonic_at_start;
/* Nanoseconds per tick in 32.32 fixed point, and ticks per second: 0 until calibrated. */
static uint64_t ns_per_tick_q32, ticks_per_second;

/* The generation of every histogram a dump counts (above); only written under zaph_lock. */
static uint64_t generation = 1;
/* When the last reset was, on both clocks: an entry that began before it returns no duration,
 * also when a later timed entry on its thread has already moved the thread to the new
 * generation. */
static uint64_t reset_tsc, reset_monotonic;
static struct timing_hist *retired_timing;
static uint32_t retired_timing_cap;

static uint64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t read_tsc(void) {
#if defined(__x86_64__)
  return __rdtsc();
#else
  return 0;
#endif
}

void zaph_timing_init(void) {
#if defined(__x86_64__)
  unsigned a, b, c, d;
  /* CPUID 0x80000007, EDX bit 8: the TSC runs at one rate in every state and on every core. */
  tsc_usable = __get_cpuid(0x80000007, &a, &b, &c, &d) && (d & (1u << 8));
#endif
  monotonic_at_start = monotonic_ns();
  tsc_at_start = read_tsc();
}

uint64_t zaph_timing_clock_hz(void) { return __atomic_load_n(&ticks_per_second, __ATOMIC_ACQUIRE); }

/* Measures the cycle counter's rate once CALIBRATION_NS have passed since start-up. Threads may
 * race here; the first to store wins, and they measured the same rate. */
static void calibrate(uint64_t now) {
  uint64_t elapsed = now - monotonic_at_start, ticks = read_tsc() - tsc_at_start;
  if (elapsed < CALIBRATION_NS || ticks == 0 || ticks > (1ull << 62))
    return;
  uint64_t q = (uint64_t)(((unsigned __int128)elapsed << 32) / ticks);
  uint64_t hz = (uint64_t)((unsigned __int128)ticks * 1000000000u / elapsed);
  uint64_t none = 0;
  if (q && __atomic_compare_exchange_n(&ns_per_tick_q32, &none, q, 0, __ATOMIC_RELEASE,
                                       __ATOMIC_RELAXED))
    __atomic_store_n(&ticks_per_second, hz, __ATOMIC_RELEASE);
}

/* The monotonic clock's start and duration, out of line (with the calibration): the first
 * CALIBRATION_NS of a process and CPUs without an invariant TSC, so that the common entry, two
 * cycle counter reads, keeps the runtime's timing functions free of calls and saved registers. */
__attribute__((noinline)) static uint64_t start_monotonic(void) {
  uint64_t now = monotonic_ns();
  if (tsc_usable)
    calibrate(now);
  return now | START_MONOTONIC;
}

__attribute__((noinline)) static uint64_t duration_monotonic(uint64_t start) {
  uint64_t now = monotonic_ns(), then = start & ~START_MONOTONIC;
  return now > then ? now - then : 0;
}

static uint64_t start_time(void) {
  if (__builtin_expect(__atomic_load_n(&ns_per_tick_q32, __ATOMIC_ACQUIRE) != 0, 1)) {
    uint64_t tsc = read_tsc() & ~START_MONOTONIC;
    return tsc ? tsc : 1;
  }
  return start_monotonic();
}

static uint64_t duration_since(uint64_t start) {
  if (__builtin_expect((start & START_MONOTONIC) != 0, 0))
    return duration_monotonic(start);
  uint64_t now = read_tsc() & ~START_MONOTONIC;
  uint64_t q = __atomic_load_n(&ns_per_tick_q32, __ATOMIC_ACQUIRE);
  return now > start ? (uint64_t)(((unsigned __int128)(now - start) * q) >> 32) : 0;
}

/* Once a process: what keeps a thread's entries from being timed. */
static void report_no_memory(const char *why) {
  static int reported;
  if (!__atomic_fetch_add(&reported, 1, __ATOMIC_RELAXED))
    zaph_error("cannot allocate a latency histogram: %s; those entries are counted, not timed",
               why);
}

/* Zeroed memory for a thread's timing, within the runtime's share of an address-space limit
 * (docs/design.md); NULL, reported, when it cannot be had. */
static void *map_zeroed(size_t bytes) {
  if (!zaph_share_take(bytes)) {
    report_no_memory("the runtime's quarter of the address-space limit is in use");
    return NULL;
  }
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p != MAP_FAILED)
    return p;
  report_no_memory(strerror(errno));
  zaph_share_give(bytes);
  return NULL;
}

static void unmap(void *p, size_t bytes) {
  munmap(p, bytes);
  zaph_share_give(bytes);
}

/* The calling thread's histogram of timing index `index`, made (and the thread's table, and
 * a new generation's zeroing done) as needed; NULL when memory runs out. Once per op, thread
 * and generation: __zaph_time_begin finds the histogram itself on every other timed entry. */
__attribute__((noinline, cold)) static struct timing_hist *own_hist(struct thread_state *t,
                                                                    uint32_t index) {
  int saved = errno;
  struct timing_hist **table = t->timing;
  uint64_t current = LOAD(generation);
  if (t->timing_generation != current) {
    for (uint32_t i = 0; table && i < ZAPH_MAX_TIMED_OPS; i++)
      if (table[i])
        memset(table[i], 0, sizeof *table[i]);
    __atomic_store_n(&t->timing_generation, current, __ATOMIC_RELEASE);
  }
  /* Installed by compare-and-swap: a signal handler on this thread may have installed its
   * own between the check and the store, and recorded into it. */
  if (!table) {
    struct timing_hist **fresh = map_zeroed(ZAPH_MAX_TIMED_OPS * sizeof *table);
    if (!fresh) {
      errno = saved;
      return NULL;
    }
    if (__atomic_compare_exchange_n(&t->timing, &table, fresh, 0, __ATOMIC_RELEASE,
                                    __ATOMIC_ACQUIRE))
      table = fresh;
    else
      unmap(fresh, ZAPH_MAX_TIMED_OPS * sizeof *table);
  }
  struct timing_hist *h = __atomic_load_n(&table[index], __ATOMIC_ACQUIRE);
  if (!h) {
    struct timing_hist *fresh = map_zeroed(sizeof *h);
    if (!fresh) {
      errno = saved;
      return NULL;
    }
    if (__atomic_compare_exchange_n(&table[index], &h, fresh, 0, __ATOMIC_RELEASE,
                                    __ATOMIC_ACQUIRE))
      h = fresh;
    else
      unmap(fresh, sizeof *h);
  }
  errno = saved;
  return h;
}

/* The timing index of op i of module m, or UINT32_MAX when it is not timed. */
static uint32_t timing_index(struct zaph_module *m, uint32_t i) {
  uint32_t first = __atomic_load_n(&m->first_slot, __ATOMIC_ACQUIRE);
  uint32_t timing = first ? zaph_slot_timing[first + i] : 0;
  return timing ? timing - 1 : UINT32_MAX;
}

ZAPH_API uint64_t __zaph_time_begin(struct zaph_module *m, uint32_t i) {
  struct thread_state *t = __zaph_tls.thread;
  uint32_t index = timing_index(m, i);
  if (!t || index == UINT32_MAX || zaph_continuous || zaph_config.no_timing)
    return 0;
  /* The thread's histogram of this generation, when it has one; else own_hist makes it. */
  struct timing_hist **table = t->timing, *h = NULL;
  if (__builtin_expect(!table || t->timing_generation != LOAD(generation) || !(h = table[index]),
                       0) &&
      !(h = own_hist(t, index)))
    return 0;
  ADD(h->started, 1);
  return start_time();
}

ZAPH_API void __zaph_time_end(struct zaph_module *m, uint32_t i, uint64_t start) {
  if (!start)
    return;
  uint64_t ns = duration_since(start);
  struct thread_state *t = __zaph_tls.thread;
  uint32_t index = timing_index(m, i);
  /* A reset since the entry began, or the thread's end: the duration belongs to no histogram
   * a dump reads, nor to the new generation's. */
  if (!t || index == UINT32_MAX || t->timing_generation != LOAD(generation) || !t->timing)
    return;
  if (start & START_MONOTONIC ? (start & ~START_MONOTONIC) < LOAD(reset_monotonic)
                              : start < LOAD(reset_tsc))
    return;
  struct timing_hist *h = t->timing[index];
  if (!h)
    return;
  ADD(h->counts[zaph_hist_bucket(ns)], 1);
  ADD(h->total, ns);
  uint64_t max = LOAD(h->max);
  while (ns > max &&
         !__atomic_compare_exchange_n(&h->max, &max, ns, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
    ;
  ADD(h->samples, 1);
}

/* Adds src to dst; -1 when a sum would pass 2^64 - 1 (dst is then partly added). */
static int add_hist(struct timing_hist *dst, const struct timing_hist *src) {
  if (zaph_add_count(&dst->started, LOAD(src->started)) ||
      zaph_add_count(&dst->samples, LOAD(src->samples)) ||
      zaph_add_count(&dst->total, LOAD(src->total)))
    return -1;
  uint64_t max = LOAD(src->max);
  if (max > dst->max)
    dst->max = max;
  for (unsigned b = 0; b < ZAPH_TIMED_BUCKETS; b++)
    if (zaph_add_count(&dst->counts[b], LOAD(src->counts[b])))
      return -1;
  return 0;
}

/* Adds thread t's histograms of the current generation to out (n timing indexes). */
static int add_thread(const struct thread_state *t, struct timing_hist *out, uint32_t n) {
  struct timing_hist **table = __atomic_load_n(&t->timing, __ATOMIC_ACQUIRE);
  if (!table || __atomic_load_n(&t->timing_generation, __ATOMIC_ACQUIRE) != generation)
    return 0;
  for (uint32_t i = 0; i < n; i++) {
    struct timing_hist *h = __atomic_load_n(&table[i], __ATOMIC_ACQUIRE);
    if (h && add_hist(&out[i], h) != 0)
      return -1;
  }
  return 0;
}

/* A dump that reads a thread between the steps of __zaph_time_end may see a duration in one
 * field and not yet in another; the histogram is kept a valid timing line
 * (include/zaph_profile.h): samples from the counts, max in the last bucket, total within
 * what the buckets and max allow. */
static void keep_invariants(struct timing_hist *h) {
  uint64_t samples = 0;
  unsigned __int128 least = 0;
  unsigned last = 0;
  for (unsigned b = 0; b < ZAPH_TIMED_BUCKETS; b++)
    if (h->counts[b]) {
      samples += h->counts[b];
      least += (unsigned __int128)h->counts[b] * zaph_hist_lower(b);
      last = b;
    }
  h->samples = samples;
  if (h->started < samples)
    h->started = samples;
  if (!samples) {
    h->max = h->total = 0;
    return;
  }
  if (zaph_hist_bucket(h->max) != last)
    h->max = zaph_hist_lower(last);
  if (h->total < least)
    h->total = (uint64_t)least;
  if ((unsigned __int128)h->total > (unsigned __int128)samples * h->max)
    h->total = samples * h->max;
}

static int grow_retired_locked(void) {
  return zaph_grow_zeroed(&retired_timing, &retired_timing_cap, zaph_timed_count,
                          sizeof *retired_timing, 16);
}

int zaph_timing_snapshot_locked(struct timing_hist *out) {
  uint32_t n = zaph_timed_count, retired = retired_timing_cap < n ? retired_timing_cap : n;
  int rc = 0;
  for (uint32_t i = 0; i < retired; i++)
    out[i] = retired_timing[i];
  for (const struct thread_state *t = zaph_threads_locked(); rc == 0 && t; t = t->next)
    rc = add_thread(t, out, n);
  for (uint32_t i = 0; i < n; i++)
    keep_invariants(&out[i]);
  return rc;
}

void zaph_timing_retire_locked(struct thread_state *t) {
  if (grow_retired_locked() != 0)
    zaph_error("cannot keep the latencies of an exiting thread: %s", strerror(ENOMEM));
  else if (add_thread(t, retired_timing, zaph_timed_count) != 0)
    zaph_error("cannot keep the latencies of an exiting thread: a sum passes 2^64 - 1");
}

void zaph_timing_reset_locked(void) {
  STORE(reset_monotonic, monotonic_ns());
  STORE(reset_tsc, read_tsc() & ~START_MONOTONIC);
  STORE(generation, generation + 1);
  if (retired_timing_cap)
    memset(retired_timing, 0, retired_timing_cap * sizeof *retired_timing);
}

void zaph_timing_free_thread(struct thread_state *t) {
  struct timing_hist **table = t->timing;
  if (!table)
    return;
  for (uint32_t i = 0; i < ZAPH_MAX_TIMED_OPS; i++)
    if (table[i])
      unmap(table[i], sizeof *table[i]);
  unmap(table, ZAPH_MAX_TIMED_OPS * sizeof *table);
  t->timing = NULL;
}
