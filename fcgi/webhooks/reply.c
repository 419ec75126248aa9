/* reply.c: a patient's reply, from SMS or WhatsApp.
 *
 * The workspace comes from app_reply_route (the number the reply arrived on, then
 * the message that awaits a rating, then the most recent); from there everything runs
 * under row-level security in that workspace. In the workspace, the reply belongs to
 * the most recent INITIAL or REMINDER sent to that phone in the last 7 days that still
 * awaits a rating (app_awaits_rating), which app_reply_route names too (0131); it is
 * locked, and checked again under the lock, so that two replies cannot both rate it.
 *   rating   → REPLIED with rating, replied_at, reply_text; a pending reminder of the
 *              same campaign is cancelled; FOLLOWUP_HAPPY (4-5) or FOLLOWUP_UNHAPPY (1-3)
 *              enqueued now with content NULL (the sender renders the workspace's
 *              default template); the sender is woken after the commit.
 *   text     → reply_text stored; the first time only, one clarification.
 *   opt-out  → the phone on the opt-out list, pending messages cancelled, one free
 *              confirmation (only when the phone was not already on the list).
 *   opt-in   → off the list again.
 * A reply with nothing awaiting changes nothing (a second answer to a rated message).
 *
 * The campaign's status (migration 0091): a COMPLETED campaign stays COMPLETED and its
 * answers (follow-up, clarification, opt-out confirmation) are still enqueued and sent:
 * the patient answered within the 7 days the question was open. A CANCELLED campaign
 * gets the rating or text recorded (it is the patient's answer, and the reports count
 * it) and the opt-out honoured, but nothing is enqueued: the clinic stopped the
 * campaign, perhaps because its list or its text was wrong, and nothing may go out in
 * its name after that. */
#include "hooks.h"

#include <string.h>

#include "core/log.h"
#include "core/rating.h"

enum {
	RQ_WORKSPACE,
	RQ_AWAITING,
	RQ_RATE,
	RQ_TEXT_STORE,
	RQ_SERVICE,
	RQ_LATEST,
	RQ_OPT_OUT,
	RQ_CANCEL_PENDING,
	RQ_OPT_IN,
};

/* Whether the campaign of message row m may still send (see above): not CANCELLED. */
#define NOT_CANCELLED(m)                                                                  \
	"NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.workspace_id = " m ".workspace_id "  \
	"AND c.id = " m ".campaign_id AND c.status = 'CANCELLED')"

/* What may have changed about message row m since app_reply_route found that it awaits a
 * rating (another reply rated it, a callback failed it): checked again under the row's
 * lock, which a second reply to the same message waits for. */
#define STILL_AWAITS(m) m ".rating IS NULL AND " m ".status IN ('SENT', 'DELIVERED')"

