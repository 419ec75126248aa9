/* test_utf8.c: strict UTF-8 validation (core/utf8.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/utf8.h"

/* Byte strings are given with their length so NULs and truncations stay exact. */
#define VALID(lit) assert_true(utf8_valid(lit, sizeof(lit) - 1))
#define INVALID(lit) assert_false(utf8_valid(lit, sizeof(lit) - 1))
#define TEXT_OK(lit) assert_true(utf8_text_ok(lit, sizeof(lit) - 1))
#define TEXT_BAD(lit) assert_false(utf8_text_ok(lit, sizeof(lit) - 1))

static void test_empty(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_text_ok("", 0));
	assert_int_equal(utf8_length("", 0), 0);
	/* A zero length never reads the pointer. */
	assert_true(utf8_valid(NULL, 0));
}

static void test_ascii(void **state)
{
	(void)state;
	VALID("hello, world");
	TEXT_OK("line one\r\nline two\tcol");
	assert_int_equal(utf8_length("abc", 3), 3);
}

static void test_spanish(void **state)
{
	(void)state;
	const char *s = "Mar\xc3\xad" "a P\xc3\xa9rez \xc3\xb1 \xc2\xbf";   /* María Pérez ñ ¿ */
	assert_true(utf8_valid(s, strlen(s)));
	assert_true(utf8_text_ok(s, strlen(s)));
	assert_int_equal(utf8_length(s, strlen(s)), 15);
	const char *lit = "María Pérez ñ ¿";   /* the source file is UTF-8 */
	assert_true(utf8_text_ok(lit, strlen(lit)));
	assert_int_equal(utf8_length(lit, strlen(lit)), 15);
}

static void test_boundaries_valid(void **state)
{
	(void)state;
	VALID("\x7f");                 /* U+007F, valid UTF-8 though a control */
	VALID("\xc2\x80");             /* U+0080, smallest 2-byte */
	VALID("\xdf\xbf");             /* U+07FF */
	VALID("\xe0\xa0\x80");         /* U+0800, smallest 3-byte */
	VALID("\xed\x9f\xbf");         /* U+D7FF, just below the surrogates */
	VALID("\xee\x80\x80");         /* U+E000, just above them */
	VALID("\xef\xbf\xbf");         /* U+FFFF */
	VALID("\xf0\x90\x80\x80");     /* U+10000, smallest 4-byte */
	VALID("\xf4\x8f\xbf\xbf");     /* U+10FFFF, the last code point */
	VALID("\xf0\x9f\x98\x80");     /* U+1F600 grinning face */
	TEXT_OK("ok \xf0\x9f\x91\x8d!");  /* thumbs up */
	assert_int_equal(utf8_length("\xf0\x9f\x98\x80x", 5), 2);
}

static void test_overlongs(void **state)
{
	(void)state;
	INVALID("\xc0\x80");           /* overlong NUL */
	INVALID("\xc0\xaf");           /* overlong '/' */
	INVALID("\xc1\xbf");
	INVALID("\xe0\x80\x80");
	INVALID("\xe0\x9f\xbf");       /* overlong U+07FF */
	INVALID("\xf0\x80\x80\x80");
	INVALID("\xf0\x8f\xbf\xbf");   /* overlong U+FFFF */
}

static void test_surrogates_and_range(void **state)
{
	(void)state;
	INVALID("\xed\xa0\x80");       /* U+D800 */
	INVALID("\xed\xbf\xbf");       /* U+DFFF */
	INVALID("\xed\xa0\xbd\xed\xb8\x80");   /* CESU-8 pair */
	INVALID("\xf4\x90\x80\x80");   /* U+110000 */
	INVALID("\xf5\x80\x80\x80");
	INVALID("\xf7\xbf\xbf\xbf");
	INVALID("\xf8\x88\x80\x80\x80");   /* old 5-byte form */
	INVALID("\xfc\x84\x80\x80\x80\x80");
	INVALID("\xfe");
	INVALID("\xff");
}

static void test_truncated(void **state)
{
	(void)state;
	INVALID("\xc3");
	INVALID("\xe2\x82");           /* euro sign missing its last byte */
	INVALID("\xf0\x9f\x98");
	INVALID("a\xf0");
	INVALID("\xc3x");              /* continuation replaced by ASCII */
	INVALID("\xe2\x28\xa1");
	INVALID("\xf0\x9f\x98\x28");
	/* A valid sequence cut by the length argument. */
	assert_false(utf8_valid("\xf0\x9f\x98\x80", 3));
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));
}

static void test_stray_continuations(void **state)
{
	(void)state;
	INVALID("\x80");
	INVALID("\xbf");
	INVALID("a\x80" "b");
	INVALID("\xc3\xa9\xa9");       /* one continuation too many */
}

static void test_nul(void **state)
{
	(void)state;
	INVALID("\0");
	INVALID("ab\0cd");
	INVALID("\xc3\xa9\0");
	TEXT_BAD("ab\0cd");
}

static void test_controls(void **state)
{
	(void)state;
	TEXT_OK("\t\n\r");
	VALID("\x01\x1b\x7f");         /* well-formed... */
	TEXT_BAD("\x01");              /* ...but not text */
	TEXT_BAD("bell\x07");
	TEXT_BAD("esc\x1b[31m");
	TEXT_BAD("del\x7f");
	TEXT_BAD("\x0b");              /* vertical tab */
	TEXT_BAD("\x0c");              /* form feed */
	TEXT_BAD("\xc0\x80");          /* invalid UTF-8 is never text */
	TEXT_OK("\xc2\x85");           /* C1 NEL: only C0 and DEL are refused */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_spanish),
		cmocka_unit_test(test_boundaries_valid),
		cmocka_unit_test(test_overlongs),
		cmocka_unit_test(test_surrogates_and_range),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_stray_continuations),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_controls),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
