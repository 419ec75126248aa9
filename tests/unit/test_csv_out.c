/* test_csv_out.c: CSV fields, quoting and formula neutralising. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv_out.h"

static void row_is(const char *const *fields, size_t n, const char *want)
{
	struct buf b = BUF_INIT;
	csv_out_row(&b, fields, n);
	assert_string_equal(b.buf, want);
	buf_release(&b);
}

static void plain_fields_are_not_quoted(void **state)
{
	(void)state;
	const char *f[] = { "Juan Pérez", "+593987654321", "5" };
	row_is(f, 3, "Juan Pérez,+593987654321,5\r\n");
}

static void commas_quotes_and_newlines_are_quoted(void **state)
{
	(void)state;
	const char *f[] = { "Pérez, Juan", "dijo \"bien\"", "línea 1\nlínea 2", "a\rb" };
	row_is(f, 4, "\"Pérez, Juan\",\"dijo \"\"bien\"\"\",\"línea 1\nlínea 2\",\"a\rb\"\r\n");
}

static void null_and_empty_are_empty_fields(void **state)
{
	(void)state;
	const char *f[] = { NULL, "", "x" };
	row_is(f, 3, ",,x\r\n");
}

static void formulas_are_neutralised(void **state)
{
	(void)state;
	const char *f[] = { "=HYPERLINK(\"http://x\")", "+1+cmd|' /C calc'!A0", "-2+3",
			    "@SUM(A1)", "\tx" };
	row_is(f, 5, "\"'=HYPERLINK(\"\"http://x\"\")\",'+1+cmd|' /C calc'!A0,'-2+3,"
		     "'@SUM(A1),'\tx\r\n");
}

static void signed_numbers_stay_numbers(void **state)
{
	(void)state;
	const char *f[] = { "+593987654321", "-2.5", "+", "-" };
	row_is(f, 4, "+593987654321,-2.5,'+,'-\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_fields_are_not_quoted),
		cmocka_unit_test(commas_quotes_and_newlines_are_quoted),
		cmocka_unit_test(null_and_empty_are_empty_fields),
		cmocka_unit_test(formulas_are_neutralised),
		cmocka_unit_test(signed_numbers_stay_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
