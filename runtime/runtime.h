/* Declarations shared by the runtime's files, in layers (docs/design.md): the public entry
 * points and start-up (api.c); the counting core (registry.c, thread.c, continuous.c); profile
 * writing (profile_write.c, profile_text.c, profile_merge.c) and the process's life (service.c,
 * lifecycle.c, exec.c); the leaves, which call nothing else of the runtime (util.c, config.c,
 * files.c, program.c, mapping_guard.c). Everything here is hidden; the public ABI is
 * include/zaph.h plus the pass-facing symbols of include/zaph_abi.h. */
#ifndef ZAPH_RUNTIME_H
#define ZAPH_RUNTIME_H

#include "zaph.h"
#include "zaph_abi.h"
#include "zaph_continuous.h"
#include "zaph_histogram.h"

#define ZAPH_TIMED_BUCKETS ZAPH_HIST_BUCKETS

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define ZAPH_API __attribute__((visibility("default")))

/* Everything declared below is hidden unless it says ZAPH_API, so the runtime reaches its own
 * variables directly, not through the GOT. */
#pragma GCC visibility push(hidden)

/* One op identity (name, file, line, kind) of the process; several slots can map to it. */
struct op_info {
  char *name;
  char *file;
  uint32_t line;
  uint32_t kind;
  uint32_t tier;
  uint32_t timed;     /* the op descriptor's: 0, or 1 + log2 of its sampling */
  uint64_t target_ns; /* its declared target, 0 for none */
  uint32_t timing;    /* its timing index + 1 (timing.c), 0 when it is not timed */
};

/* Counts of one op identity, as written to a profile (the names are the profile's). */
struct op_counts {
  uint64_t entries;
  uint64_t requests_touching;
  uint64_t entries_outside;
};

/* A registered module, as the runtime keeps it (the descriptor itself may be dlclose()d). */
struct module_record {
  uint32_t first_slot;
  uint32_t n_ops;
  struct zaph_module *desc; /* NULL once the module is unregistered (its library unloaded) */
};

/* Per thread and op identity, continuous mode's note of the latest request that touched the
 * op (memory mode keeps it in the hot slot, as `seen`). */
struct op_touch {
  uint64_t last_request; /* the thread's request number */
};

/* A slot's counts at the last reset (or zero), per thread and slot. */
struct slot_base {
  uint64_t entries, requests_touching, entries_outside;
};

/* A thread's counting state; one mapping holds it, its block and its touches. */
struct thread_state {
  char *block;
  struct slot_base *base; /* a mapping of its own, base_size bytes, moved as it grows */
  size_t base_size;
  struct op_touch *touch;
  uint64_t epoch;          /* the thread's epoch (zaph_abi.h), also in continuous mode */
  uint64_t latest_request; /* the epoch of its latest request: ZAPH_EPOCH_INSIDE | requests begun */
  uint64_t requests_at_reset; /* requests begun at the last reset or fork */
  char *tls_anchor;           /* &__zaph_tls in this thread */
  /* timing.c: the thread's histograms by timing index (a table of ZAPH_MAX_TIMED_OPS pointers,
   * mapped at its first timed entry; NULL before), and the timing generation they belong to. */
  struct timing_hist **timing;
  uint64_t timing_generation;
  struct thread_state *prev, *next;
};

/* Where a slot is, in any thread, and the ring of slots of the same op identity (next == the
 * slot itself when it is the op's only slot). Reserved once for ZAPH_MAX_OPS slots, written
 * under zaph_lock before the module is published, read without a lock. */
struct slot_place {
  intptr_t offset; /* from the thread's block, or (tls) from its &__zaph_tls */
  uint32_t tls;
  uint32_t next;
};

/* The pass-facing symbols of zaph_abi.h, declared for the runtime's own files and tests. */
ZAPH_API extern __thread struct zaph_tls __zaph_tls __attribute__((tls_model("initial-exec")));
ZAPH_API void __zaph_request_enter(void);
ZAPH_API void __zaph_register_module(struct zaph_module *m, const struct zaph_op_desc *ops,
                                     void *tls_counters, uint64_t *exe_epoch);
ZAPH_API void __zaph_unregister_module(struct zaph_module *m);

/* The distance of the executable's epoch (__zaph_exe_epoch) from &__zaph_tls; until an
 * executable module registers, that of __zaph_tls.spare, where nobody looks. */
