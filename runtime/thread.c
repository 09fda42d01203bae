/* Per-thread counting. The pass's inline code (zaph_count_entry() in include/zaph_abi.h)
 * counts every entry of a thread that has state, comparing the op's slot with the thread's
 * epoch; request begin and end only store a new epoch. Everything else happens here: a
 * thread's first entry, a module entered before it was registered, continuous mode, the first
 * entry in a request of an op that has slots in several modules. Thread exit folds a thread's
 * counts into the retired totals; fork() leaves the child with its own thread only, zeroed.
 * docs/design.md explains the layout. */
#include "runtime.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define BLOCK_BYTES (ZAPH_BLOCK_HEADER + (size_t)ZAPH_MAX_OPS * ZAPH_SLOT_SIZE)

_Static_assert(offsetof(struct zaph_tls, self) == ZAPH_TLS_SELF &&
                   offsetof(struct zaph_tls, epoch) == ZAPH_TLS_EPOCH &&
                   offsetof(struct zaph_tls, none) == ZAPH_TLS_NONE,
               "the pass reads struct zaph_tls at these offsets");
_Static_assert(sizeof(struct thread_state) <= 4096, "a thread's state fits its page");
_Static_assert(offsetof(struct zaph_module, epoch_offset) == 32 &&
                   offsetof(struct zaph_module, shared) == ZAPH_MODULE_SHARED_OFFSET,
               "the pass reads struct zaph_module at these offsets");

/* Counts that another thread reads (a dump) or zeroes (a reset) are accessed with relaxed
 * atomics: plain moves on x86-64 and arm64, and honest to ThreadSanitizer. Only the owning
 * thread increments, so ADD need not be one atomic step. */
#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define ADD(x, v) STORE(x, LOAD(x) + (v))

/* Where every thread starts: its epoch is ZAPH_EPOCH_NONE, so every entry takes the slow
 * path, which never writes here. */
__attribute__((aligned(4096))) char zaph_bootstrap_block[BLOCK_BYTES];

ZAPH_API __thread struct zaph_tls __zaph_tls __attribute__((tls_model("initial-exec"))) = {
    zaph_bootstrap_block, ZAPH_EPOCH_NONE, ZAPH_EPOCH_NONE, 0, NULL};

intptr_t zaph_exe_epoch_offset = offsetof(struct zaph_tls, spare);

/* Set while the runtime itself runs on this thread, so that an instrumented function called
 * from inside the runtime (a malloc interposer, say) is not counted into half-built state. */
static __thread int in_runtime __attribute__((tls_model("initial-exec")));
static __thread int thread_failed __attribute__((tls_model("initial-exec")));

int zaph_runtime_enter(void) {
  int previous = in_runtime;
  in_runtime = 1;
  return previous;
}

void zaph_runtime_leave(int previous) { in_runtime = previous; }
/* Set when the thread's state was retired at its end: later entries (in key destructors that
 * run after the runtime's) are added to the retired totals one by one, as outside requests. A
 * thread never starts over, because glibc runs destructors a bounded number of rounds and a
 * state started in the last one would never be retired. */
static __thread int thread_ended __attribute__((tls_model("initial-exec")));

static struct thread_state *threads;
static struct op_counts *retired;
static uint32_t retired_cap;
static uint64_t retired_requests;
static uint32_t committed_slots;
static pthread_key_t thread_key;
/* Block modules of threads whose state could not be allocated count here, unread; made on the
 * first such thread only (discard_locked). */
static char *discard_block;

/* A thread's mapping: its block, its state (one page) and, in continuous mode, its per-op
 * touches, the block and the touches reserved for ZAPH_MAX_OPS slots (or ops: there are never
 * more ops than slots) and made writable as far as slots are registered; the inline code and
 * the lock-free slow path use them, so they never move. The counts of its slots at the last
 * reset (its bases) are read and written under zaph_lock only, so they have a mapping of
 * their own, as large as the registered slots need, which grows (and may move) with them.
 * Nothing here is malloc()ed, so starting a thread takes no malloc() lock: a thread's first
 * entry may be in a signal handler that interrupted malloc(). */
static size_t page_size, state_offset, touch_offset, mapping_bytes;

