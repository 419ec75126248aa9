/* date_es.h: dates in Spanish for messages: "lunes 15 de noviembre, 10:00", the form the
 * {{date}} variable of a message template takes (es-EC: weekday and month in lower case,
 * no leading zero on the day, 24-hour clock). */
#ifndef RM_DATE_ES_H
#define RM_DATE_ES_H

#include <stdbool.h>
#include <time.h>

struct arena;

/* True when tz names a zone in the system's IANA database ("America/Guayaquil", "UTC").
 * Only names made of letters, digits, '_', '-', '+' and '/' segments are looked up. */
bool date_es_valid_zone(const char *tz);

/* The instant t as wall-clock time in zone tz, in words. NULL (logged) when tz is not a
 * known zone or t is out of range. */
char *date_es_format(struct arena *a, time_t t, const char *tz);

/* The same words for a broken-down time already in local time (tm_wday, tm_mday, tm_mon,
 * tm_hour, tm_min are read). NULL when a field is out of range. */
char *date_es_format_tm(struct arena *a, const struct tm *tm);

#endif
