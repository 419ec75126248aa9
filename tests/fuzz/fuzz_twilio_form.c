/* fuzz_twilio_form.c: libFuzzer harness for a Twilio callback body and its signature.
 *
 * The input is parsed as a form body (as the webhook does). When it parses: the signed
 * string is built; a signature computed for it must verify, the same signature must
 * fail under another key and another URL, and the signed string must not depend on the
 * order of the pairs (built again from the pairs reversed). Seeds:
 * tests/fuzz/corpus/fuzz_twilio_form/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/form.h"
#include "core/kv.h"
#include "core/log.h"
#include "core/signature.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char url[] = "https://hooks.example/hooks/twilio/status";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	if (!a) {
		log_init("fuzz_twilio_form", LOG_ERROR);
		a = arena_new();
	}
	struct kvlist l = KVLIST_INIT;
	if (form_parse(a, (const char *)data, size, &l, 256) == 0) {
		struct buf base = BUF_INIT, sig = BUF_INIT, again = BUF_INIT;
		signature_twilio_base(&base, url, &l);
		unsigned char mac[20];
		crypto_hmac_sha1("token", 5, base.buf, base.len, mac);
		crypto_base64(&sig, mac, sizeof mac);
		if (!signature_twilio_ok("token", url, &l, sig.buf))
			abort();
		if (signature_twilio_ok("tokem", url, &l, sig.buf) ||
		    signature_twilio_ok("token", "https://hooks.example/x", &l, sig.buf))
			abort();
		struct kvlist rev = KVLIST_INIT;
		for (struct kv *e = l.head; e; e = e->next) {
			struct kv *c = arena_alloc(a, sizeof *c);
			*c = *e;
			c->next = rev.head;
			rev.head = c;
			if (!rev.tail)
				rev.tail = c;
			rev.count++;
		}
		signature_twilio_base(&again, url, &rev);
		if (again.len != base.len || memcmp(again.buf, base.buf, base.len) != 0)
			abort();
		buf_release(&base);
		buf_release(&sig);
		buf_release(&again);
	}
	arena_reset(a);
	return 0;
}
