/* Only the pass, without the plugin's front-end half: clang 14 and 19 then say once per
 * translation unit that annotated definitions may be missed (this one is, on clang 19: its
 * prototype comes first); clang 22 loads the front-end half with the pass plugin itself. */
// zaph-e2e no-frontend
#include "zaph.h"

static int lookup(int key);

static int dispatch(int x) { return lookup(x) + 1; }

ZAPH_OP static int lookup(int key) { return key * 3; }

ZAPH_OP int scan(int n) { return n & 1; }

int main(void) {
  int sum = 0;
  for (int i = 0; i < 4; i++)
    sum += dispatch(i) + scan(i);
  return sum == 0;
}
