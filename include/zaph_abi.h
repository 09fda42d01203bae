/* The contract between the pass, which emits counting code and one module descriptor per
 * translation unit, and the runtime, which registers modules and keeps per-thread state.
 * Included by pass/ (C++) and runtime/ (C); docs/design.md explains the layout and why. */
#ifndef ZAPH_ABI_H
#define ZAPH_ABI_H

#include <stdint.h>

/* Bumped whenever anything below changes: the runtime refuses modules of another version. */
#define ZAPH_ABI_VERSION 5

/* ---- Epochs ----------------------------------------------------------------------------
 * Every thread has an epoch, a 64-bit word the inline code compares with each op's slot:
 *   ZAPH_EPOCH_OUTSIDE           no request is open on the thread;
 *   ZAPH_EPOCH_INSIDE | r        request number r (r >= 1, the thread's count of requests
 *                                begun) is open; the sign bit marks "inside";
 *   ZAPH_EPOCH_NONE              the thread has no counting state (it has not started, it has
 *                                ended, or the process counts in continuous mode): every entry
 *                                takes the out-of-line slow path.
 * Beginning a request stores a new epoch, ending one stores ZAPH_EPOCH_OUTSIDE: two stores,
 * nothing walked, whatever the previous request touched. A slot never holds ZAPH_EPOCH_NONE. */
#define ZAPH_EPOCH_OUTSIDE 0ull
#define ZAPH_EPOCH_INSIDE (1ull << 63)
#define ZAPH_EPOCH_NONE 1ull

/* ---- Hot slots -------------------------------------------------------------------------
 * Every op has, per thread, a hot slot of four 64-bit words, written only by its thread. The
 * counts are those of a profile's op line (include/zaph_profile.h): entries, requests_touching,
 * entries_outside. The pass addresses the words by byte offset: */
#define ZAPH_SLOT_ENTRIES 0      /* entries (inside and outside requests) */
#define ZAPH_SLOT_SEEN 8         /* the epoch of the latest entry */
#define ZAPH_SLOT_TOUCHED 16     /* requests_touching: requests in which the op was entered */
#define ZAPH_SLOT_OUTSIDE_BASE 24 /* entries_outside = this + (seen == OUTSIDE ? entries : 0) */
#define ZAPH_SLOT_SIZE 32
#define ZAPH_SLOT_WORDS (ZAPH_SLOT_SIZE / 8)
/* and the runtime's C code by index, hot[ZAPH_HOT_SEEN]: */
enum zaph_hot_word {
  ZAPH_HOT_ENTRIES = ZAPH_SLOT_ENTRIES / 8,
  ZAPH_HOT_SEEN = ZAPH_SLOT_SEEN / 8,
  ZAPH_HOT_REQUESTS_TOUCHING = ZAPH_SLOT_TOUCHED / 8,
  ZAPH_HOT_OUTSIDE_BASE = ZAPH_SLOT_OUTSIDE_BASE / 8,
};

/* ---- Where the epoch and the slots are -------------------------------------------------
 *  - An executable's module (PIE or not PIC) counts in its own local-exec thread_local array,
 *    hot = &zaph.counters[i], and reads the executable's epoch, __zaph_exe_epoch: a hidden
 *    local-exec thread_local that every such module defines as a link-once (comdat) copy, so
 *    the executable has one, initialised to ZAPH_EPOCH_NONE. The runtime learns its place at
 *    registration and keeps it equal to the thread's epoch. Nothing to load but the epoch.
 *  - Any other module (PIC, perhaps a shared library) counts in the thread's block,
 *    hot = __zaph_tls.self + module.base + i * ZAPH_SLOT_SIZE, and reads its epoch at
 *    (char *)&__zaph_tls + module.epoch_offset: one initial-exec TLS struct of the runtime,
 *    so the library can still be dlopen()ed. Before the module is registered, epoch_offset
 *    names `none` (always ZAPH_EPOCH_NONE), so its entries take the slow path, which
 *    registers it; its base points at the sink, block slots 0 .. ZAPH_SINK_OPS-1, which belong
 *    to no op and are never written. __zaph_tls.self starts at a static bootstrap block with
 *    epoch ZAPH_EPOCH_NONE, so a thread's first entry takes the slow path too. */
