/* cookie.c: the Cookie request header; see cookie.h. */
#include "cookie.h"
#include "arena.h"

#include <stdbool.h>
#include <string.h>

static bool cookie_is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool cookie_has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return true;
	}
	return false;
}

/* Narrows [*s, *s + *len) to drop spaces and tabs at both ends. */
static void cookie_trim(const char **s, size_t *len)
{
	while (*len > 0 && cookie_is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && cookie_is_space((*s)[*len - 1]))
		(*len)--;
}

/* Adds the pair in [p, p + len) to out if it is a usable cookie; returns whether it did.
 * The value is split at the first '=', so later '=' (base64 padding) stay in it. */
static bool cookie_pair(struct arena *a, const char *p, size_t len, struct kvlist *out)
{
	const char *eq = memchr(p, '=', len);
	if (!eq)
		return false;
	const char *name = p;
	size_t name_len = (size_t)(eq - p);
	const char *value = eq + 1;
	size_t value_len = len - name_len - 1;

	cookie_trim(&name, &name_len);
	cookie_trim(&value, &value_len);
	if (name_len == 0)
		return false;
	if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"') {
		value++;
		value_len -= 2;
	}
	if (cookie_has_control(name, name_len) || cookie_has_control(value, value_len))
		return false;
	kv_add(a, out, name, name_len, value, value_len);
	return true;
}

size_t cookie_parse(struct arena *a, const char *header, struct kvlist *out,
		    size_t max_cookies)
{
	size_t kept = 0;

	if (!header)
		return 0;
	const char *p = header;
	while (*p && kept < max_cookies) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);

		if (cookie_pair(a, p, len, out))
			kept++;
		if (!semi)
			break;
		p = semi + 1;
	}
	return kept;
}
