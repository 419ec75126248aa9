/* resp.h: the HTTP response being built for one request.
 *
 * The whole response is buffered: nothing reaches the client until the request's
 * transaction has committed, so a failure at commit can still become an error page
 * instead of a half-told success. Header values holding CR or LF are refused. */
#ifndef RM_RESP_H
#define RM_RESP_H

#include <stdbool.h>
#include "buf.h"

struct resp {
	int status;
	const char *content_type;
	struct buf headers;   /* "Name: value\r\n" lines */
	struct buf body;
};

void resp_init(struct resp *r);
void resp_release(struct resp *r);
/* Drops headers and body (keeps nothing of a response being replaced by an error). */
void resp_clear(struct resp *r);

/* Adds a header. -1 (logged, nothing added) when name or value is unsafe. */
int resp_header(struct resp *r, const char *name, const char *value);

struct cookie_opts {
	long max_age;       /* seconds; 0 = session cookie; -1 = delete */
	bool secure;
	bool http_only;
};
/* Adds Set-Cookie with Path=/ and SameSite=Lax. Name and value must be cookie-safe
 * tokens (they are: the product only sets hex tokens). -1 otherwise. */
int resp_cookie(struct resp *r, const char *name, const char *value,
		const struct cookie_opts *o);

/* Serializes for FastCGI: "Status: …" line, headers, blank line, then the body unless
 * head_only. */
void resp_serialize(const struct resp *r, bool head_only, struct buf *out);
/* Only the "Status: …" line, Content-Type, the headers and the blank line, with the
 * body's Content-Length when length (a streamed body has none: nginx chunks it). */
void resp_serialize_head(const struct resp *r, bool length, struct buf *out);

const char *resp_reason(int status);

#endif
