/* Parsing decimals and checking times for the profile reader; kept apart so that the rules for a
 * number are written once and tested on their own. */
#include "profile_values.h"

#include <string.h>

int parse_decimal_u64(const char *text, uint64_t *value) {
  uint64_t v = 0;
  if (!*text)
    return -1;
  for (const char *c = text; *c; c++) {
    if (*c < '0' || *c > '9')
      return -1;
    unsigned digit = (unsigned)(*c - '0');
    if (v > (UINT64_MAX - digit) / 10)
      return -1;
    v = v * 10 + digit;
  }
  *value = v;
  return 0;
}

static int two_digits_in(const char *t, int low, int high) {
  if (t[0] < '0' || t[0] > '9' || t[1] < '0' || t[1] > '9')
    return 0;
  int v = (t[0] - '0') * 10 + (t[1] - '0');
  return v >= low && v <= high;
}

int profile_time_is_valid(const char *t) {
  if (strlen(t) != PROFILE_TIME_LENGTH)
    return 0;
  for (int i = 0; i < 4; i++)
    if (t[i] < '0' || t[i] > '9')
      return 0;
  return t[4] == '-' && two_digits_in(t + 5, 1, 12) && t[7] == '-' && two_digits_in(t + 8, 1, 31) &&
         t[10] == 'T' && two_digits_in(t + 11, 0, 23) && t[13] == ':' &&
         two_digits_in(t + 14, 0, 59) && t[16] == ':' && two_digits_in(t + 17, 0, 60) &&
         t[19] == 'Z';
}
