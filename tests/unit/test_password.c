/* test_password.c: password.c: hashing, verification of known vectors and of other
 * methods, refusal of garbage, and the rehash decision. Cost 10 (the floor) keeps the
 * suite fast; one test pays for cost 12 to check the default. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/password.h"
#include "core/nitems.h"

/* Published in Openwall's crypt_blowfish tests (and John the Ripper): "U*U". */
#define VEC_OPENWALL "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
/* Computed once with libxcrypt: crypt("demo1234", "$2b$10$abcdefghijklmnopqrstuu"). */
#define VEC_DEMO_2B "$2b$10$abcdefghijklmnopqrstuubAuHEKkstfFTty6XLHR2tswEb0slScC"
#define VEC_DEMO_2Y "$2y$10$abcdefghijklmnopqrstuubAuHEKkstfFTty6XLHR2tswEb0slScC"
/* crypt("demo1234", "$6$saltsaltsalt$"): sha512crypt, as an older system might store. */
#define VEC_DEMO_6 "$6$saltsaltsalt$QyrxU.V/1qworQWZ9PFcm3BgpBKI8q4SO.B2RXvmZeaeW8jj5c1n" \
		   "EoJSvdHLatISyBn1ARHcsu08ZhXzTRrW6."

static void test_hash_then_verify(void **state)
{
	(void)state;
	char h[128];
	assert_int_equal(password_hash("correct horse", 10, h, sizeof h), 0);
	assert_int_equal(strncmp(h, "$2b$10$", 7), 0);
	assert_int_equal(strlen(h), 60);
	assert_true(password_verify("correct horse", h));
	assert_false(password_verify("correct horsf", h));
	assert_false(password_verify("correct hors", h));
	assert_false(password_verify("Correct horse", h));
	assert_false(password_verify("", h));
	assert_false(password_verify(NULL, h));
	assert_false(password_needs_rehash(h, 10));
}

static void test_salts_differ(void **state)
{
	(void)state;
	char a[128], b[128];
	assert_int_equal(password_hash("same password", 10, a, sizeof a), 0);
	assert_int_equal(password_hash("same password", 10, b, sizeof b), 0);
	assert_string_not_equal(a, b);
	assert_true(password_verify("same password", a));
	assert_true(password_verify("same password", b));
}

static void test_default_cost_12(void **state)
{
	(void)state;
	char h[128];
	assert_int_equal(password_hash("demo1234", 12, h, sizeof h), 0);
	assert_int_equal(strncmp(h, "$2b$12$", 7), 0);
	assert_true(password_verify("demo1234", h));
	assert_false(password_needs_rehash(h, 12));
	assert_false(password_needs_rehash(h, 10));
	assert_true(password_needs_rehash(h, 13));
}

static void test_cost_clamped(void **state)
{
	(void)state;
	char h[128];
	assert_int_equal(password_hash("demo1234", 4, h, sizeof h), 0);
	assert_int_equal(strncmp(h, "$2b$10$", 7), 0);
	assert_int_equal(password_hash("demo1234", -1, h, sizeof h), 0);
	assert_int_equal(strncmp(h, "$2b$10$", 7), 0);
	/* The rehash check clamps the same way, or a low setting would churn hashes. */
	assert_false(password_needs_rehash(h, 4));
}

static void test_hash_refusals(void **state)
{
	(void)state;
	char h[128], tiny[20];
	char p73[74], p72[73];
	memset(p73, 'a', 73);
	p73[73] = '\0';
	memset(p72, 'a', 72);
	p72[72] = '\0';
	assert_int_equal(password_hash(p73, 10, h, sizeof h), -1);
	assert_string_equal(h, "");
	assert_int_equal(password_hash("", 10, h, sizeof h), -1);
	assert_int_equal(password_hash(NULL, 10, h, sizeof h), -1);
	assert_int_equal(password_hash("demo1234", 10, tiny, sizeof tiny), -1);
	assert_int_equal(password_hash("demo1234", 10, NULL, 0), -1);

	/* 72 bytes is the limit and works; 73 is refused by verify too, even though
	 * bcrypt would have matched it on its first 72 bytes. */
	assert_int_equal(password_hash(p72, 10, h, sizeof h), 0);
	assert_true(password_verify(p72, h));
	assert_false(password_verify(p73, h));
}

