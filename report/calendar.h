/* Calendar days for the freshness rules: a day number for a date (proleptic Gregorian, UTC),
 * back again, and the strict YYYY-MM-DD parser behind --now. A profile time's day is its date
 * part; the reports count ages in whole calendar days. */
#ifndef ZAPH_REPORT_CALENDAR_H
#define ZAPH_REPORT_CALENDAR_H

#include "profile_values.h"

#include <stdint.h>

/* "YYYY-MM-DD" plus its NUL. */
#define CALENDAR_DATE_SIZE 11

/* Days since 1970-01-01 of year-month-day (month 1-12; a day past the month's end counts on). */
long calendar_day(long year, int month, int day);

/* Writes the date of a day number as "YYYY-MM-DD". Years 0-9999 only. */
void calendar_format(long day, char out[CALENDAR_DATE_SIZE]);

/* Parses "YYYY-MM-DD", a real date of years 0001-9999. Returns 0 and sets *day, or -1. */
int calendar_parse(const char *text, long *day);

/* The day of a valid profile time "YYYY-MM-DDTHH:MM:SSZ" (its date part, taken as it is). */
long calendar_day_of_time(const char *time);

/* Unix seconds of a valid profile time. */
int64_t calendar_seconds_of_time(const char *time);

/* Writes Unix seconds (years 0-9999) as a profile time "YYYY-MM-DDTHH:MM:SSZ". */
void calendar_format_time(int64_t seconds, char out[PROFILE_TIME_LENGTH + 1]);

/* Today's date in UTC. */
long calendar_today(void);

#endif
