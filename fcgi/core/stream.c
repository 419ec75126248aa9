/* stream.c: responses written while they are produced (see stream.h). */
#include "stream.h"

#include "buf.h"
#include "ctx.h"
#include "log.h"

#include <fcgiapp.h>
#include <limits.h>

static int put(struct ctx *c, const char *p, size_t n)
{
	while (n > 0) {
		int chunk = n > INT_MAX ? INT_MAX : (int)n;
		if (FCGX_PutStr(p, chunk, c->out) != chunk) {
			log_warn("stream: the connection to nginx failed", "path", c->req.path);
			return -1;
		}
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

int stream_begin(struct ctx *c, const char *content_type)
{
	if (!c->out || c->streamed) {
		log_error("stream_begin: no output stream, or already streaming");
		return -1;
	}
	c->resp.status = 200;
	c->resp.content_type = content_type;
	if (resp_header(&c->resp, "Cache-Control", "no-store"))
		return -1;
	struct buf head = BUF_INIT;
	resp_serialize_head(&c->resp, false, &head);
	/* From here on the response belongs to the stream: app.c sends nothing more. */
	c->streamed = true;
	int rc = put(c, head.buf, head.len);
	buf_release(&head);
	return rc;
}

bool stream_has_body(const struct ctx *c)
{
	return !req_is_head(&c->req);
}

int stream_write(struct ctx *c, const void *data, size_t n)
{
	if (!c->streamed)
		return -1;
	return stream_has_body(c) ? put(c, data, n) : 0;
}
