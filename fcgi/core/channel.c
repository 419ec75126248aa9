/* channel.c: what the three channel drivers share: dispatch, the easy-handle setup and
 * the meaning of a transport failure. */
#include "channel.h"
#include "arena.h"
#include "config.h"
#include "log.h"
#include "nitems.h"

#include <string.h>

static const struct channel_driver *const drivers[] = {
	[CHANNEL_SMS] = &channel_sms,
	[CHANNEL_WHATSAPP] = &channel_whatsapp,
	[CHANNEL_EMAIL] = &channel_email,
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	/* Provider answers are small; a runaway one is cut rather than kept. */
	if (b->len + size * n > 1 << 20)
		return 0;
	buf_add(b, data, size * n);
	return size * n;
}

void channel_easy_common(struct channel_xfer *x, const char *url, long timeout_s)
{
	curl_easy_setopt(x->easy, CURLOPT_URL, url);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ? timeout_s : 10L);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, &x->response);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	/* Only the protocols the channels speak, also on redirects (none are followed). */
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https,smtp,smtps");
}

int channel_prepare(const struct config *cfg, const struct channel_msg *m,
		    struct channel_xfer *x, struct channel_result *r, struct arena *a)
{
	memset(x, 0, sizeof *x);
	memset(r, 0, sizeof *r);
	buf_init(&x->request);
	buf_init(&x->response);
	x->msg = m;
	if ((size_t)m->kind >= nitems(drivers)) {
		r->outcome = CHANNEL_FAILED;
		r->error = "canal desconocido";
		return -1;
	}
	x->easy = curl_easy_init();
	if (!x->easy) {
		r->outcome = CHANNEL_RETRY;
		r->error = "curl_easy_init falló";
		return -1;
	}
	return drivers[m->kind]->prepare(cfg, m, x, r, a);
}

void channel_transport_error(CURLcode rc, struct channel_result *r, struct arena *a)
{
	/* No answer: the provider may be down, slow or unreachable. The issue treats all of
	 * these as transient; a timeout after the request went out can in rare cases mean
	 * the provider did accept it, which is the price of not losing messages. */
	r->outcome = CHANNEL_RETRY;
	r->error = arena_printf(a, "error de conexión: %s", curl_easy_strerror(rc));
}

void channel_finish(struct channel_xfer *x, CURLcode rc, struct channel_result *r,
		    struct arena *a)
{
	memset(r, 0, sizeof *r);
	long status = 0;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	const struct channel_driver *d = drivers[x->msg->kind];
	if (!d->answer)
		d->finish(x, rc, status, r, a);
	else if (rc != CURLE_OK)
		channel_transport_error(rc, r, a);
	else
		d->answer(status, x->response.buf, x->response.len, r, a);
}

void channel_xfer_release(struct channel_xfer *x)
{
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	curl_slist_free_all(x->rcpt);
	buf_release(&x->request);
	buf_release(&x->response);
	x->easy = NULL;
	x->headers = x->rcpt = NULL;
}
