// Constructors and destructors are ops: one source-level construction or destruction is one
// entry, whichever of the Itanium variants (complete, base-object, deleting) runs it, with and
// without virtual bases, and when clang would make an empty destructor an alias of its base's.
#include "zaph.h"

struct Session {
  ZAPH_OP Session() {}
  ZAPH_OP ~Session() {}
};

// Virtual destructors: `delete` runs the deleting variant, which calls the complete one.
struct Base {
  ZAPH_OP Base() {}
  ZAPH_OP virtual ~Base() {}
};
struct Derived : Base {
  ZAPH_OP Derived() {}
  ZAPH_OP ~Derived() override {} // empty, one base: at -O1+ clang would alias Base's
};

// Virtual bases: the complete variants construct and destroy them, the base-object ones not.
struct Shared {
  ZAPH_OP Shared() {}
  ZAPH_OP virtual ~Shared() {}
};
struct Middle : virtual Shared {
  ZAPH_OP Middle() {}
  ZAPH_OP ~Middle() override {}
};
struct Leaf : Middle {
  ZAPH_OP Leaf() {}
  ZAPH_OP ~Leaf() override {}
};

// Defined out of line, where clang makes the complete variants aliases.
struct Outer {
  ZAPH_OP Outer();
  ZAPH_OP virtual ~Outer();
  int state;
};
struct Inner : Outer {
  Inner();
  ~Inner() override;
};
Outer::Outer() { state = 1; }
Outer::~Outer() { state = 0; }
ZAPH_OP Inner::Inner() {}
ZAPH_OP Inner::~Inner() {}

// Defaulted: clang makes the body only where it is first used.
struct Plain : Base {
  ZAPH_OP ~Plain() override = default;
};

int main() {
  for (int i = 0; i < 5; i++) {
    Session s;
  }
  Session *heap = new Session;
  delete heap;
  for (int i = 0; i < 3; i++) {
    Base *b = new Derived;
    delete b;
  }
  for (int i = 0; i < 2; i++) {
    Derived d;
  }
  for (int i = 0; i < 4; i++) {
    Shared *s = new Leaf;
    delete s;
  }
  {
    Middle m;
  }
  for (int i = 0; i < 3; i++) {
    Outer *o = new Inner;
    delete o;
  }
  for (int i = 0; i < 2; i++) {
    Inner in;
  }
  for (int i = 0; i < 3; i++) {
    Base *p = new Plain;
    delete p;
  }
  {
    Plain p;
  }
  return 0;
}
