/* Without ZAPH_PROFILE_FILE the profile is zaph-<pid>.prof in the working directory. */
// zaph-e2e profile: -
#include "zaph.h"

ZAPH_OP static int op(int x) { return x + 1; }

int main(void) { return op(0) == 1 ? 0 : 1; }
