/* channel_whatsapp.c: WhatsApp through the Cloud API.
 *
 * POST {WHATSAPP_API_BASE}/{version}/{phone_number_id}/messages with a bearer token and a
 * JSON body. A rating request or reminder starts a conversation, which WhatsApp only
 * allows with an approved template: it goes as type "template" (name and language from
 * the template row, the body parameters in the order the text uses them). Follow-ups
 * answer the patient inside the 24-hour window and go as type "text". Numbers go without
 * the '+'. The answer's messages[0].id (a wamid) becomes the external_id. */
#include "channel.h"
#include "arena.h"
#include "config.h"
#include "json.h"
#include "nitems.h"

#include <string.h>

#define WHATSAPP_MAX_ANSWER 65536

static struct json_object *template_body(const struct channel_msg *m)
{
	struct json_object *params = json_object_new_array();
	for (size_t i = 0; i < m->wa_nparams; i++) {
		struct json_object *p = json_object_new_object();
		json_object_object_add(p, "type", json_object_new_string("text"));
		json_object_object_add(p, "text", json_object_new_string(m->wa_params[i]));
		json_object_array_add(params, p);
	}
	struct json_object *body = json_object_new_object();
	json_object_object_add(body, "type", json_object_new_string("body"));
	json_object_object_add(body, "parameters", params);
	struct json_object *components = json_object_new_array();
	json_object_array_add(components, body);
	struct json_object *lang = json_object_new_object();
	json_object_object_add(lang, "code",
			       json_object_new_string(m->wa_language ? m->wa_language : "es"));
	struct json_object *t = json_object_new_object();
	json_object_object_add(t, "name", json_object_new_string(m->wa_template));
	json_object_object_add(t, "language", lang);
	json_object_object_add(t, "components", components);
	return t;
}

static int wa_prepare(const struct config *cfg, const struct channel_msg *m,
		      struct channel_xfer *x, struct channel_result *r, struct arena *a)
{
	const char *phone_id = m->from ? m->from : cfg->whatsapp_phone_number_id;
	if (!cfg->whatsapp_token || !phone_id) {
		r->outcome = CHANNEL_FAILED;
		r->error = "WhatsApp no configurado (WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID)";
		return -1;
	}
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "messaging_product", json_object_new_string("whatsapp"));
	json_object_object_add(o, "recipient_type", json_object_new_string("individual"));
	json_object_object_add(o, "to", json_object_new_string(m->to + (m->to[0] == '+')));
	if (m->wa_template) {
		json_object_object_add(o, "type", json_object_new_string("template"));
		json_object_object_add(o, "template", template_body(m));
	} else {
		struct json_object *text = json_object_new_object();
		json_object_object_add(text, "body", json_object_new_string(m->body));
		json_object_object_add(o, "type", json_object_new_string("text"));
		json_object_object_add(o, "text", text);
	}
	json_to_buf(&x->request, o);
	json_object_put(o);

	channel_easy_common(x, arena_printf(a, "%s/%s/%s/messages", cfg->whatsapp_api_base,
					    cfg->whatsapp_api_version, phone_id),
			    cfg->sender_timeout_seconds);
	x->headers = curl_slist_append(x->headers, "Content-Type: application/json");
	x->headers = curl_slist_append(
		x->headers, arena_printf(a, "Authorization: Bearer %s", cfg->whatsapp_token));
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->request.buf);
	curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE, (long)x->request.len);
	return 0;
}

/* Cloud API codes that mean "slow down" rather than "never": 130429 (throughput),
 * 131056 (pair rate limit), 80007 (account rate limit), 4 and 80008 (app limits). */
static int is_rate_limit(long long code)
{
	static const long long codes[] = { 4, 80007, 80008, 130429, 131056 };
	for (size_t i = 0; i < nitems(codes); i++)
		if (code == codes[i])
			return 1;
	return 0;
}

void channel_whatsapp_answer(long status, const char *body, size_t len,
			     struct channel_result *r, struct arena *a)
{
	memset(r, 0, sizeof *r);
	struct json_object *o = json_parse(body, len, WHATSAPP_MAX_ANSWER);
	if (status >= 200 && status < 300) {
		const char *id = o ? json_path_str(o, "messages.0.id") : NULL;
		if (id && *id) {
			r->outcome = CHANNEL_SENT;
			r->external_id = arena_strdup(a, id);
		} else {
			/* Accepted but unreadable: it may go out, so never retry it. */
			r->outcome = CHANNEL_FAILED;
			r->error = "WhatsApp aceptó el mensaje sin devolver su identificador";
		}
	} else {
		long long code = o ? json_path_int(o, "error.code", 0) : 0;
		const char *msg = o ? json_path_str(o, "error.message") : NULL;
		const char *details = o ? json_path_str(o, "error.error_data.details") : NULL;
		if (status == 429 || status >= 500 || status < 200 || is_rate_limit(code))
			r->outcome = CHANNEL_RETRY;
		else
			r->outcome = CHANNEL_FAILED;
		r->error = arena_printf(a, "WhatsApp %lld (HTTP %ld): %s%s%s", code, status,
					msg && *msg ? msg : "sin detalle", details ? " — " : "",
					details ? details : "");
	}
	if (o)
		json_object_put(o);
}

const struct channel_driver channel_whatsapp = {
	.prepare = wa_prepare,
	.answer = channel_whatsapp_answer,
};
