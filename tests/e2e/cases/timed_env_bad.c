// ZAPH_TIMED set to what is not a sampling rate is a compile error naming it.
// zaph-e2e timed-env: 3
// zaph-e2e compile-only
#include "zaph.h"

ZAPH_OP int op(int x) { return x + 1; }

int main(void) { return op(0) - 1; }
