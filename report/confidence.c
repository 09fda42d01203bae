/* The statistics behind confidence.h. The Wilson interval is the set of frequencies a score test
 * does not reject, so it touches a band edge b exactly when z = |p - b| sqrt(n) / sqrt(b (1 - b));
 * that gives each margin in closed form, and both tier edges (0.8, 0.2) have b (1 - b) = 0.16. */
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

/* |touching / total - percent / 100| * sqrt(total) / 0.4, with the difference taken exactly. */
static double edge_margin(uint64_t touching, uint64_t total, unsigned percent) {
  unsigned __int128 seen = (unsigned __int128)touching * 100;
  unsigned __int128 edge = (unsigned __int128)total * percent;
  unsigned __int128 gap = seen > edge ? seen - edge : edge - seen;
  return (double)gap / 100.0 / (double)total * sqrt((double)total) / 0.4;
}

struct band_margin band_margin_for(uint64_t touching, uint64_t total) {
  struct band_margin m = {tier_for(touching, total), HUGE_VAL, HUGE_VAL};
  switch (m.tier) {
  case TIER_HOT:
    m.lower_z = edge_margin(touching, total, 80);
    break;
  case TIER_WARM:
    m.lower_z = edge_margin(touching, total, 20);
    m.upper_z = edge_margin(touching, total, 80);
    break;
  case TIER_COLD:
  case TIER_NONE:
    m.upper_z = edge_margin(touching, total, 20);
    break;
  }
  return m;
}

int band_holds_at(const struct band_margin *margin, double z) {
  return z < margin->lower_z && z <= margin->upper_z;
}

double band_margin_z(const struct band_margin *margin) {
  return margin->lower_z < margin->upper_z ? margin->lower_z : margin->upper_z;
}

/* The smallest n with |p - b| sqrt(n) / 0.4 past z, for the edge at percent (open or closed). */
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
    double lower = needed_for_edge(touching, total, m.tier == TIER_HOT ? 80 : 20, z, 1);
    need = lower > need ? lower : need;
  }
  if (m.upper_z != HUGE_VAL) {
    double upper = needed_for_edge(touching, total, m.tier == TIER_WARM ? 80 : 20, z, 0);
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
