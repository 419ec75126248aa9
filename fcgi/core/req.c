/* req.c: from FastCGI parameters and stdin to a parsed struct req. */
#include "req.h"
#include "arena.h"
#include "cookie.h"
#include "form.h"
#include "log.h"
#include "multipart.h"
#include "utf8.h"
#include "nitems.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *param_or(struct req *r, const char *name, const char *def)
{
	const char *v = r->param(r->src, name);
	return v ? v : def;
}

static bool method_ok(const char *m)
{
	static const char *const known[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
					     "OPTIONS" };
	for (size_t i = 0; i < nitems(known); i++)
		if (strcmp(m, known[i]) == 0)
			return true;
	return false;
}

/* Content-Length as sent: digits only, no sign, no overflow. */
static int parse_length(const char *s, long long *out)
{
	if (!*s) {
		*out = -1;
		return 0;
	}
	long long n = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p) || n > (LLONG_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*p - '0');
	}
	*out = n;
	return 0;
}

int req_parse_head(struct req *r, struct arena *a, req_param_fn param, void *src)
{
	memset(r, 0, sizeof *r);
	r->param = param;
	r->src = src;
	r->method = param_or(r, "REQUEST_METHOD", "GET");
	r->path = param_or(r, "DOCUMENT_URI", "/");
	r->query_string = param_or(r, "QUERY_STRING", "");
	r->content_type = param(src, "CONTENT_TYPE");
	r->remote_addr = param_or(r, "REMOTE_ADDR", "");
	r->user_agent = param_or(r, "HTTP_USER_AGENT", "");
	r->https = strcasecmp(param_or(r, "HTTPS", ""), "on") == 0;
	if (!method_ok(r->method) || r->path[0] != '/' || !utf8_valid(r->path, strlen(r->path)))
		return 400;
	if (parse_length(param_or(r, "CONTENT_LENGTH", ""), &r->content_length))
		return 400;
	if (form_parse(a, r->query_string, strlen(r->query_string), &r->query,
		       REQ_MAX_QUERY_FIELDS))
		return 400;
	cookie_parse(a, param(src, "HTTP_COOKIE"), &r->cookies, REQ_MAX_COOKIES);
	return 0;
}

int req_read_body(struct req *r, struct arena *a, req_read_fn rd, size_t limit)
{
	if (r->content_length < 0) {
		/* nginx always sends CONTENT_LENGTH for bodies it buffered; none means none. */
		r->body = "";
		return 0;
	}
	if ((unsigned long long)r->content_length > limit)
		return 413;
	size_t want = (size_t)r->content_length;
	char *body = arena_alloc(a, want + 1);
	size_t got = 0;
	while (got < want) {
		long n = rd(r->src, body + got, want - got);
		if (n <= 0) {
			log_warn("request body shorter than Content-Length",
				 "expected", log_fmt("%zu", want));
			return 400;
		}
		got += (size_t)n;
	}
	body[got] = '\0';
	r->body = body;
	r->body_len = got;
	return 0;
}

/* The media type without parameters, compared case-insensitively. */
static bool media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);
	return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int req_parse_body(struct req *r, struct arena *a)
{
	if (r->body_len == 0)
		return 0;
	if (media_type_is(r->content_type, "application/x-www-form-urlencoded"))
		return form_parse(a, r->body, r->body_len, &r->form, REQ_MAX_FORM_FIELDS) ? 400 : 0;
	if (media_type_is(r->content_type, "multipart/form-data")) {
		const char *boundary = multipart_boundary(a, r->content_type);
		if (!boundary || multipart_parse(a, r->body, r->body_len, boundary, &r->form,
						 REQ_MAX_PARTS))
			return 400;
		return 0;
	}
	/* Other bodies (JSON webhooks) are left raw for the handler. */
	return 0;
}

const char *req_header(const struct req *r, struct arena *a, const char *name)
{
	size_t n = strlen(name);
	char *key = arena_alloc(a, n + 6);
	memcpy(key, "HTTP_", 5);
	for (size_t i = 0; i < n; i++)
		key[5 + i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	key[5 + n] = '\0';
	return r->param(r->src, key);
}

bool req_is_get(const struct req *r)
{
	return strcmp(r->method, "GET") == 0 || req_is_head(r);
}

bool req_is_head(const struct req *r)
{
	return r->method && strcmp(r->method, "HEAD") == 0;
}
