/* A profile path that is a directory: one error line naming it, exit status unchanged. */
// zaph-e2e profile: .
#include "zaph.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) { return op(0) == 1 ? 0 : 1; }
