/* Per-thread counting: each thread owns two counter blocks (outside / inside a request) and the
 * initial-exec TLS pointer __zaph_self points at the one in use. The pass's inline fast path
 * only increments; everything else — a thread's first entry, an op's first entry in a request,
 * registering a late module — happens here in __zaph_enter_slow. Thread exit folds a thread's
 * counts into the retired totals; fork() leaves the child with only its own thread, zeroed. */
#include "runtime.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Where every thread starts: every slot's ready flag is 0, so the fast path always falls
 * through to the slow path, which never writes here. */
__attribute__((aligned(64))) char zaph_bootstrap_block[ZAPH_BLOCK_HEADER +
                                                       (size_t)ZAPH_MAX_OPS * ZAPH_SLOT_SIZE];

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
/* Counts of threads whose blocks could not be allocated go here, and are dropped. */
static char *discard_block;

static struct block_header *header_of(char *block) { return (struct block_header *)block; }

static uint64_t *slot_word(char *block, uint32_t slot, unsigned offset) {
  return (uint64_t *)(block + ZAPH_BLOCK_HEADER + (size_t)slot * ZAPH_SLOT_SIZE + offset);
}

size_t zaph_block_bytes(uint32_t slots) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t bytes = ZAPH_BLOCK_HEADER + (size_t)slots * ZAPH_SLOT_SIZE;
  return (bytes + page - 1) / page * page;
}

/* Reserves address space for the largest block and makes the first committed_slots usable.
 * PROT_NONE reservations cost no memory and count against no overcommit limit. */
