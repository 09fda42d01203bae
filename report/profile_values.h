/* The two kinds of value a profile holds besides text: unsigned 64-bit decimals and UTC times,
 * checked exactly as docs/profile-format.md states them (and options.c reuses the first). */
#ifndef ZAPH_REPORT_PROFILE_VALUES_H
#define ZAPH_REPORT_PROFILE_VALUES_H

#include <stdint.h>

/* "YYYY-MM-DDTHH:MM:SSZ" */
#define PROFILE_TIME_LENGTH 20

/* Parses an unsigned decimal: digits only (leading zeros allowed), no sign, no spaces, at most
 * 18446744073709551615. Returns 0 and sets *value, or returns -1. */
int parse_decimal_u64(const char *text, uint64_t *value);

/* Returns 1 when text is a "YYYY-MM-DDTHH:MM:SSZ" time with every part in range, else 0. */
int profile_time_is_valid(const char *text);

#endif
