/* Prototypes first, annotated definitions later, the common C layout: clang 15 and later leave
 * such a static function out of its annotations when a call to it precedes the definition; the
 * plugin's front-end half finds it, at the definition's line, with every clang. */
#include "zaph.h"

static int lookup(int key);
static int tokenize(int c);
int scan(int n);

static int dispatch(int x) { return lookup(x) + tokenize(x) + scan(x); }

ZAPH_OP static int lookup(int key) { return key * 3; }

static int tokenize(int c);
ZAPH_OP_TIER(2) static int tokenize(int c) { return c + 7; }

ZAPH_OP int scan(int n) { return n & 1; }

int main(void) {
  int sum = 0;
  for (int i = 0; i < 9; i++)
    sum += dispatch(i);
  return sum == 0;
}