static size_t round_to_page(size_t n) { return (n + page_size - 1) / page_size * page_size; }

/* Address space held for threads' state (their mappings and bases, the discard block). Added
 * to under zaph_lock, taken from also by an ending thread after it left the lock, so atomic. */
static size_t reserved_bytes;

static void account(size_t more, size_t less) {
  __atomic_fetch_add(&reserved_bytes, more - less, __ATOMIC_RELAXED);
}

/* Under an address-space limit (RLIMIT_AS, `ulimit -v`) the runtime holds at most a quarter of
 * it for threads' state, room for the discard block included, so that the program's own
 * stacks and heap find the room they would have without it; a thread beyond that runs
 * without state. Returns whether `more` bytes fit. */
static int within_share(size_t more) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return 1;
  size_t kept = discard_block ? 0 : round_to_page(BLOCK_BYTES);
  return __atomic_load_n(&reserved_bytes, __ATOMIC_RELAXED) + more + kept <= limit.rlim_cur / 4;
}

int zaph_share_take(size_t bytes) {
  bytes = round_to_page(bytes);
  if (!within_share(bytes))
    return 0;
  account(bytes, 0);
  return 1;
}

void zaph_share_give(size_t bytes) { account(0, round_to_page(bytes)); }

/* The bytes of a thread's bases for slots below `slots`; the sink's slots have none. */
static size_t base_bytes(uint32_t slots) {
  size_t n = slots > ZAPH_SINK_OPS ? slots - ZAPH_SINK_OPS : 1;
  return round_to_page(n * sizeof(struct slot_base));
}

/* The base of slot in thread t. */
static struct slot_base *base_of(const struct thread_state *t, uint32_t slot) {
  return &t->base[slot - ZAPH_SINK_OPS];
}

/* The executable's epoch in the calling thread. */
static uint64_t *exe_epoch(void) {
  return (uint64_t *)((char *)&__zaph_tls +
                      __atomic_load_n(&zaph_exe_epoch_offset, __ATOMIC_RELAXED));
}

/* The epoch the inline code of both kinds of module reads in the calling thread. */
static void set_visible_epoch(uint64_t block_epoch, uint64_t executable_epoch) {
  __zaph_tls.epoch = block_epoch;
  *exe_epoch() = executable_epoch;
}

/* The calling thread's state, or NULL (not started, failed, ended). */
static struct thread_state *this_thread(void) { return __zaph_tls.thread; }

/* Requests begun on thread t. */
static uint64_t requests_of(const struct thread_state *t) {
  return LOAD(t->latest_request) & ~ZAPH_EPOCH_INSIDE;
}

/* The hot slot `slot` (described by place) in thread t. */
static uint64_t *slot_in(const struct thread_state *t, const struct slot_place *place) {
  return (uint64_t *)((place->tls ? t->tls_anchor : t->block) + place->offset);
}

/* The hot slot of op j of module r in thread t. */
static uint64_t *hot_slot(const struct thread_state *t, const struct module_record *r,
                          uint32_t j) {
  return slot_in(t, &zaph_slot_places[r->first_slot + j]);
}

static int commit_mapping(char *map, uint32_t slots) {
  int rw = PROT_READ | PROT_WRITE;
  if (mprotect(map, round_to_page(ZAPH_BLOCK_HEADER + (size_t)slots * ZAPH_SLOT_SIZE), rw))
    return -1;
  if (map == discard_block)
    return 0;
  if (mprotect(map + state_offset, page_size, rw))
    return -1;
  if (!zaph_continuous)
    return 0;
  return mprotect(map + touch_offset, round_to_page((size_t)slots * sizeof(struct op_touch)), rw);
}

/* Reserves a thread's mapping (PROT_NONE: no memory, no overcommit charge), makes the
 * registered part writable and maps its bases; returns the state in it, or NULL. */
