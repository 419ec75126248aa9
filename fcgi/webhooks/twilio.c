/* twilio.c: Twilio's callbacks. The signature is checked first (the route's .verify,
 * which the core runs before it opens the transaction), over every POST parameter
 * (declared or not: Twilio adds parameters at any time) and the public URL Twilio
 * called (RM_PUBLIC_BASE_URL, since nginx sees another host). Only then are the declared
 * fields looked at and the database touched. */
#include "hooks.h"

#include <string.h>

#include "core/log.h"
#include "core/signature.h"

const struct field hooks_twilio_status_fields[] = {
	{ .name = "MessageSid", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 64 },
	{ .name = "MessageStatus", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 32 },
	{ .name = "ErrorCode", .kind = FIELD_LINE, .src = FROM_BODY, .max = 16 },
	FIELDS_END,
};

const struct field hooks_twilio_inbound_fields[] = {
	{ .name = "MessageSid", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 64 },
	{ .name = "From", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 32 },
	{ .name = "To", .kind = FIELD_LINE, .src = FROM_BODY, .max = 64 },
	{ .name = "Body", .kind = FIELD_TEXT, .src = FROM_BODY, .max = 1600 },
	{ .name = "NumMedia", .kind = FIELD_INT, .src = FROM_BODY, .min = 0, .max = 100 },
	FIELDS_END,
};

int hooks_twilio_signed(struct ctx *c)
{
	const char *base = c->cfg->public_base_url;
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	const char *url = arena_printf(c->a, "%.*s%s%s%s", (int)n, base, c->req.path,
				       c->req.query_string[0] ? "?" : "", c->req.query_string);
	if (signature_twilio_ok(c->cfg->twilio_auth_token, url, &c->req.form,
				req_header(&c->req, c->a, "X-Twilio-Signature")))
		return 0;
	hooks_forbidden(c, "twilio");
	return -1;
}

int hooks_twilio_status(struct ctx *c)
{
	if (ctx_has_errors(c))
		return hooks_refuse(c, 400, "faltan MessageSid o MessageStatus, o no son válidos",
				    "twilio status fields");
	if (hooks_status_apply(c, "twilio", ctx_param(c, "MessageSid"),
			       ctx_param(c, "MessageStatus"), ctx_param(c, "ErrorCode")))
		return -1;
	return hooks_ok(c);
}

int hooks_twilio_inbound(struct ctx *c)
{
	const char *from = ctx_param(c, "From");
	if (ctx_has_errors(c) || !hooks_phone_ok(from))
		return hooks_refuse(c, 400, "faltan MessageSid o From, o no son válidos",
				    "twilio inbound fields");
	const char *body = ctx_param(c, "Body");
	const char *media = ctx_param(c, "NumMedia");
	bool unreadable = (!body || !*body) && media && strcmp(media, "0") != 0;
	struct inbound in = {
		.provider = "twilio",
		.event_id = ctx_param(c, "MessageSid"),
		.channel = "SMS",
		.from = from,
		.receiving = ctx_param(c, "To"),
		.text = unreadable ? "[multimedia]" : body ? body : "",
		.unreadable = unreadable,
	};
	in.text_len = strlen(in.text);
	if (hooks_reply_handle(c, &in))
		return -1;
	/* An empty TwiML answer: Twilio sends nothing back by itself. */
	hooks_ok(c);
	c->resp.content_type = "text/xml";
	buf_adds(&c->resp.body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");
	return 0;
}
