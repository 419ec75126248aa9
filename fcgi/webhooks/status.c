/* status.c: delivery statuses from Twilio and WhatsApp.
 *
 * Callbacks arrive late, twice, or out of order. A status only moves a message forward
 * (app_status_rank: SENT < FAILED < DELIVERED < REPLIED; CANCELLED never changes), so
 * "sent" after "delivered" and "delivered" after the patient replied change nothing but
 * the first delivery time. The same (message, status) seen twice is a replay: the
 * webhook_events row, inserted by the same statement as the update, makes the second a
 * no-op. A callback that beats the sender's record of the provider's id is kept
 * (early_statuses, 0090) and applied, with the same rule, when the id is recorded. */
#include "hooks.h"

#include <string.h>

#include "core/log.h"

enum {
	STATUS_WORKSPACE,
	STATUS_APPLY,
};

static const struct db_stmt status_sql[] = {
	/* The message's workspace; NULL when no message has this id yet, and then the
	 * callback is kept for the sender to apply when it records the id (0090). The
	 * transaction is scoped to that workspace in the same round trip (what
	 * db_set_tenant does; '' scopes it to none). */
	[STATUS_WORKSPACE] = { "hooks_status_workspace",
		"SELECT s.ws, " DB_TENANT_SCOPE("coalesce(s.ws::text, '')") " "
		"  FROM app_status_workspace($1, $2, $3, $4::message_status, $5) AS s(ws)" },
	/* $2 is our status; the message keeps the higher of the two ranks. The callback's
	 * webhook_events row ($4: workspace, $5: provider, $6: event id) goes in first, in
	 * the same statement: a replay finds it there and changes nothing. */
	[STATUS_APPLY] = { "hooks_status_apply",
		"WITH fresh AS (" HOOKS_EVENT_INSERT("$4", "$5", "$6") ") "
		"UPDATE messages SET "
		"  status = CASE WHEN app_status_rank(status) < app_status_rank($2::message_status) "
		"                THEN $2::message_status ELSE status END, "
		"  delivered_at = CASE WHEN $2 = 'DELIVERED' THEN coalesce(delivered_at, now()) "
		"                      ELSE delivered_at END, "
		"  error = CASE WHEN $2 = 'FAILED' "
		"               AND app_status_rank(status) < app_status_rank('FAILED') "
		"               THEN $3 ELSE error END "
		"WHERE external_id = $1 AND EXISTS (SELECT 1 FROM fresh) "
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
	const char *event_id = arena_printf(c->a, "%s:%s", external_id, provider_status);
	return Q(c, &status_sql[STATUS_APPLY], external_id, ours, error, ws, provider,
		 event_id) ? 0 : -1;
}
