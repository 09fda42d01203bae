/* The contract between the pass, which emits counting code and one module descriptor per
 * translation unit, and the runtime, which registers modules and keeps per-thread state.
 * Included by pass/ (C++) and runtime/ (C); docs/design.md explains the layout and why. */
#ifndef ZAPH_ABI_H
#define ZAPH_ABI_H

#include <stdint.h>

/* Bumped whenever anything below changes: the runtime refuses modules of another version. */
#define ZAPH_ABI_VERSION 3

/* Every op has, per thread, a hot slot of two 64-bit words: the entry count and a ready flag.
 * The pass emits, at the entry of op i of a module:
 *
 *     if (hot->ready) hot->entries++;
 *     else __zaph_enter_slow(&module, i, hot);   // preserve_most, out of line
 *
 * Where the hot slot lives depends on where the module will be linked:
 *  - an executable (a PIE or non-PIC module): the module's own local-exec thread_local array,
 *    hot = &zaph.counters[i]. Three instructions, nothing to load first.
 *  - anything else (a PIC module, which may end up in a shared library): the thread's block,
 *    hot = __zaph_self + module.base + i * ZAPH_SLOT_SIZE, with __zaph_self one initial-exec
 *    TLS pointer, so the library can still be dlopen()ed.
 * `ready` is 0 in fresh memory, so a thread's first entry, an op's first entry in a request
 * (a request begin clears the flags the thread set since the previous one) and an entry before
 * registration all take the slow path. Block slots 0 .. ZAPH_SINK_OPS-1 belong to no op:
 * module.base starts out pointing there, so an unregistered block module's entries take the
 * slow path too, which registers the module and counts. */
#define ZAPH_SLOT_SIZE 16
#define ZAPH_SLOT_ENTRIES 0 /* offset of the uint64_t entry count */
#define ZAPH_SLOT_READY 8   /* offset of the uint64_t flag: nonzero = count inline */
#define ZAPH_BLOCK_HEADER 64
#define ZAPH_SINK_OPS 16384u
#define ZAPH_MAX_OPS (1u << 18) /* sink included */
#define ZAPH_MODULE_BASE_INIT ((uint64_t)ZAPH_BLOCK_HEADER)

/* Largest number of ops in one translation unit (the pass rejects more). */
#define ZAPH_MAX_MODULE_OPS ZAPH_SINK_OPS

/* zaph_module.flags */
#define ZAPH_MODULE_TLS 1u /* hot slots are the module's own thread_local array */

/* The pass-emitted symbols. */
#define ZAPH_SELF_SYMBOL "__zaph_self"
#define ZAPH_ENTER_SLOW_SYMBOL "__zaph_enter_slow"
#define ZAPH_REQUEST_ENTER_SYMBOL "__zaph_request_enter"
#define ZAPH_REGISTER_SYMBOL "__zaph_register_module"

/* The annotation strings the pass looks for; "zaph_op:tier=N" declares a tier. */
#define ZAPH_ANNOTATION_OP "zaph_op"
#define ZAPH_ANNOTATION_REQUEST "zaph_request"
#define ZAPH_ANNOTATION_PREFIX "zaph_"

/* One op as the pass describes it; a module's ops are an array of these. Field order is the
 * IR struct order. */
struct zaph_op_desc {
  const char *name; /* demangled */
  const char *file;
  uint32_t line;
  uint32_t kind; /* enum zaph_op_kind */
  uint32_t tier; /* declared tier, 0 = none */
  uint32_t reserved;
};

/* One per instrumented translation unit; internal to it, writable. Field order is the IR
 * struct order. It deliberately holds no pointer to the op table: every instrumented function
 * refers to the module, and analyses that walk global initializers from each function would
 * otherwise walk the whole table once per function (quadratic compile time in ops per unit).
 * The module's constructor registers it:
 *     __zaph_register_module(&module, ops, flags & ZAPH_MODULE_TLS ? &zaph.counters[0] : NULL);
 * and the slow path, __zaph_enter_slow(&module, i, hot), calls register_module() itself for an
 * entry that comes before the constructor ran. */
struct zaph_module {
  uint32_t abi_version;
  uint32_t n_ops;
  uint64_t base; /* block modules: byte offset of op 0's slot in every block; set at registration */
  void (*register_module)(void); /* the module's constructor */
  uint32_t flags;
  uint32_t first_slot; /* runtime: global slot of op 0; 0 = not registered */
};

#endif
