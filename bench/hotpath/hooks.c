/* The counting callbacks of the alternatives to zaph, one variant per macro, compiled without
 * any instrumentation. Each counts into a thread-local variable, the cheapest a hook can be,
 * and bench_thread_count() returns the calling thread's count so the driver can check that
 * every call was seen. Variants that count elsewhere (zaph, clang's profile) return -1. */
#include <stdint.h>

#ifdef BENCH_ZAPH
#include "zaph.h"
#endif

void bench_setup(void);
void bench_request_begin(void);
long bench_thread_count(void);

#define NO_INSTR __attribute__((no_instrument_function, noinline))

#if defined(BENCH_CYG) || defined(BENCH_SANCOV) || defined(BENCH_XRAY)
static __thread unsigned long hook_count;
#endif

#if defined(BENCH_CYG)
NO_INSTR void __cyg_profile_func_enter(void *fn, void *site) {
  (void)fn, (void)site;
  hook_count++;
}
NO_INSTR void __cyg_profile_func_exit(void *fn, void *site) { (void)fn, (void)site; }
#endif

#if defined(BENCH_SANCOV)
/* Numbers the guards from 1; a guard of 0 would mean "do not call again". */
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop) {
  static uint32_t next;
  for (uint32_t *g = start; g < stop; g++)
    if (!*g)
      *g = ++next;
}
void __sanitizer_cov_trace_pc_guard(uint32_t *guard) {
  if (*guard)
    hook_count++;
}
#endif

#if defined(BENCH_XRAY)
/* The C side of compiler-rt's xray/xray_interface.h, which is a C++ header. */
enum xray_entry_type { XRAY_ENTRY = 0, XRAY_EXIT = 1, XRAY_TAIL = 2 };
int __xray_set_handler(void (*handler)(int32_t, enum xray_entry_type));
int __xray_patch(void);

static void xray_count(int32_t fn, enum xray_entry_type type) {
  (void)fn;
  if (type == XRAY_ENTRY)
    hook_count++;
}
#endif

void bench_setup(void) {
#if defined(BENCH_XRAY)
  __xray_set_handler(xray_count);
  __xray_patch();
#endif
}

NO_INSTR void bench_request_begin(void) {
#if defined(BENCH_ZAPH)
  zaph_request_begin();
#endif
}

#if defined(BENCH_HAND_TLS)
extern __thread unsigned long bench_hand_count;
#endif

long bench_thread_count(void) {
#if defined(BENCH_CYG) || defined(BENCH_SANCOV) || defined(BENCH_XRAY)
  return (long)hook_count;
#elif defined(BENCH_HAND_TLS)
  return (long)bench_hand_count;
#else
  return -1;
#endif
}
