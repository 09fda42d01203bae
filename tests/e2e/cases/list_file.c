/* Ops chosen by a list file (list_file.list), in source that has no annotation: fun: by name
 * and by glob, src: for every function of list_file_lib.c, an exclusion, a request boundary and
 * a declared tier, passed with -fplugin-arg-zaph-list= (clang) or -fplugin-arg-zaph-gcc-list=
 * (GCC). Unlisted functions (helper, and parse_debug, excluded) are not ops. */
// zaph-e2e list: list_file.list
// zaph-e2e sources: list_file_lib.c
// zaph-e2e profile: run.prof
int store_put(int x);
int store_get(int x);

static volatile int sink;

__attribute__((noinline)) int lookup(int x) { return x + 1; }
__attribute__((noinline)) int parse_header(int x) { return x * 3; }
__attribute__((noinline)) int parse_body(int x) { return x - 2; }
__attribute__((noinline)) int parse_debug(int x) { return x ^ 7; }
__attribute__((noinline)) int helper(int x) { return x + 5; }
__attribute__((noinline)) int never_run(int x) { return x; }

static void handle_request(int i) {
  sink += lookup(i) + parse_header(i) + helper(i);
  if (i % 2 == 0)
    sink += parse_body(i) + parse_debug(i) + store_put(i);
  if (i < 3)
    sink += store_get(i);
}

int main(void) {
  for (int i = 0; i < 10; i++)
    handle_request(i);
  if (sink == 42)
    sink += never_run(sink);
  return 0;
}
