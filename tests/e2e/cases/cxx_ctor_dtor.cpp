// Constructors and destructors are ops too where clang emits their annotation (not clang 14).
#include "zaph.h"

struct Session {
  ZAPH_OP Session() {}
  ZAPH_OP ~Session() {}
};

int main() {
  for (int i = 0; i < 5; i++) {
    Session s;
  }
  Session *heap = new Session;
  delete heap;
  return 0;
}
