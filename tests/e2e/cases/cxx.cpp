// C++ ops, reported demangled: members, const members, virtuals called through a base,
// templates (one op per instantiation), lambdas, namespaces, static functions.
#include "zaph.h"

static volatile int sink;

namespace store {
struct Base {
  virtual ~Base() {}
  virtual int vget(int k) = 0;
};
struct Cache : Base {
  ZAPH_OP int get(int k) const { return k + 1; }
  ZAPH_OP int vget(int k) override { return k; }
};
template <typename T> ZAPH_OP T twice(T x) { return x * 2; }
namespace {
ZAPH_OP int hidden(int x) { return x - 1; }
}
ZAPH_OP static int helper(int x) { return x; }
} // namespace store

int main() {
  store::Cache cache;
  store::Base *base = &cache;
  for (int i = 0; i < 10; i++)
    sink += cache.get(i) + base->vget(i) + store::twice(i) + store::helper(i);
  for (int i = 0; i < 3; i++)
    sink += int(store::twice(1.5)) + store::hidden(i);
  auto lambda = [](int x) ZAPH_OP { return x + 3; };
  for (int i = 0; i < 4; i++)
    sink += lambda(i);
  return 0;
}