extern intptr_t zaph_exe_epoch_offset;

/* The lock guarding the registry, the thread list and the retired counts. */
extern pthread_mutex_t zaph_lock;

/* registry.c: the op table. Slots ZAPH_SINK_OPS .. zaph_slot_count-1 are assigned. */
extern struct op_info *zaph_ops;
extern uint32_t zaph_op_count;
extern uint32_t *zaph_slot_op;
extern struct slot_place *zaph_slot_places;
extern uint32_t zaph_slot_count;
extern struct module_record *zaph_modules;
extern uint32_t zaph_module_count;
/* Per slot (reserved tables like zaph_slot_op): the shift from its entries word to entries
 * (ZAPH_ENTRY_SHIFT), and its op's timing index + 1 (0: not timed). */
extern uint8_t *zaph_slot_shift;
extern uint32_t *zaph_slot_timing;
int zaph_register_locked(struct zaph_module *m, const struct zaph_op_desc *ops,
                         void *tls_counters, uint64_t *exe_epoch);
/* Takes a registered module's slots out of their ops' rings (its library is unloaded). */
void zaph_unregister_locked(struct zaph_module *m);

/* thread.c */
extern char zaph_bootstrap_block[];
/* Marks the calling thread as running the runtime until zaph_runtime_leave(): an op entered
 * meanwhile (a malloc interposer the runtime calls) that needs the slow path is not counted,
 * instead of taking a lock or a start-up the thread is already in. Returns the mark's previous
 * value, for zaph_runtime_leave(). */
int zaph_runtime_enter(void);
void zaph_runtime_leave(int previous);
int zaph_commit_slots_locked(uint32_t slots);
int zaph_snapshot_locked(struct op_counts *out, uint64_t *requests);
void zaph_reset_locked(void);
void zaph_reset_counts(void); /* zaph_reset()'s counting part; takes zaph_lock */
void zaph_threads_init(void);
/* Takes bytes (rounded up to pages) of the address-space share (docs/design.md) for memory a
 * thread maps besides its counting state, its latency histograms: 1 when they fit, else 0 and
 * nothing taken. zaph_share_give() returns them when they are unmapped. */
int zaph_share_take(size_t bytes);
void zaph_share_give(size_t bytes);
/* The list of threads with state (linked by next), to walk under zaph_lock. */
const struct thread_state *zaph_threads_locked(void);
/* Nonzero while the calling thread has no state yet and may get one (not failed, not ended). */
int zaph_thread_not_started(void);
/* The runtime's one-time start-up (api.c), for a thread whose first request comes before any
 * module registered. The counting core reaches it through this pointer, as an early op entry
 * reaches its module's constructor through the module descriptor, so that it calls nothing
 * above itself; the request entry points stay in thread.c, one call from the program, because
 * they are on every request's path (docs/benchmarks.md, R3). */
extern void (*const zaph_runtime_start)(void);

/* timing.c: the durations of timed ops (docs/latency.md). A histogram per thread and timed op
 * identity, written only by its thread; retired into the process's totals when the thread
 * ends. At most ZAPH_MAX_TIMED_OPS op identities are timed; more are counted, not timed. */
#define ZAPH_MAX_TIMED_OPS 4096u
struct timing_hist {
  uint64_t started, samples, total, max;
  uint64_t counts[ZAPH_TIMED_BUCKETS];
};
extern uint32_t zaph_timed_count;  /* timing indexes assigned (registry.c, under zaph_lock) */
extern uint32_t *zaph_timing_op;   /* by timing index: the op index */
void zaph_timing_init(void);
/* Adds every thread's and the retired histograms of the current generation to out
 * (zaph_timed_count of them, zeroed by the caller), kept within the profile's invariants. */
int zaph_timing_snapshot_locked(struct timing_hist *out);
void zaph_timing_reset_locked(void);          /* zaph_reset(), and a fork's child */
void zaph_timing_retire_locked(struct thread_state *t); /* a thread's end */
void zaph_timing_free_thread(struct thread_state *t);
/* The cycle counter's rate, ticks per second, once calibrated; 0 while durations are read
 * from the monotonic clock. */
uint64_t zaph_timing_clock_hz(void);

/* One op line of a profile, and a whole profile, as written or read back to merge. A timed op
 * has its timing line's values: counts is its histogram (ZAPH_TIMED_BUCKETS), NULL when it is
 * not timed. */
