/* ZAPH_SOURCE outside the known list: a warning, and the value recorded as given. */
// zaph-e2e env: ZAPH_SOURCE=canary
#include "zaph.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) { return op(0) == 1 ? 0 : 1; }
