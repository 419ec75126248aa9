/* page.c: GET /patients/:id, one patient with every message: type, channel, status, when
 * it was scheduled, sent, delivered and answered, the reply and the rating. */
#include "patients/patients.h"

#include "core/labels.h"
#include "core/nitems.h"
#include "core/render.h"

enum { Q_MESSAGES };

#define LOCAL(col) "to_char(m." col " AT TIME ZONE $2, 'DD/MM/YYYY HH24:MI') AS " col
static const struct db_stmt sql[] = {
	[Q_MESSAGES] = { "patients_page_messages",
		"SELECT m.type, m.channel, m.status, m.reply_text, m.rating, m.error, "
		LOCAL("scheduled_at") ", " LOCAL("sent_at") ", " LOCAL("delivered_at") ", "
		LOCAL("replied_at")
		" FROM messages m WHERE m.patient_id = $1 ORDER BY m.created_at, m.id" },
};
const struct app_sql patients_page_sql = { sql, nitems(sql) };

int patients_get_page(struct ctx *c)
{
	const char *id = ctx_param(c, "id");
	PGresult *p;
	int rc = patients_load(c, &p);
	if (rc <= 0)
		return rc;
	static const char *const cols[] = { "ID", "id", "NAME", "name", "PHONE", "phone",
		"EMAIL", "email", "TYPE", "appointment_type", "CAMPAIGN", "campaign",
		"CAMPAIGN_ID", "campaign_id", "APPOINTMENT", "appointment", "CONSENT_AT",
		"consent_at", "OPTED_OUT_AT", "opted_out_at", "DELETED_AT", "data_deleted_at",
		"CREATED_AT", "created_at", "TIMEZONE", "timezone" };
	for (size_t i = 0; i < nitems(cols); i += 2)
		tpl_set(c->page, cols[i], db_get_or(p, 0, cols[i + 1], ""));
	tpl_set(c->page, "CHANNEL", label_channel(db_get(p, 0, "preferred_channel")));
	tpl_set(c->page, "LANGUAGE", label_language(db_get(p, 0, "language")));
	tpl_set(c->page, "CONSENT", db_get_bool(p, 0, "has_consent") ? "Sí" : "No");
	tpl_show(c->page, db_get_bool(p, 0, "opted_out") ? "OPTED_OUT" : "CAN_OPT_OUT");
	tpl_show(c->page, db_get_bool(p, 0, "erased") ? "ERASED" : "NOT_ERASED");
	if (db_get(p, 0, "campaign_id"))
		tpl_show(c->page, "HAS_CAMPAIGN");

	PGresult *m = Q(c, &sql[Q_MESSAGES], id, db_get(p, 0, "timezone"));
	if (!m)
		return -1;
	for (int i = 0; i < PQntuples(m); i++) {
		struct tpl_dict *row = tpl_section(c->page, "MESSAGE");
		tpl_set(row, "TYPE", label_message_type(db_get(m, i, "type")));
		tpl_set(row, "CHANNEL", label_channel(db_get(m, i, "channel")));
		tpl_set(row, "STATUS", label_message_status(db_get(m, i, "status")));
		tpl_set(row, "STATUS_CODE", db_get(m, i, "status"));
		tpl_set(row, "SCHEDULED_AT", db_get_or(m, i, "scheduled_at", "—"));
		tpl_set(row, "SENT_AT", db_get_or(m, i, "sent_at", "—"));
		tpl_set(row, "DELIVERED_AT", db_get_or(m, i, "delivered_at", "—"));
		tpl_set(row, "REPLIED_AT", db_get_or(m, i, "replied_at", "—"));
		tpl_set(row, "REPLY", db_get_or(m, i, "reply_text", "—"));
		tpl_set(row, "RATING", db_get_or(m, i, "rating", "—"));
		tpl_set(row, "ERROR", db_get_or(m, i, "error", ""));
	}
	if (PQntuples(m) == 0)
		tpl_show(c->page, "NO_MESSAGES");
	return render_page(c, 200, "patient", db_get(p, 0, "name"));
}