static void test_known_vectors(void **state)
{
	(void)state;
	assert_true(password_verify("U*U", VEC_OPENWALL));
	assert_false(password_verify("U*V", VEC_OPENWALL));
	assert_true(password_verify("demo1234", VEC_DEMO_2B));
	assert_false(password_verify("demo12345", VEC_DEMO_2B));
	assert_true(password_verify("demo1234", VEC_DEMO_2Y));
	/* The hash's tail is compared, not just its prefix. */
	char tampered[] = VEC_DEMO_2B;
	tampered[59] = tampered[59] == 'C' ? 'D' : 'C';
	assert_false(password_verify("demo1234", tampered));
	char longer[sizeof VEC_DEMO_2B + 1] = VEC_DEMO_2B;
	strcat(longer, "x");
	assert_false(password_verify("demo1234", longer));
}

static void test_other_methods_verify(void **state)
{
	(void)state;
	assert_true(password_verify("demo1234", VEC_DEMO_6));
	assert_false(password_verify("demo1235", VEC_DEMO_6));
	assert_true(password_needs_rehash(VEC_DEMO_6, 12));
}

static void test_garbage_hashes(void **state)
{
	(void)state;
	const char *bad[] = {
		"", "*", "*0", "*1", "$2b$", "$2b$10$", "$2b$99$abcdefghijklmnopqrstuu",
		"$2b$10$short", "not a hash", "$", "$$$$", "$6$", "$y$", "$7$",
		"$2b$1$abcdefghijklmnopqrstuubAuHEKkstfFTty6XLHR2tswEb0slScC",
		("*" VEC_DEMO_2B),
	};
	for (size_t i = 0; i < nitems(bad); i++) {
		assert_false(password_verify("demo1234", bad[i]));
		assert_true(password_needs_rehash(bad[i], 10));
	}
	assert_false(password_verify("demo1234", NULL));
	assert_true(password_needs_rehash(NULL, 10));
}

static void test_needs_rehash(void **state)
{
	(void)state;
	assert_true(password_needs_rehash(VEC_DEMO_2B, 12));
	assert_false(password_needs_rehash(VEC_DEMO_2B, 10));
	assert_false(password_needs_rehash(
		"$2b$12$abcdefghijklmnopqrstuubAuHEKkstfFTty6XLHR2tswEb0slScC", 12));
	assert_false(password_needs_rehash(
		"$2b$13$abcdefghijklmnopqrstuubAuHEKkstfFTty6XLHR2tswEb0slScC", 12));
	/* Same cost, older or foreign bcrypt prefix: rewrite as $2b$. */
	assert_true(password_needs_rehash(VEC_DEMO_2Y, 10));
	assert_true(password_needs_rehash(VEC_OPENWALL, 10));
	assert_true(password_needs_rehash(
		"$2a$12$abcdefghijklmnopqrstuubAuHEKkstfFTty6XLHR2tswEb0slScC", 12));
	assert_true(password_needs_rehash("$y$j9T$abcdefghijklmnop$0123456789abcdef", 12));
	/* Malformed $2b$: bad characters or length. */
	assert_true(password_needs_rehash(
		"$2b$12$abcdefghijklmnopqrstuubAuHEKkstfFTty6XLHR2tswEb0slSc!", 12));
	assert_true(password_needs_rehash(
		"$2b$1a$abcdefghijklmnopqrstuubAuHEKkstfFTty6XLHR2tswEb0slScC", 12));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_then_verify),
		cmocka_unit_test(test_salts_differ),
		cmocka_unit_test(test_default_cost_12),
		cmocka_unit_test(test_cost_clamped),
		cmocka_unit_test(test_hash_refusals),
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_other_methods_verify),
		cmocka_unit_test(test_garbage_hashes),
		cmocka_unit_test(test_needs_rehash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
