/* date.c: the one date format the reports accept from a URL, checked before PostgreSQL
 * sees it (a cast of "2026-02-31" would be an internal error, not a 422), and that date
 * as the pages show dates. */
#include "reports.h"

#include <string.h>

static int report_digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool report_date_valid(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = report_digits(s, 4), m = report_digits(s + 5, 2), d = report_digits(s + 8, 2);
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

void report_date_shown(const char *iso, char out[REPORT_DATE_SHOWN])
{
	if (!report_date_valid(iso)) {
		out[0] = '\0';
		return;
	}
	/* YYYY-MM-DD → DD/MM/YYYY */
	memcpy(out, iso + 8, 2);
	out[2] = '/';
	memcpy(out + 3, iso + 5, 2);
	out[5] = '/';
	memcpy(out + 6, iso, 4);
	out[10] = '\0';
}
