/* Day numbers for the report's dates, on the profile format's one calendar
 * (zaph_days_from_civil() and zaph_time_format() in format/). */
#include "calendar.h"

#include "zaph_profile.h"

#include <string.h>
#include <time.h>

long calendar_day(long year, int month, int day) {
  return (long)zaph_days_from_civil(year, month, day);
}

void calendar_format(long day, char out[CALENDAR_DATE_SIZE]) {
  char time[ZAPH_PROFILE_TIME_LENGTH + 1];
  zaph_time_format((int64_t)day * 86400, time);
  memcpy(out, time, CALENDAR_DATE_SIZE - 1);
  out[CALENDAR_DATE_SIZE - 1] = '\0';
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

/* A real date is one that reads back as itself: a day past its month's end would count on
 * into the next month. */
int calendar_parse(const char *text, long *day) {
  int year, month, dom;
  if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' || digits(text, 4, &year) ||
      digits(text + 5, 2, &month) || digits(text + 8, 2, &dom))
    return -1;
  if (year < 1 || month < 1 || month > 12 || dom < 1 || dom > 31)
    return -1;
  char back[CALENDAR_DATE_SIZE];
  calendar_format(calendar_day(year, month, dom), back);
  if (strcmp(back, text) != 0)
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

long calendar_today(void) { return (long)(time(NULL) / 86400); }