struct zaph_tls {
  char *self;      /* the thread's block */
  uint64_t epoch;  /* the thread's epoch, for block modules */
  uint64_t none;   /* always ZAPH_EPOCH_NONE */
  uint64_t spare;  /* where the executable's epoch is stored while none is registered */
  void *thread;    /* the runtime's state of the thread, NULL without; the pass never reads it */
};
#define ZAPH_TLS_SELF 0
#define ZAPH_TLS_EPOCH 8
#define ZAPH_TLS_NONE 16

#define ZAPH_BLOCK_HEADER 64
#define ZAPH_SINK_OPS 16384u
#define ZAPH_MAX_OPS (1u << 18) /* sink included */
#define ZAPH_MODULE_BASE_INIT ((uint64_t)ZAPH_BLOCK_HEADER)

/* Largest number of ops in one translation unit (the pass rejects more). */
#define ZAPH_MAX_MODULE_OPS ZAPH_SINK_OPS

/* zaph_module.flags */
#define ZAPH_MODULE_TLS 1u /* hot slots are the module's own thread_local array */

/* The pass-emitted symbols. */
#define ZAPH_TLS_SYMBOL "__zaph_tls"
#define ZAPH_EXE_EPOCH_SYMBOL "__zaph_exe_epoch"
#define ZAPH_ENTER_SLOW_SYMBOL "__zaph_enter_slow"
#define ZAPH_ENTER_SHARED_SYMBOL "__zaph_enter_shared"
#define ZAPH_SLOW_TRAMPOLINE_SYMBOL "__zaph_slow_trampoline"
#define ZAPH_SHARED_TRAMPOLINE_SYMBOL "__zaph_shared_trampoline"
#define ZAPH_REQUEST_ENTER_SYMBOL "__zaph_request_enter"
#define ZAPH_REGISTER_SYMBOL "__zaph_register_module"
#define ZAPH_TIME_BEGIN_SYMBOL "__zaph_time_begin"
#define ZAPH_TIME_END_SYMBOL "__zaph_time_end"
#define ZAPH_UNREGISTER_SYMBOL "__zaph_unregister_module"

/* The annotation strings the pass looks for (include/zaph.h spells them for users). */
#define ZAPH_ANNOTATION_OP "zaph_op"
#define ZAPH_ANNOTATION_REQUEST "zaph_request"
#define ZAPH_ANNOTATION_TIER_PREFIX "zaph_op:tier=" /* then the tier, 1, 2 or 3 */
/* Timed ops (zaph_op:timed[=N]): one entry in 2^k is timed, k at most ZAPH_TIMED_MAX_LOG2;
 * plain "timed" means k = ZAPH_TIMED_DEFAULT_LOG2 (docs/latency.md, "Sampling"). */
#define ZAPH_TIMED_MAX_LOG2 16
#define ZAPH_TIMED_DEFAULT_LOG2 6
#define ZAPH_ANNOTATION_PREFIX "zaph_"              /* what every zaph annotation begins with */

/* One op as the pass describes it; a module's ops are an array of these. Field order is the
 * IR struct order. */
struct zaph_op_desc {
  const char *name; /* demangled */
  const char *file;
  uint32_t line;
  uint32_t kind;  /* enum zaph_op_kind */
  uint32_t tier;  /* declared tier, 0 = none */
  uint32_t timed; /* 0: not timed; else 1 + k: one entry in 2^k is timed (below) */
  uint64_t target_ns; /* declared target duration, 0 = none */
};

