/* The contract between the pass, which emits counting code and one module descriptor per
 * translation unit, and the runtime, which owns the per-thread counter blocks. Included by
 * pass/ (C++) and runtime/ (C); docs/design.md explains the layout and why it is this one. */
#ifndef ZAPH_ABI_H
#define ZAPH_ABI_H

#include <stdint.h>

/* Bumped whenever anything below changes: the runtime refuses modules of another version. */
#define ZAPH_ABI_VERSION 1

/* A thread block is ZAPH_BLOCK_HEADER bytes of header followed by one slot per op. The pass
 * emits, at the entry of every op with module-local index i:
 *
 *     slot = __zaph_self + module.base + i * ZAPH_SLOT_SIZE
 *     if (slot->ready) slot->entries++;
 *     else __zaph_enter_slow(&module, i);      // preserve_most, out of line
 *
 * `ready` is 0 in fresh memory, so a thread's first entry, an op's first entry in a request
 * (the runtime clears `ready` of the ops a thread touched when its next request begins) and an
 * entry before registration all take the slow path. Slots 0 .. ZAPH_SINK_OPS-1 belong to no
 * op: module.base starts out pointing there, where `ready` is always 0, so an op entered before
 * its module is registered takes the slow path, which registers the module and counts. */
#define ZAPH_BLOCK_HEADER 64
#define ZAPH_SLOT_SIZE 32
#define ZAPH_SLOT_ENTRIES 0 /* offset of the uint64_t entry count in a slot */
#define ZAPH_SLOT_READY 8   /* offset of the uint64_t flag: nonzero = count inline */
#define ZAPH_SLOT_TOUCHED 16
#define ZAPH_SINK_OPS 16384u
#define ZAPH_MAX_OPS (1u << 18) /* sink included: 8 MiB of address space per block */
#define ZAPH_MODULE_BASE_INIT ((uint64_t)ZAPH_BLOCK_HEADER)

/* Largest number of ops in one translation unit (the pass rejects more). */
#define ZAPH_MAX_MODULE_OPS ZAPH_SINK_OPS

/* The pass-emitted symbols. */
#define ZAPH_SELF_SYMBOL "__zaph_self"
#define ZAPH_ENTER_SLOW_SYMBOL "__zaph_enter_slow"
#define ZAPH_REQUEST_ENTER_SYMBOL "__zaph_request_enter"
#define ZAPH_REGISTER_SYMBOL "__zaph_register_module"

/* The annotation strings the pass looks for; "zaph_op:tier=N" declares a tier. */
#define ZAPH_ANNOTATION_OP "zaph_op"
#define ZAPH_ANNOTATION_REQUEST "zaph_request"
#define ZAPH_ANNOTATION_PREFIX "zaph_"

/* One op as the pass describes it. Field order is the IR struct order. */
struct zaph_op_desc {
  const char *name; /* demangled */
  const char *file;
  uint32_t line;
  uint32_t kind; /* enum zaph_op_kind */
  uint32_t tier; /* declared tier, 0 = none */
  uint32_t reserved;
};

/* One per instrumented translation unit; internal to it, writable. Field order is the IR
 * struct order. */
struct zaph_module {
  uint32_t abi_version;
  uint32_t n_ops;
  uint64_t base; /* byte offset of op 0's slot in every thread block; set at registration */
  const struct zaph_op_desc *ops;
};

#endif
