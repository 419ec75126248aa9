/* status.c: delivery statuses from Twilio and WhatsApp.
 *
 * Callbacks arrive late, twice, or out of order. A status only moves a message forward
 * (app_status_rank: SENT < FAILED < DELIVERED < REPLIED; CANCELLED never changes), so
 * "sent" after "delivered" and "delivered" after the patient replied change nothing but
 * the first delivery time. The same (message, status) seen twice is a replay: the
 * webhook_events row makes the second a no-op before anything else is read. A callback
 * that beats the sender's record of the provider's id is kept (early_statuses, 0090) and
 * applied, with the same rule, when the id is recorded. */
#include "hooks.h"

#include <string.h>

#include "core/log.h"

enum {
	STATUS_WORKSPACE,
	STATUS_APPLY,
};

static const struct db_stmt status_sql[] = {
	/* The message's workspace; NULL when no message has this id yet, and then the
	 * callback is kept for the sender to apply when it records the id (0090). */
	[STATUS_WORKSPACE] = { "hooks_status_workspace",
		"SELECT app_status_workspace($1, $2, $3, $4::message_status, $5) AS ws" },
	/* $2 is our status; the message keeps the higher of the two ranks. */
	[STATUS_APPLY] = { "hooks_status_apply",
		"UPDATE messages SET "
		"  status = CASE WHEN app_status_rank(status) < app_status_rank($2::message_status) "
		"                THEN $2::message_status ELSE status END, "
		"  delivered_at = CASE WHEN $2 = 'DELIVERED' THEN coalesce(delivered_at, now()) "
		"                      ELSE delivered_at END, "
		"  error = CASE WHEN $2 = 'FAILED' "
		"               AND app_status_rank(status) < app_status_rank('FAILED') "
		"               THEN $3 ELSE error END "
		"WHERE external_id = $1 "
		"  AND (app_status_rank(status) < app_status_rank($2::message_status) "
		"       OR ($2 = 'DELIVERED' AND delivered_at IS NULL AND status <> 'CANCELLED')) "
		"RETURNING id, status" },
};
const struct app_sql hooks_status_sql = { status_sql, nitems(status_sql) };

struct status_map {
	const char *provider;
	const char *ours;
};

/* Twilio's and WhatsApp's values. Queued states are what the sender already recorded
 * (SENT after the API accepted the message). */
static const struct status_map status_map[] = {
	{ "accepted", "SENT" },   { "scheduled", "SENT" }, { "queued", "SENT" },
	{ "sending", "SENT" },    { "sent", "SENT" },      { "delivered", "DELIVERED" },
	{ "read", "DELIVERED" },  { "undelivered", "FAILED" }, { "failed", "FAILED" },
};

const char *hooks_status_map(const char *provider_status)
{
	if (!provider_status)
		return NULL;
	for (size_t i = 0; i < nitems(status_map); i++)
		if (strcmp(status_map[i].provider, provider_status) == 0)
			return status_map[i].ours;
	return NULL;
}

int hooks_status_apply(struct ctx *c, const char *provider, const char *external_id,
		       const char *provider_status, const char *error)
{
	const char *ours = hooks_status_map(provider_status);
	if (!ours) {
		log_info("status ignored", "provider", provider, "status", provider_status);
		return 0;
	}
	PGresult *r = Q(c, &status_sql[STATUS_WORKSPACE], provider, external_id, provider_status,
			ours, error);
	if (!r)
		return -1;
	const char *ws = db_get(r, 0, "ws");
	if (!ws) {
		log_info("status before its message's id: kept", "provider", provider,
			 "id", external_id);
		return 0;
	}
	if (db_set_tenant(c->db, ws))
		return -1;
	int fresh = hooks_event_record(c, ws, provider,
				       arena_printf(c->a, "%s:%s", external_id, provider_status));
	if (fresh <= 0)
		return fresh;   /* a replay: nothing more */
	return Q(c, &status_sql[STATUS_APPLY], external_id, ours, error) ? 0 : -1;
}
