/* channel_sms.c: SMS through Twilio's Messages resource.
 *
 * POST {TWILIO_API_BASE}/2010-04-01/Accounts/{sid}/Messages.json, HTTP basic auth with the
 * account SID and auth token, form fields To, From (or MessagingServiceSid), Body and
 * StatusCallback (this deployment's /hooks/twilio/status). The JSON answer's sid becomes
 * the message's external_id; its price (negative, in USD) its cost. */
#include "channel.h"
#include "arena.h"
#include "config.h"
#include "json.h"

#include <stdbool.h>
#include <string.h>

/* Answers are a few hundred bytes; anything past this is not Twilio. */
#define TWILIO_MAX_ANSWER 65536
#define TWILIO_OPTED_OUT 21610

static void add_field(struct channel_xfer *x, const char *name, const char *value)
{
	char *v = curl_easy_escape(x->easy, value, 0);
	if (x->request.len)
		buf_addch(&x->request, '&');
	buf_printf(&x->request, "%s=%s", name, v ? v : "");
	curl_free(v);
}

static int sms_prepare(const struct config *cfg, const struct channel_msg *m,
		       struct channel_xfer *x, struct channel_result *r, struct arena *a)
{
	const char *from = m->from ? m->from : cfg->twilio_from;
	if (!cfg->twilio_account_sid || !cfg->twilio_auth_token || !from) {
		r->outcome = CHANNEL_FAILED;
		r->error = "SMS no configurado (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM)";
		return -1;
	}
	const char *url = arena_printf(a, "%s/2010-04-01/Accounts/%s/Messages.json",
				       cfg->twilio_api_base, cfg->twilio_account_sid);
	channel_easy_common(x, url, cfg->sender_timeout_seconds);
	add_field(x, "To", m->to);
	/* A Messaging Service (MG…) picks the number itself. */
	add_field(x, strncmp(from, "MG", 2) == 0 ? "MessagingServiceSid" : "From", from);
	add_field(x, "Body", m->body);
	add_field(x, "StatusCallback",
		  arena_printf(a, "%s/hooks/twilio/status", cfg->public_base_url));
	curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->request.buf);
	curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE, (long)x->request.len);
	curl_easy_setopt(x->easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(x->easy, CURLOPT_USERNAME, cfg->twilio_account_sid);
	curl_easy_setopt(x->easy, CURLOPT_PASSWORD, cfg->twilio_auth_token);
	return 0;
}

/* A decimal the database will take for messages.cost: [-]digits[.digits]. */
static bool is_decimal(const char *s)
{
	if (*s == '-')
		s++;
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n > 6)
		return false;
	s += n;
	if (*s == '.') {
		n = strspn(++s, "0123456789");
		if (n == 0 || n > 8)
			return false;
		s += n;
	}
	return *s == '\0';
}

static const char *text_or(struct json_object *o, const char *path, const char *def)
{
	const char *s = o ? json_path_str(o, path) : NULL;
	return s && *s ? s : def;
}

void channel_twilio_answer(long status, const char *body, size_t len,
			   struct channel_result *r, struct arena *a)
{
	memset(r, 0, sizeof *r);
	struct json_object *o = json_parse(body, len, TWILIO_MAX_ANSWER);
	if (status >= 200 && status < 300) {
		const char *sid = text_or(o, "sid", NULL);
		const char *st = text_or(o, "status", "");
		if (!sid) {
			/* Accepted but unreadable: it may well go out, so never retry it. */
			r->outcome = CHANNEL_FAILED;
			r->error = "Twilio aceptó el mensaje sin devolver su identificador";
		} else if (strcmp(st, "failed") == 0 || strcmp(st, "undelivered") == 0) {
			r->outcome = CHANNEL_FAILED;
			r->error = arena_printf(a, "Twilio %lld: %s",
						json_path_int(o, "error_code", 0),
						text_or(o, "error_message", st));
		} else {
			r->outcome = CHANNEL_SENT;
			r->external_id = arena_strdup(a, sid);
			const char *price = text_or(o, "price", NULL);
			r->cost = price && is_decimal(price) ? arena_strdup(a, price) : NULL;
		}
	} else {
		long long code = o ? json_path_int(o, "code", 0) : 0;
		const char *msg = text_or(o, "message", "sin detalle");
		if (status == 429 || status >= 500 || status < 200)
			r->outcome = CHANNEL_RETRY;
		else if (code == TWILIO_OPTED_OUT)
			r->outcome = CHANNEL_OPTED_OUT;
		else
			r->outcome = CHANNEL_FAILED;
		r->error = code ? arena_printf(a, "Twilio %lld (HTTP %ld): %s", code, status, msg)
				: arena_printf(a, "Twilio HTTP %ld: %s", status, msg);
	}
	if (o)
		json_object_put(o);
}

const struct channel_driver channel_sms = {
	.prepare = sms_prepare,
	.answer = channel_twilio_answer,
};
