/* fuzz_multipart.c: libFuzzer harness for core/multipart.h.
 *
 * Input: the first line (up to the first '\n') is a Content-Type header value; the rest
 * is the body. If multipart_boundary finds no boundary in the first line, the line itself
 * is used as the boundary, so the body parser is reached with any boundary bytes.
 * Checks: every part's value lies inside the body (its bytes occur there, it is no longer
 * than the body, and all parts together fit), names are non-empty, values are
 * NUL-terminated at value_len, a boundary returned is 1..70 chars, the part count stays
 * under the limit, and a refused body leaves the list untouched. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/kv.h"
#include "core/multipart.h"

#define MAX_PARTS 32

static struct arena *arena;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!arena)
		arena = arena_new();
	const uint8_t *nl = memchr(data, '\n', size);
	size_t line_len = nl ? (size_t)(nl - data) : size;
	char *line = malloc(line_len + 1);
	memcpy(line, data, line_len);
	line[line_len] = '\0';
	size_t body_len = nl ? size - line_len - 1 : 0;
	/* The body in a buffer of its exact size, so ASan sees any read past it. */
	char *body = malloc(body_len ? body_len : 1);
	if (body_len)
		memcpy(body, nl + 1, body_len);

	const char *boundary = multipart_boundary(arena, line);
	if (boundary) {
		size_t bl = strlen(boundary);
		if (bl < 1 || bl > 70)
			abort();
	} else {
		boundary = line;
	}

	struct kvlist l = KVLIST_INIT;
	if (multipart_parse(arena, body, body_len, boundary, &l, MAX_PARTS) == 0) {
		size_t total = 0, n = 0;
		for (const struct kv *e = l.head; e; e = e->next, n++) {
			if (!e->name || e->name[0] == '\0' || e->value[e->value_len] != '\0')
				abort();
			if (e->value_len > body_len || total > body_len - e->value_len)
				abort();
			total += e->value_len;
			if (e->value_len && !memmem(body, body_len, e->value, e->value_len))
				abort();
			if (e->filename && strlen(e->filename) > body_len)
				abort();
		}
		if (n != l.count || n > MAX_PARTS)
			abort();
	} else if (l.count || l.head || l.tail) {
		abort();
	}

	free(body);
	free(line);
	arena_reset(arena);
	return 0;
}