struct profile_op {
  char *name, *file;
  uint32_t line, kind, tier;
  uint64_t entries, requests_touching, entries_outside;
  uint64_t every, target, started, samples, total, max;
  uint64_t *counts;
};
struct profile {
  time_t start, end;
  uint64_t requests;
  uint64_t clock_hz;
  char *source;
  struct profile_op *ops;
  uint32_t n_ops, cap_ops;
};

/* profile_text.c: the process's counts as a profile, and a profile as text. */
int zaph_profile_snapshot(struct profile *p, time_t start, const char *source);
char *zaph_profile_format(const struct profile *p, size_t *len);
/* The metrics of p with the process label process, in the Prometheus text format. */
char *zaph_profile_format_metrics(const struct profile *p, const char *process, size_t *len);
void zaph_profile_free(struct profile *p);
int zaph_profile_copy(struct profile *to, const struct profile *from);
int zaph_profile_add_op(struct profile *p, const struct profile_op *op);
void zaph_profile_sort(struct profile *p);

/* profile_merge.c: adds the profile at path to p. Returns 0, 1 when there is no file, or -1
 * with *problem set (and the line in *line, 0 for the whole file) when it cannot be used. */
int zaph_profile_merge_file(struct profile *p, const char *path, unsigned *line,
                            const char **problem);
void zaph_profile_subtract(struct profile *p, const struct profile *base);

/* profile_write.c: the writes of the profile (zaph_write_at_exit is the exit hook), and
 * zaph_reset()'s work, which starts the counts and what merge mode has added over. */
int zaph_write_profile(void);
int zaph_write_profile_unless_exiting(void);
void zaph_write_at_exit(void);
int zaph_exiting(void); /* nonzero once the exit-time write has begun */
void zaph_profile_write_atfork(void);
void zaph_write_reset(void);

/* profile_write.c, for a fatal signal's handler (async-signal-safe): zaph_defer_to_write_end
 * returns 1 when the calling thread is in a write, which then ends with the signal
 * (zaph_die_of_signal) instead of the handler waiting for a write that cannot go on while it
 * waits; 0 otherwise. zaph_abandon_write removes the temporary file of a write in progress. */
int zaph_defer_to_write_end(int sig);
void zaph_abandon_write(void);

/* config.c: the configuration, read once at start-up by zaph_config_init(), which reports
 * every bad value (the default is used instead) and returns -1 when memory runs out. */
struct zaph_config {
  char *path_template; /* ZAPH_PROFILE_FILE, or the default; NULL when memory ran out */
  char *source;        /* ZAPH_SOURCE, or "unspecified"; NULL when memory ran out */
  int merge;           /* %m: writes add to the file, under the merge lock */
  int continuous;      /* %c or ZAPH_CONTINUOUS=1 asked for continuous mode */
  int no_write;        /* ZAPH_WRITE=0: this run writes no profile (and opens no file) */
  int no_timing;       /* ZAPH_TIMING=0: timed ops are counted, not timed, in this run */
  /* An earlier image of this process wrote the profile path before it exec'd this one: writes
   * add to that file, as in merge mode (without its lock, the path being this process's). Set
   * at start-up (api.c). */
  int continues_exec;
  /* ZAPH_PROM_FILE, when it is set and valid: the node_exporter textfile written beside every
   * profile (the metrics of include/zaph_metrics.h); NULL for none. */
  char *prom_template;
};
/* The textfile's name ends in this; the name before it is the process label. */
#define ZAPH_PROM_SUFFIX ".prom"
extern struct zaph_config zaph_config;
int zaph_config_init(void);
/* The path template expanded (%p, %h, %m, %c to nothing, %%): malloc()ed, NULL when memory
 * runs out. */
char *zaph_profile_path(void);
/* ZAPH_PROM_FILE expanded likewise; NULL when there is none or memory runs out. */
char *zaph_prom_path(void);
/* Takes the fcntl lock on "<path>.lock"; returns its fd (close() releases it), or -1 with
 * *problem set. */
int zaph_lock_profile(const char *path, const char **problem);
/* When counting started: at start-up, a reset, a fork's child. */
void zaph_mark_start(void);
time_t zaph_start_time(void);

/* continuous.c: continuous mode (include/zaph_continuous.h). zaph_continuous is nonzero while
 * counts go to the mapped file; it is set before any module registers. */
