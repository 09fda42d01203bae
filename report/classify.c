/* Frequencies, tiers and report order. All arithmetic is on integers (unsigned __int128 where a
 * product can pass 64 bits), so a frequency exactly on a tier edge is exactly in the colder tier,
 * and rounding to two decimals is half up on the exact quotient, not on a binary fraction. */
#include "classify.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

enum recommended_tier tier_for(uint64_t touching, uint64_t denominator) {
  if ((u128)touching * 100 > (u128)denominator * POLICY_HOT_ABOVE_PCT)
    return TIER_HOT;
  if ((u128)touching * 100 > (u128)denominator * POLICY_WARM_ABOVE_PCT)
    return TIER_WARM;
  return TIER_COLD;
}

const char *tier_label(enum recommended_tier tier) {
  switch (tier) {
  case TIER_HOT: return "Tier 1 (Hot)";
  case TIER_WARM: return "Tier 2 (Warm)";
  case TIER_COLD: return "Tier 3 (Cold)";
  case TIER_NONE: break;
  }
  return NULL;
}

static u128 ratio_rounded_wide(uint64_t numerator, uint64_t denominator, uint64_t scale) {
  u128 scaled = (u128)numerator * scale;
  return (2 * scaled + denominator) / (2 * (u128)denominator);
}

struct hundredths ratio_hundredths(uint64_t numerator, uint64_t denominator, unsigned scale) {
  u128 rounded = ratio_rounded_wide(numerator, denominator, (uint64_t)scale * 100);
  struct hundredths h = {(uint64_t)(rounded / 100), (unsigned)(rounded % 100)};
  return h;
}

unsigned ratio_rounded(uint64_t numerator, uint64_t denominator, unsigned scale) {
  return (unsigned)ratio_rounded_wide(numerator, denominator, scale);
}

/* Most requests touching first, then most entries, then by name, file, line and kind. */
static int compare_report_order(const void *a, const void *b) {
  const struct classified_op *x = a, *y = b;
  if (x->requests_touching != y->requests_touching)
    return x->requests_touching > y->requests_touching ? -1 : 1;
  if (x->op->entries != y->op->entries)
    return x->op->entries > y->op->entries ? -1 : 1;
  int c = strcmp(x->op->id.name, y->op->id.name);
  if (c)
    return c;
  c = strcmp(x->op->id.file, y->op->id.file);
  if (c)
    return c;
  if (x->op->id.line != y->op->id.line)
    return x->op->id.line < y->op->id.line ? -1 : 1;
  return (x->op->id.kind > y->op->id.kind) - (x->op->id.kind < y->op->id.kind);
}

int classify(struct classification *result, const struct merged_profiles *merged,
             uint64_t min_requests, char **error) {
  memset(result, 0, sizeof *result);
  *error = NULL;
  int by_requests = merged->total_requests > 0;
  if (!by_requests && merged->total_entries_overflow_file) {
    *error = xformat("counts overflow 64 bits when merging %s",
                     merged->total_entries_overflow_file);
    return -1;
  }
  result->denominator_kind = by_requests ? DENOMINATOR_REQUESTS : DENOMINATOR_OP_ENTRIES;
  result->denominator = by_requests ? merged->total_requests : merged->total_entries;
  result->min_requests = min_requests;
  result->min_requests_below_policy = min_requests < POLICY_MIN_REQUESTS;
  result->sufficient = result->denominator > 0 && result->denominator >= min_requests;
  result->op_count = merged->op_count;
  result->ops = xcalloc(merged->op_count, sizeof *result->ops);
  for (size_t i = 0; i < merged->op_count; i++) {
    struct classified_op *c = &result->ops[i];
    const struct merged_op *op = &merged->ops[i];
    c->op = op;
    c->requests_touching = by_requests ? op->requests_touching : op->entries;
    c->has_frequency = result->denominator > 0;
    if (c->has_frequency)
      c->frequency_pct = ratio_hundredths(c->requests_touching, result->denominator, 100);
    c->has_calls_per_request = by_requests;
    if (by_requests)
      c->calls_per_request = ratio_hundredths(op->entries, merged->total_requests, 1);
    c->tier = result->sufficient ? tier_for(c->requests_touching, result->denominator) : TIER_NONE;
  }
  if (result->op_count > 1)
    qsort(result->ops, result->op_count, sizeof *result->ops, compare_report_order);
  return 0;
}

void classification_free(struct classification *result) {
  free(result->ops);
  memset(result, 0, sizeof *result);
}
