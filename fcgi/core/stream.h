/* stream.h: a response sent while it is produced, for downloads too large to hold in
 * memory (the messages CSV export).
 *
 * Every other response is buffered whole (resp.h) and leaves only after the request's
 * transaction has committed. A streamed one leaves before: use it only for read-only
 * GETs. After stream_begin the handler writes the body with stream_write and must
 * return 0: what it has sent cannot become an error page any more, so a failure half-way
 * is said in the body itself (the caller's format decides how) and logged. */
#ifndef RM_STREAM_H
#define RM_STREAM_H

#include <stdbool.h>
#include <stddef.h>

struct ctx;

/* Sends "Status: 200", content_type, the headers already set on c->resp, and
 * Cache-Control: no-store, without a Content-Length (nginx chunks the body). 0 or -1. */
int stream_begin(struct ctx *c, const char *content_type);
/* Whether the response carries a body (not for HEAD): nothing to produce otherwise. */
bool stream_has_body(const struct ctx *c);
/* Sends n bytes of the body (none for HEAD). 0, or -1 (logged) when the connection to
 * nginx failed: stop producing then. */
int stream_write(struct ctx *c, const void *data, size_t n);

#endif
