/* fuzz_channel_answer.c: libFuzzer harness for the provider answer parsers,
 * channel_twilio_answer (channel_sms.c) and channel_whatsapp_answer (channel_whatsapp.c).
 *
 * The first byte picks the parser (its low bit) and the HTTP status (the rest, from a
 * table of the ones that matter: 2xx, 4xx, 429, 5xx, odd ones); the other bytes are the
 * answer body. Whatever the input, the outcome must be one of the four and carry what it
 * promises: SENT an external id, anything else an error text.
 * Seeds: tests/fuzz/corpus/fuzz_channel_answer/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/channel.h"
#include "core/log.h"
#include "core/nitems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 201, 202, 204, 299, 400, 401, 403, 404, 429,
					 500, 502, 503, 0, 100, 302, 600, -1 };
	static struct arena *a;
	if (!a) {
		log_init("fuzz_channel_answer", LOG_ERROR);
		a = arena_new();
	}
	if (size < 1)
		return 0;
	long status = statuses[(data[0] >> 1) % nitems(statuses)];
	struct channel_result r;
	if (data[0] & 1)
		channel_whatsapp_answer(status, (const char *)data + 1, size - 1, &r, a);
	else
		channel_twilio_answer(status, (const char *)data + 1, size - 1, &r, a);
	if (r.outcome == CHANNEL_SENT) {
		if (!r.external_id || !*r.external_id)
			abort();
	} else if (!r.error || (r.outcome != CHANNEL_RETRY && r.outcome != CHANNEL_FAILED &&
				r.outcome != CHANNEL_OPTED_OUT)) {
		abort();
	}
	(void)strlen(r.error ? r.error : "");
	arena_reset(a);
	return 0;
}
