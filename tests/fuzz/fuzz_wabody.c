/* fuzz_wabody.c: libFuzzer harness for the WhatsApp webhook body (core/wabody.h).
 *
 * Checks: a refused body hands out no events; an accepted one hands out only events
 * whose fields hold what wabody.h promises (ids and words non-empty and short, the
 * sender a '+' and 7-15 digits, text present, unreadable exactly when the type is not
 * text). Seeds: tests/fuzz/corpus/fuzz_wabody/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/wabody.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_short(const char *s, size_t max)
{
	if (!s || !*s || strlen(s) > max)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	if (!a) {
		log_init("fuzz_wabody", LOG_ERROR);
		a = arena_new();
	}
	struct wa_events ev;
	if (wabody_parse(a, (const char *)data, size, size, &ev)) {
		if (ev.nstatuses || ev.nmessages || ev.statuses || ev.messages)
			abort();
		arena_reset(a);
		return 0;
	}
	for (size_t i = 0; i < ev.nstatuses; i++) {
		check_short(ev.statuses[i].id, 200);
		check_short(ev.statuses[i].status, 32);
	}
	for (size_t i = 0; i < ev.nmessages; i++) {
		const struct wa_message *m = &ev.messages[i];
		check_short(m->id, 200);
		check_short(m->type, 32);
		size_t n = strlen(m->from);
		if (m->from[0] != '+' || n < 8 || n > 16 || strspn(m->from + 1, "0123456789") != n - 1)
			abort();
		if (!m->text || m->unreadable != (strcmp(m->type, "text") != 0))
			abort();
	}
	arena_reset(a);
	return 0;
}
