/* Annotations the pass cannot honour: warnings or errors with file and line, never a crash. */
// zaph-e2e compile-only
#include "zaph.h"

ZAPH_OP int declared_only(int);
__attribute__((annotate("zaph_op"))) int counter_var;
__attribute__((annotate("zaph_opp"))) int typo(int x) { return x; }
__attribute__((annotate("zaph_op:tier=4"))) int bad_tier(int x) { return x; }
__attribute__((annotate("zaph_op"), naked)) void bare(void) { __asm__("ret"); }
__attribute__((annotate("not_zaph"))) int other_tool(int x) { return x; }
__attribute__((annotate("zaph-op"))) int dashed(int x) { return x; }
__attribute__((annotate("ZAPH_OP"))) int shouted(int x) { return x; }
__attribute__((annotate("Zaph-Request"))) int mixed(int x) { return x; }
ZAPH_OP_TIER(1) int two_tiers(int x);
ZAPH_OP_TIER(3) int two_tiers(int x) { return x; }

int use(int x) {
  __attribute__((annotate("zaph_op"))) int local = x;
  return local + declared_only(x) + typo(x) + bad_tier(x) + other_tool(x) + dashed(x) +
         shouted(x) + mixed(x) + two_tiers(x);
}
ZAPH_OP_WITH("target=18446744073s") int longest_target(int x) { return x; }
ZAPH_OP_WITH("target=18446744074s") int target_past_64_bits(int x) { return x; }
ZAPH_OP_WITH("target=0ns") int zero_target(int x) { return x; }