static struct thread_state *map_thread(void) {
  void *p = mmap(NULL, mapping_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  void *base = MAP_FAILED;
  if (commit_mapping(p, committed_slots) != 0 ||
      (base = mmap(NULL, base_bytes(committed_slots), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED) {
    int err = errno;
    munmap(p, mapping_bytes);
    errno = err;
    return NULL;
  }
  struct thread_state *t = (struct thread_state *)((char *)p + state_offset);
  t->block = p;
  t->base = base;
  t->base_size = base_bytes(committed_slots);
  account(mapping_bytes + t->base_size, 0);
  return t;
}

/* Grows thread t's bases to hold slots below `slots`; the mapping may move. */
static int grow_bases(struct thread_state *t, uint32_t slots) {
  size_t bytes = base_bytes(slots);
  if (bytes <= t->base_size)
    return 0;
  void *moved = mremap(t->base, t->base_size, bytes, MREMAP_MAYMOVE);
  if (moved == MAP_FAILED)
    return -1;
  account(bytes, t->base_size);
  t->base = moved;
  t->base_size = bytes;
  return 0;
}

/* Returns the discard block, making it on first use: a block only (no touches). Its slots
 * are zero, and a thread on it stays outside requests, so every entry counts inline. */
static char *discard_locked(void) {
  if (discard_block)
    return discard_block;
  size_t bytes = round_to_page(BLOCK_BYTES);
  void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  if (mprotect(p, round_to_page(ZAPH_BLOCK_HEADER + (size_t)committed_slots * ZAPH_SLOT_SIZE),
               PROT_READ | PROT_WRITE) != 0) {
    munmap(p, bytes);
    return NULL;
  }
  discard_block = p;
  account(bytes, 0);
  return discard_block;
}

int zaph_commit_slots_locked(uint32_t slots) {
  if (slots <= committed_slots)
    return 0;
  uint32_t want = (slots + 4095) & ~4095u;
  if (want > ZAPH_MAX_OPS)
    want = ZAPH_MAX_OPS;
  for (struct thread_state *t = threads; t; t = t->next)
    if (commit_mapping(t->block, want) != 0 || grow_bases(t, want) != 0)
      goto fail;
  if (discard_block && commit_mapping(discard_block, want) != 0)
    goto fail;
  committed_slots = want;
  return 0;
fail:
  zaph_error("cannot commit counters for %u ops: %s", want - ZAPH_SINK_OPS, strerror(errno));
  return -1;
}

/* Makes room in the retired totals for every op registered so far (retired_cap may exceed
 * zaph_op_count: the ops beyond it are zero). */
static int grow_retired_locked(void) {
  return zaph_grow_zeroed(&retired, &retired_cap, zaph_op_count, sizeof *retired, 256);
}

/* The counts of one hot slot as they are now. A slot's entries outside requests are its
 * outside base, plus its entries when its latest entry was outside (zaph_abi.h); a timed op's
 * slot counts both in steps of 2^shift. */
static struct slot_base read_slot(const uint64_t *hot, unsigned shift) {
  uint64_t seen = LOAD(hot[ZAPH_HOT_SEEN]);
  uint64_t entries = LOAD(hot[ZAPH_HOT_ENTRIES]);
  uint64_t outside = LOAD(hot[ZAPH_HOT_OUTSIDE_BASE]) + (seen == ZAPH_EPOCH_OUTSIDE ? entries : 0);
  struct slot_base now = {entries >> shift, LOAD(hot[ZAPH_HOT_REQUESTS_TOUCHING]),
                          outside >> shift};
  return now;
}

/* Adds thread t's counts since the last reset to out (indexed by op). */
static void add_thread_counts(const struct thread_state *t, struct op_counts *out) {
  for (uint32_t m = 0; m < zaph_module_count; m++) {
    const struct module_record *r = &zaph_modules[m];
    for (uint32_t j = 0; j < r->n_ops; j++) {
      struct slot_base now = read_slot(hot_slot(t, r, j), zaph_slot_shift[r->first_slot + j]);
      const struct slot_base *base = base_of(t, r->first_slot + j);
      struct op_counts *c = &out[zaph_slot_op[r->first_slot + j]];
      c->entries += now.entries - base->entries;
      c->entries_outside += now.entries_outside - base->entries_outside;
      c->requests_touching += now.requests_touching - base->requests_touching;
    }
  }
}

/* What a reset leaves as the latest request of an op the thread's open request touched before
 * it: request 0, which no thread's epoch ever is (zaph_abi.h), so the op's next entry in that
 * request touches it again, as its first one after the reset. Inside requests, so a slot set
 * aside keeps its outside entries as they were. */
#define TOUCH_SET_ASIDE ZAPH_EPOCH_INSIDE

/* Sets word aside if it still names the open request: a compare-and-swap, because the owning
 * thread may be storing a new epoch there at the same moment, and that store must win. */
static void set_aside(uint64_t *word, uint64_t open) {
  __atomic_compare_exchange_n(word, &open, TOUCH_SET_ASIDE, 0, __ATOMIC_RELAXED,
                              __ATOMIC_RELAXED);
}

/* Makes thread t's counts as they are now its base: a reset never stores a count into the
 * slots another thread is incrementing, so no increment is undone by a reset and none made
 * after it is lost. The ops touched by the thread's open request (epoch `open`) are set aside,
 * so that request, which counts as one after the reset, touches again the ops it enters after
 * it. */
static void rebase_thread(struct thread_state *t, uint64_t open) {
  for (uint32_t m = 0; m < zaph_module_count; m++) {
    const struct module_record *r = &zaph_modules[m];
    for (uint32_t j = 0; j < r->n_ops; j++) {
      uint64_t *hot = hot_slot(t, r, j);
      *base_of(t, r->first_slot + j) = read_slot(hot, zaph_slot_shift[r->first_slot + j]);
      if (open != ZAPH_EPOCH_OUTSIDE && !zaph_continuous)
        set_aside(&hot[ZAPH_HOT_SEEN], open);
    }
  }
  if (open != ZAPH_EPOCH_OUTSIDE && zaph_continuous)
    for (uint32_t op = 0; op < zaph_op_count; op++)
      set_aside(&t->touch[op].last_request, open);
}

static void unlink_locked(struct thread_state *t) {
  if (t->prev)
    t->prev->next = t->next;
  else
    threads = t->next;
  if (t->next)
    t->next->prev = t->prev;
}

/* Under zaph_lock, or after t was retired (then no registration grows its bases). */
static void free_thread(struct thread_state *t) {
  zaph_timing_free_thread(t);
  account(0, mapping_bytes + t->base_size);
  munmap(t->base, t->base_size);
  munmap(t->block, mapping_bytes); /* t with it */
}

/* Adds thread t's counts to the retired totals and takes it off the list. */
static void retire_locked(struct thread_state *t) {
  if (grow_retired_locked() == 0) {
    add_thread_counts(t, retired);
    retired_requests += requests_of(t) - t->requests_at_reset;
    zaph_timing_retire_locked(t);
  } else {
    zaph_error("cannot keep the counts of an exiting thread: %s", strerror(ENOMEM));
  }
  unlink_locked(t);
}

/* The pthread_key destructor: keeps an exiting thread's counts. Entries after it (in a later
 * destructor) take the slow path, which adds them to the retired totals. */
static void thread_exit(void *arg) {
  struct thread_state *t = arg;
  in_runtime = 1;
  pthread_mutex_lock(&zaph_lock);
  retire_locked(t);
  pthread_mutex_unlock(&zaph_lock);
  __zaph_tls.self = zaph_bootstrap_block;
  __zaph_tls.thread = NULL;
  thread_ended = 1;
  set_visible_epoch(ZAPH_EPOCH_NONE, ZAPH_EPOCH_NONE);
  free_thread(t);
  in_runtime = 0;
}

/* Gives the calling thread its state; returns it, or NULL. The runtime has started. */
static struct thread_state *thread_start(void) {
  pthread_mutex_lock(&zaph_lock);
  int shared_out = !within_share(mapping_bytes + base_bytes(committed_slots));
  struct thread_state *t = shared_out ? NULL : map_thread();
  if (t) {
    t->touch = (struct op_touch *)(t->block + touch_offset);
    t->tls_anchor = (char *)&__zaph_tls;
    t->latest_request = ZAPH_EPOCH_INSIDE; /* no request yet */
    t->next = threads;
    if (threads)
      threads->prev = t;
    threads = t;
    pthread_mutex_unlock(&zaph_lock);
    pthread_setspecific(thread_key, t);
    __zaph_tls.self = t->block;
    __zaph_tls.thread = t;
    if (!zaph_continuous) /* in continuous mode every entry stays on the slow path */
      set_visible_epoch(t->epoch, t->epoch);
    return t;
  }
  const char *problem = shared_out ? "the runtime's quarter of the address-space limit is in use"
                                    : strerror(errno);
  static int reported;
  if (!reported++)
    zaph_error("cannot allocate counters for a thread: %s; %s", problem,
               zaph_continuous ? "its entries are counted as outside requests"
                               : "its entries are not counted");
  /* In continuous mode the thread stays on the slow path, which counts without thread state
   * (requests need it); otherwise it counts inline, unread: block modules into the discard
   * block (or, without one, on the slow path), the executable into its own slots. */
  if (!zaph_continuous) {
    char *discard = discard_locked();
    if (discard)
      __zaph_tls.self = discard;
    set_visible_epoch(discard ? ZAPH_EPOCH_OUTSIDE : ZAPH_EPOCH_NONE, ZAPH_EPOCH_OUTSIDE);
  }
  thread_failed = 1;
  pthread_mutex_unlock(&zaph_lock);
  return NULL;
}

const struct thread_state *zaph_threads_locked(void) { return threads; }

int zaph_thread_not_started(void) {
  return __zaph_tls.self == zaph_bootstrap_block && !thread_failed && !thread_ended;
}

/* Returns the thread's state, starting the thread if this is its first entry. */
static struct thread_state *current_thread(void) {
  return zaph_thread_not_started() ? thread_start() : this_thread();
}

/* An entry of slot on a thread whose state was retired: added to the retired totals. */
static void count_after_end(uint32_t slot) {
  pthread_mutex_lock(&zaph_lock);
  if (grow_retired_locked() == 0) {
    retired[zaph_slot_op[slot]].entries++;
    retired[zaph_slot_op[slot]].entries_outside++;
  }
  pthread_mutex_unlock(&zaph_lock);
}

/* Everything the slow path does but continuous mode's common case (below). */
static __attribute__((preserve_most, noinline)) void enter_general(struct zaph_module *m,
                                                                   uint32_t i, uint64_t *hot) {
  (void)hot; /* found again below: the block, or the module's base, may have changed */
  if (in_runtime)
    return;
  int saved = errno;
  in_runtime = 1;
  uint32_t first = __atomic_load_n(&m->first_slot, __ATOMIC_ACQUIRE);
  if (!first && m->register_module) {
    m->register_module(); /* the module's constructor, which has not run yet */
    first = __atomic_load_n(&m->first_slot, __ATOMIC_ACQUIRE);
  }
  /* A registered module means a started runtime, where a thread can start. */
  struct thread_state *t = first ? current_thread() : NULL;
  if (!first) {
    /* not registered (refused): not countable */
  } else if (zaph_continuous) {
    zaph_continuous_count(first + i, t);
  } else if (!t) {
    if (thread_ended)
      count_after_end(first + i);
  } else {
    /* The epochs the inline code sees may lag the thread's: a thread that started before the
     * executable's epoch was known. */
    set_visible_epoch(t->epoch, t->epoch);
    /* A timed op counts in its steps; the slow path does not time (the inline code does). */
    zaph_count_entry_step(m, i, slot_in(t, &zaph_slot_places[first + i]), t->epoch,
                          (uint64_t)1 << zaph_slot_shift[first + i]);
  }
  in_runtime = 0;
  errno = saved;
}

/* Continuous mode's common case (every entry comes to the slow path in that mode): a
 * registered module, a thread with state. Kept apart, in a few registers and without calls,
 * because a preserve_most function saves every register it uses; the rest goes on in
 * enter_general. */
static __attribute__((preserve_most, noinline)) void enter_continuous(struct zaph_module *m,
                                                                      uint32_t i, uint64_t *hot) {
  if (!in_runtime) {
    uint32_t first = __atomic_load_n(&m->first_slot, __ATOMIC_ACQUIRE);
    struct thread_state *t = this_thread();
    if (first && t && zaph_continuous_count(first + i, t))
      return;
  }
  __attribute__((musttail)) return enter_general(m, i, hot);
}

/* The out-of-line part of an op entry. preserve_most keeps the inline code free of register
 * spills: the caller's registers survive this call without being saved there. This function
 * only picks the mode's path and jumps to it, so it saves nothing itself. hot may be NULL
 * (a call through runtime/trampoline_x86_64.S). */
ZAPH_API __attribute__((preserve_most)) void __zaph_enter_slow(struct zaph_module *m, uint32_t i,
                                                               uint64_t *hot) {
  if (zaph_continuous)
    __attribute__((musttail)) return enter_continuous(m, i, hot);
  __attribute__((musttail)) return enter_general(m, i, hot);
}

/* The first entry in a request of a slot whose op has other slots (an inline function of a
 * header, entered through copies in several modules): the inline code has counted a touch.
 * If another slot of the op already has this request, the touch is taken back; the others
 * are marked as having it, so none of them counts it again. The thread's own slots only. */
ZAPH_API __attribute__((preserve_most)) void __zaph_enter_shared(struct zaph_module *m,
                                                                 uint32_t i, uint64_t *hot) {
  struct thread_state *t = this_thread();
  uint32_t slot = __atomic_load_n(&m->first_slot, __ATOMIC_ACQUIRE) + i;
  if (!t || slot == i)
    return;
  uint64_t epoch = t->epoch;
  int counted = 0;
  for (uint32_t s = __atomic_load_n(&zaph_slot_places[slot].next, __ATOMIC_ACQUIRE); s != slot;
       s = __atomic_load_n(&zaph_slot_places[s].next, __ATOMIC_ACQUIRE)) {
    uint64_t *other = slot_in(t, &zaph_slot_places[s]);
    uint64_t seen = LOAD(other[ZAPH_HOT_SEEN]);
    if (seen == epoch) {
      counted = 1;
      continue;
    }
    if (seen == ZAPH_EPOCH_OUTSIDE)
      ADD(other[ZAPH_HOT_OUTSIDE_BASE], LOAD(other[ZAPH_HOT_ENTRIES]));
    STORE(other[ZAPH_HOT_SEEN], epoch);
  }
  if (counted) {
    if (!hot) /* called through a trampoline */
      hot = slot_in(t, &zaph_slot_places[slot]);
    ADD(hot[ZAPH_HOT_REQUESTS_TOUCHING], (uint64_t)-1);
  }
}

/* zaph_request_begin() for a thread without state: not started yet, or ended (a request
 * begun in a late key destructor is not counted; its entries count as outside requests). */
static __attribute__((noinline)) int begin_first_request(void) {
  if (thread_ended)
    return 0;
  int saved = errno;
  if (zaph_thread_not_started())
    zaph_runtime_start(); /* if no module has yet: the first request may come first */
  struct thread_state *t = current_thread();
  errno = saved;
  return t ? zaph_request_begin() : -1;
}

/* Two stores of the new epoch (and the request count): nothing is walked, whatever the
 * previous request touched. */
ZAPH_API int zaph_request_begin(void) {
  struct thread_state *t = this_thread();
  if (__builtin_expect(t == NULL, 0))
    return begin_first_request();
  uint64_t epoch = t->latest_request + 1;
  STORE(t->latest_request, epoch);
  STORE(t->epoch, epoch);
  if (__builtin_expect(zaph_continuous, 0)) {
    zaph_continuous_request();
    return 0;
  }
  set_visible_epoch(epoch, epoch);
  return 0;
}

/* Called by the pass at the entry of every zaph_request function. */
ZAPH_API void __zaph_request_enter(void) { zaph_request_begin(); }

ZAPH_API int zaph_request_end(void) {
  struct thread_state *t = this_thread();
  if (t) {
    STORE(t->epoch, ZAPH_EPOCH_OUTSIDE);
    if (!zaph_continuous)
      set_visible_epoch(ZAPH_EPOCH_OUTSIDE, ZAPH_EPOCH_OUTSIDE);
  }
  return 0;
}

/* A dump that reads a thread while it counts may see a slot half-updated; the counts are
 * kept within the profile's invariants (docs/requests.md) so the file is always valid. */
static void keep_invariants(struct op_counts *c, uint64_t requests) {
  if (c->entries_outside > c->entries)
    c->entries_outside = c->entries;
  if (c->requests_touching > c->entries - c->entries_outside)
    c->requests_touching = c->entries - c->entries_outside;
  if (c->requests_touching > requests)
    c->requests_touching = requests;
}

int zaph_snapshot_locked(struct op_counts *out, uint64_t *requests) {
  memset(out, 0, zaph_op_count * sizeof *out);
  uint32_t retired_ops = retired_cap < zaph_op_count ? retired_cap : zaph_op_count;
  if (retired_ops)
    memcpy(out, retired, retired_ops * sizeof *out);
  uint64_t total = retired_requests;
  for (struct thread_state *t = threads; t; t = t->next) {
    add_thread_counts(t, out);
    total += requests_of(t) - t->requests_at_reset;
  }
  for (uint32_t i = 0; i < zaph_op_count; i++)
    keep_invariants(&out[i], total);
  *requests = total;
  return 0;
}

/* A request that is open during a reset counts as one request afterwards, so that its later
 * first entries never make requests_touching exceed requests. */
void zaph_reset_locked(void) {
  zaph_timing_reset_locked();
  if (retired_cap)
    memset(retired, 0, retired_cap * sizeof *retired);
  retired_requests = 0;
  for (struct thread_state *t = threads; t; t = t->next) {
    uint64_t open = LOAD(t->epoch);
    rebase_thread(t, open);
    t->requests_at_reset = requests_of(t) - (open != ZAPH_EPOCH_OUTSIDE ? 1 : 0);
  }
}

void zaph_reset_counts(void) {
  pthread_mutex_lock(&zaph_lock);
  zaph_reset_locked();
  if (zaph_continuous) {
    uint32_t open = 0;
    for (struct thread_state *t = threads; t; t = t->next)
      open += LOAD(t->epoch) != ZAPH_EPOCH_OUTSIDE;
    zaph_continuous_reset_locked(open);
  }
  pthread_mutex_unlock(&zaph_lock);
}

static void before_fork(void) { pthread_mutex_lock(&zaph_lock); }
static void after_fork_parent(void) { pthread_mutex_unlock(&zaph_lock); }

/* The child has one thread: drop the others' state, zero the rest, and let a request that was
 * open at fork() go on in the parent only (the child's entries count as outside requests).
 * A daemon() child instead goes on as the program, its parent ending without a write: the
 * other threads' counts are kept as those of threads that ended, the rest as it is. */
static void after_fork_child(void) {
  int continues = zaph_fork_continues();
  struct thread_state *mine = this_thread();
  struct thread_state *t = threads;
  while (t) {
    struct thread_state *next = t->next;
    if (t != mine) {
      if (continues)
        retire_locked(t);
      else
        unlink_locked(t);
      free_thread(t);
    }
    t = next;
  }
  if (continues) {
    pthread_mutex_unlock(&zaph_lock);
    return;
  }
  zaph_reset_locked();
  if (mine && mine->epoch != ZAPH_EPOCH_OUTSIDE) {
    mine->epoch = ZAPH_EPOCH_OUTSIDE;
    mine->requests_at_reset = requests_of(mine);
    if (!zaph_continuous)
      set_visible_epoch(ZAPH_EPOCH_OUTSIDE, ZAPH_EPOCH_OUTSIDE);
  }
  pthread_mutex_unlock(&zaph_lock);
  zaph_mark_start();
}

void zaph_threads_init(void) {
  page_size = (size_t)sysconf(_SC_PAGESIZE);
  state_offset = round_to_page(BLOCK_BYTES);
  touch_offset = state_offset + page_size;
  /* Continuous mode is on or off by now, before any module registers. */
  mapping_bytes = touch_offset + (zaph_continuous ? round_to_page((size_t)ZAPH_MAX_OPS *
                                                                  sizeof(struct op_touch))
                                                  : 0);
  zaph_timing_init();
  pthread_key_create(&thread_key, thread_exit);
  pthread_atfork(before_fork, after_fork_parent, after_fork_child);
  pthread_mutex_lock(&zaph_lock);
  committed_slots = ZAPH_SINK_OPS;
  pthread_mutex_unlock(&zaph_lock);
}
