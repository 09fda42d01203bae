/* Lazy binding: the program links the shared runtime (libzaph-rt.so) and loads a library with
 * RTLD_LAZY, both with -z lazy, so every call into the runtime could go through a PLT entry
 * that the dynamic linker resolves on first use, clobbering the registers it may. Each thread's
 * first entry, in the program or in the library, takes the inline code's cold call. Counts are
 * exact: those calls never go through a lazily bound PLT entry. */
// zaph-e2e shared: liblazy.so lazy_binding_lib.c
// zaph-e2e runtime: shared
// zaph-e2e cflags: -Wl,-z,lazy
// zaph-e2e link: -ldl -lpthread
#include "zaph.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

ZAPH_OP static int in_program(int x) { return x + 1; }
ZAPH_OP static int also_in_program(int x) { return x * 3; }

static int (*work)(int);

static void *program_first(void *arg) {
  (void)arg;
  long sum = 0;
  for (int i = 0; i < 7; i++)
    sum += in_program(i); /* the thread's first entry is here */
  return (void *)sum;
}

static void *library_first(void *arg) {
  (void)arg;
  long sum = 0;
  for (int i = 0; i < 5; i++)
    sum += work(i); /* the thread's first entry is in the library */
  return (void *)sum;
}

static long run_thread(void *(*body)(void *)) {
  pthread_t t;
  void *result;
  pthread_create(&t, NULL, body, NULL);
  pthread_join(t, &result);
  return (long)result;
}

int main(void) {
  void *lib = dlopen("../lib/liblazy.so", RTLD_LAZY | RTLD_LOCAL);
  if (!lib) {
    printf("dlopen: %s\n", dlerror());
    return 1;
  }
  work = (int (*)(int))dlsym(lib, "lazy_work");
  long sum = run_thread(program_first) + run_thread(library_first);
  for (int r = 0; r < 10; r++) {
    zaph_request_begin();
    for (int i = 0; i < r; i++)
      sum += in_program(i) + work(i);
    zaph_request_end();
    sum += also_in_program(r);
  }
  printf("sum: %ld\n", sum);
  dlclose(lib);
  return 0;
}
