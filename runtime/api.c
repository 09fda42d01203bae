/* The runtime's public entry points (include/zaph.h, and the registration calls the pass emits,
 * include/zaph_abi.h) and the one-time start-up every one of them begins with. The top of the
 * runtime: nothing else calls it, so the counting core never calls back up but through
 * zaph_runtime_start (docs/design.md has the layers). The hot paths are the counting core's
 * own (thread.c): the entry of an op, and the request entry points. */
#include "runtime.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* Where the profile goes, decided once: an earlier image of this process that wrote the same
 * path before its exec is continued, and continuous mode opens its file now, before any module
 * registers (zaph_continuous says whether it is on). */
static void open_profile(void) {
  char *path = zaph_profile_path();
  zaph_config.continues_exec = path && zaph_exec_predecessor(path);
  if (zaph_config.continuous) {
    if (path)
      zaph_continuous_open(path,
                           zaph_config.merge           ? ZAPH_CONTINUOUS_MERGE
                           : zaph_config.continues_exec ? ZAPH_CONTINUOUS_EXEC
                                                        : ZAPH_CONTINUOUS_CREATE,
                           zaph_config.source);
    else
      zaph_error("cannot use continuous mode: %s; counting in memory until exit",
                 strerror(ENOMEM));
  }
  free(path);
}

static void init_process(void) {
  zaph_lifecycle_init();
  zaph_exec_init();
  zaph_program_init();
  zaph_mark_start();
  int configured = zaph_config_init() == 0;
  atexit(zaph_write_at_exit);
  if (configured)
    open_profile();
  zaph_threads_init();
  zaph_profile_write_atfork();
  zaph_service_init();
}

static void once_init(void) { pthread_once(&init_once, init_process); }

/* Called from each instrumented translation unit's constructor, and from an op's first entry
 * when that comes before the constructor. */
ZAPH_API void __zaph_register_module(struct zaph_module *m, const struct zaph_op_desc *ops,
                                     void *tls_counters, uint64_t *exe_epoch) {
  int saved = errno, running = zaph_runtime_enter();
  once_init();
  pthread_mutex_lock(&zaph_lock);
  zaph_register_locked(m, ops, tls_counters, exe_epoch);
  pthread_mutex_unlock(&zaph_lock);
  zaph_runtime_leave(running);
  errno = saved;
}

/* Called from the destructor of each module that may be unloaded. At exit nothing is taken
 * apart: other threads may still be counting. */
ZAPH_API void __zaph_unregister_module(struct zaph_module *m) {
  if (!__atomic_load_n(&m->first_slot, __ATOMIC_ACQUIRE) || zaph_exiting())
    return;
  int saved = errno;
  pthread_mutex_lock(&zaph_lock);
  zaph_unregister_locked(m);
  pthread_mutex_unlock(&zaph_lock);
  errno = saved;
}

/* The counting core's way up to the start-up above (runtime.h). */
void (*const zaph_runtime_start)(void) = once_init;

ZAPH_API int zaph_dump(void) {
  int running = zaph_runtime_enter();
  once_init();
  int rc = zaph_write_profile();
  zaph_runtime_leave(running);
  return rc;
}

ZAPH_API int zaph_reset(void) {
  int saved = errno, running = zaph_runtime_enter();
  once_init();
  zaph_write_reset();
  zaph_runtime_leave(running);
  errno = saved;
  return 0;
}
