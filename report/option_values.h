/* The values of the policy options: a percentage for --confidence and a number of days for
 * --max-age, each checked strictly (no signs, spaces or exponents) before it is converted. */
#ifndef ZAPH_REPORT_OPTION_VALUES_H
#define ZAPH_REPORT_OPTION_VALUES_H

#include <stdint.h>

/* Parses "95", "99.9", "99.99": digits, optionally a point and more digits, strictly between 0
 * and 100. Returns 0 and sets *pct, or -1. */
int parse_percentage(const char *text, double *pct);

/* Parses "90" or "90d", a whole number of days from 0 to limit. Returns 0 and sets *days, or -1. */
int parse_days(const char *text, uint64_t limit, uint64_t *days);

#endif
