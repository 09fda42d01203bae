/* A function the source marks hot or cold keeps what the source says: a ledger that says the
 * opposite is warned about and not applied; one that agrees changes nothing. The ledger reaches
 * the plugin through ZAPH_TIERS in the compiler's environment. */
// zaph-e2e tiers-env: tiers_conflict.toml
// zaph-e2e cflags: -ffunction-sections
// zaph-e2e sections: said_hot said_cold agreed plain
// zaph-e2e compile-only
#include "zaph.h"

ZAPH_OP __attribute__((hot)) int said_hot(int k) { return k * 3; }
ZAPH_OP __attribute__((cold)) int said_cold(int k) { return k + 1; }
ZAPH_OP __attribute__((cold)) int agreed(int k) { return k - 1; }
ZAPH_OP int plain(int k) { return k ^ 1; }
int main(void) { return said_hot(1) + said_cold(1) + agreed(1) + plain(1) == 0; }
