/* Day numbers by counting: 365 days a year plus one for every leap year before it, plus the days
 * of the months before. The inverse estimates the year and corrects it, then walks the months. */
#include "calendar.h"

#include <string.h>
#include <time.h>

static const int days_before_month[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
static const int days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static int is_leap(long year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Leap years in 1..year (year >= 0). */
static long leaps_through(long year) {
  return year / 4 - year / 100 + year / 400;
}

/* Days from 0000-01-01 to the first of January of year (year >= 0). */
static long days_to_year(long year) {
  return year == 0 ? 0 : year * 365 + leaps_through(year - 1) + 1;
}

/* 1970-01-01 counted from 0000-01-01. */
#define EPOCH_FROM_YEAR_ZERO 719528L

long calendar_day(long year, int month, int day) {
  long days = days_to_year(year) + days_before_month[month - 1] + (month > 2 && is_leap(year)) +
              (day - 1);
  return days - EPOCH_FROM_YEAR_ZERO;
}

static void put_digits(char *out, int count, int value) {
  for (int i = count - 1; i >= 0; i--, value /= 10)
    out[i] = (char)('0' + value % 10);
}

void calendar_format(long day, char out[CALENDAR_DATE_SIZE]) {
  long days = day + EPOCH_FROM_YEAR_ZERO;
  long year = days / 366;
  while (days_to_year(year + 1) <= days)
    year++;
  long left = days - days_to_year(year);
  int month = 0;
  for (; month < 11; month++) {
    long length = days_in_month[month] + (month == 1 && is_leap(year));
    if (left < length)
      break;
    left -= length;
  }
  put_digits(out, 4, (int)(year % 10000));
  out[4] = '-';
  put_digits(out + 5, 2, month + 1);
  out[7] = '-';
  put_digits(out + 8, 2, (int)left + 1);
  out[10] = '\0';
}

static int digits(const char *text, int count, int *value) {
  *value = 0;
  for (int i = 0; i < count; i++) {
    if (text[i] < '0' || text[i] > '9')
      return -1;
    *value = *value * 10 + (text[i] - '0');
  }
  return 0;
}

int calendar_parse(const char *text, long *day) {
  int year, month, dom;
  if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' || digits(text, 4, &year) ||
      digits(text + 5, 2, &month) || digits(text + 8, 2, &dom))
    return -1;
  if (year < 1 || month < 1 || month > 12 || dom < 1)
    return -1;
  if (dom > days_in_month[month - 1] + (month == 2 && is_leap(year)))
    return -1;
  *day = calendar_day(year, month, dom);
  return 0;
}

long calendar_day_of_time(const char *time) {
  int year, month, dom;
  digits(time, 4, &year);
  digits(time + 5, 2, &month);
  digits(time + 8, 2, &dom);
  return calendar_day(year, month, dom);
}

long calendar_today(void) {
  time_t now = time(NULL);
  struct tm utc;
  gmtime_r(&now, &utc);
  return calendar_day(utc.tm_year + 1900L, utc.tm_mon + 1, utc.tm_mday);
}
