/* practice_checks.c: field shapes of a practice (see practice_checks.h). */
#include "campaigns/practice_checks.h"

#include <string.h>

#define PLACE_ID_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

bool practice_place_id_ok(const char *s)
{
	size_t n = strspn(s, PLACE_ID_CHARS);
	return s[n] == '\0' && n >= 16 && n <= 512;
}

static bool digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

bool practice_hhmm_ok(const char *s)
{
	if (strlen(s) != 5 || !digit(s[0]) || !digit(s[1]) || s[2] != ':' || !digit(s[3]) ||
	    !digit(s[4]))
		return false;
	return (s[0] - '0') * 10 + (s[1] - '0') < 24 && s[3] < '6';
}

bool practice_country_ok(const char *s)
{
	return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0';
}