extern int zaph_continuous;
/* How a process opens the continuous profile at its path: creates it (replacing any file
 * there), joins it under the merge lock (%m), or joins the file an earlier image of the same
 * process counted into before its exec (no lock: the path is this process's). */
enum zaph_continuous_join { ZAPH_CONTINUOUS_CREATE, ZAPH_CONTINUOUS_MERGE, ZAPH_CONTINUOUS_EXEC };
int zaph_continuous_open(const char *path, enum zaph_continuous_join join, const char *source);
int zaph_continuous_map_slots_locked(uint32_t first, uint32_t end);

/* Per slot, where continuous mode counts its entries: written under zaph_lock before the
 * module's first_slot is published; read without a lock. The table is reserved once, for
 * ZAPH_MAX_OPS slots, so it never moves. */
struct zaph_slot_target {
  uint64_t *counters; /* the op's record's ZAPH_CONTINUOUS_COUNTERS words; NULL = not counted */
  uint32_t op;
};
extern struct zaph_slot_target *zaph_slot_targets;

/* Counts one entry of slot in continuous mode, as the memory path would (docs/requests.md):
 * one atomic add to entries inside or outside, then, on the op's first entry in the request,
 * to requests_touching with release ordering, so that a reader never sees more requests
 * touching than entries or requests. Returns 0 when the slot has no record. Inline, because
 * the preserve_most slow path must not call out for its common case. */
static inline int zaph_continuous_count(uint32_t slot, struct thread_state *t) {
  struct zaph_slot_target *target = &zaph_slot_targets[slot];
  uint64_t *c = __atomic_load_n(&target->counters, __ATOMIC_ACQUIRE);
  if (!c)
    return 0;
  if (!t || t->epoch == ZAPH_EPOCH_OUTSIDE) {
    __atomic_fetch_add(&c[ZAPH_CONTINUOUS_ENTRIES_OUTSIDE], 1, __ATOMIC_RELAXED);
  } else {
    __atomic_fetch_add(&c[ZAPH_CONTINUOUS_ENTRIES_INSIDE], 1, __ATOMIC_RELAXED);
    /* Relaxed atomics: a reset on another thread may set the note aside (thread.c). */
    uint64_t *last = &t->touch[target->op].last_request;
    if (__atomic_load_n(last, __ATOMIC_RELAXED) != t->epoch) {
      __atomic_store_n(last, t->epoch, __ATOMIC_RELAXED);
      __atomic_fetch_add(&c[ZAPH_CONTINUOUS_REQUESTS_TOUCHING], 1, __ATOMIC_RELEASE);
    }
  }
  return 1;
}
void zaph_continuous_request(void);
int zaph_continuous_dump(void);
void zaph_continuous_reset_locked(uint32_t open_requests);
void zaph_continuous_after_fork_child(const char *path, enum zaph_continuous_join join,
                                      const char *source);

/* service.c */
void zaph_service_init(void);

/* lifecycle.c: whether the counts in this process's memory are its own (not those of a
 * parent whose fork handlers did not run: a vfork() or raw clone child), and, in a fork
 * handler of the child, whether the child goes on with its parent's counts (daemon()). */
void zaph_lifecycle_init(void);
int zaph_process_owns_counts(void);
int zaph_fork_continues(void);

/* exec.c: finds the C library's exec functions; says whether an earlier image of this process
 * wrote path just before it exec'd this one. */
void zaph_exec_init(void);
int zaph_exec_predecessor(const char *path);

/* profile_write.c: before an exec, writes the image's counts unless it has none; returns 1 with
 * the file's path in path (size bytes) when the file holds them, else 0. */
int zaph_write_before_exec(char *path, size_t size);

/* program.c: the executable's path, found once by zaph_program_init() at start-up; "" when
 * it cannot be found at all. The host name, "unknown" when it cannot be read. */
void zaph_program_init(void);
const char *zaph_program_path(void);
#define ZAPH_HOST_NAME_SIZE 257
void zaph_host_name(char out[ZAPH_HOST_NAME_SIZE]);

/* files.c: returns fd moved above 0-2 (close-on-exec, as every descriptor the runtime
 * opens), the original closed; fd itself when it is already above them or negative; -1 with
 * errno set when it cannot be moved. */
int zaph_keep_fd(int fd);

