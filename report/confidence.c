/* The statistics behind confidence.h. The Wilson interval is the set of frequencies a score test
 * does not reject, so it touches a band edge b exactly when z = |p - b| sqrt(n) / sqrt(b (1 - b));
 * that gives each margin in closed form. The edges are policy.h's tier bands. */
#include "confidence.h"

#include <math.h>

double level_for_z(double z) {
  return 100.0 * erf(z / sqrt(2.0));
}

double z_for_level(double level_pct) {
  double low = 0.0, high = 40.0;
  for (int i = 0; i < 200; i++) {
    double mid = (low + high) / 2;
    if (level_for_z(mid) < level_pct)
      low = mid;
    else
      high = mid;
  }
  return (low + high) / 2;
}

void wilson_interval(uint64_t touching, uint64_t total, double z, double *low, double *high) {
  double n = (double)total;
  double p = (double)touching / n;
  double z2 = z * z;
  double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  double half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  *low = centre - half < 0 ? 0 : centre - half;
  *high = centre + half > 1 ? 1 : centre + half;
}

/* sqrt(b (1 - b)) for the edge b = percent / 100, from the integer percent * (100 - percent):
 * that is a perfect square for both tier edges, so their deviation is exact. */
static double edge_deviation(unsigned percent) {
  return sqrt((double)(percent * (100 - percent))) / 100.0;
}

/* |touching / total - b| * sqrt(total) / sqrt(b (1 - b)), with the difference taken exactly. */
static double edge_margin(uint64_t touching, uint64_t total, unsigned percent) {
  unsigned __int128 seen = (unsigned __int128)touching * 100;
  unsigned __int128 edge = (unsigned __int128)total * percent;
  unsigned __int128 gap = seen > edge ? seen - edge : edge - seen;
  return (double)gap / 100.0 / (double)total * sqrt((double)total) / edge_deviation(percent);
}

/* The edges of a tier's band, in percent; 0 for an edge it does not have. */
static unsigned lower_edge(enum recommended_tier tier) {
  return tier == TIER_HOT ? POLICY_HOT_ABOVE_PCT : tier == TIER_WARM ? POLICY_WARM_ABOVE_PCT : 0;
}

static unsigned upper_edge(enum recommended_tier tier) {
  return tier == TIER_WARM ? POLICY_HOT_ABOVE_PCT : tier == TIER_HOT ? 0 : POLICY_WARM_ABOVE_PCT;
}

struct band_margin band_margin_for(uint64_t touching, uint64_t total) {
  struct band_margin m = {tier_for(touching, total), HUGE_VAL, HUGE_VAL};
  if (lower_edge(m.tier))
    m.lower_z = edge_margin(touching, total, lower_edge(m.tier));
  if (upper_edge(m.tier))
    m.upper_z = edge_margin(touching, total, upper_edge(m.tier));
  return m;
}

int band_holds_at(const struct band_margin *margin, double z) {
  return z < margin->lower_z && z <= margin->upper_z;
}

double band_margin_z(const struct band_margin *margin) {
  return margin->lower_z < margin->upper_z ? margin->lower_z : margin->upper_z;
}

/* The smallest n with |p - b| sqrt(n) / sqrt(b (1 - b)) past z, for the edge at percent (open or
 * closed). */
static double needed_for_edge(uint64_t touching, uint64_t total, unsigned percent, double z,
                              int open) {
  double gap = edge_margin(touching, total, percent) / sqrt((double)total);
  if (gap == 0)
    return HUGE_VAL;
  double exact = (z / gap) * (z / gap);
  double n = ceil(exact);
  if (open && n == exact)
    n += 1;
  return n < 1 ? 1 : n;
}

uint64_t requests_needed(uint64_t touching, uint64_t total, double z) {
  struct band_margin m = band_margin_for(touching, total);
  double need = 1;
  if (m.lower_z != HUGE_VAL) {
    double lower = needed_for_edge(touching, total, lower_edge(m.tier), z, 1);
    need = lower > need ? lower : need;
  }
  if (m.upper_z != HUGE_VAL) {
    double upper = needed_for_edge(touching, total, upper_edge(m.tier), z, 0);
    need = upper > need ? upper : need;
  }
  if (need >= 18446744073709551615.0)
    return UINT64_MAX;
  return (uint64_t)need;
}

double level_shown(double level_pct) {
  double floored = floor(level_pct * 10) / 10;
  return floored > 99.9 ? 99.9 : floored;
}
