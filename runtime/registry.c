/* The op registry: every instrumented translation unit registers its module descriptor here
 * (through api.c's __zaph_register_module: from a constructor, or from its first op entry if
 * that comes sooner). Each op gets a slot in every thread block, and each slot maps to one op
 * identity (name, file, line, kind), so the copies of an inline function from several
 * translation units are counted as one op. */
#include "runtime.h"

#include "zaph_profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

pthread_mutex_t zaph_lock = PTHREAD_MUTEX_INITIALIZER;

struct op_info *zaph_ops;
uint32_t zaph_op_count;
static uint32_t op_capacity;

uint32_t *zaph_slot_op;
struct slot_place *zaph_slot_places;
uint8_t *zaph_slot_shift;
uint32_t *zaph_slot_timing;
uint32_t zaph_timed_count;
uint32_t *zaph_timing_op;
static uint32_t timing_op_cap;
uint32_t zaph_slot_count = ZAPH_SINK_OPS;
/* By op index: the op's first slot, the head of its ring in zaph_slot_places; 0 = none yet. */
static uint32_t *op_first_slot;
static uint32_t op_first_slot_cap;

struct module_record *zaph_modules;
uint32_t zaph_module_count;
static uint32_t module_capacity;

/* Open-addressing hash table from identity to op index + 1 (0 = empty). */
static uint32_t *identity_table;
static uint32_t identity_capacity;

/* An op's identity, hashed and compared as every profile reader does (format/). */
static struct zaph_identity identity_of_op(const struct op_info *op) {
  struct zaph_identity id = {op->name, op->file, op->line, (int)op->kind};
  return id;
}

static struct zaph_identity identity_of_desc(const struct zaph_op_desc *d) {
  struct zaph_identity id = {d->name, d->file, d->line, (int)d->kind};
  return id;
}

static int grow_identity_table(void) {
  uint32_t cap = identity_capacity ? identity_capacity * 2 : 1024;
  uint32_t *table = calloc(cap, sizeof *table);
  if (!table)
    return -1;
  for (uint32_t i = 0; i < zaph_op_count; i++) {
    const struct op_info *op = &zaph_ops[i];
    struct zaph_identity id = identity_of_op(op);
    uint64_t h = zaph_identity_hash(&id);
    uint32_t pos = (uint32_t)h & (cap - 1);
    while (table[pos])
      pos = (pos + 1) & (cap - 1);
    table[pos] = i + 1;
  }
  free(identity_table);
  identity_table = table;
  identity_capacity = cap;
  return 0;
}

/* Returns the op index of d's identity, adding it if new; UINT32_MAX when out of memory. */
static uint32_t intern_op(const struct zaph_op_desc *d) {
  if ((zaph_op_count + 1) * 2 > identity_capacity && grow_identity_table() != 0)
    return UINT32_MAX;
  struct zaph_identity id = identity_of_desc(d);
  uint64_t h = zaph_identity_hash(&id);
  uint32_t pos = (uint32_t)h & (identity_capacity - 1);
  for (; identity_table[pos]; pos = (pos + 1) & (identity_capacity - 1)) {
    struct op_info *op = &zaph_ops[identity_table[pos] - 1];
    struct zaph_identity known = identity_of_op(op);
    if (zaph_identity_equal(&known, &id)) {
      if (!op->tier)
        op->tier = d->tier;
      if (!op->target_ns)
        op->target_ns = d->target_ns;
      return identity_table[pos] - 1;
    }
  }
  if (zaph_grow(&zaph_ops, &op_capacity, zaph_op_count, sizeof *zaph_ops, 256) != 0)
    return UINT32_MAX;
  struct op_info *op = &zaph_ops[zaph_op_count];
  /* Copies, so the names outlive a dlclose()d library. */
  op->name = strdup(d->name);
  op->file = strdup(d->file);
  if (!op->name || !op->file) {
    free(op->name);
    free(op->file);
    return UINT32_MAX;
  }
  op->line = d->line;
  op->kind = d->kind;
  op->tier = d->tier;
  op->timed = d->timed;
  op->target_ns = d->target_ns;
  op->timing = 0;
  identity_table[pos] = ++zaph_op_count;
  return zaph_op_count - 1;
}

/* Marks a module whose registration failed, so the error is reported once, not per entry. */
#define ABI_REJECTED 0xffffffffu

/* Reserves a table for every possible slot: the slow path reads it without the lock, so it
 * must never move. Pages are only committed as slots are used. */
