/* hooks.h: the webhooks program's modules, one per concern:
 *   answer.c    answers to providers (JSON errors, empty acknowledgements)
 *   status.c    delivery statuses (Twilio and WhatsApp) moving only forward
 *   reply.c     a patient's reply: rating, text, opt-out, opt-in
 *   twilio.c    POST /hooks/twilio/status and /hooks/twilio/inbound
 *   whatsapp.c  GET and POST /hooks/whatsapp
 *   pages.c     the patient's pages /r/<token>, /f/<token>, /u/<token>
 * Each module keeps its SQL in its own statement table (struct app_sql). */
#ifndef RM_HOOKS_H
#define RM_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/app.h"
#include "core/nitems.h"

extern const struct app_sql hooks_event_sql, hooks_status_sql, hooks_reply_sql,
	hooks_pages_sql;

/* ---- answer.c ---- */
/* 200 with an empty body (what providers expect when all went well or nothing was to
 * be done). */
int hooks_ok(struct ctx *c);
/* status with {"error": message}; rolls the transaction back. Logs one line with why
 * (never the body: it holds patients' messages). */
int hooks_refuse(struct ctx *c, int status, const char *message, const char *why);
/* The provider's signature did not verify: 403, nothing written. */
int hooks_forbidden(struct ctx *c, const char *provider);

/* True for an E.164 number: '+', then 7 to 15 digits not starting with 0. */
bool hooks_phone_ok(const char *s);

/* The replay guard's insert, for statements that carry it themselves: the parameter
 * numbers of workspace, provider and event id. RETURNING id: one row when new, none
 * when already seen. */
#define HOOKS_EVENT_INSERT(ws, provider, event)                                           \
	"INSERT INTO webhook_events (workspace_id, provider, event_id, processed_at) "      \
	"VALUES (" ws ", " provider ", " event ", now()) "                                  \
	"ON CONFLICT (provider, event_id) DO NOTHING RETURNING id"

/* Records (provider, event_id) in webhook_events for the current workspace. Returns 1
 * when new, 0 when already seen (a replay: the caller changes nothing), -1 on error. */
int hooks_event_record(struct ctx *c, const char *workspace_id, const char *provider,
		       const char *event_id);

/* ---- status.c ---- */
/* Our status for a provider's delivery status ("delivered" → "DELIVERED"), or NULL when
 * it means nothing to us (queued states, unknown values). */
const char *hooks_status_map(const char *provider_status);
/* Applies a delivery status to the message with this provider id, or keeps it for the
 * sender when no message has that id yet. error may be NULL. 0 (also when the callback
 * is stale or a replay), -1 on a database error. */
int hooks_status_apply(struct ctx *c, const char *provider, const char *external_id,
		       const char *provider_status, const char *error);

/* ---- reply.c ---- */
struct inbound {
	const char *provider;    /* "twilio", "whatsapp" */
	const char *event_id;    /* the provider's message id */
	const char *channel;     /* "SMS", "WHATSAPP" */
	const char *from;        /* E.164 */
	const char *receiving;   /* Twilio To, WhatsApp phone_number_id; may be NULL */
	const char *text;        /* the reply, or a description when unreadable */
	size_t text_len;
	bool unreadable;         /* sticker, image, audio…: never a rating */
};
/* Handles one reply: finds its workspace and message, stores it, and enqueues what it
 * calls for. 0 (also when nothing matched), -1 on a database error. */
int hooks_reply_handle(struct ctx *c, const struct inbound *in);

/* ---- twilio.c, whatsapp.c, pages.c: handlers and field tables ---- */
/* The routes' .verify (core/route.h): 0 when the provider's signature holds, otherwise
 * -1 with the 403 answer set. */
int hooks_twilio_signed(struct ctx *c);
int hooks_whatsapp_signed(struct ctx *c);
int hooks_whatsapp_subscribing(struct ctx *c);
extern const struct field hooks_twilio_status_fields[], hooks_twilio_inbound_fields[],
	hooks_whatsapp_verify_fields[], hooks_feedback_fields[], hooks_one_click_fields[];
int hooks_twilio_status(struct ctx *c);
int hooks_twilio_inbound(struct ctx *c);
int hooks_whatsapp_verify(struct ctx *c);
int hooks_whatsapp_post(struct ctx *c);
int hooks_review_click(struct ctx *c);
int hooks_feedback_form(struct ctx *c);
int hooks_feedback_save(struct ctx *c);
int hooks_unsubscribe_form(struct ctx *c);
int hooks_unsubscribe_confirm(struct ctx *c);
int hooks_unsubscribe_one_click(struct ctx *c);

#endif
