/* test_sms.c: SMS encoding, length and parts (core/sms.h), at every boundary. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/sms.h"

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

/* n copies of the UTF-8 string unit, then tail; the caller frees. */
static char *repeat(const char *unit, size_t n, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail);
	char *s = malloc(u * n + t + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + u * n, tail, t + 1);
	return s;
}

static struct sms_info measure(void **state, const char *s)
{
	struct sms_info info;
	assert_int_equal(sms_measure(*state, s, strlen(s), &info), 0);
	return info;
}

/* Measures n copies of unit followed by tail. */
static struct sms_info measure_rep(void **state, const char *unit, size_t n, const char *tail)
{
	char *s = repeat(unit, n, tail);
	struct sms_info info = measure(state, s);
	free(s);
	return info;
}

/* The four figures a page shows. */
static void expect(struct sms_info i, enum sms_encoding enc, size_t units, size_t segments,
		   size_t per_segment)
{
	assert_int_equal(i.encoding, enc);
	assert_int_equal(i.units, units);
	assert_int_equal(i.segments, segments);
	assert_int_equal(i.per_segment, per_segment);
}

static void test_empty(void **state)
{
	struct sms_info i = measure(state, "");
	expect(i, SMS_GSM7, 0, 0, 160);
	assert_int_equal(i.nforced, 0);
}

static void test_gsm7_160_is_one_161_is_two(void **state)
{
	expect(measure_rep(state, "a", 160, ""), SMS_GSM7, 160, 1, 160);
	expect(measure_rep(state, "a", 161, ""), SMS_GSM7, 161, 2, 153);
}

static void test_gsm7_153_per_part(void **state)
{
	assert_int_equal(measure_rep(state, "a", 306, "").segments, 2);
	assert_int_equal(measure_rep(state, "a", 307, "").segments, 3);
	assert_int_equal(measure_rep(state, "a", 459, "").segments, 3);
	assert_int_equal(measure_rep(state, "a", 460, "").segments, 4);
}

static void test_extension_chars_count_two(void **state)
{
	struct sms_info i = measure(state, "[]{}~^|\\€");
	assert_int_equal(i.encoding, SMS_GSM7);
	assert_int_equal(i.chars, 9);
	assert_int_equal(i.units, 18);
	/* 158 + one extension = 160: one message; 159 + one = 161: two. */
	assert_int_equal(measure_rep(state, "a", 158, "€").segments, 1);
	i = measure_rep(state, "a", 159, "€");
	assert_int_equal(i.units, 161);
	assert_int_equal(i.segments, 2);
	assert_int_equal(measure_rep(state, "{", 80, "").segments, 1);
	assert_int_equal(measure_rep(state, "{", 81, "").segments, 2);
}

/* n1 'a', then the extension character, then n2 'b'. */
static struct sms_info measure_around_brace(void **state, size_t n1, size_t n2)
{
	char *s = malloc(n1 + n2 + 2);
	memset(s, 'a', n1);
	s[n1] = '{';
	memset(s + n1 + 1, 'b', n2);
	s[n1 + 1 + n2] = '\0';
	struct sms_info i = measure(state, s);
	free(s);
	return i;
}

static void test_extension_char_not_split_across_parts(void **state)
{
	/* 151 + 2 fill part one exactly, 153 fill part two: 306 septets in two parts. */
	struct sms_info i = measure_around_brace(state, 151, 153);
	assert_int_equal(i.units, 306);
	assert_int_equal(i.segments, 2);
	/* 152 + 2 would straddle parts one and two, so the pair moves to part two, which
	 * then holds 2 + 152 = 154 > 153: the same 306 septets need three parts. */
	i = measure_around_brace(state, 152, 152);
	assert_int_equal(i.units, 306);
	assert_int_equal(i.segments, 3);
	/* Under 160 in all, nothing is split: one message. */
	i = measure_around_brace(state, 152, 6);
	assert_int_equal(i.units, 160);
	assert_int_equal(i.segments, 1);
}

static void test_spanish_gsm7_letters(void **state)
{
	struct sms_info i = measure(state, "¿Señor Muñoz? ¡Él está aquí!");
	assert_int_equal(i.encoding, SMS_UCS2);   /* á and í are not GSM-7 */
	assert_int_equal(i.nforced, 2);
	assert_string_equal(i.forced[0], "á");
	assert_string_equal(i.forced[1], "í");
	i = measure(state, "¿Señor Muñoz? ¡Él! é è ù ì ò à Ñ Ü ü Ç ¥ £ $ @ § Ä Ö ä ö ß");
	assert_int_equal(i.encoding, SMS_GSM7);
	assert_int_equal(i.nforced, 0);
}

