/* ZAPH-DEC-04's statistical confidence (POLICY_CONFIDENCE_PCT) for one op: the Wilson score interval of its
 * access frequency, whether that interval stays inside the op's tier band, the largest level at
 * which it does, and the sample that would make it do so. docs/confidence.md has the formulas. */
#ifndef ZAPH_REPORT_CONFIDENCE_H
#define ZAPH_REPORT_CONFIDENCE_H

#include "classify.h"

#include <stdint.h>

/* The two-sided standard normal quantile: the z with P(|Z| <= z) = level_pct / 100, found by
 * bisection on erf(). level_pct must lie in (0, 100). */
double z_for_level(double level_pct);

/* The two-sided level, in percent, of a z value: 100 * erf(z / sqrt 2). */
double level_for_z(double z);

/* The Wilson score interval of touching / total at z, as fractions in [0, 1]; total > 0. */
void wilson_interval(uint64_t touching, uint64_t total, double z, double *low, double *high);

/* How far the tier's band reaches: the largest z at which the Wilson interval still lies inside
 * the band of tier_for(touching, total), from its lower edge (open) and its upper edge (closed).
 * An edge the band does not have (Hot has no upper one, Cold no lower one) is HUGE_VAL. */
struct band_margin {
  enum recommended_tier tier;
  double lower_z; /* the interval's low end stays above the lower edge while z < lower_z */
  double upper_z; /* the high end stays at or below the upper edge while z <= upper_z */
};

struct band_margin band_margin_for(uint64_t touching, uint64_t total);

/* 1 when the interval at z lies inside the band, with the band's open and closed ends. */
int band_holds_at(const struct band_margin *margin, double z);

/* The largest z at which the band holds (the smaller of the two margins). */
double band_margin_z(const struct band_margin *margin);

/* The smallest total sample at which an op seen with the same frequency touching / total would
 * hold its band at z; UINT64_MAX when no sample does (the frequency sits exactly on a tier
 * edge) or the answer passes 2^64 - 1. */
uint64_t requests_needed(uint64_t touching, uint64_t total, double z);

/* A level floored to one decimal and capped at 99.9, as the reports show it: "at least". */
double level_shown(double level_pct);

#endif
