/* Per-thread counting. The pass's inline fast path only increments a hot slot whose ready flag
 * is set; everything else happens here: a thread's first entry, an op's first entry in a
 * request, a module entered before it was registered. Request begin and end fold and re-arm
 * the slots a thread made ready; thread exit folds its counts into the retired totals; fork()
 * leaves the child with its own thread only, zeroed. docs/design.md explains the layout. */
#include "runtime.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BLOCK_BYTES (ZAPH_BLOCK_HEADER + (size_t)ZAPH_MAX_OPS * ZAPH_SLOT_SIZE)

/* Counts that another thread reads (a dump) or zeroes (a reset) are accessed with relaxed
 * atomics: plain moves on x86-64 and arm64, and honest to ThreadSanitizer. Only the owning
 * thread increments, so ADD need not be one atomic step. */
#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define ADD(x, v) STORE(x, LOAD(x) + (v))

/* Where every thread starts: every ready flag is 0, so every entry takes the slow path, which
 * never writes here. */
__attribute__((aligned(4096))) char zaph_bootstrap_block[BLOCK_BYTES];

ZAPH_API __thread char *__zaph_self __attribute__((tls_model("initial-exec"))) =
    zaph_bootstrap_block;

/* Set while the runtime itself runs on this thread, so that an instrumented function called
 * from inside the runtime (a malloc interposer, say) is not counted into half-built state. */
static __thread int in_runtime __attribute__((tls_model("initial-exec")));
static __thread int thread_failed __attribute__((tls_model("initial-exec")));

static struct thread_state *threads;
static struct op_counts *retired;
static uint32_t retired_len;
static uint64_t retired_requests;
static uint32_t committed_slots;
static pthread_key_t thread_key;
/* Block modules of threads whose state could not be allocated count here, unread; made on the
 * first such thread only (discard_locked). */
static char *discard_block;

/* A thread's mapping: its block, side counts, armed list and per-op touches, each region
 * reserved for ZAPH_MAX_OPS slots (or ops) and made writable as far as slots are registered
 * (there are never more ops than slots). */
static size_t page_size, side_offset, armed_offset, touch_offset, mapping_bytes;

static size_t round_to_page(size_t n) { return (n + page_size - 1) / page_size * page_size; }

static uint64_t *block_slot(char *block, uint32_t slot) {
  return (uint64_t *)(block + ZAPH_BLOCK_HEADER + (size_t)slot * ZAPH_SLOT_SIZE);
}

/* The hot slot of op j of module r in thread t. */
static uint64_t *hot_slot(const struct thread_state *t, const struct module_record *r,
                          uint32_t j) {
  if (r->tls)
    return (uint64_t *)(t->tls_anchor + r->tls_offset + (size_t)j * ZAPH_SLOT_SIZE);
  return block_slot(t->block, r->first_slot + j);
}

static int commit_mapping(char *map, uint32_t slots) {
  int rw = PROT_READ | PROT_WRITE;
  if (mprotect(map, round_to_page(ZAPH_BLOCK_HEADER + (size_t)slots * ZAPH_SLOT_SIZE), rw))
    return -1;
  if (map == discard_block)
    return 0;
  if (mprotect(map + side_offset, round_to_page((size_t)slots * sizeof(struct side_counts)), rw) ||
      mprotect(map + armed_offset, round_to_page((size_t)slots * sizeof(struct armed_slot)), rw))
    return -1;
  return mprotect(map + touch_offset, round_to_page((size_t)slots * sizeof(struct op_touch)), rw);
}

/* Reserves a thread's mapping (PROT_NONE: no memory, no overcommit charge) and makes the
 * registered part writable. */
static char *map_thread(void) {
  void *p = mmap(NULL, mapping_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  if (commit_mapping(p, committed_slots) != 0) {
    munmap(p, mapping_bytes);
    return NULL;
  }
  return p;
}

/* The discard block counts inline for every registered block slot: its counts are unread. */
static void set_discard_ready_locked(uint32_t from, uint32_t to) {
  for (uint32_t s = from; discard_block && s < to; s++)
    block_slot(discard_block, s)[1] = 1;
}

/* Returns the discard block, making it on first use: a block only (no side counts), with
 * every committed slot ready, so a thread without state stays on the fast path. */
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
  set_discard_ready_locked(ZAPH_SINK_OPS, committed_slots);
  return discard_block;
}

