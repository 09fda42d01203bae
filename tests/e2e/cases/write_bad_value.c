/* ZAPH_WRITE takes 0 or 1: another value is an error line, and the profile is written. */
// zaph-e2e env: ZAPH_WRITE=no
#include "zaph.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) { return op(0) + op(1) == 3 ? 0 : 1; }