static const struct db_stmt reply_sql[] = {
	/* The transaction is scoped to the workspace found in the same round trip (what
	 * db_set_tenant does; '' scopes it to none). */
	[RQ_WORKSPACE] = { "hooks_reply_workspace",
		"SELECT r.ws, r.awaiting, r.message, "
		"       " DB_TENANT_SCOPE("coalesce(r.ws::text, '')") " "
		"  FROM app_reply_route($1, $2) r" },
	/* $1: the message app_reply_route named. */
	[RQ_AWAITING] = { "hooks_reply_awaiting",
		"SELECT m.id, m.reply_text IS NULL AS first_text FROM messages m "
		" WHERE m.id = $1 AND " STILL_AWAITS("m") " FOR UPDATE" },
	/* One statement for the whole rating of message $1 (app_reply_route's), from the
	 * reply's webhook_events row ($4: workspace, $5: provider, $6: event id) and the
	 * message's lock to the follow-up, so the common path is one round trip. fresh
	 * false: a replay, nothing changed. message_id NULL: it no longer awaits a rating. */
	[RQ_RATE] = { "hooks_reply_rate",
		"WITH fresh AS (" HOOKS_EVENT_INSERT("$4", "$5", "$6") "), "
		"rated AS ("
		"  UPDATE messages m SET status = 'REPLIED', rating = $2::integer, "
		"         replied_at = now(), reply_text = $3 "
		"   WHERE m.id = $1 AND " STILL_AWAITS("m") " AND EXISTS (SELECT 1 FROM fresh) "
		"  RETURNING m.id, m.workspace_id, m.patient_id, m.campaign_id, m.channel), "
		"no_reminder AS ("
		"  UPDATE messages r SET status = 'CANCELLED' FROM rated "
		"   WHERE r.workspace_id = rated.workspace_id AND r.patient_id = rated.patient_id "
		"     AND r.campaign_id IS NOT DISTINCT FROM rated.campaign_id "
		"     AND r.type = 'REMINDER' AND r.status = 'PENDING' RETURNING r.id), "
		"followup AS ("
		"  INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, "
		"                        status, scheduled_at) "
		"  SELECT r.workspace_id, r.patient_id, r.campaign_id, "
		"         CASE WHEN $2::integer >= 4 THEN 'FOLLOWUP_HAPPY' "
		"              ELSE 'FOLLOWUP_UNHAPPY' END::message_type, "
		"         r.channel, 'PENDING', now() FROM rated r "
		"   WHERE " NOT_CANCELLED("r") " RETURNING id) "
		"SELECT EXISTS (SELECT 1 FROM fresh) AS fresh, (SELECT id FROM rated) AS message_id, "
		"       (SELECT id FROM followup) AS followup_id" },
	[RQ_TEXT_STORE] = { "hooks_reply_text",
		"UPDATE messages SET reply_text = $2 WHERE id = $1" },
	/* A message of the product's own (clarification, opt-out confirmation): free, with
	 * its content, on the channel and to the patient of the message it answers. */
	[RQ_SERVICE] = { "hooks_reply_service",
		"WITH ins AS ("
		"  INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, "
		"                        status, content, free, scheduled_at) "
		"  SELECT m.workspace_id, m.patient_id, m.campaign_id, 'SERVICE', m.channel, "
		"         'PENDING', $2, true, now() FROM messages m "
		"   WHERE m.id = $1 AND " NOT_CANCELLED("m") " RETURNING id) "
		"SELECT ins.id FROM ins" },
	[RQ_LATEST] = { "hooks_reply_latest",
		"SELECT m.id FROM messages m JOIN patients p "
		"    ON p.workspace_id = m.workspace_id AND p.id = m.patient_id "
		" WHERE p.phone = $1 AND m.sent_at IS NOT NULL "
		" ORDER BY m.sent_at DESC LIMIT 1" },
	[RQ_OPT_OUT] = { "hooks_reply_opt_out",
		"WITH ins AS ("
		"  INSERT INTO opt_outs (workspace_id, phone, channel, source, reason) "
		"  VALUES ($1, $2, $3::message_channel, 'reply', 'Respuesta del paciente') "
		"  ON CONFLICT DO NOTHING RETURNING id), "
		"marked AS ("
		"  UPDATE patients SET opted_out_at = now() "
		"   WHERE phone = $2 AND opted_out_at IS NULL RETURNING id) "
		"SELECT (SELECT count(*) FROM ins) AS added, (SELECT count(*) FROM marked) AS patients" },
	[RQ_CANCEL_PENDING] = { "hooks_reply_cancel_pending",
		"UPDATE messages m SET status = 'CANCELLED' FROM patients p "
		" WHERE p.workspace_id = m.workspace_id AND p.id = m.patient_id "
		"   AND p.phone = $1 AND m.status = 'PENDING'" },
	[RQ_OPT_IN] = { "hooks_reply_opt_in",
		"WITH gone AS (DELETE FROM opt_outs WHERE phone = $1 RETURNING id) "
		"UPDATE patients SET opted_out_at = NULL WHERE phone = $1 AND opted_out_at IS NOT NULL" },
};
const struct app_sql hooks_reply_sql = { reply_sql, nitems(reply_sql) };

static const char reply_clarification[] = "Por favor responde con un número del 1 al 5.";
static const char reply_opt_out_confirmation[] =
	"Listo, no recibirás más mensajes. Si fue un error, responde ALTA.";

static int reply_service(struct ctx *c, const char *message_id, const char *content)
{
	PGresult *r = Q(c, &reply_sql[RQ_SERVICE], message_id, content);
	if (!r)
		return -1;
	c->wake_sender |= PQntuples(r) > 0;
	return 0;
}

