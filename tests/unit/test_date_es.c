/* test_date_es.c: the {{date}} of a message in Spanish, in the practice's time zone
 * (core/date_es.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/date_es.h"
#include "core/nitems.h"

static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* 2021-11-15 15:00:00 UTC, a Monday. */
#define MON_15_NOV_2021_1500_UTC ((time_t)1636988400)

static void test_guayaquil_is_utc_minus_five(void **state)
{
	assert_string_equal(date_es_format(*state, MON_15_NOV_2021_1500_UTC, "America/Guayaquil"),
			    "lunes 15 de noviembre, 10:00");
}

static void test_other_zones(void **state)
{
	assert_string_equal(date_es_format(*state, MON_15_NOV_2021_1500_UTC, "UTC"),
			    "lunes 15 de noviembre, 15:00");
	/* Madrid is UTC+1 in November. */
	assert_string_equal(date_es_format(*state, MON_15_NOV_2021_1500_UTC, "Europe/Madrid"),
			    "lunes 15 de noviembre, 16:00");
	/* Galápagos is UTC-6: same instant, an hour earlier on the clock. */
	assert_string_equal(date_es_format(*state, MON_15_NOV_2021_1500_UTC, "Pacific/Galapagos"),
			    "lunes 15 de noviembre, 09:00");
	/* Across midnight the weekday changes: Tokyo is UTC+9. */
	assert_string_equal(date_es_format(*state, MON_15_NOV_2021_1500_UTC, "Asia/Tokyo"),
			    "martes 16 de noviembre, 00:00");
}

static void test_daylight_saving_is_followed(void **state)
{
	/* 2021-07-01 12:00 UTC: New York is on EDT (UTC-4); 2021-01-01 12:00 UTC: EST. */
	assert_string_equal(date_es_format(*state, (time_t)1625140800, "America/New_York"),
			    "jueves 1 de julio, 08:00");
	assert_string_equal(date_es_format(*state, (time_t)1609502400, "America/New_York"),
			    "viernes 1 de enero, 07:00");
}

static void test_accents_and_every_name(void **state)
{
	static const char *const want[] = {
		"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
	};
	static const char *const months[] = {
		"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
		"septiembre", "octubre", "noviembre", "diciembre",
	};
	for (int d = 0; d < 7; d++) {
		struct tm tm = { .tm_wday = d, .tm_mday = 3, .tm_mon = d, .tm_hour = 7, .tm_min = 5 };
		char *s = date_es_format_tm(*state, &tm);
		char want_s[64];
		snprintf(want_s, sizeof want_s, "%s 3 de %s, 07:05", want[d], months[d]);
		assert_string_equal(s, want_s);
	}
	struct tm tm = { .tm_wday = 3, .tm_mday = 31, .tm_mon = 11, .tm_hour = 23, .tm_min = 59 };
	assert_string_equal(date_es_format_tm(*state, &tm), "miércoles 31 de diciembre, 23:59");
}

static void test_out_of_range_fields(void **state)
{
	struct tm bad[] = {
		{ .tm_wday = 7, .tm_mday = 1 }, { .tm_wday = -1, .tm_mday = 1 },
		{ .tm_mon = 12, .tm_mday = 1 }, { .tm_mday = 0 }, { .tm_mday = 32 },
		{ .tm_mday = 1, .tm_hour = 24 }, { .tm_mday = 1, .tm_min = 60 },
	};
	for (size_t i = 0; i < nitems(bad); i++)
		assert_null(date_es_format_tm(*state, &bad[i]));
}

static void test_unknown_or_hostile_zones_refused(void **state)
{
	static const char *const zones[] = {
		"", "Mars/Olympus", "america/guayaquil", "../../etc/passwd", "/etc/passwd",
		"America//Guayaquil", "America/", "America/Guayaquil ", "America", "a\nb",
		"America/../America/Guayaquil",
	};
	for (size_t i = 0; i < nitems(zones); i++) {
		assert_false(date_es_valid_zone(zones[i]));
		assert_null(date_es_format(*state, 0, zones[i]));
	}
	assert_false(date_es_valid_zone(NULL));
	assert_true(date_es_valid_zone("America/Guayaquil"));
	assert_true(date_es_valid_zone("Etc/GMT+5"));
}

static void test_tz_environment_restored(void **state)
{
	unsetenv("TZ");
	assert_non_null(date_es_format(*state, 0, "Asia/Tokyo"));
	assert_null(getenv("TZ"));
	setenv("TZ", "UTC", 1);
	assert_non_null(date_es_format(*state, 0, "Asia/Tokyo"));
	assert_string_equal(getenv("TZ"), "UTC");
	time_t t = 0;
	struct tm tm;
	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_hour, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_guayaquil_is_utc_minus_five, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_zones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daylight_saving_is_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accents_and_every_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_range_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_or_hostile_zones_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tz_environment_restored, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
