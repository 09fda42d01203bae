/* A malformed tier ledger is a compile error that names the ledger, the line and column, and
 * what is wrong: here a misspelt key, which must not be silently ignored. */
// zaph-e2e tiers: tiers_bad.toml
// zaph-e2e compile-only
#include "zaph.h"

ZAPH_OP int kv_get(int k) { return k * 3; }
int main(void) { return kv_get(1) != 3; }
