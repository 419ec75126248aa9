/* test_practice_checks.c: the shapes of a practice's Place ID, sending hours and country
 * (fcgi/campaigns/practice_checks.h), with the ugly inputs a form can carry. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "campaigns/practice_checks.h"
#include "core/nitems.h"

static void test_place_id_accepts_googles_shapes(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"ChIJN1t_tDeuEmsRUsoyG83frY4",           /* the classic 27 characters */
		"ChIJ-9Q5XJcl1ZERqJk2o0pGJRU",
		"GhIJQWDl0CIeQUARxks3icF8U8A",
		"EicxMyBNYXJrZXQgU3QsIFdpbG1pbmd0b24sIE5DLCBVU0EiGhIYChQKEgnRTo6ixx-qiRHo_bbmkCm7ZRAN",
		"abcdefghijklmnop",                      /* 16: the shortest taken */
	};
	for (size_t i = 0; i < nitems(ok); i++)
		assert_true(practice_place_id_ok(ok[i]));
	char longest[513];
	memset(longest, 'A', 512);
	longest[512] = '\0';
	assert_true(practice_place_id_ok(longest));
}

static void test_place_id_refuses_everything_else(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "abcdefghijklmno",                          /* empty, 15 */
		"ChIJN1t_tDeuEmsRUsoyG83frY4 ",                 /* trailing space */
		"ChIJN1t_tDeuEmsRUsoyG83frY4&x=1",              /* would extend the query */
		"ChIJN1t_tDeuEmsRUsoyG83frY4\"><script>",
		"ChIJN1t/tDeuEmsRUsoyG83frY4", "ChIJN1t+tDeuEmsRUsoyG83frY4=",   /* base64, not url */
		"ChIJN1t_tDeuEmsRUsoyG83frY4\n", "ChIJN1t_tDeuÉmsRUsoyG83frY4",
		"https://maps.google.com/?cid=123456789012",
	};
	for (size_t i = 0; i < nitems(bad); i++)
		assert_false(practice_place_id_ok(bad[i]));
	char too_long[514];
	memset(too_long, 'A', 513);
	too_long[513] = '\0';
	assert_false(practice_place_id_ok(too_long));
}

static void test_hhmm_takes_only_clock_times(void **state)
{
	(void)state;
	static const char *const ok[] = { "00:00", "08:00", "09:59", "19:30", "23:59" };
	static const char *const bad[] = {
		"", "8:00", "08:0", "24:00", "23:60", "99:99", "08-00", "08:00:00", "08:00 ",
		" 08:00", "0a:00", "08:5x", "-1:00", "08h00", "７:00",
	};
	for (size_t i = 0; i < nitems(ok); i++)
		assert_true(practice_hhmm_ok(ok[i]));
	for (size_t i = 0; i < nitems(bad); i++)
		assert_false(practice_hhmm_ok(bad[i]));
}

static void test_country_is_two_capitals(void **state)
{
	(void)state;
	assert_true(practice_country_ok("EC"));
	assert_true(practice_country_ok("CO"));
	static const char *const bad[] = { "", "E", "ec", "Ec", "ECU", "E1", "É", "E ", "\xC3\x89" "C" };
	for (size_t i = 0; i < nitems(bad); i++)
		assert_false(practice_country_ok(bad[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_place_id_accepts_googles_shapes),
		cmocka_unit_test(test_place_id_refuses_everything_else),
		cmocka_unit_test(test_hhmm_takes_only_clock_times),
		cmocka_unit_test(test_country_is_two_capitals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
