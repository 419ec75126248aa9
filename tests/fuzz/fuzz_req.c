/* fuzz_req.c: libFuzzer harness for core/req.h, the three steps a request goes through:
 * req_parse_head, req_read_body, req_parse_body.
 *
 * Input layout:
 *   byte 0      flags: bits 0-2 the method (index into a table, 7 = the raw field below),
 *               bits 3-4 Content-Length (0 exact, 1 absent, 2 one more than the body so
 *               the read comes up short, 3 the raw field below), bit 5 the reader hands
 *               out one byte at a time, bits 6-7 the body limit (16, the body's length,
 *               1 MiB, 0).
 *   then six NUL-terminated fields: CONTENT_TYPE, QUERY_STRING, HTTP_COOKIE,
 *               DOCUMENT_URI, the raw CONTENT_LENGTH, the raw REQUEST_METHOD;
 *   the rest    the body (any bytes, NULs included).
 * An empty field is passed as absent (NULL), as FastCGI does for unset parameters.
 * Checks: every step answers 0 or 400/411/413; 413 reads nothing; a body read in full has
 * exactly Content-Length bytes and a NUL after them; list counts stay under the limits
 * req.h declares and match the lists; every entry has a non-empty name and a value
 * NUL-terminated at value_len. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/kv.h"
#include "core/req.h"

enum { F_CONTENT_TYPE, F_QUERY, F_COOKIE, F_PATH, F_LENGTH, F_METHOD, NFIELDS };

struct src {
	const char *field[NFIELDS];
	const char *method;
	char length[32];
	const char *content_length;   /* NULL: absent */
	const char *body;
	size_t body_len;
	size_t pos;
	bool one_byte;
	int reads;
};

static const char *param(void *p, const char *name)
{
	struct src *s = p;
	if (strcmp(name, "REQUEST_METHOD") == 0)
		return s->method;
	if (strcmp(name, "CONTENT_TYPE") == 0)
		return s->field[F_CONTENT_TYPE];
	if (strcmp(name, "QUERY_STRING") == 0)
		return s->field[F_QUERY];
	if (strcmp(name, "HTTP_COOKIE") == 0)
		return s->field[F_COOKIE];
	if (strcmp(name, "DOCUMENT_URI") == 0)
		return s->field[F_PATH];
	if (strcmp(name, "CONTENT_LENGTH") == 0)
		return s->content_length;
	if (strcmp(name, "HTTPS") == 0)
		return "on";
	return NULL;
}

static long reader(void *p, char *buf, size_t n)
{
	struct src *s = p;
	s->reads++;
	size_t left = s->body_len - s->pos;
	if (n > left)
		n = left;
	if (s->one_byte && n > 1)
		n = 1;
	memcpy(buf, s->body + s->pos, n);
	s->pos += n;
	return (long)n;
}

static void check_list(const struct kvlist *l, size_t max)
{
	size_t n = 0;
	const struct kv *last = NULL;
	for (const struct kv *e = l->head; e; e = e->next, n++) {
		if (!e->name || !e->name[0] || !e->value || e->value[e->value_len] != '\0')
			abort();
		last = e;
	}
	if (n != l->count || n > max || last != l->tail)
		abort();
}

static bool status_ok(int st)
{
	return st == 0 || st == 400 || st == 411 || st == 413;
}

static struct arena *arena;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "HEAD", "PUT", "DELETE", "PATCH",
					       "OPTIONS" };
	if (size < 1)
		return 0;
	if (!arena)
		arena = arena_new();

	unsigned flags = data[0];
	/* A private copy so the fields can be NUL-terminated in place. */
	char *copy = malloc(size);
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	size_t rest = size - 1, off = 0;

	struct src s;
	memset(&s, 0, sizeof s);
	for (int i = 0; i < NFIELDS; i++) {
		char *f = copy + off;
		char *nul = off < rest ? memchr(f, '\0', rest - off) : NULL;
		if (!nul) {
			/* Too few fields: the remaining ones are absent, the body empty. */
			s.field[i] = off < rest && *f ? f : NULL;
			off = rest;
			continue;
		}
		s.field[i] = *f ? f : NULL;
		off = (size_t)(nul - copy) + 1;
	}

	/* The body in a buffer of its exact size, so ASan sees any read past it. */
	s.body_len = rest - off;
	char *body = malloc(s.body_len ? s.body_len : 1);
	if (s.body_len)
		memcpy(body, data + 1 + off, s.body_len);
	s.body = body;
	s.one_byte = flags & 0x20;

	unsigned m = flags & 7;
	s.method = m < 7 ? methods[m] : s.field[F_METHOD];

	switch ((flags >> 3) & 3) {
	case 0:
		snprintf(s.length, sizeof s.length, "%zu", s.body_len);
		s.content_length = s.length;
		break;
	case 1:
		s.content_length = NULL;
		break;
	case 2:
		snprintf(s.length, sizeof s.length, "%zu", s.body_len + 1);
		s.content_length = s.length;
		break;
	default:
		s.content_length = s.field[F_LENGTH];
		break;
	}
	size_t limits[] = { 16, s.body_len, 1u << 20, 0 };
	size_t limit = limits[(flags >> 6) & 3];

	struct req r;
	int st = req_parse_head(&r, arena, param, &s);
	if (!status_ok(st))
		abort();
	if (st == 0) {
		check_list(&r.query, REQ_MAX_QUERY_FIELDS);
		check_list(&r.cookies, REQ_MAX_COOKIES);
		if (!r.method || !r.path || r.path[0] != '/' || !r.query_string)
			abort();
		(void)req_header(&r, arena, "X-Twilio-Signature");
		(void)req_is_get(&r);

		st = req_read_body(&r, arena, reader, limit);
		if (!status_ok(st))
			abort();
		if (st == 413 && s.reads != 0)
			abort();
		if (st == 0) {
			if (!r.body || r.body[r.body_len] != '\0')
				abort();
			if (r.content_length >= 0 && r.body_len != (size_t)r.content_length)
				abort();
			if (r.body_len > limit || r.body_len > s.body_len ||
			    memcmp(r.body, s.body, r.body_len) != 0)
				abort();
			st = req_parse_body(&r, arena);
			if (!status_ok(st))
				abort();
			if (st == 0)
				check_list(&r.form, REQ_MAX_FORM_FIELDS > REQ_MAX_PARTS ?
							    REQ_MAX_FORM_FIELDS : REQ_MAX_PARTS);
		}
	}

	free(body);
	free(copy);
	arena_reset(arena);
	return 0;
}