static char *map_block(void) {
  void *p = mmap(NULL, zaph_block_bytes(ZAPH_MAX_OPS), PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  if (mprotect(p, zaph_block_bytes(committed_slots), PROT_READ | PROT_WRITE) != 0) {
    munmap(p, zaph_block_bytes(ZAPH_MAX_OPS));
    return NULL;
  }
  return p;
}

static void unmap_block(char *block) {
  if (block)
    munmap(block, zaph_block_bytes(ZAPH_MAX_OPS));
}

/* The discard block counts inline for every registered op: its counts are never read. */
static void set_discard_ready_locked(uint32_t slots) {
  for (uint32_t s = ZAPH_SINK_OPS; discard_block && s < slots; s++)
    *slot_word(discard_block, s, ZAPH_SLOT_READY) = 1;
}

int zaph_commit_slots_locked(uint32_t slots) {
  if (slots <= committed_slots)
    return 0;
  uint32_t want = (slots + 2047) & ~2047u; /* grow by 64 KiB steps */
  if (want > ZAPH_MAX_OPS)
    want = ZAPH_MAX_OPS;
  size_t bytes = zaph_block_bytes(want);
  for (struct thread_state *t = threads; t; t = t->next) {
    if (mprotect(t->outside, bytes, PROT_READ | PROT_WRITE) != 0 ||
        mprotect(t->inside, bytes, PROT_READ | PROT_WRITE) != 0)
      goto fail;
  }
  if (discard_block && mprotect(discard_block, bytes, PROT_READ | PROT_WRITE) != 0)
    goto fail;
  committed_slots = want;
  set_discard_ready_locked(slots);
  return 0;
fail:
  zaph_error("cannot commit counters for %u ops: %s", want - ZAPH_SINK_OPS, strerror(errno));
  return -1;
}

/* Adds a thread's counts to the retired totals (for a thread that exits). */
static void retire_locked(struct thread_state *t) {
  if (retired_len < zaph_op_count) {
    struct op_counts *r = realloc(retired, zaph_op_count * sizeof *r);
    if (!r) {
      zaph_error("cannot keep the counts of an exiting thread: %s", strerror(ENOMEM));
      return;
    }
    memset(r + retired_len, 0, (zaph_op_count - retired_len) * sizeof *r);
    retired = r;
    retired_len = zaph_op_count;
  }
  for (uint32_t s = ZAPH_SINK_OPS; s < zaph_slot_count; s++) {
    struct op_counts *c = &retired[zaph_slot_op[s]];
    uint64_t outside = *slot_word(t->outside, s, ZAPH_SLOT_ENTRIES);
    c->entries += *slot_word(t->inside, s, ZAPH_SLOT_ENTRIES) + outside;
    c->touched += *slot_word(t->inside, s, ZAPH_SLOT_TOUCHED);
    c->outside += outside;
  }
  retired_requests += header_of(t->inside)->epoch - t->requests_at_reset;
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
  unmap_block(t->outside);
  unmap_block(t->inside);
  free(t->armed);
  free(t);
}

static void thread_exit(void *arg) {
  struct thread_state *t = arg;
  in_runtime = 1;
  pthread_mutex_lock(&zaph_lock);
  retire_locked(t);
  unlink_locked(t);
  pthread_mutex_unlock(&zaph_lock);
  __zaph_self = zaph_bootstrap_block; /* a later entry on this thread starts over */
  free_thread(t);
  in_runtime = 0;
}

/* Gives the calling thread its blocks; returns the block now in use, or NULL. */
static char *thread_start(void) {
  zaph_once_init();
  struct thread_state *t = calloc(1, sizeof *t);
  pthread_mutex_lock(&zaph_lock);
  if (t && (t->outside = map_block()) && (t->inside = map_block())) {
    header_of(t->outside)->thread = t;
    header_of(t->inside)->inside = 1;
    header_of(t->inside)->thread = t;
    t->next = threads;
    if (threads)
      threads->prev = t;
    threads = t;
    pthread_mutex_unlock(&zaph_lock);
    pthread_setspecific(thread_key, t);
    __zaph_self = t->outside;
    return t->outside;
  }
  int err = t ? errno : ENOMEM;
  static int reported;
  if (!reported++)
    zaph_error("cannot allocate counters for a thread: %s; its entries are not counted",
               strerror(err));
  if (discard_block)
    __zaph_self = discard_block;
  thread_failed = 1;
  pthread_mutex_unlock(&zaph_lock);
  if (t)
    free_thread(t);
  return NULL;
}

/* Notes a slot made ready in the inside block, to be cleared when the next request begins. */
static void remember_armed(struct thread_state *t, uint32_t slot) {
  if (t->armed_len == t->armed_cap) {
    uint32_t cap = t->armed_cap ? t->armed_cap * 2 : 64;
    uint32_t *armed = realloc(t->armed, cap * sizeof *armed);
    if (!armed) {
      t->armed_overflow = 1;
      return;
    }
    t->armed = armed;
    t->armed_cap = cap;
  }
  t->armed[t->armed_len++] = slot;
}

/* Makes every op's next entry on this thread the first of a new request. */
static void disarm_inside(struct thread_state *t) {
  if (t->armed_overflow) {
    for (uint32_t s = ZAPH_SINK_OPS; s < zaph_slot_count; s++)
      *slot_word(t->inside, s, ZAPH_SLOT_READY) = 0;
    t->armed_overflow = 0;
  } else {
    for (uint32_t k = 0; k < t->armed_len; k++)
      *slot_word(t->inside, t->armed[k], ZAPH_SLOT_READY) = 0;
  }
  t->armed_len = 0;
}

/* Returns the thread's state, starting the thread if this is its first entry. */
static struct thread_state *current_thread(void) {
  char *self = __zaph_self;
  if (self == zaph_bootstrap_block) {
    if (thread_failed || !(self = thread_start()))
      return NULL;
  }
  return header_of(self)->thread;
}

/* The out-of-line part of an op entry. preserve_most keeps the inline fast path free of
 * register spills: the caller's registers survive this call without being saved there. */
ZAPH_API __attribute__((preserve_most)) void __zaph_enter_slow(struct zaph_module *m,
                                                               uint32_t i) {
  if (in_runtime)
    return;
  int saved = errno;
  in_runtime = 1;
  if (__atomic_load_n(&m->base, __ATOMIC_ACQUIRE) == ZAPH_MODULE_BASE_INIT) {
    zaph_once_init();
    pthread_mutex_lock(&zaph_lock);
    zaph_register_locked(m);
    pthread_mutex_unlock(&zaph_lock);
  }
  uint64_t base = __atomic_load_n(&m->base, __ATOMIC_ACQUIRE);
  struct thread_state *t = current_thread();
  if (t && base != ZAPH_MODULE_BASE_INIT) {
    char *self = __zaph_self;
    uint64_t *slot = (uint64_t *)(self + base + (size_t)i * ZAPH_SLOT_SIZE);
    slot[ZAPH_SLOT_ENTRIES / 8]++;
    if (!slot[ZAPH_SLOT_READY / 8]) {
      slot[ZAPH_SLOT_READY / 8] = 1;
      if (header_of(self)->inside) {
        slot[ZAPH_SLOT_TOUCHED / 8]++;
        remember_armed(t, (uint32_t)((base - ZAPH_BLOCK_HEADER) / ZAPH_SLOT_SIZE + i));
      }
    }
  }
  in_runtime = 0;
  errno = saved;
}

ZAPH_API int zaph_request_begin(void) {
  int saved = errno;
  struct thread_state *t = current_thread();
  if (!t) {
    errno = saved;
    return -1;
  }
  disarm_inside(t);
  header_of(t->inside)->epoch++;
  t->in_request = 1;
  __zaph_self = t->inside;
  errno = saved;
  return 0;
}

/* Called by the pass at the entry of every zaph_request function. */
ZAPH_API void __zaph_request_enter(void) { zaph_request_begin(); }

ZAPH_API int zaph_request_end(void) {
  char *self = __zaph_self;
  if (self == zaph_bootstrap_block || !header_of(self)->thread)
    return 0;
  struct thread_state *t = header_of(self)->thread;
  t->in_request = 0;
  __zaph_self = t->outside;
  return 0;
}

int zaph_snapshot_locked(struct op_counts *out, uint64_t *requests) {
  memset(out, 0, zaph_op_count * sizeof *out);
  if (retired_len)
    memcpy(out, retired, retired_len * sizeof *out);
  uint64_t total = retired_requests;
  for (struct thread_state *t = threads; t; t = t->next) {
    for (uint32_t s = ZAPH_SINK_OPS; s < zaph_slot_count; s++) {
      struct op_counts *c = &out[zaph_slot_op[s]];
      uint64_t outside = __atomic_load_n(slot_word(t->outside, s, ZAPH_SLOT_ENTRIES),
                                         __ATOMIC_RELAXED);
      c->entries += __atomic_load_n(slot_word(t->inside, s, ZAPH_SLOT_ENTRIES),
                                    __ATOMIC_RELAXED) + outside;
      c->touched += __atomic_load_n(slot_word(t->inside, s, ZAPH_SLOT_TOUCHED),
                                    __ATOMIC_RELAXED);
      c->outside += outside;
    }
    total += __atomic_load_n(&header_of(t->inside)->epoch, __ATOMIC_RELAXED) -
             t->requests_at_reset;
  }
  *requests = total;
  return 0;
}

static void zero_block(char *block) {
  for (uint32_t s = ZAPH_SINK_OPS; s < zaph_slot_count; s++) {
    *slot_word(block, s, ZAPH_SLOT_ENTRIES) = 0;
    *slot_word(block, s, ZAPH_SLOT_TOUCHED) = 0;
  }
}

/* A request that is open during a reset counts as one request afterwards, so that its later
 * first entries never make requests_touching exceed requests. */
void zaph_reset_locked(void) {
  if (retired_len)
    memset(retired, 0, retired_len * sizeof *retired);
  retired_requests = 0;
  for (struct thread_state *t = threads; t; t = t->next) {
    zero_block(t->outside);
    zero_block(t->inside);
    t->requests_at_reset = header_of(t->inside)->epoch - (t->in_request ? 1 : 0);
  }
}

ZAPH_API int zaph_reset(void) {
  int saved = errno;
  zaph_once_init();
  pthread_mutex_lock(&zaph_lock);
  zaph_reset_locked();
  pthread_mutex_unlock(&zaph_lock);
  zaph_mark_start();
  errno = saved;
  return 0;
}

static void before_fork(void) { pthread_mutex_lock(&zaph_lock); }
static void after_fork_parent(void) { pthread_mutex_unlock(&zaph_lock); }

/* The child has one thread: drop the others' blocks, zero the rest, and let a request that was
 * open at fork() go on in the parent only (the child's entries count as outside requests). */
static void after_fork_child(void) {
  char *self = __zaph_self;
  struct thread_state *mine = self == zaph_bootstrap_block ? NULL : header_of(self)->thread;
  struct thread_state *t = threads;
  while (t) {
    struct thread_state *next = t->next;
    if (t != mine) {
      unlink_locked(t);
      free_thread(t);
    }
    t = next;
  }
  if (mine) {
    mine->in_request = 0;
    __zaph_self = mine->outside;
  }
  zaph_reset_locked();
  pthread_mutex_unlock(&zaph_lock);
  zaph_mark_start();
}

void zaph_threads_init(void) {
  pthread_key_create(&thread_key, thread_exit);
  pthread_atfork(before_fork, after_fork_parent, after_fork_child);
  pthread_mutex_lock(&zaph_lock);
  committed_slots = ZAPH_SINK_OPS;
  discard_block = map_block();
  set_discard_ready_locked(zaph_slot_count);
  pthread_mutex_unlock(&zaph_lock);
}
