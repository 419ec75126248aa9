/* resp.c: status, headers, cookies and body of a buffered response. */
#include "resp.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

void resp_init(struct resp *r)
{
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	buf_init(&r->headers);
	buf_init(&r->body);
}

void resp_release(struct resp *r)
{
	buf_release(&r->headers);
	buf_release(&r->body);
}

void resp_clear(struct resp *r)
{
	buf_reset(&r->headers);
	buf_reset(&r->body);
	r->content_type = "text/html; charset=utf-8";
}

static bool header_safe(const char *s, bool is_name)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\r' || *p == '\n' || *p == 0x7f || (*p < 0x20 && *p != '\t'))
			return false;
		if (is_name && (*p == ':' || *p == ' '))
			return false;
	}
	return *s || !is_name;
}

int resp_header(struct resp *r, const char *name, const char *value)
{
	if (!header_safe(name, true) || !header_safe(value, false)) {
		log_warn("refused unsafe response header", "name", name);
		return -1;
	}
	buf_printf(&r->headers, "%s: %s\r\n", name, value);
	return 0;
}

static bool cookie_token(const char *s, bool allow_empty)
{
	if (!*s)
		return allow_empty;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", *p))
			return false;
	return true;
}

int resp_cookie(struct resp *r, const char *name, const char *value,
		const struct cookie_opts *o)
{
	if (!cookie_token(name, false) || !cookie_token(value, true)) {
		log_warn("refused unsafe cookie", "name", name);
		return -1;
	}
	struct buf v = BUF_INIT;
	buf_printf(&v, "%s=%s; Path=/; SameSite=Lax", name, value);
	if (o->max_age > 0)
		buf_printf(&v, "; Max-Age=%ld", o->max_age);
	else if (o->max_age < 0)
		buf_adds(&v, "; Max-Age=0");
	if (o->http_only)
		buf_adds(&v, "; HttpOnly");
	if (o->secure)
		buf_adds(&v, "; Secure");
	int rc = resp_header(r, "Set-Cookie", v.buf);
	buf_release(&v);
	return rc;
}

const char *resp_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

void resp_serialize_head(const struct resp *r, bool length, struct buf *out)
{
	buf_printf(out, "Status: %d %s\r\n", r->status, resp_reason(r->status));
	if (r->content_type)
		buf_printf(out, "Content-Type: %s\r\n", r->content_type);
	if (length)
		buf_printf(out, "Content-Length: %zu\r\n", r->body.len);
	buf_add(out, r->headers.buf, r->headers.len);
	buf_adds(out, "\r\n");
}

void resp_serialize(const struct resp *r, bool head_only, struct buf *out)
{
	resp_serialize_head(r, true, out);
	if (!head_only)
		buf_add(out, r->body.buf, r->body.len);
}