static int reply_opt_out(struct ctx *c, const char *ws, const struct inbound *in)
{
	PGresult *r = Q(c, &reply_sql[RQ_OPT_OUT], ws, in->from, in->channel);
	if (!r || !Q(c, &reply_sql[RQ_CANCEL_PENDING], in->from))
		return -1;
	bool added = db_get_int(r, 0, "added", 0) > 0;
	log_info("opt-out by reply", "workspace", ws, "new", added ? "yes" : "no");
	if (!added)
		return 0;   /* already on the list: one confirmation was enough */
	PGresult *latest = Q(c, &reply_sql[RQ_LATEST], in->from);
	if (!latest)
		return -1;
	if (PQntuples(latest) == 0)
		return 0;
	return reply_service(c, db_get(latest, 0, "id"), reply_opt_out_confirmation);
}

/* A reply with no message awaiting it (a second answer to a rated message) changes
 * nothing. */
static int reply_unawaited(const char *ws, enum reply_kind kind)
{
	log_info("reply with nothing awaiting it", "workspace", ws, "kind", rating_kind_name(kind));
	return 0;
}

/* A rating of the message app_reply_route named: the reply's replay guard goes in the
 * same statement (the common path of a reply, one round trip fewer). */
static int reply_rate(struct ctx *c, const char *ws, const char *awaiting, int rating,
		      const struct inbound *in)
{
	const char *text = arena_strndup(c->a, in->text, in->text_len);
	PGresult *r = Q(c, &reply_sql[RQ_RATE], awaiting, log_fmt("%d", rating), text, ws,
			in->provider, in->event_id);
	if (!r)
		return -1;
	if (!db_get_bool(r, 0, "fresh"))
		return 0;   /* a replay */
	const char *message_id = db_get(r, 0, "message_id");
	if (!message_id)
		return reply_unawaited(ws, REPLY_RATING);
	c->wake_sender |= db_get(r, 0, "followup_id") != NULL;
	log_info("rating", "message", message_id, "rating", log_fmt("%d", rating),
		 "followup", db_get_or(r, 0, "followup_id", "none"));
	return 0;
}

int hooks_reply_handle(struct ctx *c, const struct inbound *in)
{
	PGresult *w = Q(c, &reply_sql[RQ_WORKSPACE], in->from, in->receiving);
	if (!w)
		return -1;
	const char *ws = db_get(w, 0, "ws");
	if (!ws) {
		log_info("reply from a phone we never wrote to", "provider", in->provider);
		return 0;
	}
	long long candidates = db_get_int(w, 0, "awaiting", 0);
	if (candidates > 1)
		log_warn("reply matches several workspaces; the most recent wins",
			 "workspace", ws, "candidates", log_fmt("%lld", candidates));
	struct reply kind = { REPLY_TEXT, 0 };
	if (!in->unreadable)
		kind = rating_classify(in->text, in->text_len);
	const char *awaiting = db_get(w, 0, "message");   /* NULL: nothing awaits */
	if (kind.kind == REPLY_RATING && awaiting)
		return reply_rate(c, ws, awaiting, kind.rating, in);

	int fresh = hooks_event_record(c, ws, in->provider, in->event_id);
	if (fresh <= 0)
		return fresh;
	if (kind.kind == REPLY_OPT_OUT)
		return reply_opt_out(c, ws, in);
	if (kind.kind == REPLY_OPT_IN)
		return Q(c, &reply_sql[RQ_OPT_IN], in->from) ? 0 : -1;

	if (!awaiting)
		return reply_unawaited(ws, kind.kind);   /* a rating, text or media */
	PGresult *m = Q(c, &reply_sql[RQ_AWAITING], awaiting);
	if (!m)
		return -1;
	if (PQntuples(m) == 0)
		return reply_unawaited(ws, kind.kind);
	const char *id = db_get(m, 0, "id");
	const char *text = arena_strndup(c->a, in->text, in->text_len);
	if (!Q(c, &reply_sql[RQ_TEXT_STORE], id, text))
		return -1;
	if (!db_get_bool(m, 0, "first_text"))
		return 0;   /* one clarification is enough */
	return reply_service(c, id, reply_clarification);
}