/* ---- Timed ops -------------------------------------------------------------------------
 * A timed op counts its entries in steps of ZAPH_TIMED_STEP(k) in the low 16 bits of its
 * `entries` word, so the word holds entries * step, and an add that carries out of those 16
 * bits (once in 2^k entries) is the entry to time: the inline code adds
 * ZAPH_TIMED_CARRY to the word, which completes the carry, and calls the op's timed copy
 * instead of running the body, which times itself with __zaph_time_begin/end. An untimed
 * entry of a timed op so costs what counting costs plus the branch on the carry
 * (docs/latency.md, "Sampling"). outside_base counts in the same steps. */
#define ZAPH_TIMED_STEP(k) (1u << (ZAPH_TIMED_MAX_LOG2 - (k)))
#define ZAPH_TIMED_CARRY (1ull << ZAPH_TIMED_MAX_LOG2)
/* The shift from an entries word to entries: 0 for an untimed op. */
#define ZAPH_ENTRY_SHIFT(timed) ((timed) ? ZAPH_TIMED_MAX_LOG2 - ((timed)-1) : 0)


/* One per instrumented translation unit; internal to it, writable. Field order is the IR
 * struct order. It deliberately holds no pointer to the op table: every instrumented function
 * refers to the module, and analyses that walk global initializers from each function would
 * otherwise walk the whole table once per function (quadratic compile time in ops per unit).
 * The module's constructor registers it:
 *     __zaph_register_module(&module, ops,
 *                            flags & ZAPH_MODULE_TLS ? &zaph.counters[0] : NULL,
 *                            flags & ZAPH_MODULE_TLS ? &__zaph_exe_epoch : NULL);
 * and the slow path calls register_module() itself for an entry that comes before the
 * constructor ran. A module that is not an executable's also gets a destructor,
 *     __zaph_unregister_module(&module);
 * which runs when its library is dlclose()d: its counts stay, but a copy of its ops loaded
 * later is no longer a second copy. The descriptor ends with one byte per op, `shared`: set by the runtime at
 * registration when the op's identity (an inline function of a header, say) already has a
 * slot in another module, so that the inline code reports the op's first entry in a request
 * (__zaph_enter_shared), which keeps "requests touching" counted once per identity. */
struct zaph_module {
  uint32_t abi_version;
  uint32_t n_ops;
  uint64_t base; /* block modules: byte offset of op 0's slot in every block; set at registration */
  void (*register_module)(void); /* the module's constructor */
  uint32_t flags;
  uint32_t first_slot;   /* runtime: global slot of op 0; 0 = not registered */
  uint64_t epoch_offset; /* block modules: ZAPH_TLS_NONE, then ZAPH_TLS_EPOCH once registered */
  uint8_t shared[];      /* n_ops bytes */
};
#define ZAPH_MODULE_SHARED_OFFSET 40

/* ---- The entry of an op ----------------------------------------------------------------
 * Both out-of-line functions use the preserve_most calling convention with clang, so the
 * inline code needs no register spills around them. On x86-64 the pass calls them through
 * the trampolines named below, from inline assembly, so that a function needs no stack frame
 * for its cold path (runtime/trampoline_x86_64.S has the convention); `hot` is then NULL and
 * the runtime finds the slot itself. */
#if defined(__clang__)
#define ZAPH_COLD_CC __attribute__((preserve_most))
#else
#define ZAPH_COLD_CC
#endif
/* Called after requests_touching was counted for a slot whose module has `shared` set for
 * it. */
ZAPH_COLD_CC void __zaph_enter_shared(struct zaph_module *m, uint32_t i, uint64_t *hot);
/* Everything else: a thread without state, a module not registered, continuous mode. It
 * counts the entry itself. */
ZAPH_COLD_CC void __zaph_enter_slow(struct zaph_module *m, uint32_t i, uint64_t *hot);

/* Called by an op's timed copy at its entry: counts a timed entry begun and returns the start
 * time, or 0 when this entry cannot be timed (no thread state, continuous mode). */
uint64_t __zaph_time_begin(struct zaph_module *m, uint32_t i);
/* Called before each return of the timed copy, with what __zaph_time_begin returned: records
 * the duration. An entry left by longjmp, an exception or the thread's end never gets here and
 * stays counted as begun and unfinished. */
