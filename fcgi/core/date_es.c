/* date_es.c: Spanish dates for messages; see date_es.h.
 *
 * The C library converts to a named zone only through TZ, so the conversion sets TZ,
 * converts, and puts TZ back. The programs are single-threaded, which makes that safe. */
#include "date_es.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "log.h"
#include "nitems.h"

#define ZONEINFO "/usr/share/zoneinfo/"

static const char *const weekdays[] = {
	"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
};
static const char *const months[] = {
	"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
	"septiembre", "octubre", "noviembre", "diciembre",
};

/* Letters, digits and _ - + in segments separated by single '/', none of them "." or
 * "..": a name that cannot leave the zone directory. */
static bool zone_name_ok(const char *tz)
{
	size_t n = strlen(tz);
	if (n == 0 || n > 64 || tz[0] == '/' || tz[n - 1] == '/' || strstr(tz, "//"))
		return false;
	for (const char *p = tz; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '_' || c == '-' || c == '+' || c == '/';
		if (!ok)
			return false;
	}
	return true;
}

bool date_es_valid_zone(const char *tz)
{
	if (!tz || !zone_name_ok(tz))
		return false;
	char path[sizeof ZONEINFO + 64];
	snprintf(path, sizeof path, "%s%s", ZONEINFO, tz);
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *date_es_format_tm(struct arena *a, const struct tm *tm)
{
	if (tm->tm_wday < 0 || (size_t)tm->tm_wday >= nitems(weekdays) || tm->tm_mon < 0 ||
	    (size_t)tm->tm_mon >= nitems(months) || tm->tm_mday < 1 || tm->tm_mday > 31 ||
	    tm->tm_hour < 0 || tm->tm_hour > 23 || tm->tm_min < 0 || tm->tm_min > 59)
		return NULL;
	return arena_printf(a, "%s %d de %s, %02d:%02d", weekdays[tm->tm_wday], tm->tm_mday,
			    months[tm->tm_mon], tm->tm_hour, tm->tm_min);
}

/* localtime_r in zone tz; TZ is restored afterwards. */
static bool local_in_zone(time_t t, const char *tz, struct tm *out)
{
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	if (old && !saved)
		return false;
	char spec[80];
	snprintf(spec, sizeof spec, ":%s", tz);
	setenv("TZ", spec, 1);
	tzset();
	bool ok = localtime_r(&t, out) != NULL;
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	return ok;
}

char *date_es_format(struct arena *a, time_t t, const char *tz)
{
	if (!date_es_valid_zone(tz)) {
		log_error("unknown time zone", "tz", tz);
		return NULL;
	}
	struct tm tm;
	if (!local_in_zone(t, tz, &tm)) {
		log_error("time out of range", "tz", tz);
		return NULL;
	}
	return date_es_format_tm(a, &tm);
}
