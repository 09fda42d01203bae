/* ZAPH-DEC-04's rules end to end: ops declaring their tier with ZAPH_OP_TIER, run for exactly
 * 1,000 production requests. lookup is Hot as declared; price is Warm though declared Hot
 * (misclassified); near_hot touches 824 requests, Hot but not confident at 95%; audit is Cold as
 * declared; never_run has no data. check fails on those three, csv and the header show all. */
// zaph-e2e env: ZAPH_SOURCE=production
// zaph-e2e profile: run.prof
// zaph-e2e report: check
// zaph-e2e report: --format=csv
// zaph-e2e report: doc --format=header
#include "zaph.h"

static volatile int sink;

ZAPH_OP_TIER(1) __attribute__((noinline)) int lookup(int x) { return x + 1; }
ZAPH_OP_TIER(1) __attribute__((noinline)) int price(int x) { return x * 2; }
ZAPH_OP_TIER(2) __attribute__((noinline)) int near_hot(int x) { return x - 3; }
ZAPH_OP_TIER(3) __attribute__((noinline)) int audit(int x) { return x ^ 5; }
ZAPH_OP_TIER(3) __attribute__((noinline)) int never_run(int x) { return x; }

ZAPH_REQUEST static void handle(int i) {
  if (i < 900)
    sink += lookup(i);
  if (i % 2 == 0)
    sink += price(i);
  if (i < 824)
    sink += near_hot(i);
  if (i < 31)
    sink += audit(i);
}

int main(void) {
  for (int i = 0; i < 1000; i++)
    handle(i);
  zaph_request_end();
  if (sink == 42)
    sink += never_run(sink);
  return 0;
}
