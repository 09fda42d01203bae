/* Applying the policy: confidence from confidence.c, dates from calendar.c and sources from
 * data_source.c, gathered per op into flags so that every output and the gate agree on them. */
#include "assess.h"

#include "calendar.h"
#include "data_source.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const flag_names[OP_FLAG_COUNT] = {
    "no-data", "few-requests", "not-confident", "stale", "unacceptable-source", "misclassified",
    "p99-above-target"};

const char *op_flag_name(int index) {
  return index >= 0 && index < OP_FLAG_COUNT ? flag_names[index] : NULL;
}

void time_plus_days(const char *time, long days, char out[ZAPH_PROFILE_TIME_LENGTH + 1]) {
  char date[CALENDAR_DATE_SIZE];
  calendar_format(calendar_day_of_time(time) + days, date);
  memcpy(out, date, CALENDAR_DATE_SIZE - 1);
  memcpy(out + CALENDAR_DATE_SIZE - 1, time + CALENDAR_DATE_SIZE - 1,
         ZAPH_PROFILE_TIME_LENGTH + 2 - CALENDAR_DATE_SIZE);
}

/* Days from the profiling day to now; 0 for a profile that ends in the clock skew the reader
 * allows past the end of today. */
static long age_in_days(long now_day, long profiling_day) {
  return now_day > profiling_day ? now_day - profiling_day : 0;
}

static void assess_op(struct op_assessment *a, const struct classified_op *c,
                      const struct classification *classification, double z) {
  uint64_t total = classification->denominator;
  if (c->op->timing) {
    latency_summarize(c->op->timing, z, &a->latency);
    if (a->latency.p99_verdict == LATENCY_MISSES)
      a->flags |= FLAG_ABOVE_TARGET;
  }
  a->measured = c->tier;
  a->requests_needed = UINT64_MAX;
  if (c->requests_touching == 0)
    a->flags |= FLAG_NO_DATA;
  if (!classification->sufficient)
    a->flags |= FLAG_FEW_REQUESTS;
  if (total == 0) {
    a->flags |= FLAG_NOT_CONFIDENT;
    return;
  }
  a->has_interval = 1;
  wilson_interval(c->requests_touching, total, z, &a->low_pct, &a->high_pct);
  a->low_pct *= 100;
  a->high_pct *= 100;
  a->margin = band_margin_for(c->requests_touching, total);
  a->confident = band_holds_at(&a->margin, z);
  a->level_pct = level_for_z(band_margin_z(&a->margin));
  a->requests_needed = requests_needed(c->requests_touching, total, z);
  if (!a->confident)
    a->flags |= FLAG_NOT_CONFIDENT;
  unsigned declared = c->op->declared_tier;
  if (declared && a->measured != TIER_NONE && a->confident && declared != (unsigned)a->measured)
    a->misclassified = 1;
  if (a->misclassified)
    a->flags |= FLAG_MISCLASSIFIED;
}

void assess(struct assessment *result, const struct merged_profiles *merged,
            const struct classification *classification, const struct assessment_policy *policy) {
  memset(result, 0, sizeof *result);
  result->policy = *policy;
  result->z = z_for_level(policy->confidence_pct);
  result->confidence_below_policy = policy->confidence_pct < POLICY_CONFIDENCE_PCT;
  result->max_age_above_policy = policy->max_age_days > POLICY_MAX_AGE_DAYS;
  result->profiling_day = calendar_day_of_time(merged->end);
  result->review_day = result->profiling_day + POLICY_REVIEW_INTERVAL_DAYS;
  time_plus_days(merged->end, POLICY_REVIEW_INTERVAL_DAYS, result->next_review_at);
  result->age_days = age_in_days(policy->now_day, result->profiling_day);
  result->stale = result->age_days > 0 && (uint64_t)result->age_days > policy->max_age_days;
  result->inputs = xcalloc(merged->profile_count, sizeof *result->inputs);
  for (size_t i = 0; i < merged->profile_count; i++) {
    struct input_assessment *in = &result->inputs[i];
    in->age_days = age_in_days(policy->now_day, calendar_day_of_time(merged->inputs[i].end));
    in->stale = in->age_days > 0 && (uint64_t)in->age_days > policy->max_age_days;
    in->source_acceptable = source_is_acceptable(merged->inputs[i].source);
  }
  result->effective_source =
      merged->source_count ? source_worst(merged->sources, merged->source_count) : "unspecified";
  result->source_acceptable = source_is_acceptable(result->effective_source);
  result->op_count = classification->op_count;
  result->ops = xcalloc(classification->op_count, sizeof *result->ops);
  for (size_t i = 0; i < classification->op_count; i++) {
    struct op_assessment *a = &result->ops[i];
    assess_op(a, &classification->ops[i], classification, result->z);
    if (result->stale)
      a->flags |= FLAG_STALE;
    if (!result->source_acceptable)
      a->flags |= FLAG_UNACCEPTABLE_SOURCE;
  }
}

void assessment_free(struct assessment *result) {
  free(result->inputs);
  free(result->ops);
  memset(result, 0, sizeof *result);
}

size_t assessment_failing_ops(const struct assessment *result) {
  size_t failing = 0;
  for (size_t i = 0; i < result->op_count; i++)
    failing += result->ops[i].flags != 0;
  return failing;
}
