/* test_crypto.c: crypto.c against published vectors (Twilio, WhatsApp, NIST, RFC 4231,
 * RFC 4648) and the strict decoders against malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/nitems.h"

static void assert_hex(const unsigned char *data, size_t len, const char *want)
{
	struct buf b = BUF_INIT;
	crypto_hex(&b, data, len);
	assert_string_equal(b.buf, want);
	assert_int_equal(b.len, strlen(want));
	buf_release(&b);
}

/* ---- Twilio X-Twilio-Signature, built the way the webhook will build it ---- */

struct param {
	const char *name;
	const char *value;
};

static int param_cmp(const void *a, const void *b)
{
	return strcmp(((const struct param *)a)->name, ((const struct param *)b)->name);
}

static void test_twilio_signature_vector(void **state)
{
	(void)state;
	/* Deliberately out of order: the signer must sort by name. */
	struct param params[] = {
		{ "To", "+18005551212" },
		{ "Digits", "1234" },
		{ "CallSid", "CA1234567890ABCDE" },
		{ "From", "+14158675309" },
		{ "Caller", "+14158675309" },
	};
	size_t n = nitems(params);
	qsort(params, n, sizeof params[0], param_cmp);

	struct buf msg = BUF_INIT;
	buf_adds(&msg, "https://mycompany.com/myapp.php?foo=1&bar=2");
	for (size_t i = 0; i < n; i++) {
		buf_adds(&msg, params[i].name);
		buf_adds(&msg, params[i].value);
	}
	unsigned char mac[20];
	crypto_hmac_sha1("12345", 5, msg.buf, msg.len, mac);

	struct buf sig = BUF_INIT;
	crypto_base64(&sig, mac, sizeof mac);
	assert_string_equal(sig.buf, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");

	const char *header = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
	assert_true(crypto_equal(sig.buf, sig.len, header, strlen(header)));
	/* One flipped bit in the message must change the signature. */
	msg.buf[msg.len - 1] ^= 1;
	crypto_hmac_sha1("12345", 5, msg.buf, msg.len, mac);
	buf_reset(&sig);
	crypto_base64(&sig, mac, sizeof mac);
	assert_false(crypto_equal(sig.buf, sig.len, header, strlen(header)));

	buf_release(&sig);
	buf_release(&msg);
}

static void test_whatsapp_signature_vector(void **state)
{
	(void)state;
	unsigned char mac[32];
	crypto_hmac_sha256("secret", 6, "test", 4, mac);
	assert_hex(mac, sizeof mac,
		   "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914");
}

static void test_sha256_nist(void **state)
{
	(void)state;
	unsigned char d[32];
	crypto_sha256("", 0, d);
	assert_hex(d, sizeof d,
		   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	crypto_sha256(NULL, 0, d);
	assert_hex(d, sizeof d,
		   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	crypto_sha256("abc", 3, d);
	assert_hex(d, sizeof d,
		   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_hmac_sha256_rfc4231(void **state)
{
	(void)state;
	unsigned char key[20], mac[32];
	memset(key, 0x0b, sizeof key);
	crypto_hmac_sha256(key, sizeof key, "Hi There", 8, mac);
	assert_hex(mac, sizeof mac,
		   "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	assert_hex(mac, sizeof mac,
		   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_hmac_sha256_edge_keys(void **state)
{
	(void)state;
	unsigned char mac[32];
	/* Empty key and empty data (values from Python's hmac module). */
	crypto_hmac_sha256("", 0, "", 0, mac);
	assert_hex(mac, sizeof mac,
		   "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
	crypto_hmac_sha256(NULL, 0, NULL, 0, mac);
	assert_hex(mac, sizeof mac,
		   "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
	/* A key longer than the block size is hashed first. */
	char key[200];
	memset(key, 'k', sizeof key);
	crypto_hmac_sha256(key, sizeof key, "data", 4, mac);
	assert_hex(mac, sizeof mac,
		   "0163658d479ec73f2b801df07141db1426aaae2c6b5e8e6d9e6789f92f5e2b4f");
}

static void assert_b64(const char *in, const char *want)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "x");   /* encoders append */
	crypto_base64(&b, (const unsigned char *)in, strlen(in));
	assert_string_equal(b.buf + 1, want);
	assert_int_equal(b.len, 1 + strlen(want));
	buf_release(&b);
}

static void test_base64_rfc4648(void **state)
{
	(void)state;
	assert_b64("", "");
	assert_b64("f", "Zg==");
	assert_b64("fo", "Zm8=");
	assert_b64("foo", "Zm9v");
	assert_b64("foob", "Zm9vYg==");
	assert_b64("fooba", "Zm9vYmE=");
	assert_b64("foobar", "Zm9vYmFy");
}

static void roundtrip_b64url(const unsigned char *in, size_t len, const char *want)
{
	struct buf b = BUF_INIT;
	crypto_base64url(&b, in, len);
	assert_string_equal(b.buf, want);
	unsigned char out[64];
	long n = crypto_unbase64url(b.buf, b.len, out, sizeof out);
	assert_int_equal(n, (long)len);
	assert_memory_equal(out, in, len);
	buf_release(&b);
}

static void test_base64url_roundtrip(void **state)
{
	(void)state;
	const unsigned char fb[] = { 0xfb };
	const unsigned char fbff[] = { 0xfb, 0xff };
	const unsigned char fbfffe[] = { 0xfb, 0xff, 0xfe };
	roundtrip_b64url(fb, 0, "");
	roundtrip_b64url(fb, 1, "-w");
	roundtrip_b64url(fbff, 2, "-_8");
	roundtrip_b64url(fbfffe, 3, "-__-");

	unsigned char all[48];
	for (size_t i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)(0xff - i * 5);
	for (size_t len = 0; len <= sizeof all; len++) {
		struct buf b = BUF_INIT;
		unsigned char out[48];
		crypto_base64url(&b, all, len);
		assert_null(strpbrk(b.buf, "+/="));
		assert_int_equal(crypto_unbase64url(b.buf, b.len, out, len), (long)len);
		assert_memory_equal(out, all, len);
		/* One byte short of room: refused, not truncated. */
		if (len)
			assert_int_equal(crypto_unbase64url(b.buf, b.len, out, len - 1), -1);
		buf_release(&b);
	}
}

static void test_unbase64url_rejects(void **state)
{
	(void)state;
	unsigned char out[16];
	/* Standard-alphabet and padding characters are not base64url. */
	assert_int_equal(crypto_unbase64url("-_8=", 4, out, sizeof out), -1);
	assert_int_equal(crypto_unbase64url("+/8", 3, out, sizeof out), -1);
	assert_int_equal(crypto_unbase64url("-w==", 4, out, sizeof out), -1);
	/* Whitespace, NUL, high bytes. */
	assert_int_equal(crypto_unbase64url("ab c", 4, out, sizeof out), -1);
	assert_int_equal(crypto_unbase64url("ab\0c", 4, out, sizeof out), -1);
	assert_int_equal(crypto_unbase64url("ab\xc3\xa9", 4, out, sizeof out), -1);
	/* A length of 4k+1 can't be produced by the encoder. */
	assert_int_equal(crypto_unbase64url("a", 1, out, sizeof out), -1);
	assert_int_equal(crypto_unbase64url("abcde", 5, out, sizeof out), -1);
	/* Non-zero leftover bits: "-x" would also decode to 0xfb. */
	assert_int_equal(crypto_unbase64url("-x", 2, out, sizeof out), -1);
	assert_int_equal(crypto_unbase64url("-_9", 3, out, sizeof out), -1);
	/* Output overflow. */
	assert_int_equal(crypto_unbase64url("-__-", 4, out, 2), -1);
	assert_int_equal(crypto_unbase64url("", 0, out, 0), 0);
	assert_int_equal(crypto_unbase64url(NULL, 0, NULL, 0), 0);
}

static void test_unhex(void **state)
{
	(void)state;
	unsigned char out[8];
	assert_int_equal(crypto_unhex("00fFa5", 6, out, sizeof out), 3);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0xff);
	assert_int_equal(out[2], 0xa5);
	assert_int_equal(crypto_unhex("", 0, out, 0), 0);
	/* Odd length, bad characters, prefixes, sign, space, NUL. */
	assert_int_equal(crypto_unhex("abc", 3, out, sizeof out), -1);
	assert_int_equal(crypto_unhex("zz", 2, out, sizeof out), -1);
	assert_int_equal(crypto_unhex("0x00", 4, out, sizeof out), -1);
	assert_int_equal(crypto_unhex("-1", 2, out, sizeof out), -1);
	assert_int_equal(crypto_unhex("a ", 2, out, sizeof out), -1);
	assert_int_equal(crypto_unhex("a\0", 2, out, sizeof out), -1);
	assert_int_equal(crypto_unhex("0g", 2, out, sizeof out), -1);
	/* A bad character late in the string wipes what was already written. */
	memset(out, 0x55, sizeof out);
	assert_int_equal(crypto_unhex("abcdzz", 6, out, sizeof out), -1);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
	/* Output overflow. */
	assert_int_equal(crypto_unhex("000102", 6, out, 2), -1);

	/* Round trip of every byte value. */
	unsigned char all[256], back[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	struct buf b = BUF_INIT;
	crypto_hex(&b, all, sizeof all);
	assert_int_equal(b.len, 512);
	assert_int_equal(crypto_unhex(b.buf, b.len, back, sizeof back), 256);
	assert_memory_equal(all, back, sizeof all);
	buf_release(&b);
}

static void test_equal(void **state)
{
	(void)state;
	assert_true(crypto_equal("abcdef", 6, "abcdef", 6));
	assert_false(crypto_equal("abcdef", 6, "abcdeg", 6));
	assert_false(crypto_equal("abcdef", 6, "bbcdef", 6));
	/* Prefix of the other: must not compare equal just because the common part is. */
	assert_false(crypto_equal("abcdef", 6, "abcde", 5));
	assert_false(crypto_equal("abcde", 5, "abcdef", 6));
	assert_false(crypto_equal("", 0, "a", 1));
	assert_true(crypto_equal("", 0, "", 0));
	assert_true(crypto_equal(NULL, 0, NULL, 0));
	assert_true(crypto_equal("a\0b", 3, "a\0b", 3));
	assert_false(crypto_equal("a\0b", 3, "a\0c", 3));
}

static void test_random(void **state)
{
	(void)state;
	unsigned char a[32], b[32], zero[32] = { 0 };
	assert_int_equal(crypto_random(a, sizeof a), 0);
	assert_int_equal(crypto_random(b, sizeof b), 0);
	assert_memory_not_equal(a, b, sizeof a);
	assert_memory_not_equal(a, zero, sizeof a);
	assert_int_equal(crypto_random(NULL, 0), 0);
	assert_int_equal(crypto_random(NULL, 1), -1);
	/* Larger than one getrandom chunk. */
	unsigned char *big = calloc(1, 1 << 20);
	assert_non_null(big);
	assert_int_equal(crypto_random(big, 1 << 20), 0);
	size_t zeros = 0;
	for (size_t i = 0; i < 1 << 20; i++)
		zeros += big[i] == 0;
	assert_true(zeros < 8192);   /* expected about 4096 */
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twilio_signature_vector),
		cmocka_unit_test(test_whatsapp_signature_vector),
		cmocka_unit_test(test_sha256_nist),
		cmocka_unit_test(test_hmac_sha256_rfc4231),
		cmocka_unit_test(test_hmac_sha256_edge_keys),
		cmocka_unit_test(test_base64_rfc4648),
		cmocka_unit_test(test_base64url_roundtrip),
		cmocka_unit_test(test_unbase64url_rejects),
		cmocka_unit_test(test_unhex),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