int zaph_commit_slots_locked(uint32_t slots) {
  if (slots <= committed_slots)
    return 0;
  uint32_t want = (slots + 4095) & ~4095u;
  if (want > ZAPH_MAX_OPS)
    want = ZAPH_MAX_OPS;
  for (struct thread_state *t = threads; t; t = t->next)
    if (commit_mapping(t->block, want) != 0)
      goto fail;
  if (discard_block && commit_mapping(discard_block, want) != 0)
    goto fail;
  set_discard_ready_locked(committed_slots, want);
  committed_slots = want;
  return 0;
fail:
  zaph_error("cannot commit counters for %u ops: %s", want - ZAPH_SINK_OPS, strerror(errno));
  return -1;
}

/* Ends the thread's open request: the entries since each op's first entry in it were inside. */
static void fold_open_request(struct thread_state *t) {
  for (uint32_t k = 0; k < t->armed_len; k++) {
    struct armed_slot *a = &t->armed[k];
    if (LOAD(a->inside)) {
      ADD(t->side[a->slot].inside, LOAD(a->hot[0]) - LOAD(t->side[a->slot].mark));
      STORE(a->inside, 0);
    }
  }
  STORE(t->in_request, 0);
}

/* Clears the ready flags the thread set, so each op's next entry takes the slow path. */
static void disarm(struct thread_state *t) {
  for (uint32_t k = 0; k < t->armed_len; k++)
    STORE(t->armed[k].hot[1], 0);
  STORE(t->armed_len, 0);
}

static int grow_retired_locked(void) {
  if (retired_len >= zaph_op_count)
    return 0;
  struct op_counts *r = realloc(retired, zaph_op_count * sizeof *r);
  if (!r)
    return -1;
  memset(r + retired_len, 0, (zaph_op_count - retired_len) * sizeof *r);
  retired = r;
  retired_len = zaph_op_count;
  return 0;
}

/* Adds thread t's counts to out (indexed by op), the open request's inside entries included. */
static void add_thread_counts(const struct thread_state *t, struct op_counts *out) {
  for (uint32_t m = 0; m < zaph_module_count; m++) {
    const struct module_record *r = &zaph_modules[m];
    for (uint32_t j = 0; j < r->n_ops; j++) {
      uint32_t s = r->first_slot + j;
      struct op_counts *c = &out[zaph_slot_op[s]];
      c->entries += LOAD(hot_slot(t, r, j)[0]);
      c->inside += LOAD(t->side[s].inside);
    }
  }
  for (uint32_t op = 0; op < zaph_op_count; op++)
    out[op].touched += LOAD(t->touch[op].touched);
  if (!LOAD(t->in_request))
    return;
  uint32_t armed = LOAD(t->armed_len);
  for (uint32_t k = 0; k < armed; k++) {
    const struct armed_slot *a = &t->armed[k];
    if (LOAD(a->inside))
      out[zaph_slot_op[a->slot]].inside += LOAD(a->hot[0]) - LOAD(t->side[a->slot].mark);
  }
}

static void unlink_locked(struct thread_state *t) {
  if (t->prev)
    t->prev->next = t->next;
  else
    threads = t->next;
  if (t->next)
    t->next->prev = t->prev;
}

static void free_thread(struct thread_state *t) {
  if (t->block)
    munmap(t->block, mapping_bytes);
  free(t);
}

/* The pthread_key destructor: keeps an exiting thread's counts. */
static void thread_exit(void *arg) {
  struct thread_state *t = arg;
  in_runtime = 1;
  pthread_mutex_lock(&zaph_lock);
  if (t->in_request)
    fold_open_request(t);
  if (grow_retired_locked() == 0) {
    add_thread_counts(t, retired);
    retired_requests += t->requests - t->requests_at_reset;
  } else {
    zaph_error("cannot keep the counts of an exiting thread: %s", strerror(ENOMEM));
  }
  disarm(t); /* an entry in a later destructor starts the thread over */
  unlink_locked(t);
  pthread_mutex_unlock(&zaph_lock);
  __zaph_self = zaph_bootstrap_block;
  free_thread(t);
  in_runtime = 0;
}

