/* multipart.c: multipart/form-data bodies (RFC 7578, RFC 2046 section 5.1); see
 * multipart.h.
 *
 * The body is never copied whole or modified: the parser walks it with indexes that are
 * checked against len before every read, and copies only what it returns (names,
 * filenames, part contents) into the arena. */
#include "multipart.h"
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define MP_MAX_BOUNDARY 70            /* RFC 2046 */
#define MP_MAX_HEADERS (8 * 1024)     /* a part's header block, blank line included */
/* Parameters on one header. Real clients send two or three; the cap keeps the duplicate
 * check (quadratic in the count) cheap on hostile input. */
#define MP_MAX_PARAMS 16

/* A read position inside a header value: [p, end). */
struct mp_cursor {
	const char *p;
	const char *end;
};

/* RFC 2046 bchars: what a boundary may be made of. */
static bool mp_is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		return true;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

static bool mp_boundary_ok(const char *b, size_t n)
{
	if (n < 1 || n > MP_MAX_BOUNDARY || b[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!mp_is_bchar((unsigned char)b[i]))
			return false;
	return true;
}

/* RFC 7230 tchar: the characters of a header name, a media type or a parameter name. */
static bool mp_is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool mp_is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7F;
}

static void mp_skip_ows(struct mp_cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* Reads one or more tchars; returns their length (0 if there were none). */
static size_t mp_token(struct mp_cursor *c, const char **start)
{
	*start = c->p;
	while (c->p < c->end && mp_is_tchar((unsigned char)*c->p))
		c->p++;
	return (size_t)(c->p - *start);
}

/* Reads a quoted-string, undoing backslash escapes, into an arena string. Returns -1
 * if it is unterminated, ends in a lone backslash, or holds a control character. */
static int mp_quoted(struct arena *a, struct mp_cursor *c, char **out, size_t *out_len)
{
	c->p++;   /* the opening quote */
	/* The unescaped text is never longer than what is left of the value. */
	char *dst = arena_alloc(a, (size_t)(c->end - c->p) + 1);
	size_t n = 0;

	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p++;
		if (ch == '"') {
			dst[n] = '\0';
			*out = dst;
			*out_len = n;
			return 0;
		}
		if (ch == '\\') {
			if (c->p == c->end)
				return -1;
			ch = (unsigned char)*c->p++;
		}
		if (mp_is_ctl(ch))
			return -1;
		dst[n++] = (char)ch;
	}
	return -1;
}

/* Parses `type *( OWS ";" OWS name "=" ( token / quoted-string ) ) OWS` from [p, end):
 * the form both Content-Type and Content-Disposition take. The type must equal want
 * (ASCII case-insensitive). Parameters go to params by name; a parameter given twice is
 * refused, since which copy a client meant is anyone's guess, and so are more than
 * MP_MAX_PARAMS. */
static int mp_params(struct arena *a, const char *p, const char *end, const char *want,
		     struct kvlist *params)
{
	struct mp_cursor c = { p, end };
	const char *s;
	size_t n;

	mp_skip_ows(&c);
	/* The type is a token, or two joined by '/' (a media type). */
	s = c.p;
	while (c.p < c.end && (mp_is_tchar((unsigned char)*c.p) || *c.p == '/'))
		c.p++;
	n = (size_t)(c.p - s);
	if (n == 0 || n != strlen(want) || strncasecmp(s, want, n) != 0)
		return -1;
	for (;;) {
		mp_skip_ows(&c);
		if (c.p == c.end)
			return 0;
		if (*c.p != ';')
			return -1;
		c.p++;
		mp_skip_ows(&c);
		if (c.p == c.end)
			return 0;   /* a trailing ';' is harmless */

		const char *name;
		size_t name_len = mp_token(&c, &name);
		if (name_len == 0 || c.p == c.end || *c.p != '=')
			return -1;
		c.p++;

		char *value;
		size_t value_len;
		if (c.p < c.end && *c.p == '"') {
			if (mp_quoted(a, &c, &value, &value_len) < 0)
				return -1;
		} else {
			const char *v;
			value_len = mp_token(&c, &v);
			if (value_len == 0)
				return -1;
			value = arena_memdup(a, v, value_len);
		}

		char *key = arena_memdup(a, name, name_len);
		if (params->count >= MP_MAX_PARAMS || kv_find_nocase(params, key))
			return -1;
		struct kv *e = arena_calloc(a, 1, sizeof *e);
		e->name = key;
		e->value = value;
		e->value_len = value_len;
		if (params->tail)
			params->tail->next = e;
		else
			params->head = e;
		params->tail = e;
		params->count++;
	}
}

const char *multipart_boundary(struct arena *a, const char *content_type)
{
	struct kvlist params = KVLIST_INIT;

	if (!content_type)
		return NULL;
	if (mp_params(a, content_type, content_type + strlen(content_type),
		      "multipart/form-data", &params) < 0)
		return NULL;
	const struct kv *b = kv_find_nocase(&params, "boundary");
	if (!b || !mp_boundary_ok(b->value, b->value_len))
		return NULL;
	return b->value;
}

/* What follows "--boundary" at pos. */
enum mp_delim {
	MP_DELIM_BAD,     /* not a delimiter after all: the text is content */
	MP_DELIM_NEXT,    /* transport padding and CRLF: a part follows at *next */
	MP_DELIM_CLOSE,   /* "--": the close delimiter; what follows is epilogue */
};

