/* test_report_date.c: the reports' date check (fcgi/reports/date.c), the one date format
 * a report URL may carry. The program's file is compiled in directly: it is not part of
 * the core library. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "reports/date.c"

static void real_dates_pass(void **state)
{
	(void)state;
	assert_true(report_date_valid("2026-03-01"));
	assert_true(report_date_valid("2026-12-31"));
	assert_true(report_date_valid("2024-02-29"));      /* leap year */
	assert_true(report_date_valid("2000-02-29"));      /* divisible by 400 */
	assert_true(report_date_valid("1900-01-01"));
}

static void impossible_days_fail(void **state)
{
	(void)state;
	assert_false(report_date_valid("2026-02-29"));
	assert_false(report_date_valid("1900-02-29"));     /* divisible by 100, not 400 */
	assert_false(report_date_valid("2026-04-31"));
	assert_false(report_date_valid("2026-13-01"));
	assert_false(report_date_valid("2026-00-10"));
	assert_false(report_date_valid("2026-01-00"));
	assert_false(report_date_valid("1899-12-31"));
}

static void other_shapes_fail(void **state)
{
	(void)state;
	assert_false(report_date_valid(NULL));
	assert_false(report_date_valid(""));
	assert_false(report_date_valid("2026-3-1"));
	assert_false(report_date_valid("2026-03-01 "));
	assert_false(report_date_valid("2026/03/01"));
	assert_false(report_date_valid("01-03-2026"));
	assert_false(report_date_valid("2026-03-0x"));
	assert_false(report_date_valid("+026-03-01"));
	assert_false(report_date_valid("2026-03-1\xC3\xA9"));
}

static void valid_dates_are_shown_day_first(void **state)
{
	(void)state;
	char out[REPORT_DATE_SHOWN];
	report_date_shown("2026-03-01", out);
	assert_string_equal(out, "01/03/2026");
	report_date_shown("2024-02-29", out);
	assert_string_equal(out, "29/02/2024");
	report_date_shown("2026-02-30", out);
	assert_string_equal(out, "");
	report_date_shown(NULL, out);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_dates_pass),
		cmocka_unit_test(impossible_days_fail),
		cmocka_unit_test(other_shapes_fail),
		cmocka_unit_test(valid_dates_are_shown_day_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
