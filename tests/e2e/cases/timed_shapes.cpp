// Timed ops of every shape of signature, each one timed through its timed copy with its
// arguments and its value intact: a struct returned in memory and one in registers, a class
// that cannot be copied bitwise (returned by reference to the caller's slot), a parameter whose
// address is taken, a struct passed by value, an exception that leaves the op (begun,
// unfinished), a method, an always_inline op and a static one inlined into two callers (both
// timed through the one copy), and a timed request. main checks every value it gets back.
// zaph-e2e durations: big(int) 0 1000000000
// zaph-e2e durations: thrower(int) 0 1000000000
// zaph-e2e durations: often(int) 0 1000000000
#include "zaph.h"

#include <stdexcept>
#include <string>

struct Big {
  long v[8];
};
struct Small {
  int a, b;
};
struct Named {
  std::string s;
  explicit Named(const char *t) : s(t) {}
  Named(const Named &o) : s(o.s) {}
  ~Named() {}
};

ZAPH_OP int warm_up(int x) { return x + 1; }
ZAPH_OP_WITH("timed=1") Big big(int x) {
  Big b{};
  b.v[7] = x;
  return b;
}
ZAPH_OP_WITH("timed=2") Small small(int x) { return Small{x, x + 1}; }
ZAPH_OP_WITH("timed=1") Named named(const char *t) {
  Named n(t);
  n.s += "!";
  return n;
}
static int *volatile escaped;
ZAPH_OP_WITH("timed=1") int addressed(int x) {
  escaped = &x;
  return *escaped + 1;
}
ZAPH_OP_WITH("timed=1") long by_value(Big b) { return b.v[0] + b.v[7]; }
ZAPH_OP_WITH("timed=1") int thrower(int x) {
  if (x)
    throw std::runtime_error("out");
  return x;
}
struct K {
  int k;
  ZAPH_OP_WITH("timed=1") int method(int x) { return k + x; }
};
ZAPH_OP_WITH("timed=1") __attribute__((always_inline)) inline int forced(int x) { return x * 5; }
ZAPH_OP_WITH("timed=4") static inline int often(int x) { return x ^ 3; }
__attribute__((annotate("zaph_request:timed=1"))) int handle(int i) { return often(i); }

int main() {
  warm_up(0); // the thread's first entry, on the runtime's slow path: counted, never timed
  int wrong = 0;
  for (int i = 0; i < 4; i++) {
    wrong += handle(i) != (i ^ 3);
    wrong += big(i).v[7] != i;
    Small s = small(i);
    wrong += s.a != i || s.b != i + 1;
    wrong += named("a").s != "a!";
    wrong += addressed(i) != i + 1;
    Big b{};
    b.v[0] = i;
    b.v[7] = 10;
    wrong += by_value(b) != i + 10;
    K k{i};
    wrong += k.method(i) != 2 * i;
    wrong += forced(i) != 5 * i;
    wrong += often(i) != (i ^ 3);
    try {
      wrong += thrower(i & 1) != 0;
    } catch (const std::exception &) {
      wrong += !(i & 1);
    }
  }
  return wrong;
}
