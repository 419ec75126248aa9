/* test_plink.c: patient link tokens: round trip per kind, and every way a token can be
 * wrong (tampered byte, wrong key, wrong kind, expired, truncated, extended, bad base64,
 * bad ids). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/plink.h"

static const char key[] = "0123456789abcdef0123456789abcdef-test-key";
#define KEYLEN (sizeof key - 1)
static const char msg[] = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
static const char ws[] = "00000000-0000-4000-8000-000000000001";
static const long long now = 1800000000LL;

static void make(struct buf *b, enum plink_kind kind, long long expires)
{
	buf_reset(b);
	assert_int_equal(plink_make(b, key, KEYLEN, kind, msg, ws, expires), 0);
	assert_int_equal(b->len, PLINK_TOKEN_LEN);
}

static void test_round_trip_each_kind(void **state)
{
	(void)state;
	const enum plink_kind kinds[] = { PLINK_REVIEW, PLINK_FEEDBACK, PLINK_UNSUBSCRIBE };
	for (size_t i = 0; i < 3; i++) {
		struct buf b = BUF_INIT;
		make(&b, kinds[i], now + 60);
		assert_null(strpbrk(b.buf, "+/=%?#&"));
		struct plink p;
		assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, kinds[i], now, &p),
				 PLINK_OK);
		assert_int_equal(p.kind, kinds[i]);
		assert_int_equal(p.expires, now + 60);
		assert_string_equal(p.message_id, "6f9619ff-8b86-d011-b42d-00c04fc964ff");
		assert_string_equal(p.workspace_id, ws);
		buf_release(&b);
	}
}

static void test_every_tampered_character_is_refused(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	make(&b, PLINK_FEEDBACK, now + 60);
	struct plink p;
	for (size_t i = 0; i < b.len; i++) {
		char saved = b.buf[i];
		b.buf[i] = saved == 'A' ? 'B' : 'A';
		assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_FEEDBACK, now, &p),
				 PLINK_BAD);
		b.buf[i] = saved;
	}
	buf_release(&b);
}

static void test_wrong_key_is_refused(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	make(&b, PLINK_REVIEW, now + 60);
	struct plink p;
	assert_int_equal(plink_verify(b.buf, b.len, "another key", 11, PLINK_REVIEW, now, &p),
			 PLINK_BAD);
	assert_int_equal(plink_verify(b.buf, b.len, key, 0, PLINK_REVIEW, now, &p), PLINK_BAD);
	buf_release(&b);
}

static void test_wrong_kind_is_refused(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	make(&b, PLINK_REVIEW, now + 60);
	struct plink p;
	assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_FEEDBACK, now, &p),
			 PLINK_BAD);
	assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_UNSUBSCRIBE, now, &p),
			 PLINK_BAD);
	buf_release(&b);
}

static void test_expiry_is_exclusive(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	make(&b, PLINK_FEEDBACK, now);
	struct plink p;
	assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_FEEDBACK, now - 1, &p),
			 PLINK_OK);
	assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_FEEDBACK, now, &p),
			 PLINK_EXPIRED);
	assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_FEEDBACK, now + 999, &p),
			 PLINK_EXPIRED);
	/* An expiry beyond what a signed 64-bit time holds counts as expired. */
	make(&b, PLINK_FEEDBACK, -1);
	assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_FEEDBACK, now, &p),
			 PLINK_EXPIRED);
	buf_release(&b);
}

static void test_truncated_and_extended_are_refused(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	make(&b, PLINK_UNSUBSCRIBE, now + 60);
	struct plink p;
	for (size_t n = 0; n < b.len; n++)
		assert_int_equal(plink_verify(b.buf, n, key, KEYLEN, PLINK_UNSUBSCRIBE, now, &p),
				 PLINK_BAD);
	buf_addch(&b, 'A');
	assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_UNSUBSCRIBE, now, &p),
			 PLINK_BAD);
	assert_int_equal(plink_verify(NULL, 0, key, KEYLEN, PLINK_UNSUBSCRIBE, now, &p),
			 PLINK_BAD);
	buf_release(&b);
}

