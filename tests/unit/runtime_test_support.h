/* Helpers for the runtime's unit tests: module descriptors built by hand, the pass's inline
 * fast path written in C, and a way to read what the runtime printed on stderr. */
#ifndef ZAPH_RUNTIME_TEST_SUPPORT_H
#define ZAPH_RUNTIME_TEST_SUPPORT_H

#include "runtime.h"
#include "zaph_profile.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define N_DESCS(descs) (sizeof(descs) / sizeof(descs[0]))

/* A module whose hot slots are in the thread's block (what the pass emits for PIC code);
 * register_fn is its constructor, which calls __zaph_register_module. */
#define MODULE(descs, register_fn)                                                             \
  {ZAPH_ABI_VERSION, N_DESCS(descs), ZAPH_MODULE_BASE_INIT, register_fn, 0, 0, ZAPH_TLS_NONE,  \
   {[N_DESCS(descs) - 1] = 0}}

/* A module with its own thread_local hot slots (what the pass emits for an executable). */
#define TLS_MODULE(descs, register_fn)                                                         \
  {ZAPH_ABI_VERSION, N_DESCS(descs), ZAPH_MODULE_BASE_INIT, register_fn, ZAPH_MODULE_TLS, 0,   \
   ZAPH_TLS_NONE, {[N_DESCS(descs) - 1] = 0}}

/* The executable's epoch, as the pass defines it for the executable's modules; a test's
 * TLS modules register with it. */
static __thread uint64_t test_exe_epoch = ZAPH_EPOCH_NONE;

/* A module's thread_local hot slots. */
#define TLS_SLOTS(name, n)                                                                     \
  static __thread uint64_t name[n][ZAPH_SLOT_WORDS] __attribute__((aligned(ZAPH_SLOT_SIZE)))

/* What the pass emits at an op's entry, for both kinds; tls is the module's array or NULL. */
static inline void enter_hot(struct zaph_module *m, uint32_t i, uint64_t (*tls)[ZAPH_SLOT_WORDS]) {
  if (tls) {
    zaph_count_entry(m, i, tls[i], test_exe_epoch);
    return;
  }
  uint64_t *hot = (uint64_t *)(__zaph_tls.self + m->base + (size_t)i * ZAPH_SLOT_SIZE);
  zaph_count_entry(m, i, hot, *(uint64_t *)((char *)&__zaph_tls + m->epoch_offset));
}

static inline void enter_op(struct zaph_module *m, uint32_t i) { enter_hot(m, i, NULL); }

/* The counts of the op with this name, from a fresh snapshot. */
static inline struct op_counts counts_of(const char *name, uint64_t *requests) {
  struct op_counts c = {0, 0, 0};
  pthread_mutex_lock(&zaph_lock);
  struct op_counts *all = calloc(zaph_op_count + 1, sizeof *all);
  zaph_snapshot_locked(all, requests);
  for (uint32_t i = 0; i < zaph_op_count; i++)
    if (strcmp(zaph_ops[i].name, name) == 0)
      c = all[i];
  pthread_mutex_unlock(&zaph_lock);
  free(all);
  return c;
}

/* Runs fn with stderr captured; returns what it wrote (malloc()ed). */
static inline char *capture_stderr(void (*fn)(void *), void *arg) {
  char path[] = "/tmp/zaph-test-stderr-XXXXXX";
  int fd = mkstemp(path), saved = dup(2);
  fflush(stderr);
  dup2(fd, 2);
  fn(arg);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  off_t len = lseek(fd, 0, SEEK_END);
  char *text = calloc(1, (size_t)len + 1);
  pread(fd, text, (size_t)len, 0);
  close(fd);
  unlink(path);
  return text;
}

/* Address space in use now, in bytes (VmSize). */
static inline rlim_t address_space_in_use(void) {
  char line[256];
  unsigned long kib = 0;
  FILE *f = fopen("/proc/self/status", "r");
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmSize: %lu kB", &kib) == 1)
      break;
  if (f)
    fclose(f);
  return (rlim_t)kib * 1024;
}

/* A thread started under an address-space limit: what is in use now plus room bytes, enough
 * for a 256 KiB stack (and whatever room allows), not for the runtime's per-thread mapping.
 * 256 MiB held in use meanwhile make the limit large enough that the runtime's share of it (a
 * quarter) allows the mapping: it fails for want of room, as when the program has used the
 * rest. */
struct limited_thread {
  void *(*body)(void *);
  rlim_t room;
  int created; /* pthread_create's result */
};

/* Runs arg's body on such a thread and joins it; made for capture_stderr(). */
static inline void run_limited_thread(void *arg) {
  struct limited_thread *s = arg;
  struct rlimit old, tight;
  size_t held = (size_t)256 << 20;
  void *in_use = mmap(NULL, held, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  getrlimit(RLIMIT_AS, &old);
  tight = old;
  tight.rlim_cur = address_space_in_use() + s->room;
  setrlimit(RLIMIT_AS, &tight);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 << 10);
  pthread_t t;
  s->created = pthread_create(&t, &attr, s->body, NULL);
  if (s->created == 0)
    pthread_join(t, NULL);
  setrlimit(RLIMIT_AS, &old);
  pthread_attr_destroy(&attr);
  if (in_use != MAP_FAILED)
    munmap(in_use, held);
}

#endif