static void test_ucs2_70_is_one_71_is_two(void **state)
{
	expect(measure_rep(state, "á", 70, ""), SMS_UCS2, 70, 1, 70);
	expect(measure_rep(state, "á", 71, ""), SMS_UCS2, 71, 2, 67);
	assert_int_equal(measure_rep(state, "á", 134, "").segments, 2);
	assert_int_equal(measure_rep(state, "á", 135, "").segments, 3);
}

static void test_one_forcing_char_switches_the_whole_text(void **state)
{
	/* 100 GSM-7 characters plus one ó: 101 UCS-2 units, two parts. */
	struct sms_info i = measure_rep(state, "a", 100, "ó");
	assert_int_equal(i.encoding, SMS_UCS2);
	assert_int_equal(i.units, 101);
	assert_int_equal(i.segments, 2);
	assert_string_equal(sms_forced_list(*state, &i), "ó");
	/* Extension characters are one unit in UCS-2. */
	i = measure(state, "€ó");
	assert_int_equal(i.units, 2);
}

static void test_emoji_take_two_units_and_are_not_split(void **state)
{
	struct sms_info i = measure(state, "👍");
	assert_int_equal(i.encoding, SMS_UCS2);
	assert_int_equal(i.chars, 1);
	assert_int_equal(i.units, 2);
	assert_int_equal(measure_rep(state, "👍", 35, "").segments, 1);
	assert_int_equal(measure_rep(state, "👍", 36, "").segments, 2);
	/* 66 units then an emoji: it starts part two; 67 + 67 more = three parts. */
	i = measure_rep(state, "á", 66, "👍");
	assert_int_equal(i.segments, 1);
	char *s = repeat("á", 66, "👍");
	char *t = repeat("é", 66, "");
	char *u = malloc(strlen(s) + strlen(t) + 1);
	strcpy(u, s);
	strcat(u, t);
	i = measure(state, u);
	assert_int_equal(i.units, 134);
	assert_int_equal(i.segments, 3);
	free(s);
	free(t);
	free(u);
}

static void test_forced_list_distinct_and_capped(void **state)
{
	struct sms_info i = measure(state, "ó ó í ó");
	assert_int_equal(i.nforced, 2);
	assert_string_equal(sms_forced_list(*state, &i), "ó í");
	/* Greek small letters: none of them is GSM-7 (only capitals are). */
	char many[200] = "";
	for (int k = 0; k < 40; k++) {
		char ch[3] = { (char)0xCE, (char)(0xB1 + (k % 15)), 0 };
		if (k >= 15)
			ch[0] = (char)0xCF, ch[1] = (char)(0x80 + (k - 15));
		strcat(many, ch);
	}
	i = measure(state, many);
	assert_int_equal(i.nforced, SMS_MAX_FORCED);
	assert_true(i.forced_more);
	assert_non_null(strstr(sms_forced_list(*state, &i), "…"));
}

static void test_backtick_and_tab_are_not_gsm7(void **state)
{
	struct sms_info i = measure(state, "a`b");
	assert_int_equal(i.encoding, SMS_UCS2);
	assert_string_equal(i.forced[0], "`");
	i = measure(state, "a\tb");
	assert_int_equal(i.encoding, SMS_UCS2);
	i = measure(state, "line\r\nline");
	assert_int_equal(i.encoding, SMS_GSM7);
	assert_int_equal(i.units, 10);
}

static void test_widths(void **state)
{
	(void)state;
	assert_int_equal(sms_gsm7_width('a'), 1);
	assert_int_equal(sms_gsm7_width('@'), 1);
	assert_int_equal(sms_gsm7_width('{'), 2);
	assert_int_equal(sms_gsm7_width(0x20AC), 2);
	assert_int_equal(sms_gsm7_width(0x0394), 1);   /* Δ */
	assert_int_equal(sms_gsm7_width(0x03B4), 0);   /* δ */
	assert_int_equal(sms_gsm7_width(0x00E1), 0);   /* á */
	assert_int_equal(sms_gsm7_width(0x1F600), 0);
}

static void test_invalid_utf8_refused(void **state)
{
	struct sms_info i;
	assert_int_equal(sms_measure(*state, "a\xff", 2, &i), -1);
	assert_int_equal(sms_measure(*state, "\xc3", 1, &i), -1);
	assert_int_equal(sms_measure(*state, "a\0b", 3, &i), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gsm7_160_is_one_161_is_two, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gsm7_153_per_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extension_chars_count_two, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extension_char_not_split_across_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spanish_gsm7_letters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ucs2_70_is_one_71_is_two, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_forcing_char_switches_the_whole_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emoji_take_two_units_and_are_not_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forced_list_distinct_and_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backtick_and_tab_are_not_gsm7, setup, teardown),
		cmocka_unit_test_setup_teardown(test_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