static void test_bad_base64_is_refused(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	make(&b, PLINK_REVIEW, now + 60);
	struct plink p;
	const char bad[] = { '+', '/', '=', '.', ' ', '%', '\0', '\n', (char)0xc3 };
	for (size_t i = 0; i < sizeof bad; i++) {
		char saved = b.buf[10];
		b.buf[10] = bad[i];
		assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_REVIEW, now, &p),
				 PLINK_BAD);
		b.buf[10] = saved;
	}
	/* The last character carries padding bits that must be zero: a variant spelling
	 * of the same bytes is refused too. */
	char last = b.buf[b.len - 1];
	b.buf[b.len - 1] = (char)(last ^ 1);
	assert_int_equal(plink_verify(b.buf, b.len, key, KEYLEN, PLINK_REVIEW, now, &p),
			 PLINK_BAD);
	buf_release(&b);
}

static void test_make_refuses_bad_ids_and_kinds(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(plink_make(&b, key, KEYLEN, PLINK_REVIEW, "not-a-uuid", ws, now), -1);
	assert_int_equal(plink_make(&b, key, KEYLEN, PLINK_REVIEW, msg, NULL, now), -1);
	assert_int_equal(plink_make(&b, key, KEYLEN, PLINK_REVIEW,
				    "6f9619ff8b86-d011-b42d-00c04fc964ff-", ws, now), -1);
	assert_int_equal(plink_make(&b, key, KEYLEN, PLINK_REVIEW,
				    "6f9619fg-8b86-d011-b42d-00c04fc964ff", ws, now), -1);
	assert_int_equal(plink_make(&b, key, KEYLEN, (enum plink_kind)'x', msg, ws, now), -1);
	assert_int_equal(plink_make(&b, key, 0, PLINK_REVIEW, msg, ws, now), -1);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_url_carries_kind_and_validity(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(plink_url(&b, "https://rm.example/", key, KEYLEN, PLINK_FEEDBACK,
				   msg, ws, now), 0);
	assert_int_equal(strncmp(b.buf, "https://rm.example/f/", 21), 0);
	assert_int_equal(b.len, 21 + PLINK_TOKEN_LEN);
	struct plink p;
	const char *tok = b.buf + 21;
	assert_int_equal(plink_verify(tok, PLINK_TOKEN_LEN, key, KEYLEN, PLINK_FEEDBACK,
				      now + PLINK_FEEDBACK_SECONDS - 1, &p), PLINK_OK);
	assert_int_equal(plink_verify(tok, PLINK_TOKEN_LEN, key, KEYLEN, PLINK_FEEDBACK,
				      now + PLINK_FEEDBACK_SECONDS, &p), PLINK_EXPIRED);
	buf_release(&b);
}

static void test_link_is_the_configured_url_valid_from_now(void **state)
{
	(void)state;
	struct config cfg = { .base_url = "https://rm.example", .secret_key = key };
	struct arena *a = arena_new();
	long long before = (long long)time(NULL);
	const char *url = plink_link(a, &cfg, PLINK_REVIEW, msg, ws);
	assert_int_equal(strncmp(url, "https://rm.example/r/", 21), 0);
	assert_int_equal(strlen(url), 21 + PLINK_TOKEN_LEN);
	struct plink p;
	assert_int_equal(plink_verify(url + 21, PLINK_TOKEN_LEN, key, KEYLEN, PLINK_REVIEW,
				      before, &p), PLINK_OK);
	assert_true(p.expires >= before + PLINK_REVIEW_SECONDS);
	assert_string_equal(p.workspace_id, ws);
	/* With no base, the path alone, for a link on one of our own pages. */
	const char *path = plink_link_at(a, "", key, PLINK_REVIEW, msg, ws);
	assert_int_equal(strncmp(path, "/r/", 3), 0);
	assert_int_equal(strlen(path), 3 + PLINK_TOKEN_LEN);
	assert_int_equal(plink_verify(path + 3, PLINK_TOKEN_LEN, key, KEYLEN, PLINK_REVIEW,
				      before, &p), PLINK_OK);
	/* An id that is not a uuid makes no link: an empty one, never a broken one. */
	assert_string_equal(plink_link(a, &cfg, PLINK_REVIEW, "no-es-uuid", ws), "");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_each_kind),
		cmocka_unit_test(test_every_tampered_character_is_refused),
		cmocka_unit_test(test_wrong_key_is_refused),
		cmocka_unit_test(test_wrong_kind_is_refused),
		cmocka_unit_test(test_expiry_is_exclusive),
		cmocka_unit_test(test_truncated_and_extended_are_refused),
		cmocka_unit_test(test_bad_base64_is_refused),
		cmocka_unit_test(test_make_refuses_bad_ids_and_kinds),
		cmocka_unit_test(test_url_carries_kind_and_validity),
		cmocka_unit_test(test_link_is_the_configured_url_valid_from_now),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
