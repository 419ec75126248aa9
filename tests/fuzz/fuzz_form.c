/* fuzz_form.c: libFuzzer harness for core/form.h.
 *
 * Checks: form_parse never reads outside the input and every entry it returns is
 * well-formed (a non-empty NUL-free name; value NUL-terminated at value_len); a rejected
 * input leaves the list untouched; encoding a parsed list and parsing it again gives the
 * same list; decode(encode(x)) == x for any bytes, in both modes; form_decode agrees
 * with form_parse about malformed escapes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/form.h"
#include "core/kv.h"

#define MAX_FIELDS 64

static struct arena *arena;

static void check_entries(const struct kvlist *l)
{
	size_t n = 0;
	for (const struct kv *e = l->head; e; e = e->next, n++) {
		if (!e->name || !e->value || e->name[0] == '\0' || e->value[e->value_len] != '\0')
			abort();
		if (!e->next && e != l->tail)
			abort();
	}
	if (n != l->count || n > MAX_FIELDS)
		abort();
}

/* Encodes l back to name=value&... and checks that it parses to the same list. */
static void check_reparse(const struct kvlist *l)
{
	struct buf b = BUF_INIT;
	for (const struct kv *e = l->head; e; e = e->next) {
		if (e != l->head)
			buf_addch(&b, '&');
		form_encode(&b, e->name, strlen(e->name));
		buf_addch(&b, '=');
		form_encode(&b, e->value, e->value_len);
	}
	struct kvlist again = KVLIST_INIT;
	if (form_parse(arena, b.buf, b.len, &again, MAX_FIELDS) != 0 || again.count != l->count)
		abort();
	for (const struct kv *x = l->head, *y = again.head; x; x = x->next, y = y->next)
		if (strcmp(x->name, y->name) != 0 || x->value_len != y->value_len ||
		    memcmp(x->value, y->value, x->value_len) != 0)
			abort();
	buf_release(&b);
}

static void check_roundtrip(const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT;
	form_encode(&b, (const char *)data, size);
	for (int plus = 0; plus <= 1; plus++) {
		size_t n = 0;
		char *d = form_decode(arena, b.buf, b.len, plus, &n);
		if (!d || n != size || (size && memcmp(d, data, size) != 0) || d[n] != '\0')
			abort();
	}
	buf_release(&b);
}

/* form_decode and form_parse agree about malformed escapes: the input as the value of one
 * field ("a=" + input, when it holds no '&') parses exactly when it decodes. */
static void check_agreement(const char *in, size_t size)
{
	if (memchr(in, '&', size))
		return;
	size_t n;
	int decodes = form_decode(arena, in, size, 1, &n) != NULL;
	struct buf b = BUF_INIT;
	buf_adds(&b, "a=");
	buf_add(&b, in, size);
	struct kvlist l = KVLIST_INIT;
	int parses = form_parse(arena, b.buf, b.len, &l, MAX_FIELDS) == 0;
	buf_release(&b);
	if (decodes != parses)
		abort();
	if (parses && (l.count != 1 || l.head->value_len != n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!arena)
		arena = arena_new();
	/* A private copy of exactly size bytes, so ASan catches a read one past the end. */
	char *in = malloc(size ? size : 1);
	if (size)
		memcpy(in, data, size);

	struct kvlist l = KVLIST_INIT;
	if (form_parse(arena, in, size, &l, MAX_FIELDS) == 0) {
		check_entries(&l);
		check_reparse(&l);
	} else if (l.count != 0 || l.head || l.tail) {
		abort();
	}

	size_t n;
	char *d = form_decode(arena, in, size, 1, &n);
	if (d && n > size)
		abort();
	check_roundtrip(data, size);
	check_agreement(in, size);

	free(in);
	arena_reset(arena);
	return 0;
}