/* Gives the calling thread its state; returns it, or NULL. */
static struct thread_state *thread_start(void) {
  zaph_once_init();
  struct thread_state *t = calloc(1, sizeof *t);
  pthread_mutex_lock(&zaph_lock);
  if (t && (t->block = map_thread())) {
    t->side = (struct side_counts *)(t->block + side_offset);
    t->armed = (struct armed_slot *)(t->block + armed_offset);
    t->touch = (struct op_touch *)(t->block + touch_offset);
    t->tls_anchor = (char *)&__zaph_self;
    ((struct block_header *)t->block)->thread = t;
    t->next = threads;
    if (threads)
      threads->prev = t;
    threads = t;
    pthread_mutex_unlock(&zaph_lock);
    pthread_setspecific(thread_key, t);
    __zaph_self = t->block;
    return t;
  }
  int err = t ? errno : ENOMEM;
  static int reported;
  if (!reported++)
    zaph_error("cannot allocate counters for a thread: %s; %s", strerror(err),
               zaph_continuous ? "its entries are counted as outside requests"
                               : "its entries are not counted");
  /* In continuous mode the thread stays on the slow path, which counts without thread state
   * (requests need it); otherwise it goes to the fast path, counting into the discard block. */
  if (!zaph_continuous && discard_locked())
    __zaph_self = discard_block;
  thread_failed = 1;
  pthread_mutex_unlock(&zaph_lock);
  if (t)
    free_thread(t);
  return NULL;
}

/* Returns the thread's state, starting the thread if this is its first entry. */
static struct thread_state *current_thread(void) {
  char *self = __zaph_self;
  if (self == zaph_bootstrap_block)
    return thread_failed ? NULL : thread_start();
  return ((struct block_header *)self)->thread;
}

/* Everything the slow path does but continuous mode's common case (below). */
static __attribute__((preserve_most, noinline)) void enter_general(struct zaph_module *m,
                                                                   uint32_t i, uint64_t *hot) {
  if (in_runtime)
    return;
  int saved = errno;
  in_runtime = 1;
  int tls = (m->flags & ZAPH_MODULE_TLS) != 0;
  uint32_t first = __atomic_load_n(&m->first_slot, __ATOMIC_ACQUIRE);
  if (!first && m->register_module) {
    m->register_module(); /* the module's constructor, which has not run yet */
    first = __atomic_load_n(&m->first_slot, __ATOMIC_ACQUIRE);
  }
  struct thread_state *t = current_thread();
  if (!tls) /* the block, or the module's base, may have changed since the caller looked */
    hot = (uint64_t *)(__zaph_self + __atomic_load_n(&m->base, __ATOMIC_ACQUIRE) +
                       (size_t)i * ZAPH_SLOT_SIZE);
  if (!first || (!t && !zaph_continuous)) {
    if (tls) /* not countable: stay off the slow path from now on */
      STORE(hot[1], 1);
  } else if (zaph_continuous) {
    zaph_continuous_count(first + i, t); /* never ready: every entry comes here */
  } else {
    uint32_t s = first + i;
    ADD(hot[0], 1);
    if (!LOAD(hot[1])) {
      STORE(hot[1], 1);
      struct armed_slot *a = &t->armed[t->armed_len];
      a->hot = hot;
      a->slot = s;
      STORE(a->inside, (uint32_t)t->in_request);
      if (t->in_request) {
        struct op_touch *touch = &t->touch[zaph_slot_op[s]];
        STORE(t->side[s].mark, LOAD(hot[0]) - 1);
        if (touch->last_request != t->requests) {
          touch->last_request = t->requests;
          ADD(touch->touched, 1);
        }
      }
      /* Published last: a dump reads armed entries below armed_len only. */
      __atomic_store_n(&t->armed_len, t->armed_len + 1, __ATOMIC_RELEASE);
    }
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
    char *self = __zaph_self;
    struct thread_state *t =
        self == zaph_bootstrap_block ? NULL : ((struct block_header *)self)->thread;
    if (first && t && zaph_continuous_count(first + i, t))
      return;
  }
  __attribute__((musttail)) return enter_general(m, i, hot);
}

/* The out-of-line part of an op entry. preserve_most keeps the inline fast path free of
 * register spills: the caller's registers survive this call without being saved there. This
 * function only picks the mode's path and jumps to it, so it saves nothing itself. */
ZAPH_API __attribute__((preserve_most)) void __zaph_enter_slow(struct zaph_module *m, uint32_t i,
                                                               uint64_t *hot) {
  if (zaph_continuous)
    __attribute__((musttail)) return enter_continuous(m, i, hot);
  __attribute__((musttail)) return enter_general(m, i, hot);
}

ZAPH_API int zaph_request_begin(void) {
  int saved = errno;
  struct thread_state *t = current_thread();
  if (t) {
    if (t->in_request)
      fold_open_request(t);
    disarm(t);
    STORE(t->requests, t->requests + 1);
    STORE(t->in_request, 1);
    if (zaph_continuous)
      zaph_continuous_request();
  }
  errno = saved;
  return t ? 0 : -1;
}

