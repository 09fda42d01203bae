/* The op registry: every instrumented translation unit registers its module descriptor here
 * (from a constructor, or from its first op entry if that comes sooner). Each op gets a slot in
 * every thread block, and each slot maps to one op identity (name, file, line, kind), so the
 * copies of an inline function from several translation units are counted as one op. */
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
uint32_t zaph_slot_count = ZAPH_SINK_OPS;

struct module_record *zaph_modules;
uint32_t zaph_module_count;
static uint32_t module_capacity;

/* Open-addressing hash table from identity to op index + 1 (0 = empty). */
static uint32_t *identity_table;
static uint32_t identity_capacity;

static uint64_t hash_text(uint64_t h, const char *s) {
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return (h ^ 0xff) * 0x100000001b3ull;
}

static uint64_t hash_identity(const char *name, const char *file, uint32_t line, uint32_t kind) {
  uint64_t h = hash_text(hash_text(0xcbf29ce484222325ull, name), file);
  h = (h ^ line) * 0x100000001b3ull;
  return (h ^ kind) * 0x100000001b3ull;
}

static int same_identity(const struct op_info *op, const struct zaph_op_desc *d) {
  return op->line == d->line && op->kind == d->kind && strcmp(op->name, d->name) == 0 &&
         strcmp(op->file, d->file) == 0;
}

static int grow_identity_table(void) {
  uint32_t cap = identity_capacity ? identity_capacity * 2 : 1024;
  uint32_t *table = calloc(cap, sizeof *table);
  if (!table)
    return -1;
  for (uint32_t i = 0; i < zaph_op_count; i++) {
    const struct op_info *op = &zaph_ops[i];
    uint64_t h = hash_identity(op->name, op->file, op->line, op->kind);
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
  uint64_t h = hash_identity(d->name, d->file, d->line, d->kind);
  uint32_t pos = (uint32_t)h & (identity_capacity - 1);
  for (; identity_table[pos]; pos = (pos + 1) & (identity_capacity - 1)) {
    struct op_info *op = &zaph_ops[identity_table[pos] - 1];
    if (same_identity(op, d)) {
      if (!op->tier)
        op->tier = d->tier;
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
  identity_table[pos] = ++zaph_op_count;
  return zaph_op_count - 1;
}

/* Marks a module whose registration failed, so the error is reported once, not per entry. */
#define ABI_REJECTED 0xffffffffu

int zaph_register_locked(struct zaph_module *m, const struct zaph_op_desc *ops,
                         void *tls_counters) {
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
  uint32_t first = zaph_slot_count, end = first + m->n_ops;
  if (!zaph_slot_op) {
    /* Reserved once for every possible slot: the slow path reads it without the lock, so it
     * must never move. Pages are only committed as slots are used. */
    void *p = mmap(NULL, (size_t)ZAPH_MAX_OPS * sizeof *zaph_slot_op, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
      goto out_of_memory;
    zaph_slot_op = p;
  }
  if (zaph_grow(&zaph_modules, &module_capacity, zaph_module_count, sizeof *zaph_modules, 64))
    goto out_of_memory;
  for (uint32_t i = 0; i < m->n_ops; i++) {
    uint32_t op = intern_op(&ops[i]);
    if (op == UINT32_MAX)
      goto out_of_memory;
    zaph_slot_op[first + i] = op;
  }
  if (zaph_continuous_map_slots_locked(first, end) != 0)
    goto out_of_memory;
  if (zaph_commit_slots_locked(end) != 0) {
    m->abi_version = ABI_REJECTED;
    return -1;
  }
  struct module_record *r = &zaph_modules[zaph_module_count++];
  r->first_slot = first;
  r->n_ops = m->n_ops;
  r->tls = (m->flags & ZAPH_MODULE_TLS) != 0;
  /* Static TLS blocks keep their distances in every thread, so one offset from the calling
   * thread's __zaph_self finds the array in any thread. */
  r->tls_offset = r->tls ? (char *)tls_counters - (char *)&__zaph_self : 0;
  zaph_slot_count = end;
  /* Published last: a thread that sees the new base finds its slots committed. */
  if (!r->tls)
    __atomic_store_n(&m->base, (uint64_t)ZAPH_BLOCK_HEADER + (uint64_t)first * ZAPH_SLOT_SIZE,
                     __ATOMIC_RELEASE);
  __atomic_store_n(&m->first_slot, first, __ATOMIC_RELEASE);
  return 0;
out_of_memory:
  zaph_error("cannot register %u ops: %s", m->n_ops, strerror(ENOMEM));
  m->abi_version = ABI_REJECTED;
  return -1;
}

int zaph_grow(void *items, uint32_t *cap, uint32_t count, size_t size, uint32_t first) {
  if (count < *cap)
    return 0;
  uint32_t want = *cap ? *cap * 2 : first;
  void *grown = realloc(*(void **)items, (size_t)want * size);
  if (!grown)
    return -1;
  *(void **)items = grown;
  *cap = want;
  return 0;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_process(void) {
  zaph_mark_start();
  zaph_config_init();
  zaph_threads_init();
  zaph_profile_write_atfork();
  zaph_service_init();
}

void zaph_once_init(void) { pthread_once(&init_once, init_process); }

/* Called from each instrumented translation unit's constructor. */
ZAPH_API void __zaph_register_module(struct zaph_module *m, const struct zaph_op_desc *ops,
                                     void *tls_counters) {
  int saved = errno;
  zaph_once_init();
  pthread_mutex_lock(&zaph_lock);
  zaph_register_locked(m, ops, tls_counters);
  pthread_mutex_unlock(&zaph_lock);
  errno = saved;
}
