/* Option values checked character by character, so "1e2", " 95", "+95" and "95%" are refused
 * with the option's own message instead of being read half-way by strtod(). */
#include "option_values.h"

#include "zaph_profile.h"

#include <stdlib.h>
#include <string.h>

int parse_percentage(const char *text, double *pct) {
  size_t whole = strspn(text, "0123456789");
  if (whole == 0 || whole > 3)
    return -1;
  if (text[whole] == '.') {
    size_t fraction = strspn(text + whole + 1, "0123456789");
    if (fraction == 0 || text[whole + 1 + fraction] != '\0')
      return -1;
  } else if (text[whole] != '\0') {
    return -1;
  }
  double value = strtod(text, NULL);
  if (!(value > 0 && value < 100))
    return -1;
  *pct = value;
  return 0;
}

int parse_days(const char *text, uint64_t limit, uint64_t *days) {
  size_t len = strlen(text);
  char digits[32];
  if (len > 0 && text[len - 1] == 'd')
    len--;
  if (len == 0 || len >= sizeof digits)
    return -1;
  memcpy(digits, text, len);
  digits[len] = '\0';
  uint64_t value;
  if (zaph_parse_u64(digits, &value) != 0 || value > limit)
    return -1;
  *days = value;
  return 0;
}