/* Called by the pass at the entry of every zaph_request function. */
ZAPH_API void __zaph_request_enter(void) { zaph_request_begin(); }

ZAPH_API int zaph_request_end(void) {
  char *self = __zaph_self;
  struct thread_state *t =
      self == zaph_bootstrap_block ? NULL : ((struct block_header *)self)->thread;
  if (t && t->in_request)
    fold_open_request(t);
  return 0;
}

int zaph_snapshot_locked(struct op_counts *out, uint64_t *requests) {
  memset(out, 0, zaph_op_count * sizeof *out);
  if (retired_len)
    memcpy(out, retired, retired_len * sizeof *out);
  uint64_t total = retired_requests;
  for (struct thread_state *t = threads; t; t = t->next) {
    add_thread_counts(t, out);
    total += LOAD(t->requests) - t->requests_at_reset;
  }
  for (uint32_t i = 0; i < zaph_op_count; i++)
    out[i].outside = out[i].entries - out[i].inside;
  *requests = total;
  return 0;
}

/* A request that is open during a reset counts as one request afterwards, so that its later
 * first entries never make requests_touching exceed requests. */
void zaph_reset_locked(void) {
  if (retired_len)
    memset(retired, 0, retired_len * sizeof *retired);
  retired_requests = 0;
  for (struct thread_state *t = threads; t; t = t->next) {
    for (uint32_t m = 0; m < zaph_module_count; m++) {
      const struct module_record *r = &zaph_modules[m];
      for (uint32_t j = 0; j < r->n_ops; j++) {
        STORE(hot_slot(t, r, j)[0], 0);
        STORE(t->side[r->first_slot + j].inside, 0);
        STORE(t->side[r->first_slot + j].mark, 0);
      }
    }
    for (uint32_t op = 0; op < zaph_op_count; op++)
      STORE(t->touch[op].touched, 0);
    t->requests_at_reset = LOAD(t->requests) - (LOAD(t->in_request) ? 1 : 0);
  }
}

ZAPH_API int zaph_reset(void) {
  int saved = errno;
  zaph_once_init();
  pthread_mutex_lock(&zaph_lock);
  zaph_reset_locked();
  if (zaph_continuous) {
    uint32_t open = 0;
    for (struct thread_state *t = threads; t; t = t->next)
      open += LOAD(t->in_request) != 0;
    zaph_continuous_reset_locked(open);
  }
  pthread_mutex_unlock(&zaph_lock);
  zaph_mark_start();
  errno = saved;
  return 0;
}

static void before_fork(void) { pthread_mutex_lock(&zaph_lock); }
static void after_fork_parent(void) { pthread_mutex_unlock(&zaph_lock); }

/* The child has one thread: drop the others' state, zero the rest, and let a request that was
 * open at fork() go on in the parent only (the child's entries count as outside requests). */
static void after_fork_child(void) {
  char *self = __zaph_self;
  struct thread_state *mine =
      self == zaph_bootstrap_block ? NULL : ((struct block_header *)self)->thread;
  struct thread_state *t = threads;
  while (t) {
    struct thread_state *next = t->next;
    if (t != mine) {
      unlink_locked(t);
      free_thread(t);
    }
    t = next;
  }
  zaph_reset_locked();
  if (mine && mine->in_request) {
    for (uint32_t k = 0; k < mine->armed_len; k++)
      mine->armed[k].inside = 0;
    mine->in_request = 0;
    mine->requests_at_reset = mine->requests;
  }
  pthread_mutex_unlock(&zaph_lock);
  zaph_mark_start();
}

void zaph_threads_init(void) {
  page_size = (size_t)sysconf(_SC_PAGESIZE);
  side_offset = round_to_page(BLOCK_BYTES);
  armed_offset = side_offset + round_to_page((size_t)ZAPH_MAX_OPS * sizeof(struct side_counts));
  touch_offset = armed_offset + round_to_page((size_t)ZAPH_MAX_OPS * sizeof(struct armed_slot));
  mapping_bytes = touch_offset + round_to_page((size_t)ZAPH_MAX_OPS * sizeof(struct op_touch));
  pthread_key_create(&thread_key, thread_exit);
  pthread_atfork(before_fork, after_fork_parent, after_fork_child);
  pthread_mutex_lock(&zaph_lock);
  committed_slots = ZAPH_SINK_OPS;
  pthread_mutex_unlock(&zaph_lock);
}
