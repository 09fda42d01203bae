/* zaph: annotate operations, build with the zaph pass plugin, link the zaph runtime, and the
 * program writes a profile of exact per-op access counts at exit. This header is the whole
 * public interface: the annotation macros and the runtime API. See README.md and docs/. */
#ifndef ZAPH_H
#define ZAPH_H

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a function definition as an operation: every entry is counted, inlined copies
 * included. Put it on the definition; on a declaration alone it has no effect.
 *     ZAPH_OP int cache_get(const char *key) { ... }
 * Without the pass plugin the macro is a harmless attribute. */
#define ZAPH_OP __attribute__((annotate("zaph_op")))

/* Marks the function that handles one request: each entry begins a new request on the
 * calling thread (see zaph_request_begin) and is also counted as an op of kind "request". */
#define ZAPH_REQUEST __attribute__((annotate("zaph_request")))

/* Like ZAPH_OP, and records the tier (1, 2 or 3) the code was written for, so zaph-report can
 * compare it with the measured one. */
#define ZAPH_OP_TIER(n) __attribute__((annotate("zaph_op:tier=" #n)))

/* Like ZAPH_OP, and times one entry in 64: its duration from entry to return, in a latency
 * histogram zaph-report shows with percentiles (docs/latency.md). */
#define ZAPH_OP_TIMED __attribute__((annotate("zaph_op:timed")))

/* ZAPH_OP with options, comma-separated: tier=N (as ZAPH_OP_TIER), timed, timed=N (one entry in
 * N, a power of two up to 65536), target=DURATION (500ns, 20us, 3ms, 1s; it times the op too):
 *     ZAPH_OP_WITH("tier=1,timed=16,target=500ns") int cache_get(const char *key) { ... } */
#define ZAPH_OP_WITH(options) __attribute__((annotate("zaph_op:" options)))

/* All functions below are safe to call from any thread, at any time, also in a program built
 * without the pass (they then see no ops). They return 0 on success and -1 on failure; a
 * failure has already been reported as one "zaph: error: ..." line on stderr, and the program
 * goes on unchanged. None of them calls exit() or abort(). */

/* Begins a new request on the calling thread, ending the thread's previous one if any. A
 * request lasts until the next begin on the same thread, zaph_request_end(), or thread exit.
 * The first call on a thread allocates its counter blocks (mmap); later calls do not allocate. */
int zaph_request_begin(void);

/* Ends the calling thread's current request; entries after it count as outside any request.
 * Returns 0 also when no request was open. */
int zaph_request_end(void);

/* Writes the profile now, to the path ZAPH_PROFILE_FILE names (default "zaph-%p.prof": %p is
 * the process id, %h the host name, %% a percent sign), atomically: a temporary file in the
 * same directory, fsync, rename. Counting goes on; the exit-time write still happens and
 * replaces this one. Takes the runtime's lock and calls malloc; not async-signal-safe.
 * In continuous mode (ZAPH_CONTINUOUS=1 or %c in the path) the counts are already in the file:
 * it records the time as the profile's end and has the kernel write the file to disk (msync).
 * With ZAPH_WRITE=0 in the environment nothing is written, and it returns 0. */
int zaph_dump(void);

/* Zeroes every count and the request count, and restarts the profile's start time. Counts
 * made by other threads while it runs land before or after the reset; none is undone. A
 * request open at the reset counts as one request after it (docs/requests.md). In merge mode
 * (%m) what this process already added to the file stays there, and what it counts after the
 * reset is added at its next write. In continuous mode it zeroes the file, also for a forked
 * child that shares it. */
int zaph_reset(void);

#ifdef __cplusplus
}
#endif

#endif
