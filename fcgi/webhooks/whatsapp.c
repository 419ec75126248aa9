/* whatsapp.c: the WhatsApp Cloud API webhook.
 *
 * GET is Meta's subscription check: hub.mode=subscribe and our verify token → the
 * challenge as text. POST carries entry[].changes[].value with statuses[] (delivery) and
 * messages[] (replies); it is accepted only when X-Hub-Signature-256 matches the raw
 * body under the app secret (the route's .verify, run by the core before the transaction
 * opens), checked before the body is parsed (core/wabody.h). A body
 * with any malformed item is refused whole (400) before anything is written. */
#include "hooks.h"

#include <string.h>

#include "core/crypto.h"
#include "core/log.h"
#include "core/signature.h"
#include "core/wabody.h"

const struct field hooks_whatsapp_verify_fields[] = {
	{ .name = "hub.mode", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 32 },
	{ .name = "hub.verify_token", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 256 },
	{ .name = "hub.challenge", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 256 },
	FIELDS_END,
};

/* The subscription check's "signature": our verify token, compared before the
 * transaction opens like the POST's (the raw query; the declared fields are validated
 * later, in the handler). */
int hooks_whatsapp_subscribing(struct ctx *c)
{
	const char *mode = kv_get(&c->req.query, "hub.mode");
	const char *token = kv_get(&c->req.query, "hub.verify_token");
	const char *want = c->cfg->whatsapp_verify_token;
	if (mode && strcmp(mode, "subscribe") == 0 && token && want && *want &&
	    crypto_equal(want, strlen(want), token, strlen(token)))
		return 0;
	hooks_refuse(c, 403, "verificación rechazada", "whatsapp verify token");
	return -1;
}

int hooks_whatsapp_verify(struct ctx *c)
{
	const char *challenge = ctx_param(c, "hub.challenge");
	if (ctx_has_errors(c) || !challenge)
		return hooks_refuse(c, 403, "verificación rechazada", "whatsapp verify fields");
	hooks_ok(c);
	buf_adds(&c->resp.body, challenge);
	return 0;
}

int hooks_whatsapp_signed(struct ctx *c)
{
	if (signature_hub_ok(c->cfg->whatsapp_app_secret, c->req.body, c->req.body_len,
			     req_header(&c->req, c->a, "X-Hub-Signature-256")))
		return 0;
	hooks_forbidden(c, "whatsapp");
	return -1;
}

int hooks_whatsapp_post(struct ctx *c)
{
	struct wa_events ev;
	if (wabody_parse(c->a, c->req.body, c->req.body_len, c->cfg->max_body, &ev))
		return hooks_refuse(c, 400, "el cuerpo no tiene la forma esperada",
				    "whatsapp body");
	for (size_t i = 0; i < ev.nstatuses; i++) {
		const struct wa_status *s = &ev.statuses[i];
		if (hooks_status_apply(c, "whatsapp", s->id, s->status, s->error))
			return -1;
	}
	for (size_t i = 0; i < ev.nmessages; i++) {
		const struct wa_message *m = &ev.messages[i];
		struct inbound in = {
			.provider = "whatsapp",
			.event_id = m->id,
			.channel = "WHATSAPP",
			.from = m->from,
			.receiving = m->receiving,
			.text = m->text,
			.text_len = strlen(m->text),
			.unreadable = m->unreadable,
		};
		if (hooks_reply_handle(c, &in))
			return -1;
	}
	return hooks_ok(c);
}