/* files.c: opens a file shared with other processes, to read or add to (flags: O_RDONLY
 * or O_RDWR, maybe O_CREAT, which then follows no symbolic link), without blocking on a FIFO;
 * returns its fd (above 2, close-on-exec), or -1 with errno and *problem set (the text of the
 * error; also for a file that is not regular, or that another user owns or may write to). */
int zaph_open_regular(const char *path, int flags, const char **problem);

/* files.c: why a file could not be created at path (err from the attempt), for an error
 * line; async-signal-safe, errno kept. */
const char *zaph_create_problem(const char *path, int err);

/* files.c: which file a descriptor is on. zaph_file_id_of returns 0 or -1 (errno set);
 * zaph_fd_is is nonzero when fd is still on the file id names, errno kept. */
struct zaph_file_id {
  dev_t dev;
  ino_t ino;
};
int zaph_file_id_of(int fd, struct zaph_file_id *id);
int zaph_fd_is(int fd, const struct zaph_file_id *id);

/* files.c: why path cannot be written or joined, when something other than a regular file is
 * there (a directory, a device, a FIFO, a link to one); NULL when it is a regular file or
 * absent. */
const char *zaph_not_regular(const char *path);

/* files.c: a file written beside path and renamed into its place, so that a reader sees the
 * old file or the new one, never part of one. zaph_temp_create makes "<path>.XXXXXX" (mode
 * 0644, fd above 2, close-on-exec); zaph_temp_close closes it; zaph_temp_commit renames it to
 * path; zaph_temp_discard closes and removes what is left (nothing after a commit, but the
 * descriptor while open). Each returns 0, or -1 with errno set; create leaves nothing behind. */
struct zaph_temp_file {
  char *name;
  int fd;
};
int zaph_temp_create(struct zaph_temp_file *t, const char *path);
int zaph_temp_close(struct zaph_temp_file *t);
int zaph_temp_commit(struct zaph_temp_file *t, const char *path);
void zaph_temp_discard(struct zaph_temp_file *t);

/* files.c: "<path>.<pid>", where the counts go when the file at path cannot be used
 * (malloc()ed; NULL when memory runs out). */
char *zaph_beside_path(const char *path);

/* files.c: takes (F_WRLCK, F_RDLCK) or drops (F_UNLCK) an fcntl lock on the first len bytes of
 * fd's file (0: all of it), waiting, retried on EINTR; returns 0, or -1 with errno set. */
int zaph_lock_fd(int fd, int type, off_t len);

/* util.c: between hold and release, the calling thread's own writes, truncations and
 * allocations fail with EPIPE or EFBIG instead of raising SIGPIPE or SIGXFSZ in the program;
 * errno is kept by both. */
struct zaph_signal_hold {
  sigset_t mask, pending;
};
void zaph_signals_hold(struct zaph_signal_hold *hold);
void zaph_signals_release(struct zaph_signal_hold *hold);

/* util.c: writes all of data to fd, retrying on EINTR, raising no signal; 0 or -1 (errno). */
int zaph_write_all(int fd, const char *data, size_t len);

/* util.c: ends the process by sig as if the runtime had no handler for it
 * (async-signal-safe). */
void zaph_die_of_signal(int sig);

/* mapping_guard.c: guards bytes at base (continuous mode's mapping) against its file being cut
 * short: a SIGBUS there puts anonymous memory in its place instead of killing the program.
 * Returns 0, or -1 with errno set when the handler cannot be installed. zaph_mapping_cut_short
 * is nonzero once that happened (counts since are lost). */
int zaph_guard_mapping(char *base, size_t bytes);
int zaph_mapping_cut_short(void);

/* util.c: makes room for one more element in *items (count used of *cap, each size bytes),
 * doubling from first; returns 0, or -1 with *items unchanged when memory runs out.
 * zaph_grow_zeroed makes room for need elements, the new ones zero. */
int zaph_grow(void *items, uint32_t *cap, uint32_t count, size_t size, uint32_t first);
int zaph_grow_zeroed(void *items, uint32_t *cap, uint32_t need, size_t size, uint32_t first);

/* util.c: reports one of the runtime's own errors: "zaph: error: <message>" on stderr, errno
 * kept; zaph_warning likewise, "zaph: warning: <message>". */
void zaph_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void zaph_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#pragma GCC visibility pop

#endif
