/* Without the front-end half (clang -fpass-plugin only, as opt runs the pass), the pass reads
 * the ledger ZAPH_TIERS names itself and marks the ops it finds the same way. */
// zaph-e2e no-frontend
// zaph-e2e tiers-env: tiers_no_frontend.toml
// zaph-e2e cflags: -ffunction-sections
// zaph-e2e sections: kv_get kv_scan kv_put
// zaph-e2e compile-only
#include "zaph.h"

ZAPH_OP int kv_get(int k) { return k * 3; }
ZAPH_OP int kv_scan(int k) { return k + 1; }
ZAPH_OP int kv_put(int k) { return k - 1; }
int main(void) { return kv_get(1) + kv_scan(1) + kv_put(1) == 0; }
