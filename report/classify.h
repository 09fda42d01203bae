/* The ZAPH-DEC-04 classification of merged ops: access frequency, calls per request and the
 * recommended tier, with exact integer boundaries, the minimum sample and the rule for profiles
 * without marked requests (policy.h has the numbers). Also the order in which every output lists
 * the ops. */
#ifndef ZAPH_REPORT_CLASSIFY_H
#define ZAPH_REPORT_CLASSIFY_H

#include "merge.h"
#include "policy.h"

#include <stddef.h>
#include <stdint.h>

enum denominator_kind {
  DENOMINATOR_REQUESTS,   /* requests were marked: frequency = requests touching / requests */
  DENOMINATOR_OP_ENTRIES, /* none were: every op entry is one sample (AccessProfiler's rule) */
};

enum recommended_tier { TIER_NONE, TIER_HOT, TIER_WARM, TIER_COLD };

/* A non-negative value rounded half up to two decimals: whole + cents / 100. */
struct hundredths {
  uint64_t whole;
  unsigned cents;
};

struct classified_op {
  const struct merged_op *op;
  uint64_t requests_touching; /* the numerator used: the op's entries without requests */
  int has_frequency;          /* 0 when the denominator is 0 */
  struct hundredths frequency_pct;
  int has_calls_per_request; /* 0 without marked requests */
  struct hundredths calls_per_request;
  enum recommended_tier tier; /* TIER_NONE when the sample is insufficient */
};

struct classification {
  enum denominator_kind denominator_kind;
  uint64_t denominator;
  uint64_t min_requests;
  int min_requests_below_policy;
  int sufficient;
  struct classified_op *ops; /* in report order */
  size_t op_count;
};

/* Classifies every merged op. Returns 0, or -1 with *error set to a malloc()ed message when the
 * no-requests denominator (the sum of all entries) overflows 64 bits. */
int classify(struct classification *result, const struct merged_profiles *merged,
             uint64_t min_requests, char **error);

void classification_free(struct classification *result);

/* Tier 1 when touching/denominator > POLICY_HOT_ABOVE_PCT, Tier 2 when > POLICY_WARM_ABOVE_PCT,
 * else Tier 3; exact. */
enum recommended_tier tier_for(uint64_t touching, uint64_t denominator);

/* "Tier 1 (Hot)", "Tier 2 (Warm)", "Tier 3 (Cold)", or NULL for TIER_NONE. */
const char *tier_label(enum recommended_tier tier);

/* numerator / denominator * scale, rounded half up to hundredths; denominator > 0 and
 * numerator * scale / denominator < 2^64. */
struct hundredths ratio_hundredths(uint64_t numerator, uint64_t denominator, unsigned scale);

/* numerator / denominator * scale rounded half up to a whole number; denominator > 0 and
 * numerator <= denominator. */
unsigned ratio_rounded(uint64_t numerator, uint64_t denominator, unsigned scale);

#endif