static void *reserve_slot_table(size_t entry_size) {
  void *p = mmap(NULL, (size_t)ZAPH_MAX_OPS * entry_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

/* The timing index + 1 of op, assigning one the first time a timed slot of it registers; 0
 * when it is not timed, or the table of timed ops is full (reported once). */
static uint32_t timing_of_op_locked(uint32_t op, uint32_t timed) {
  struct op_info *info = &zaph_ops[op];
  if (!timed || info->timing)
    return info->timing;
  if (zaph_timed_count == ZAPH_MAX_TIMED_OPS) {
    static int reported;
    if (!reported++)
      zaph_error("more than %u timed ops: '%s' and later ones are counted, not timed",
                 ZAPH_MAX_TIMED_OPS, info->name);
    return 0;
  }
  if (zaph_grow(&zaph_timing_op, &timing_op_cap, zaph_timed_count, sizeof *zaph_timing_op,
                64) != 0)
    return 0;
  zaph_timing_op[zaph_timed_count] = op;
  info->timing = ++zaph_timed_count;
  return info->timing;
}

/* Adds slot to the ring of its op's slots. A slot that is not the op's first is marked shared
 * in its module, so its inline code reports the op's first entry in each request. */
static void link_slot_locked(struct zaph_module *m, uint32_t i, uint32_t slot) {
  uint32_t op = zaph_slot_op[slot], head = op_first_slot[op];
  if (!head) {
    op_first_slot[op] = slot;
    zaph_slot_places[slot].next = slot;
    return;
  }
  zaph_slot_places[slot].next = zaph_slot_places[head].next;
  __atomic_store_n(&zaph_slot_places[head].next, slot, __ATOMIC_RELEASE);
  m->shared[i] = 1;
}

int zaph_register_locked(struct zaph_module *m, const struct zaph_op_desc *ops,
                         void *tls_counters, uint64_t *exe_epoch) {
  if (m->first_slot)
    return 0;
  if (m->abi_version == ABI_REJECTED)
    return -1;
  if (m->abi_version != ZAPH_ABI_VERSION) {
    zaph_error("module with %u ops was built for zaph ABI %u, this runtime is ABI %u; its "
               "ops are not counted (rebuild it with the matching pass)",
               m->n_ops, m->abi_version, ZAPH_ABI_VERSION);
    m->abi_version = ABI_REJECTED;
    return -1;
  }
  if (m->n_ops > ZAPH_MAX_OPS - zaph_slot_count) {
    zaph_error("too many ops: %u registered, a module adds %u, the limit is %u; its ops are "
               "not counted", zaph_slot_count - ZAPH_SINK_OPS, m->n_ops,
               ZAPH_MAX_OPS - ZAPH_SINK_OPS);
    m->abi_version = ABI_REJECTED;
    return -1;
  }
  for (uint32_t i = 0; i < m->n_ops; i++)
    if (ops[i].timed > ZAPH_TIMED_MAX_LOG2 + 1) {
      zaph_error("module with %u ops has an op '%s' timed 1 in 2^%u, above 2^%u; its ops are "
                 "not counted (rebuild it with the matching pass)", m->n_ops, ops[i].name,
                 ops[i].timed - 1, ZAPH_TIMED_MAX_LOG2);
      m->abi_version = ABI_REJECTED;
      return -1;
    }
  uint32_t first = zaph_slot_count, end = first + m->n_ops;
  if (!zaph_slot_op && !(zaph_slot_op = reserve_slot_table(sizeof *zaph_slot_op)))
    goto out_of_memory;
  if (!zaph_slot_places && !(zaph_slot_places = reserve_slot_table(sizeof *zaph_slot_places)))
    goto out_of_memory;
  if (!zaph_slot_shift && !(zaph_slot_shift = reserve_slot_table(sizeof *zaph_slot_shift)))
    goto out_of_memory;
  if (!zaph_slot_timing && !(zaph_slot_timing = reserve_slot_table(sizeof *zaph_slot_timing)))
    goto out_of_memory;
  if (zaph_grow(&zaph_modules, &module_capacity, zaph_module_count, sizeof *zaph_modules, 64))
    goto out_of_memory;
  int tls = (m->flags & ZAPH_MODULE_TLS) != 0;
  /* Static TLS blocks keep their distances in every thread, so one offset from the calling
   * thread's __zaph_tls finds the array in any thread. */
  intptr_t tls_offset = tls ? (char *)tls_counters - (char *)&__zaph_tls : 0;
  for (uint32_t i = 0; i < m->n_ops; i++) {
    uint32_t op = intern_op(&ops[i]);
    if (op == UINT32_MAX)
      goto out_of_memory;
    uint32_t s = first + i;
    zaph_slot_op[s] = op;
    /* A slot counts in its own module's steps, whatever another copy of its op does. */
    zaph_slot_shift[s] = (uint8_t)ZAPH_ENTRY_SHIFT(ops[i].timed);
    zaph_slot_timing[s] = timing_of_op_locked(op, ops[i].timed);
    zaph_slot_places[s].tls = (uint32_t)tls;
    zaph_slot_places[s].offset = tls ? tls_offset + (intptr_t)i * ZAPH_SLOT_SIZE
                                     : ZAPH_BLOCK_HEADER + (intptr_t)s * ZAPH_SLOT_SIZE;
  }
  if (zaph_grow_zeroed(&op_first_slot, &op_first_slot_cap, zaph_op_count, sizeof *op_first_slot,
                       256) != 0)
    goto out_of_memory;
  if (zaph_continuous_map_slots_locked(first, end) != 0)
    goto out_of_memory;
  if (zaph_commit_slots_locked(end) != 0) {
    m->abi_version = ABI_REJECTED;
    return -1;
  }
  for (uint32_t i = 0; i < m->n_ops; i++)
    link_slot_locked(m, i, first + i);
  struct module_record *r = &zaph_modules[zaph_module_count++];
  r->first_slot = first;
  r->n_ops = m->n_ops;
  r->desc = m;
  zaph_slot_count = end;
  /* The executable's epoch: every executable module names the same one (zaph_abi.h). A thread
   * whose copy is still ZAPH_EPOCH_NONE takes the slow path once, which sets it. */
  if (tls && exe_epoch)
    __atomic_store_n(&zaph_exe_epoch_offset, (char *)exe_epoch - (char *)&__zaph_tls,
                     __ATOMIC_RELEASE);
  /* Published last: a thread that sees the new base and epoch offset finds its slots
   * committed. */
  if (!tls) {
    __atomic_store_n(&m->base, (uint64_t)ZAPH_BLOCK_HEADER + (uint64_t)first * ZAPH_SLOT_SIZE,
                     __ATOMIC_RELEASE);
    __atomic_store_n(&m->epoch_offset, (uint64_t)ZAPH_TLS_EPOCH, __ATOMIC_RELEASE);
  }
  __atomic_store_n(&m->first_slot, first, __ATOMIC_RELEASE);
  return 0;
out_of_memory:
  zaph_error("cannot register %u ops: %s", m->n_ops, strerror(ENOMEM));
  m->abi_version = ABI_REJECTED;
  return -1;
}

/* The record of the registered module that holds slot (records are in slot order). */
static struct module_record *record_of_slot(uint32_t slot) {
  uint32_t lo = 0, hi = zaph_module_count;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (zaph_modules[mid].first_slot <= slot)
      lo = mid;
    else
      hi = mid;
  }
  return &zaph_modules[lo];
}

/* Takes slot out of its op's ring. The slot keeps its own `next`, so a thread walking the ring
 * through it goes on to the rest. When it was the ring's first slot, the next becomes the first
 * and no longer calls out: exactly the slots after an op's first are marked shared. */
static void unlink_slot_locked(uint32_t slot) {
  uint32_t op = zaph_slot_op[slot], next = zaph_slot_places[slot].next;
  if (next == slot) {
    op_first_slot[op] = 0;
    return;
  }
  uint32_t prev = next;
  while (zaph_slot_places[prev].next != slot)
    prev = zaph_slot_places[prev].next;
  __atomic_store_n(&zaph_slot_places[prev].next, next, __ATOMIC_RELEASE);
  if (op_first_slot[op] != slot)
    return;
  op_first_slot[op] = next;
  struct module_record *r = record_of_slot(next);
  if (r->desc)
    __atomic_store_n(&r->desc->shared[next - r->first_slot], 0, __ATOMIC_RELAXED);
}

void zaph_unregister_locked(struct zaph_module *m) {
  uint32_t first = m->first_slot;
  struct module_record *r = record_of_slot(first);
  if (r->first_slot == first && r->desc == m) {
    for (uint32_t i = 0; i < r->n_ops; i++)
      unlink_slot_locked(first + i);
    r->desc = NULL;
  }
}
