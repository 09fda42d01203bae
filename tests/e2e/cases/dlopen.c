/* Ops in shared libraries loaded with dlopen(): counted, still in the profile after
 * dlclose(), one op however many times its library is loaded (liba, libb and liba again are
 * one source), same-named static ops of different sources kept apart (libc2), and one runtime
 * shared by the program and its libraries (the program exports it with -rdynamic). */
// zaph-e2e shared: liba.so dlopen_lib.c
// zaph-e2e shared: libb.so dlopen_lib.c
// zaph-e2e shared: libc2.so dlopen_lib2.c
// zaph-e2e link: -ldl -rdynamic
#include "zaph.h"

#include <dlfcn.h>
#include <stdio.h>

ZAPH_OP static int in_program(int x) { return x + 1; }

static int call(const char *path, int times) {
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    printf("dlopen %s: %s\n", path, dlerror());
    return -1;
  }
  int (*work)(int) = (int (*)(int))dlsym(lib, "lib_work");
  int sum = 0;
  for (int i = 0; i < times; i++)
    sum += work(i);
  dlclose(lib);
  return sum;
}

int main(void) {
  zaph_request_begin();
  in_program(1);
  printf("a: %d\n", call("../lib/liba.so", 3));
  printf("b: %d\n", call("../lib/libb.so", 5));
  printf("a again: %d\n", call("../lib/liba.so", 2));
  printf("c2: %d\n", call("../lib/libc2.so", 4));
  return 0;
}
