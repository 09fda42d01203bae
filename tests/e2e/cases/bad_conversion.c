/* An unknown % conversion in ZAPH_PROFILE_FILE: one error line, and the default path. */
// zaph-e2e profile: app-%q.prof
#include "zaph.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) { return op(0) == 1 ? 0 : 1; }
