/* signature.h: provider webhook signatures, checked before a callback touches anything.
 *
 * Twilio (X-Twilio-Signature): Base64 of HMAC-SHA1, keyed with the account's auth token,
 * over the full URL Twilio called followed by every POST parameter sorted by name (then
 * by value, for repeated names), each name immediately followed by its value.
 * Meta / WhatsApp (X-Hub-Signature-256): "sha256=" and the lower-case hex HMAC-SHA256 of
 * the raw body, keyed with the app secret.
 * Both compare in constant time (crypto_equal). A missing header, an empty key or an
 * empty URL never verifies. */
#ifndef RM_SIGNATURE_H
#define RM_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct kvlist;

/* Appends Twilio's signed string (url, then the sorted name/value pairs) to out. */
void signature_twilio_base(struct buf *out, const char *url, const struct kvlist *params);

/* True when header is the Twilio signature of (url, params) under auth_token. */
bool signature_twilio_ok(const char *auth_token, const char *url,
			 const struct kvlist *params, const char *header);

/* True when header is "sha256=<hex>" of body under secret. */
bool signature_hub_ok(const char *secret, const char *body, size_t len, const char *header);

#endif
