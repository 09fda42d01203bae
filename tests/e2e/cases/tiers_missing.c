/* A tier ledger that cannot be read is a compile error that names it. It reaches the plugin
 * through ZAPH_TIERS in the compiler's environment. */
// zaph-e2e tiers-env: no-such-ledger.toml
// zaph-e2e compile-only
#include "zaph.h"

ZAPH_OP int kv_get(int k) { return k * 3; }
int main(void) { return kv_get(1) != 3; }
