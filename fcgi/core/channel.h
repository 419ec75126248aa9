/* channel.h: the three ways a message leaves (SMS through Twilio, WhatsApp through the
 * Cloud API, email through SMTP), behind one interface so the sender drives them all
 * through one libcurl multi handle.
 *
 * A send is two calls around the network: channel_prepare() fills a curl easy handle
 * for one message (URL, auth, body) and channel_finish() turns what came back into an
 * outcome. Neither blocks nor touches the database. The answer parsers are pure
 * functions of (HTTP status, body) so they can be unit-tested and fuzzed alone.
 *
 * Everything allocated lives in the arena given to channel_prepare, except the curl
 * handle and the header list, which channel_xfer_release frees. */
#ifndef RM_CHANNEL_H
#define RM_CHANNEL_H

#include <stddef.h>
#include <curl/curl.h>

#include "buf.h"

struct arena;
struct config;

enum channel_kind { CHANNEL_SMS, CHANNEL_WHATSAPP, CHANNEL_EMAIL };

/* What happened to one send; the sender maps it to the message's next status. */
enum channel_outcome {
	CHANNEL_SENT,       /* accepted: SENT with external_id */
	CHANNEL_RETRY,      /* transient (timeout, refused, 429, 5xx): PENDING later */
	CHANNEL_FAILED,     /* permanent (4xx, invalid number): FAILED */
	CHANNEL_OPTED_OUT,  /* the carrier says the recipient opted out (Twilio 21610) */
};

struct channel_msg {
	enum channel_kind kind;
	const char *id;             /* messages.id: Message-ID, logs */
	const char *to;             /* E.164 phone or email address */
	const char *from;           /* the workspace's own number / phone number id, or NULL */
	const char *body;           /* the rendered text */
	const char *subject;        /* email only */
	const char *unsubscribe_url;/* email only: List-Unsubscribe */
	/* WhatsApp template message (NULL name: a free-form text message). */
	const char *wa_template;
	const char *wa_language;
	const char *const *wa_params;
	size_t wa_nparams;
};

struct channel_result {
	enum channel_outcome outcome;
	const char *external_id;    /* SM…, wamid…, <Message-ID>; NULL unless SENT */
	const char *cost;           /* decimal text as the provider gave it, or NULL */
	const char *error;          /* the provider's words, for messages.error */
};

/* One transfer in flight. */
struct channel_xfer {
	CURL *easy;
	struct curl_slist *headers;
	struct curl_slist *rcpt;    /* SMTP recipients */
	struct buf request;         /* the body we send (form, JSON, or the email) */
	size_t sent;                /* bytes of request handed to curl (SMTP upload) */
	struct buf response;        /* the body we got */
	const char *message_id;     /* email: known before sending (arena) */
	const struct channel_msg *msg;
};

/* Sets up x->easy for m. Returns 0, or -1 with r filled (a message that cannot be sent
 * at all: no credentials for the channel, nowhere to send). */
int channel_prepare(const struct config *cfg, const struct channel_msg *m,
		    struct channel_xfer *x, struct channel_result *r, struct arena *a);
/* Reads the outcome of a finished transfer. */
void channel_finish(struct channel_xfer *x, CURLcode rc, struct channel_result *r,
		    struct arena *a);
void channel_xfer_release(struct channel_xfer *x);

/* Pure answer parsers (exposed for tests and fuzzers). status is the HTTP status. */
void channel_twilio_answer(long status, const char *body, size_t len,
			   struct channel_result *r, struct arena *a);
void channel_whatsapp_answer(long status, const char *body, size_t len,
			     struct channel_result *r, struct arena *a);

/* The RFC 5322 message for an email (exposed for tests): headers (encoded Subject,
 * Date, Message-ID, List-Unsubscribe, MIME) then the body in base64, CRLF lines. */
void channel_email_build(struct buf *out, const char *from, const char *to,
			 const char *subject, const char *body, const char *message_id,
			 const char *unsubscribe_url, long long unix_time);

/* Internal to the channel files: one driver per channel. An HTTP driver gives the pure
 * parser of its answers (a transfer that got no answer is a transport error, whatever the
 * channel); the others read the outcome themselves in finish. */
struct channel_driver {
	int (*prepare)(const struct config *cfg, const struct channel_msg *m,
		       struct channel_xfer *x, struct channel_result *r, struct arena *a);
	void (*answer)(long status, const char *body, size_t len, struct channel_result *r,
		       struct arena *a);
	/* rc is curl's result; status the last response code (SMTP), 0 if none. */
	void (*finish)(struct channel_xfer *x, CURLcode rc, long status,
		       struct channel_result *r, struct arena *a);
};
extern const struct channel_driver channel_sms, channel_whatsapp, channel_email;

/* Shared by the drivers: a transport failure (no answer at all) as a result. */
void channel_transport_error(CURLcode rc, struct channel_result *r, struct arena *a);
/* Common easy-handle setup: URL, timeouts, response capture, no signals. */
void channel_easy_common(struct channel_xfer *x, const char *url, long timeout_s);

#endif
