/* webhooks.c: the webhooks program: provider callbacks under /hooks/ (ROUTE_NO_CSRF; the
 * signature is the route's .verify, which the core checks before it opens a transaction)
 * and the patient's pages under /r/, /f/ and /u/ (public; their forms carry the
 * pre-login double-submit CSRF token, except RFC 8058's one-click POST). The modules are
 * in fcgi/webhooks/ (see hooks.h). */
#include "webhooks/hooks.h"

#define HOOK (ROUTE_PUBLIC | ROUTE_NO_CSRF)
#define PATIENT (ROUTE_PUBLIC | ROUTE_PATIENT)

static const struct field token_fields[] = {
	{ .name = "token", .kind = FIELD_LINE, .src = FROM_PATH, .required = true, .max = 200 },
	FIELDS_END,
};

static const struct route routes[] = {
	{ .method = "POST", .pattern = "/hooks/twilio/status", .handler = hooks_twilio_status,
	  .flags = HOOK, .fields = hooks_twilio_status_fields, .verify = hooks_twilio_signed },
	{ .method = "POST", .pattern = "/hooks/twilio/inbound", .handler = hooks_twilio_inbound,
	  .flags = HOOK, .fields = hooks_twilio_inbound_fields, .verify = hooks_twilio_signed },
	{ .method = "GET", .pattern = "/hooks/whatsapp", .handler = hooks_whatsapp_verify,
	  .flags = HOOK, .fields = hooks_whatsapp_verify_fields,
	  .verify = hooks_whatsapp_subscribing },
	{ .method = "POST", .pattern = "/hooks/whatsapp", .handler = hooks_whatsapp_post,
	  .flags = HOOK, .verify = hooks_whatsapp_signed },
	{ .method = "GET", .pattern = "/r/:token", .handler = hooks_review_click,
	  .flags = PATIENT, .fields = token_fields },
	{ .method = "GET", .pattern = "/f/:token", .handler = hooks_feedback_form,
	  .flags = PATIENT, .fields = token_fields },
	{ .method = "POST", .pattern = "/f/:token", .handler = hooks_feedback_save,
	  .flags = PATIENT, .fields = hooks_feedback_fields },
	{ .method = "GET", .pattern = "/u/:token", .handler = hooks_unsubscribe_form,
	  .flags = PATIENT, .fields = token_fields },
	{ .method = "POST", .pattern = "/u/:token/confirm", .handler = hooks_unsubscribe_confirm,
	  .flags = PATIENT, .fields = token_fields },
	{ .method = "POST", .pattern = "/u/:token", .handler = hooks_unsubscribe_one_click,
	  .flags = PATIENT | ROUTE_NO_CSRF, .fields = hooks_one_click_fields },
};

int main(int argc, char **argv)
{
	/* Copied here: a struct defined in another file is not a constant initializer. */
	const struct app_sql more_sql[] = {
		hooks_event_sql, hooks_status_sql, hooks_reply_sql, hooks_pages_sql,
	};
	const struct app app = {
		.name = "webhooks",
		.routes = routes,
		.nroutes = nitems(routes),
		.more_sql = more_sql,
		.nmore_sql = nitems(more_sql),
	};
	return app_main(&app, argc, argv);
}
