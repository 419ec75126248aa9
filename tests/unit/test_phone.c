/* test_phone.c: phone numbers as people type them (core/phone.h), against Debian's
 * libphonenumber metadata. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/nitems.h"
#include "core/phone.h"

static void accepted(const char *in, const char *e164, enum phone_kind kind)
{
	struct phone p;
	const char *reason = "unset";
	if (phone_normalize(in, strlen(in), &p, &reason) != 0)
		fail_msg("\"%s\" refused: %s", in, reason);
	assert_null(reason);
	if (strcmp(p.e164, e164) != 0)
		fail_msg("\"%s\" gave %s, expected %s", in, p.e164, e164);
	if (p.kind != kind)
		fail_msg("\"%s\" is of kind %d, expected %d", in, p.kind, kind);
	assert_int_equal(p.mobile, kind == PHONE_MOBILE || kind == PHONE_FIXED_OR_MOBILE);
}

/* Refused, with a reason containing want. */
static void refused(const char *in, size_t len, const char *want)
{
	struct phone p;
	const char *reason = NULL;
	if (phone_normalize(in, len, &p, &reason) == 0)
		fail_msg("\"%.*s\" accepted as %s", (int)len, in, p.e164);
	assert_non_null(reason);
	if (!strstr(reason, want))
		fail_msg("\"%.*s\": reason \"%s\" lacks \"%s\"", (int)len, in, reason, want);
	assert_string_equal(p.e164, "");
}

#define REFUSED(lit, want) refused(lit, strlen(lit), want)

static void test_ecuador_mobile_spellings(void **state)
{
	(void)state;
	static const char *const spellings[] = {
		"0987654321", "987654321", "593987654321", "+593987654321", "+593 98 765 4321",
		"(09) 8765-4321", "098-765-4321", "098 765 4321", "09.8765.4321", "  0987654321  ",
		"+593 (98) 765-4321", "00593987654321", "\t0987654321", "098/765/4321",
		"(+593) 98 765 4321", "+593 098 765 4321", "593 0987654321", "0 9 8 7 6 5 4 3 2 1",
		"+593-98-765-4321",
	};
	for (size_t i = 0; i < nitems(spellings); i++)
		accepted(spellings[i], "+593987654321", PHONE_MOBILE);
}

static void test_ecuador_region(void **state)
{
	(void)state;
	struct phone p;
	assert_int_equal(phone_normalize("0987654321", 10, &p, NULL), 0);
	assert_string_equal(p.region, "EC");
}

static void test_ecuador_landlines_are_not_mobile(void **state)
{
	(void)state;
	accepted("022345678", "+59322345678", PHONE_FIXED);      /* Quito */
	accepted("(02) 234-5678", "+59322345678", PHONE_FIXED);
	accepted("+593 2 234 5678", "+59322345678", PHONE_FIXED);
	accepted("042345678", "+59342345678", PHONE_FIXED);      /* Guayaquil */
	accepted("072345678", "+59372345678", PHONE_FIXED);      /* Cuenca */
}

static void test_other_countries_with_plus(void **state)
{
	(void)state;
	accepted("+1 212 555 1234", "+12125551234", PHONE_FIXED_OR_MOBILE);
	accepted("+1 (212) 555-1234", "+12125551234", PHONE_FIXED_OR_MOBILE);
	accepted("001 212 555 1234", "+12125551234", PHONE_FIXED_OR_MOBILE);
	accepted("+34 612 345 678", "+34612345678", PHONE_MOBILE);        /* Spain */
	accepted("+34 912 345 678", "+34912345678", PHONE_FIXED);
	accepted("+57 321 1234567", "+573211234567", PHONE_MOBILE);       /* Colombia */
	accepted("+51 912 345 678", "+51912345678", PHONE_MOBILE);        /* Peru */
	accepted("+44 7400 123456", "+447400123456", PHONE_MOBILE);       /* UK */
	accepted("+1 800 555 0199", "+18005550199", PHONE_OTHER);         /* toll-free */
	accepted("+1 416 555 0123", "+14165550123", PHONE_FIXED_OR_MOBILE); /* Canada */
	accepted("1800 123 456", "+5931800123456", PHONE_OTHER);          /* Ecuador toll-free */
}

static void test_foreign_number_without_plus_refused_with_hint(void **state)
{
	(void)state;
	REFUSED("12125551234", "escríbalo con + y el código del país");
	REFUSED("34612345678", "con +");
}

static void test_short_and_long_numbers_refused(void **state)
{
	(void)state;
	REFUSED("098765432", "Ecuador");          /* one digit short */
	REFUSED("09876543", "Ecuador");
	REFUSED("0987", "");
	REFUSED("1", "");
	REFUSED("09876543211", "Ecuador");        /* one digit long */
	REFUSED("0987654321123", "dígitos de más");
	REFUSED("5939876543210", "");
	REFUSED("+593 98 765 43", "");
	REFUSED("+1 212 555 123", "faltan dígitos");
	REFUSED("+1 212 555 12345", "");
	REFUSED("12345678901234567890", "");
	/* Germany's plan lets libphonenumber accept 16 digits; E.164 stops at 15. */
	REFUSED("+49 93 0098 2765 4321", "demasiado largo");
	/* And takes some short codes for numbers; the schema wants 7 digits at least. */
	REFUSED("+980960.1", "demasiado corto");
}

