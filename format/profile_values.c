/* The values a text profile holds besides text: unsigned 64-bit decimals, checked sums of
 * counts and UTC times, and the quoting of text in messages. Part of the format code the
 * runtime and zaph-report share (include/zaph_profile.h). */
#include "zaph_profile.h"

#include <string.h>

int zaph_parse_u64(const char *text, uint64_t *value) {
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

int zaph_add_count(uint64_t *sum, uint64_t value) {
  if (*sum > UINT64_MAX - value)
    return -1;
  *sum += value;
  return 0;
}

/* Reads count digits; returns the value, or -1 when one is not a digit. */
static int digits(const char *t, int count) {
  int v = 0;
  for (int i = 0; i < count; i++) {
    if (t[i] < '0' || t[i] > '9')
      return -1;
    v = v * 10 + (t[i] - '0');
  }
  return v;
}

/* Years from March, so the leap day ends a year. */
int64_t zaph_days_from_civil(int64_t year, int month, int day) {
  year -= month <= 2;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t of_era = year - era * 400;
  int64_t of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  int64_t of_cycle = of_era * 365 + of_era / 4 - of_era / 100 + of_year;
  return era * 146097 + of_cycle - 719468;
}

int zaph_time_parse(const char *t, int64_t *seconds) {
  if (strlen(t) != ZAPH_PROFILE_TIME_LENGTH || t[4] != '-' || t[7] != '-' || t[10] != 'T' ||
      t[13] != ':' || t[16] != ':' || t[19] != 'Z')
    return -1;
  int year = digits(t, 4), month = digits(t + 5, 2), day = digits(t + 8, 2);
  int hour = digits(t + 11, 2), minute = digits(t + 14, 2), second = digits(t + 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60)
    return -1;
  *seconds = zaph_days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return 0;
}

static void put_digits(char *out, int count, int64_t value) {
  for (int i = count - 1; i >= 0; i--, value /= 10)
    out[i] = (char)('0' + value % 10);
}

void zaph_time_format(int64_t seconds, char out[ZAPH_PROFILE_TIME_LENGTH + 1]) {
  int64_t days = seconds / 86400, of_day = seconds % 86400;
  if (of_day < 0) {
    of_day += 86400;
    days--;
  }
  /* The inverse of zaph_days_from_civil. */
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t of_era = days - era * 146097;
  int64_t year_of_era = (of_era - of_era / 1460 + of_era / 36524 - of_era / 146096) / 365;
  int64_t of_year = of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t march_month = (5 * of_year + 2) / 153;
  int day = (int)(of_year - (153 * march_month + 2) / 5 + 1);
  int month = (int)(march_month < 10 ? march_month + 3 : march_month - 9);
  int64_t year = year_of_era + era * 400 + (month <= 2);
  put_digits(out, 4, year);
  out[4] = '-';
  put_digits(out + 5, 2, month);
  out[7] = '-';
  put_digits(out + 8, 2, day);
  out[10] = 'T';
  put_digits(out + 11, 2, of_day / 3600);
  out[13] = ':';
  put_digits(out + 14, 2, of_day / 60 % 60);
  out[16] = ':';
  put_digits(out + 17, 2, of_day % 60);
  out[19] = 'Z';
  out[20] = '\0';
}

void zaph_quote(char out[ZAPH_QUOTE_SIZE], const char *text) {
  size_t len = strlen(text), shown = len > ZAPH_QUOTE_LIMIT ? ZAPH_QUOTE_LIMIT : len;
  size_t need = zaph_escape(out, ZAPH_QUOTE_SIZE - 3, text, shown);
  if (shown < len)
    memcpy(out + need, "...", 4);
}