static enum mp_delim mp_delim_kind(const char *body, size_t len, size_t pos, size_t *next)
{
	if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
		return MP_DELIM_CLOSE;
	while (pos < len && (body[pos] == ' ' || body[pos] == '\t'))
		pos++;
	if (len - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
		*next = pos + 2;
		return MP_DELIM_NEXT;
	}
	return MP_DELIM_BAD;
}

/* Finds the first real delimiter (delim = "\r\n--boundary") at or after from. Content
 * may hold the delimiter's text followed by something else ("--boundaryX"); that is
 * not a delimiter, so the search goes on past it. Returns its offset, or SIZE_MAX. */
static size_t mp_find_delim(const char *body, size_t len, size_t from, const char *delim,
			    size_t dlen)
{
	size_t next;

	while (from < len && len - from >= dlen) {
		const char *hit = memmem(body + from, len - from, delim, dlen);
		if (!hit)
			return SIZE_MAX;
		size_t d = (size_t)(hit - body);
		if (mp_delim_kind(body, len, d + dlen, &next) != MP_DELIM_BAD)
			return d;
		from = d + 1;
	}
	return SIZE_MAX;
}

/* What a part's headers say about it. */
struct mp_part {
	const char *name;
	size_t name_len;
	const char *filename;
	const char *content_type;
};

/* Reads one header line [p, end) into part. Only Content-Disposition and Content-Type
 * matter; each may appear once. Header names are case-insensitive. */
static int mp_header(struct arena *a, const char *p, const char *end, struct mp_part *part,
		     bool *seen_disp)
{
	struct mp_cursor c = { p, end };
	const char *name;
	size_t name_len = mp_token(&c, &name);

	/* No space before the colon (RFC 7230 3.2.4), and no continuation lines: a line
	 * that starts with a space has no name and is refused here. */
	if (name_len == 0 || c.p == c.end || *c.p != ':')
		return -1;
	c.p++;
	mp_skip_ows(&c);
	const char *vend = c.end;
	while (vend > c.p && (vend[-1] == ' ' || vend[-1] == '\t'))
		vend--;

	if (name_len == 19 && strncasecmp(name, "Content-Disposition", 19) == 0) {
		struct kvlist params = KVLIST_INIT;
		if (*seen_disp || mp_params(a, c.p, vend, "form-data", &params) < 0)
			return -1;
		*seen_disp = true;
		const struct kv *n = kv_find_nocase(&params, "name");
		const struct kv *f = kv_find_nocase(&params, "filename");
		if (!n || n->value_len == 0)
			return -1;
		part->name = n->value;
		part->name_len = n->value_len;
		part->filename = f ? f->value : NULL;
	} else if (name_len == 12 && strncasecmp(name, "Content-Type", 12) == 0) {
		if (part->content_type)
			return -1;
		part->content_type = arena_memdup(a, c.p, (size_t)(vend - c.p));
	}
	return 0;
}

/* Parses the header block that starts at pos and sets *content to where the part's
 * content begins. The block must end with a blank line within MP_MAX_HEADERS bytes,
 * hold no control characters but tabs, and name the part. */
static int mp_headers(struct arena *a, const char *body, size_t len, size_t pos,
		      struct mp_part *part, size_t *content)
{
	size_t window = len - pos < MP_MAX_HEADERS ? len - pos : MP_MAX_HEADERS;
	bool seen_disp = false;

	/* A part with no headers at all has no name. */
	if (window >= 2 && body[pos] == '\r' && body[pos + 1] == '\n')
		return -1;
	const char *start = body + pos;
	const char *stop = memmem(start, window, "\r\n\r\n", 4);
	if (!stop)
		return -1;   /* truncated, or headers over the limit */

	const char *line = start;
	while (line <= stop) {
		const char *eol = memmem(line, (size_t)(stop + 2 - line), "\r\n", 2);
		for (const char *q = line; q < eol; q++)
			if (mp_is_ctl((unsigned char)*q))
				return -1;
		if (mp_header(a, line, eol, part, &seen_disp) < 0)
			return -1;
		line = eol + 2;
	}
	if (!part->name)
		return -1;
	*content = (size_t)(stop - body) + 4;
	return 0;
}

int multipart_parse(struct arena *a, const char *body, size_t len, const char *boundary,
		    struct kvlist *out, size_t max_parts)
{
	if (!boundary)
		return -1;
	size_t blen = strlen(boundary);
	if (!mp_boundary_ok(boundary, blen))
		return -1;

	/* delim is "\r\n--boundary"; the first one, at the very start, has no CRLF. */
	size_t dlen = blen + 4;
	char *delim = arena_alloc(a, dlen + 1);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen + 1);
	if (len < dlen - 2 || memcmp(body, delim + 2, dlen - 2) != 0)
		return -1;

	/* Parts collect in a private list that joins out only if the whole body is good. */
	struct kvlist got = KVLIST_INIT;
	size_t pos = dlen - 2;
	for (;;) {
		size_t start;
		enum mp_delim kind = mp_delim_kind(body, len, pos, &start);
		if (kind == MP_DELIM_CLOSE)
			break;
		if (kind == MP_DELIM_BAD || got.count >= max_parts)
			return -1;

		struct mp_part part = { 0 };
		size_t content;
		if (mp_headers(a, body, len, start, &part, &content) < 0)
			return -1;
		size_t d = mp_find_delim(body, len, content, delim, dlen);
		if (d == SIZE_MAX)
			return -1;   /* no closing delimiter */

		struct kv *e = kv_add(a, &got, part.name, part.name_len, body + content,
				      d - content);
		e->filename = part.filename;
		e->content_type = part.content_type;
		pos = d + dlen;
	}

	kv_splice(out, &got);
	return 0;
}
