/* signature.c: Twilio and Meta webhook signatures; see signature.h. */
#include "signature.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "kv.h"
#include "log.h"

static int signature_kv_cmp(const void *pa, const void *pb)
{
	const struct kv *a = *(const struct kv *const *)pa;
	const struct kv *b = *(const struct kv *const *)pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	size_t n = a->value_len < b->value_len ? a->value_len : b->value_len;
	c = memcmp(a->value, b->value, n);
	if (c)
		return c;
	return (a->value_len > b->value_len) - (a->value_len < b->value_len);
}

void signature_twilio_base(struct buf *out, const char *url, const struct kvlist *params)
{
	buf_adds(out, url ? url : "");
	size_t n = params ? params->count : 0;
	if (n == 0)
		return;
	const struct kv **v = malloc(n * sizeof *v);
	if (!v) {
		log_error("signature: out of memory");
		abort();
	}
	size_t i = 0;
	for (const struct kv *e = params->head; e && i < n; e = e->next)
		v[i++] = e;
	qsort(v, i, sizeof *v, signature_kv_cmp);
	for (size_t k = 0; k < i; k++) {
		buf_adds(out, v[k]->name);
		buf_add(out, v[k]->value, v[k]->value_len);
	}
	free(v);
}

bool signature_twilio_ok(const char *auth_token, const char *url,
			 const struct kvlist *params, const char *header)
{
	if (!auth_token || !*auth_token || !url || !*url || !header || !*header)
		return false;
	struct buf base = BUF_INIT, want = BUF_INIT;
	signature_twilio_base(&base, url, params);
	unsigned char mac[20];
	crypto_hmac_sha1(auth_token, strlen(auth_token), base.buf, base.len, mac);
	crypto_base64(&want, mac, sizeof mac);
	bool ok = crypto_equal(want.buf, want.len, header, strlen(header));
	buf_release(&base);
	buf_release(&want);
	return ok;
}

bool signature_hub_ok(const char *secret, const char *body, size_t len, const char *header)
{
	if (!secret || !*secret || !header || !*header || (len && !body))
		return false;
	unsigned char mac[32];
	crypto_hmac_sha256(secret, strlen(secret), body ? body : "", len, mac);
	struct buf want = BUF_INIT;
	buf_adds(&want, "sha256=");
	crypto_hex(&want, mac, sizeof mac);
	bool ok = crypto_equal(want.buf, want.len, header, strlen(header));
	buf_release(&want);
	return ok;
}
