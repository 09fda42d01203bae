/* Calendar days for the freshness rules: a day number for a date (proleptic Gregorian, UTC),
 * back again, and the strict YYYY-MM-DD parser behind --now. A profile time's day is its date
 * part; the reports count ages in whole calendar days. */
#ifndef ZAPH_REPORT_CALENDAR_H
#define ZAPH_REPORT_CALENDAR_H


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

/* Today's date in UTC. */
long calendar_today(void);

#endif
