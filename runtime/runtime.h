/* Declarations shared by the runtime's files: the op registry (registry.c), per-thread counter
 * blocks (thread.c) and profile writing (profile_write.c). Everything here is hidden; the public
 * ABI is include/zaph.h plus the pass-facing symbols of include/zaph_abi.h. */
#ifndef ZAPH_RUNTIME_H
#define ZAPH_RUNTIME_H

#include "zaph.h"
#include "zaph_abi.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define ZAPH_API __attribute__((visibility("default")))

/* One op identity (name, file, line, kind) of the process; several slots can map to it. */
struct op_info {
  char *name;
  char *file;
  uint32_t line;
  uint32_t kind;
  uint32_t tier;
};

/* Counts of one op identity, as written to a profile. */
struct op_counts {
  uint64_t entries;
  uint64_t touched;
  uint64_t outside;
};

/* The header of a thread block; slots follow at ZAPH_BLOCK_HEADER. */
struct block_header {
  uint64_t epoch;            /* requests begun on the thread (inside block only) */
  uint64_t inside;           /* 1 for the block counting inside requests */
  struct thread_state *thread;
};

/* A thread's counting state: two blocks, and __zaph_self points at one of them. */
struct thread_state {
  char *outside;
  char *inside;
  uint64_t requests_at_reset; /* inside epoch at the last reset or fork */
  int in_request;
  /* Slots made ready in the inside block since the last request began: the next begin clears
   * their ready flags so each op's first entry in the new request takes the slow path. */
  uint32_t *armed;
  uint32_t armed_len, armed_cap;
  int armed_overflow; /* the list could not grow: clear every slot instead */
  struct thread_state *prev, *next;
};

/* The pass-facing symbols of zaph_abi.h, declared for the runtime's own files and tests. */
extern __thread char *__zaph_self __attribute__((tls_model("initial-exec")));
ZAPH_API __attribute__((preserve_most)) void __zaph_enter_slow(struct zaph_module *m, uint32_t i);
ZAPH_API void __zaph_request_enter(void);
ZAPH_API void __zaph_register_module(struct zaph_module *m);

/* The lock guarding the registry, the thread list and the retired counts. */
extern pthread_mutex_t zaph_lock;

/* registry.c: the op table. Slots ZAPH_SINK_OPS .. zaph_slot_count-1 are assigned. */
extern struct op_info *zaph_ops;
extern uint32_t zaph_op_count;
extern uint32_t *zaph_slot_op;
extern uint32_t zaph_slot_count;
int zaph_register_locked(struct zaph_module *m);
void zaph_once_init(void);

/* thread.c */
extern char zaph_bootstrap_block[];
size_t zaph_block_bytes(uint32_t slots);
int zaph_commit_slots_locked(uint32_t slots);
int zaph_snapshot_locked(struct op_counts *out, uint64_t *requests);
void zaph_reset_locked(void);
void zaph_threads_init(void);

/* profile_write.c */
int zaph_config_init(void);
int zaph_write_profile(void);
void zaph_mark_start(void);

/* Reports one of the runtime's own errors: "zaph: error: <message>" on stderr, errno kept. */
void zaph_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void zaph_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
