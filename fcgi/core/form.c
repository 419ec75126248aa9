/* form.c: urlencoded bodies and query strings; see form.h. */
#include "form.h"
#include "arena.h"
#include "buf.h"
#include "crypto.h"

#include <stdint.h>
#include <string.h>

char *form_decode(struct arena *a, const char *src, size_t len, int plus_is_space,
		  size_t *out_len)
{
	/* Decoding never lengthens the input, so len + 1 bytes are always enough. A len
	 * of SIZE_MAX cannot be a real input; passing it on unchanged makes the arena
	 * refuse it (abort) instead of wrapping to a zero-byte allocation. */
	char *dst = arena_alloc(a, len == SIZE_MAX ? len : len + 1);
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			/* Both hex digits must be inside the len bytes. */
			if (len - i < 3)
				return NULL;
			unsigned char byte;
			if (crypto_unhex(src + i + 1, 2, &byte, 1) != 1)
				return NULL;
			dst[o++] = (char)byte;
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			dst[o++] = ' ';
		} else {
			dst[o++] = (char)s[i];
		}
	}
	dst[o] = '\0';
	if (out_len)
		*out_len = o;
	return dst;
}

static int form_is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void form_encode(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		/* Copy runs of unreserved bytes in one go; escape the rest one by one. */
		size_t run = i;
		while (run < len && form_is_unreserved(p[run]))
			run++;
		if (run > i) {
			buf_add(out, p + i, run - i);
			i = run;
			continue;
		}
		char esc[3] = { '%', hex[p[i] >> 4], hex[p[i] & 0x0F] };
		buf_add(out, esc, sizeof esc);
		i++;
	}
}

/* Decodes one name=value pair into a new entry, or returns NULL if the pair is invalid:
 * a bad escape anywhere, or a name that is empty or holds a NUL once decoded. */
static struct kv *form_pair(struct arena *a, const char *p, size_t len)
{
	const char *eq = memchr(p, '=', len);
	size_t name_raw = eq ? (size_t)(eq - p) : len;
	size_t name_len, value_len = 0;

	char *name = form_decode(a, p, name_raw, 1, &name_len);
	if (!name || name_len == 0 || memchr(name, '\0', name_len))
		return NULL;
	char *value;
	if (eq)
		value = form_decode(a, eq + 1, len - name_raw - 1, 1, &value_len);
	else
		value = form_decode(a, "", 0, 1, &value_len);
	if (!value)
		return NULL;

	/* Built by hand rather than with kv_add so the decoded strings are not copied a
	 * second time. */
	struct kv *e = arena_calloc(a, 1, sizeof *e);
	e->name = name;
	e->value = value;
	e->value_len = value_len;
	return e;
}

int form_parse(struct arena *a, const char *data, size_t len, struct kvlist *out,
	       size_t max_fields)
{
	/* Pairs collect in a private list that joins out only when all of the input is
	 * good, so a rejected form leaves out as it was. */
	struct kvlist got = KVLIST_INIT;
	size_t i = 0;

	while (i < len) {
		const char *start = data + i;
		const char *amp = memchr(start, '&', len - i);
		size_t seg = amp ? (size_t)(amp - start) : len - i;

		if (seg > 0) {
			if (got.count >= max_fields)
				return -1;
			struct kv *e = form_pair(a, start, seg);
			if (!e)
				return -1;
			kv_append(&got, e);
		}
		i += seg + (amp ? 1 : 0);
	}

	kv_splice(out, &got);
	return 0;
}
