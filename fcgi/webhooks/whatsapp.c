/* whatsapp.c: the WhatsApp Cloud API webhook.
 *
 * GET is Meta's subscription check: hub.mode=subscribe and our verify token → the
 * challenge as text. POST carries entry[].changes[].value with statuses[] (delivery) and
 * messages[] (replies); it is accepted only when X-Hub-Signature-256 matches the raw
 * body under the app secret, checked before the body is parsed. Any malformed item
 * refuses the whole body (400) and rolls back what earlier items did, so a body is
 * applied entirely or not at all. */
#include "hooks.h"

#include <string.h>

#include "core/crypto.h"
#include "core/json.h"
#include "core/log.h"
#include "core/signature.h"

const struct field hooks_whatsapp_verify_fields[] = {
	{ .name = "hub.mode", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 32 },
	{ .name = "hub.verify_token", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 256 },
	{ .name = "hub.challenge", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 256 },
	FIELDS_END,
};

int hooks_whatsapp_verify(struct ctx *c)
{
	const char *mode = ctx_param(c, "hub.mode");
	const char *token = ctx_param(c, "hub.verify_token");
	const char *challenge = ctx_param(c, "hub.challenge");
	const char *want = c->cfg->whatsapp_verify_token;
	if (!mode || strcmp(mode, "subscribe") != 0 || !token || !challenge || !*want ||
	    !crypto_equal(want, strlen(want), token, strlen(token)))
		return hooks_refuse(c, 403, "verificación rechazada", "whatsapp verify token");
	hooks_ok(c);
	buf_adds(&c->resp.body, challenge);
	return 0;
}

/* A value's string member, or NULL. */
static const char *wa_str(struct json_object *o, const char *path)
{
	return json_path_str(o, path);
}

static struct json_object *wa_array(struct json_object *o, const char *key)
{
	struct json_object *v = json_path(o, key);
	return v && json_object_is_type(v, json_type_array) ? v : NULL;
}

/* 0, 400 for a malformed status, -1 on a database error. */
static int wa_status(struct ctx *c, struct json_object *s)
{
	const char *id = wa_str(s, "id"), *status = wa_str(s, "status");
	if (!id || !*id || strlen(id) > 200 || !status || strlen(status) > 32)
		return 400;
	const char *error = wa_str(s, "errors.0.title");
	long long code = json_path_int(s, "errors.0.code", 0);
	if (code)
		error = arena_printf(c->a, "%lld %s", code, error ? error : "");
	return hooks_status_apply(c, "whatsapp", id, status, error);
}

/* 0, 400 for a malformed message, -1 on a database error. */
static int wa_message(struct ctx *c, struct json_object *m, const char *receiving)
{
	const char *from = wa_str(m, "from"), *id = wa_str(m, "id"), *type = wa_str(m, "type");
	if (!from || !id || !*id || strlen(id) > 200 || !type || strlen(type) > 32)
		return 400;
	const char *phone = arena_printf(c->a, "+%s", from);
	if (!hooks_phone_ok(phone))
		return 400;
	struct inbound in = {
		.provider = "whatsapp",
		.event_id = id,
		.channel = "WHATSAPP",
		.from = phone,
		.receiving = receiving,
	};
	if (strcmp(type, "text") == 0) {
		in.text = wa_str(m, "text.body");
		if (!in.text)
			return 400;
	} else {
		/* Stickers, images, audio, reactions…: kept as a reply we could not read. */
		in.text = arena_printf(c->a, "[%s]", type);
		in.unreadable = true;
	}
	in.text_len = strlen(in.text);
	return hooks_reply_handle(c, &in);
}

/* Walks one change's value. 0, 400 or -1 as above. */
static int wa_value(struct ctx *c, struct json_object *value)
{
	const char *receiving = wa_str(value, "metadata.phone_number_id");
	struct json_object *list = wa_array(value, "statuses");
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		int rc = wa_status(c, json_object_array_get_idx(list, i));
		if (rc)
			return rc;
	}
	list = wa_array(value, "messages");
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		int rc = wa_message(c, json_object_array_get_idx(list, i), receiving);
		if (rc)
			return rc;
	}
	return 0;
}

static int wa_body(struct ctx *c, struct json_object *root)
{
	struct json_object *entries = wa_array(root, "entry");
	if (!entries)
		return 400;
	for (size_t i = 0; i < json_object_array_length(entries); i++) {
		struct json_object *changes = wa_array(json_object_array_get_idx(entries, i),
						       "changes");
		if (!changes)
			return 400;
		for (size_t j = 0; j < json_object_array_length(changes); j++) {
			struct json_object *ch = json_object_array_get_idx(changes, j);
			struct json_object *value = json_path(ch, "value");
			if (!value || !json_object_is_type(value, json_type_object))
				return 400;
			int rc = wa_value(c, value);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int hooks_whatsapp_post(struct ctx *c)
{
	if (!signature_hub_ok(c->cfg->whatsapp_app_secret, c->req.body, c->req.body_len,
			      req_header(&c->req, c->a, "X-Hub-Signature-256")))
		return hooks_forbidden(c, "whatsapp");
	struct json_object *root = json_parse(c->req.body, c->req.body_len, c->cfg->max_body);
	if (!root)
		return hooks_refuse(c, 400, "el cuerpo no es JSON válido", "whatsapp json");
	int rc = wa_body(c, root);
	json_object_put(root);
	if (rc == 400)
		return hooks_refuse(c, 400, "el cuerpo no tiene la forma esperada",
				    "whatsapp body shape");
	return rc ? -1 : hooks_ok(c);
}