static void test_not_in_the_numbering_plan_refused(void **state)
{
	(void)state;
	REFUSED("0187654321", "Ecuador");         /* no such Ecuadorian prefix */
	/* With +593 typed, no hint about foreign numbers, but still Ecuador's plan. */
	REFUSED("+593 2 234 567", "de Ecuador.");
	REFUSED("+1 011 555 1234", "");           /* US area codes never start with 0 */
	REFUSED("+999 123 456", "código de país");
	REFUSED("+0 987654321", "");
}

static void test_letters_refused(void **state)
{
	(void)state;
	REFUSED("0987ABC321", "letras");
	REFUSED("1-800-FLOWERS", "letras");
	REFUSED("0987654321 ext 12", "letras");
	REFUSED("O987654321", "letras");          /* a capital O for a zero */
	REFUSED("tel: 0987654321", "letras");
}

static void test_symbols_and_misplaced_plus_refused(void **state)
{
	(void)state;
	REFUSED("0987654321#", "caracteres");
	REFUSED("0987*654321", "caracteres");
	REFUSED("09876543２1", "caracteres");    /* a fullwidth digit */
	REFUSED("0987654321\n", "caracteres");
	REFUSED("593+987654321", "solo puede ir al comienzo");
	REFUSED("++593987654321", "solo puede ir al comienzo");
	REFUSED("(09) +8765-4321", "solo puede ir al comienzo");
	REFUSED("(+) +593987654321", "solo puede ir al comienzo");
}

static void test_empty_and_blank_refused(void **state)
{
	(void)state;
	refused("", 0, "Falta el número");
	REFUSED("   ", "Falta el número");
	REFUSED("+", "Falta el número");
	REFUSED("( ) - .", "Falta el número");
}

static void test_nul_and_invalid_bytes_refused(void **state)
{
	(void)state;
	refused("0987\0" "654321", 11, "caracteres");
	refused("0987654321\xff", 11, "caracteres");
	refused("\xc3\xb1" "0987654321", 12, "caracteres");
}

static void test_input_limit(void **state)
{
	(void)state;
	char in[PHONE_MAX_INPUT + 2];
	memset(in, ' ', sizeof in);
	memcpy(in + PHONE_MAX_INPUT - 10, "0987654321", 10);
	struct phone p;
	assert_int_equal(phone_normalize(in, PHONE_MAX_INPUT, &p, NULL), 0);
	refused(in, PHONE_MAX_INPUT + 1, "demasiado largo");
}

static void test_reason_may_be_null(void **state)
{
	(void)state;
	struct phone p;
	assert_int_equal(phone_normalize("abc", 3, &p, NULL), -1);
}

/* phone_normalize and phone_normalize_parsed answer alike for in. */
static void same_as_parse(const char *in)
{
	struct phone fast, parsed;
	const char *why_fast = NULL, *why_parsed = NULL;
	int rc_fast = phone_normalize(in, strlen(in), &fast, &why_fast);
	int rc_parsed = phone_normalize_parsed(in, strlen(in), &parsed, &why_parsed);
	if (rc_fast != rc_parsed || (why_fast == NULL) != (why_parsed == NULL) ||
	    (why_fast && strcmp(why_fast, why_parsed) != 0) ||
	    memcmp(&fast, &parsed, sizeof fast) != 0)
		fail_msg("\"%s\": %d %s (%s) without Parse, %d %s (%s) through it", in, rc_fast,
			 fast.e164, why_fast ? why_fast : "-", rc_parsed, parsed.e164,
			 why_parsed ? why_parsed : "-");
}

/* The shortcut for "09" and eight digits (phone.cc) gives Parse's number: every
 * three-digit prefix after the 09 (Ecuador's plan tells mobiles, landlines and unused
 * ranges apart by the first digits), at both ends of its range and in between. */
static void test_ecuador_mobile_shortcut_matches_parse(void **state)
{
	(void)state;
	static const char *const tails[] = { "00000", "99999", "12345", "50505", "87654" };
	char in[16];
	for (int prefix = 0; prefix < 1000; prefix++) {
		for (size_t t = 0; t < nitems(tails); t++) {
			snprintf(in, sizeof in, "09%03d%s", prefix, tails[t]);
			same_as_parse(in);
		}
	}
	/* Near misses take Parse's way in both. */
	static const char *const others[] = { "0912345", "091234567", "09123456789", "0812345678",
		"9912345678", "09 8765 4321", "0987654321 ", "+593987654321", "0987-654321" };
	for (size_t i = 0; i < nitems(others); i++)
		same_as_parse(others[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ecuador_mobile_spellings),
		cmocka_unit_test(test_ecuador_region),
		cmocka_unit_test(test_ecuador_landlines_are_not_mobile),
		cmocka_unit_test(test_other_countries_with_plus),
		cmocka_unit_test(test_foreign_number_without_plus_refused_with_hint),
		cmocka_unit_test(test_short_and_long_numbers_refused),
		cmocka_unit_test(test_not_in_the_numbering_plan_refused),
		cmocka_unit_test(test_letters_refused),
		cmocka_unit_test(test_symbols_and_misplaced_plus_refused),
		cmocka_unit_test(test_empty_and_blank_refused),
		cmocka_unit_test(test_nul_and_invalid_bytes_refused),
		cmocka_unit_test(test_input_limit),
		cmocka_unit_test(test_reason_may_be_null),
		cmocka_unit_test(test_ecuador_mobile_shortcut_matches_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