void __zaph_time_end(struct zaph_module *m, uint32_t i, uint64_t start);

#ifndef __cplusplus
/* What the pass emits at the entry of op i of module m, written in C: `epoch` is the
 * thread's epoch as the module sees it, `hot` the op's slot. The runtime's slow path counts
 * with it and the unit tests use it as the pass's stand-in; pass/ZaphPass.cpp emits the same
 * steps in IR. The first test is the whole cost of every entry but an op's first one in a
 * request (or after one); that one costs a few more, inline; only a thread without state, an
 * unregistered module, continuous mode and shared identities call out. */
/* Adds step to an op's entries word as a timed op's inline code does, 16 bits at a time with
 * the carry completed; returns 1 when the low 16 bits carried (the entry to time). */
static inline int zaph_add_entries(uint64_t *hot, uint64_t step) {
  uint64_t entries = __atomic_load_n(&hot[ZAPH_HOT_ENTRIES], __ATOMIC_RELAXED);
  __atomic_store_n(&hot[ZAPH_HOT_ENTRIES], entries + step, __ATOMIC_RELAXED);
  return (entries & (ZAPH_TIMED_CARRY - 1)) + step >= ZAPH_TIMED_CARRY;
}

/* zaph_count_entry() of an op counted in steps of `step` (ZAPH_TIMED_STEP, or 1 for an untimed
 * op); returns 1 for the entry to time, which the caller times (the inline code: it calls the
 * op's timed copy). */
static inline int zaph_count_entry_step(struct zaph_module *m, uint32_t i, uint64_t *hot,
                                        uint64_t epoch, uint64_t step) {
/* Relaxed atomics: plain moves, and honest to ThreadSanitizer (a dump reads the slot). */
#define ZAPH_GET(word) __atomic_load_n(&hot[word], __ATOMIC_RELAXED)
#define ZAPH_SET(word, v) __atomic_store_n(&hot[word], (v), __ATOMIC_RELAXED)
  uint64_t seen = ZAPH_GET(ZAPH_HOT_SEEN);
  if (seen == epoch)
    return zaph_add_entries(hot, step);
  if ((int64_t)(seen & epoch) < 0) {
    /* the op's first entry in a request, its previous entry in an earlier request */
  } else if (epoch == ZAPH_EPOCH_OUTSIDE) {
    /* the first entry after a request, the previous one inside it: a run of outside entries
     * starts here */
    ZAPH_SET(ZAPH_HOT_OUTSIDE_BASE, ZAPH_GET(ZAPH_HOT_OUTSIDE_BASE) - ZAPH_GET(ZAPH_HOT_ENTRIES));
    ZAPH_SET(ZAPH_HOT_SEEN, epoch);
    return zaph_add_entries(hot, step);
  } else if ((int64_t)epoch < 0) {
    /* the first entry in a request, the previous one outside requests: that run ends here */
    ZAPH_SET(ZAPH_HOT_OUTSIDE_BASE, ZAPH_GET(ZAPH_HOT_OUTSIDE_BASE) + ZAPH_GET(ZAPH_HOT_ENTRIES));
  } else {
    __zaph_enter_slow(m, i, hot); /* ZAPH_EPOCH_NONE */
    return 0;
  }
  ZAPH_SET(ZAPH_HOT_SEEN, epoch);
  ZAPH_SET(ZAPH_HOT_REQUESTS_TOUCHING, ZAPH_GET(ZAPH_HOT_REQUESTS_TOUCHING) + 1);
  if (m->shared[i])
    __zaph_enter_shared(m, i, hot);
  return zaph_add_entries(hot, step);
#undef ZAPH_GET
#undef ZAPH_SET
}

static inline void zaph_count_entry(struct zaph_module *m, uint32_t i, uint64_t *hot,
                                    uint64_t epoch) {
  zaph_count_entry_step(m, i, hot, epoch, 1);
}
#endif

#endif
