/* Linked into the XRay build of speedtest1: patches every XRay sled at startup with a
 * handler that counts function entries, the counting alternative to zaph's, and prints the
 * count to stderr at exit ("xray_entries N") so bench/sqlite.sh can compare it with zaph's.
 * XRay's interface header is C++; these are its C entry points. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum xray_entry_type { XRAY_ENTRY = 0, XRAY_EXIT = 1, XRAY_TAIL = 2 };
int __xray_set_handler(void (*handler)(int32_t, enum xray_entry_type));
int __xray_patch(void);

static __thread unsigned long long entries;

static void count_entry(int32_t fn, enum xray_entry_type type) {
  (void)fn;
  if (type == XRAY_ENTRY)
    entries++;
}

static void print_entries(void) { fprintf(stderr, "xray_entries %llu\n", entries); }

__attribute__((constructor)) static void patch_sleds(void) {
  __xray_set_handler(count_entry);
  __xray_patch();
  atexit(print_entries);
}
