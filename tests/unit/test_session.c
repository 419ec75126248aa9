/* test_session.c: the pure helpers of core/session.h (tokens, their hash, CSRF tokens).
 * The database-backed functions are covered by the integration tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/crypto.h"
#include "core/session.h"

#define SECRET_A "0123456789abcdef0123456789abcdef-secret-a"
#define SECRET_B "0123456789abcdef0123456789abcdef-secret-b"

static bool is_lower_hex(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

static void test_new_token_is_64_hex_chars(void **state)
{
	(void)state;
	char t[65];
	memset(t, 'X', sizeof t);
	assert_int_equal(session_new_token(t, 32), 0);
	assert_true(is_lower_hex(t, 64));
}

static void test_new_tokens_are_distinct(void **state)
{
	(void)state;
	char a[65], b[65], c[65];
	assert_int_equal(session_new_token(a, 32), 0);
	assert_int_equal(session_new_token(b, 32), 0);
	assert_int_equal(session_new_token(c, 32), 0);
	assert_string_not_equal(a, b);
	assert_string_not_equal(b, c);
	assert_string_not_equal(a, c);
}

static void test_new_token_writes_exactly_2n_plus_1_bytes(void **state)
{
	(void)state;
	char t[16];
	memset(t, 'X', sizeof t);
	assert_int_equal(session_new_token(t, 4), 0);
	assert_true(is_lower_hex(t, 8));
	assert_int_equal(t[9], 'X');
}

static void test_new_token_of_64_bytes(void **state)
{
	(void)state;
	char t[129];
	assert_int_equal(session_new_token(t, 64), 0);
	assert_true(is_lower_hex(t, 128));
}

static void test_token_hash_matches_sha256_vector(void **state)
{
	(void)state;
	char h[65];
	session_token_hash("abc", h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	session_token_hash("", h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_token_hash_of_a_token_is_64_hex_and_stable(void **state)
{
	(void)state;
	char t[65], h1[65], h2[65];
	assert_int_equal(session_new_token(t, 32), 0);
	session_token_hash(t, h1);
	session_token_hash(t, h2);
	assert_true(is_lower_hex(h1, 64));
	assert_string_equal(h1, h2);
	assert_string_not_equal(h1, t);
}

static void test_csrf_matches_hmac_vector(void **state)
{
	(void)state;
	char out[65];
	/* HMAC-SHA256(key = 32 × 'k', "csrf" NUL "abc"), computed independently. */
	csrf_compute("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "abc", out);
	assert_string_equal(out, "70896d0b237a9860e913a1c0269aea11edf23a9aaf28b296b7d5264f490185b0");
}

static void test_csrf_is_deterministic_and_64_hex(void **state)
{
	(void)state;
	char a[65], b[65];
	csrf_compute(SECRET_A, "binding-1", a);
	csrf_compute(SECRET_A, "binding-1", b);
	assert_true(is_lower_hex(a, 64));
	assert_string_equal(a, b);
}

static void test_csrf_differs_by_binding(void **state)
{
	(void)state;
	char a[65], b[65], c[65];
	csrf_compute(SECRET_A, "binding-1", a);
	csrf_compute(SECRET_A, "binding-2", b);
	csrf_compute(SECRET_A, "", c);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
}

static void test_csrf_differs_by_secret(void **state)
{
	(void)state;
	char a[65], b[65];
	csrf_compute(SECRET_A, "binding-1", a);
	csrf_compute(SECRET_B, "binding-1", b);
	assert_string_not_equal(a, b);
}

/* HMAC-SHA256(key, msg) in hex, computed here without csrf_compute. */
static void hmac_hex(const char *key, const void *msg, size_t n, char out[65])
{
	unsigned char mac[32];
	crypto_hmac_sha256(key, strlen(key), msg, n, mac);
	for (size_t i = 0; i < sizeof mac; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

static void test_csrf_is_not_the_plain_hmac_of_the_binding(void **state)
{
	(void)state;
	/* The "csrf" NUL prefix separates CSRF tokens from other HMACs of the same value
	 * under the same key (patient links, say): the token is the HMAC of the prefixed
	 * binding, never of the binding alone. */
	const char *binding = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char token[65], plain[65], prefixed[65];
	csrf_compute(SECRET_A, binding, token);
	hmac_hex(SECRET_A, binding, strlen(binding), plain);
	char msg[5 + 64];
	memcpy(msg, "csrf", 5);   /* with its NUL */
	memcpy(msg + 5, binding, 64);
	hmac_hex(SECRET_A, msg, sizeof msg, prefixed);
	assert_string_not_equal(token, plain);
	assert_string_equal(token, prefixed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_token_is_64_hex_chars),
		cmocka_unit_test(test_new_tokens_are_distinct),
		cmocka_unit_test(test_new_token_writes_exactly_2n_plus_1_bytes),
		cmocka_unit_test(test_new_token_of_64_bytes),
		cmocka_unit_test(test_token_hash_matches_sha256_vector),
		cmocka_unit_test(test_token_hash_of_a_token_is_64_hex_and_stable),
		cmocka_unit_test(test_csrf_matches_hmac_vector),
		cmocka_unit_test(test_csrf_is_deterministic_and_64_hex),
		cmocka_unit_test(test_csrf_differs_by_binding),
		cmocka_unit_test(test_csrf_differs_by_secret),
		cmocka_unit_test(test_csrf_is_not_the_plain_hmac_of_the_binding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
