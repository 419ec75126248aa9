/* fuzz_cookie.c: libFuzzer harness for core/cookie.h.
 *
 * The input (a NUL is added; bytes after an inner NUL are simply not part of the header)
 * is parsed as a Cookie header. Checks: the count returned matches the list and the
 * limit; every cookie has a non-empty name; no name or value holds a control character,
 * ';', or (in the name) '='; value_len matches the NUL-terminated value; each value is
 * a substring of the header, since values are never decoded. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/cookie.h"
#include "core/kv.h"

#define MAX_COOKIES 16

static struct arena *arena;

static int has_bad(const char *s, size_t n, int name)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F || c == ';' || (name && c == '='))
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!arena)
		arena = arena_new();
	char *header = malloc(size + 1);
	memcpy(header, data, size);
	header[size] = '\0';

	struct kvlist l = KVLIST_INIT;
	size_t kept = cookie_parse(arena, header, &l, MAX_COOKIES);
	if (kept != l.count || kept > MAX_COOKIES)
		abort();
	for (const struct kv *e = l.head; e; e = e->next) {
		size_t nl = strlen(e->name);
		if (nl == 0 || has_bad(e->name, nl, 1))
			abort();
		if (strlen(e->value) != e->value_len || has_bad(e->value, e->value_len, 0))
			abort();
		if (!strstr(header, e->name) || !strstr(header, e->value))
			abort();
	}
	/* The first cookie of a name is the one kv_find returns. */
	if (l.head && kv_find(&l, l.head->name) != l.head)
		abort();
	if (cookie_parse(arena, NULL, &l, MAX_COOKIES) != 0)
		abort();

	free(header);
	arena_reset(arena);
	return 0;
}
