/* crypto.h: the few primitives the product needs, over OpenSSL's libcrypto.
 *
 * Used for session tokens (random bytes, SHA-256 of the token stored), CSRF tokens and
 * patient links (HMAC-SHA256), and webhook signatures (HMAC-SHA1 for Twilio, HMAC-SHA256
 * for WhatsApp and Stripe, compared in constant time). */
#ifndef RM_CRYPTO_H
#define RM_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* Fills out with n cryptographically secure random bytes (getrandom). 0 or -1. */
int crypto_random(void *out, size_t n);

void crypto_sha256(const void *data, size_t len, unsigned char out[32]);
void crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
			unsigned char out[32]);
void crypto_hmac_sha1(const void *key, size_t key_len, const void *data, size_t len,
		      unsigned char out[20]);

/* Constant-time comparison: the time taken depends only on the lengths. */
bool crypto_equal(const void *a, size_t a_len, const void *b, size_t b_len);

/* Encodings, appended to out. */
void crypto_hex(struct buf *out, const unsigned char *data, size_t len);      /* lower */
void crypto_base64(struct buf *out, const unsigned char *data, size_t len);   /* std, = */
void crypto_base64url(struct buf *out, const unsigned char *data, size_t len);/* no pad */
/* Decoders: return bytes written to out (at most out_max), or -1 for bad input/too long. */
long crypto_unhex(const char *s, size_t len, unsigned char *out, size_t out_max);
long crypto_unbase64url(const char *s, size_t len, unsigned char *out, size_t out_max);

#endif
