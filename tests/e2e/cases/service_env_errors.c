/* Bad service variables: one error line each, the rest still works, the program unchanged. */
// zaph-e2e env: ZAPH_DUMP_SIGNAL=BOGUS
// zaph-e2e env: ZAPH_FLUSH_INTERVAL=0
// zaph-e2e env: ZAPH_DUMP_ON_SIGNALS=TERM,NOPE
#include "zaph.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) { return op(0) == 1 ? 0 : 1; }
