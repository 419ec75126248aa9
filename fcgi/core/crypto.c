/* crypto.c: random bytes, SHA-256, HMAC, constant-time comparison and the encodings
 * tokens and signatures travel in. See crypto.h. */
#include "crypto.h"
#include "buf.h"
#include "log.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/* OpenSSL wants a valid pointer even for zero bytes. */
static const unsigned char crypto_nothing[1];

int crypto_random(void *out, size_t n)
{
	unsigned char *p = out;

	if (n && !out)
		return -1;
	while (n) {
		/* getrandom may return fewer bytes than asked (above 256 bytes, or on a
		 * signal), so loop; flags 0 blocks only until the pool is first seeded. */
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			log_error("getrandom failed", "error", strerror(errno));
			return -1;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* A digest or MAC that cannot be computed (out of memory, broken libcrypto) must not
 * leave a predictable value behind for a signature check to match: fail hard, as buf.c
 * does when allocation fails. */
static void crypto_fatal(const char *what)
{
	log_error("libcrypto failure", "op", what);
	abort();
}

void crypto_sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int out_len = 0;

	if (!data)
		data = crypto_nothing;
	if (!EVP_Digest(data, len, out, &out_len, EVP_sha256(), NULL) || out_len != 32)
		crypto_fatal("sha256");
}

/* HMAC with the sizes as size_t end to end (HMAC() takes an int key length). */
static void crypto_hmac(const char *digest, const void *key, size_t key_len,
			const void *data, size_t len, unsigned char *out, size_t out_size)
{
	size_t out_len = 0;

	if (!key)
		key = crypto_nothing;
	if (!data)
		data = crypto_nothing;
	if (!EVP_Q_mac(NULL, "HMAC", NULL, digest, NULL, key, key_len, data, len,
		       out, out_size, &out_len) || out_len != out_size)
		crypto_fatal(digest);
}

void crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
			unsigned char out[32])
{
	crypto_hmac("SHA256", key, key_len, data, len, out, 32);
}

void crypto_hmac_sha1(const void *key, size_t key_len, const void *data, size_t len,
		      unsigned char out[20])
{
	crypto_hmac("SHA1", key, key_len, data, len, out, 20);
}

bool crypto_equal(const void *a, size_t a_len, const void *b, size_t b_len)
{
	/* Compare the common prefix whatever the lengths, and fold the length check in
	 * without a branch, so that neither content nor an early exit shows in timing. */
	size_t n = a_len < b_len ? a_len : b_len;
	int diff = a_len != b_len;

	if (n)
		diff |= CRYPTO_memcmp(a, b, n) != 0;
	return diff == 0;
}

/* ---- encoders ---- */

static const char crypto_hex_digits[] = "0123456789abcdef";
static const char crypto_b64_std[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char crypto_b64_url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void crypto_hex(struct buf *out, const unsigned char *data, size_t len)
{
	if (len > (SIZE_MAX - 1) / 2) {
		log_error("hex input too large");
		abort();
	}
	buf_grow(out, len * 2);
	for (size_t i = 0; i < len; i++) {
		out->buf[out->len++] = crypto_hex_digits[data[i] >> 4];
		out->buf[out->len++] = crypto_hex_digits[data[i] & 0x0f];
	}
	out->buf[out->len] = '\0';
}

static void crypto_b64_encode(struct buf *out, const unsigned char *data, size_t len,
			      const char *alphabet, bool pad)
{
	if (len / 3 > (SIZE_MAX - 8) / 4) {
		log_error("base64 input too large");
		abort();
	}
	buf_grow(out, (len / 3 + 1) * 4);
	char *p = out->buf + out->len;
	size_t i = 0;

	for (; len - i >= 3; i += 3) {
		unsigned long v = (unsigned long)data[i] << 16 | data[i + 1] << 8 | data[i + 2];
		*p++ = alphabet[v >> 18 & 63];
		*p++ = alphabet[v >> 12 & 63];
		*p++ = alphabet[v >> 6 & 63];
		*p++ = alphabet[v & 63];
	}
	if (len - i == 1) {
		unsigned long v = (unsigned long)data[i] << 16;
		*p++ = alphabet[v >> 18 & 63];
		*p++ = alphabet[v >> 12 & 63];
		if (pad) {
			*p++ = '=';
			*p++ = '=';
		}
	} else if (len - i == 2) {
		unsigned long v = (unsigned long)data[i] << 16 | data[i + 1] << 8;
		*p++ = alphabet[v >> 18 & 63];
		*p++ = alphabet[v >> 12 & 63];
		*p++ = alphabet[v >> 6 & 63];
		if (pad)
			*p++ = '=';
	}
	out->len = (size_t)(p - out->buf);
	out->buf[out->len] = '\0';
}

void crypto_base64(struct buf *out, const unsigned char *data, size_t len)
{
	crypto_b64_encode(out, data, len, crypto_b64_std, true);
}

void crypto_base64url(struct buf *out, const unsigned char *data, size_t len)
{
	crypto_b64_encode(out, data, len, crypto_b64_url, false);
}

/* ---- decoders ----
 * Both are strict: one accepted spelling per byte string (so a token cannot be varied
 * to slip past a cache or a uniqueness check), and nothing is written past out_max.
 * On failure whatever was written is wiped, since it may be half a secret. The caller
 * knows what the input was for, so it logs; here only a debug line with the reason. */

static int crypto_hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long crypto_decode_fail(unsigned char *out, size_t written, const char *why)
{
	if (written)
		explicit_bzero(out, written);
	log_debug("decode refused", "reason", why);
	return -1;
}

long crypto_unhex(const char *s, size_t len, unsigned char *out, size_t out_max)
{
	if (len % 2)
		return crypto_decode_fail(out, 0, "odd hex length");
	if (len / 2 > out_max || len / 2 > LONG_MAX)
		return crypto_decode_fail(out, 0, "hex too long");
	if (len && (!s || !out))
		return crypto_decode_fail(out, 0, "null argument");
	for (size_t i = 0; i < len; i += 2) {
		int hi = crypto_hex_value((unsigned char)s[i]);
		int lo = crypto_hex_value((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return crypto_decode_fail(out, i / 2, "bad hex character");
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

static int crypto_b64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;   /* includes '=', '+', '/', whitespace: we never emit them */
}

long crypto_unbase64url(const char *s, size_t len, unsigned char *out, size_t out_max)
{
	size_t rem = len % 4;
	/* A lone trailing character carries only 6 bits: never a whole byte. */
	if (rem == 1)
		return crypto_decode_fail(out, 0, "bad base64url length");
	size_t need = len / 4 * 3 + (rem ? rem - 1 : 0);
	if (need > out_max || need > LONG_MAX)
		return crypto_decode_fail(out, 0, "base64url too long");
	if (len && (!s || !out))
		return crypto_decode_fail(out, 0, "null argument");

	size_t o = 0;
	unsigned long acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		int v = crypto_b64url_value((unsigned char)s[i]);
		if (v < 0)
			return crypto_decode_fail(out, o, "bad base64url character");
		acc = (acc << 6 | (unsigned long)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	/* The bits left over after the last byte must be zero, otherwise several strings
	 * would decode to the same bytes. */
	if (acc & ((1ul << bits) - 1))
		return crypto_decode_fail(out, o, "non-zero base64url padding bits");
	return (long)o;
}
