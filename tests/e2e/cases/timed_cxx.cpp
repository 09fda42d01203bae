// C++ exceptions through timed ops: an entry an exception leaves is begun and unfinished,
// never a duration, and the entries that catch it, or that a destructor makes while it
// unwinds, return and are timed. A noexcept op, and a static object's destructor that enters
// it three times at exit, after main: counted and timed, in the profile written at exit.
#include "zaph.h"

#include <cstdio>
#include <stdexcept>

static volatile int sink;

ZAPH_OP static int first(int x) { return x; }
ZAPH_OP_WITH("timed=1") static int thrower(int x) {
  if (x)
    throw std::runtime_error("odd");
  return sink += x;
}
ZAPH_OP_WITH("timed=1") static int middle(int x) { return thrower(x) + 1; }
ZAPH_OP_WITH("timed=1") static int catcher(int x) {
  try {
    return middle(x);
  } catch (const std::exception &) {
    return -1;
  }
}
struct Guard {
  ~Guard() { sink += middle(0); }
};
ZAPH_OP_WITH("timed=1") static int guarded(int x) {
  Guard g;
  return middle(x);
}
ZAPH_OP_WITH("timed=1") static int quiet(int x) noexcept { return sink += x; }
static struct AtExit {
  ~AtExit() {
    for (int i = 0; i < 3; i++)
      quiet(i);
  }
} at_exit;

int main() {
  first(0);
  for (int i = 0; i < 4; i++)
    std::printf("catcher(%d) = %d\n", i & 1, catcher(i & 1));
  try {
    guarded(1);
  } catch (const std::exception &e) {
    std::printf("caught: %s\n", e.what());
  }
  quiet(1);
  return 0;
}
