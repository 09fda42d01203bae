/* The tier ledger fed back to the compiler (docs/ledger.md, "What the compilers do with
 * tiers"): the ops it assigns Tier 1 are placed in .text.hot, those it assigns Tier 3 in
 * .text.unlikely; Tier 2, unassigned, absent and ambiguous ops stay in .text. The ledger was
 * written in another checkout (its files are /home/ci/w/tests/e2e/cases/...), names one op by
 * a previous name, and has an entry of the same name in another file. Counting is unchanged. */
// zaph-e2e tiers: tiers_sections.toml
// zaph-e2e cflags: -ffunction-sections
// zaph-e2e sections: kv_get kv_scan kv_put kv_idle kv_new kv_renamed twin handle
#include "zaph.h"

ZAPH_OP int kv_get(int k) { return k * 3; }
ZAPH_OP int kv_scan(int k) { return k + 1; }
ZAPH_OP int kv_put(int k) { return k - 1; }
ZAPH_OP int kv_idle(int k) { return k ^ 7; }
ZAPH_OP int kv_new(int k) { return k ^ 5; }
ZAPH_OP int kv_renamed(int k) { return k << 1; }
ZAPH_OP int twin(int k) { return k | 8; }
ZAPH_REQUEST int handle(int k) {
  return kv_get(k) + kv_scan(k) + kv_put(k) + kv_idle(k) + kv_new(k) + kv_renamed(k) + twin(k);
}

int main(void) {
  int sum = 0;
  for (int i = 0; i < 10; i++)
    sum += handle(i);
  return sum == 0;
}
