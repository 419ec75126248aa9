/* import_batch.c: a staged CSV import (import_upload.c), its report and its confirm.
 *
 * GET /patients/import/:id shows the report: the figures and the rows refused, duplicated
 * or opted out. POST /patients/import/:id/confirm stamps the batch confirmed under its
 * row lock and inserts every accepted row in the same transaction, so nothing is
 * half-imported and a second confirm imports nothing. Patients of an ACTIVE campaign get
 * their first message in the same statement (0116). RECEPTIONIST may use this; a DOCTOR
 * only with the campaigns they created. */
#include "patients/patients.h"
#include "patients/import.h"

#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "core/audit.h"
#include "core/labels.h"
#include "core/log.h"
#include "core/nitems.h"
#include "core/render.h"

#define REPORT_LIST_MAX 1000   /* rows listed by name in the report */
/* One of the rows to import, kept unless it is a late duplicate (Q_MARK_DUPLICATES). */
#define KEEP(col) "coalesce(array_agg(r." col " ORDER BY r.o), '{}')"

enum {
	Q_CUSTOM_PLANS, Q_AUTO_PLANS, Q_REPORT, Q_REPORT_ROWS, Q_CONFIRM, Q_MARK_DUPLICATES,
	Q_IMPORT_ROWS, Q_BATCH_DONE,
};

static const struct db_stmt sql[] = {
	/* The bulk statements of both halves (the upload's verdicts, the confirm's duplicate
	 * marks and inserts) depend on which campaign and batch they see (an empty
	 * campaign makes the duplicate checks free): a generic plan, which PostgreSQL picks
	 * after five runs, checked every row against the whole patients table and took
	 * 30 s for 10,000 rows instead of 3. For this transaction only, and only around
	 * those statements: custom plans for the foreign-key checks of the rows inserted
	 * after them are worse, see Q_AUTO_PLANS. */
	[Q_CUSTOM_PLANS] = { "patients_import_custom_plans",
		"SELECT set_config('plan_cache_mode', 'force_custom_plan', true)" },
	/* A workspace's first big import is a workspace the statistics do not know: planned
	 * for its id, each foreign-key check of a new message against its patient saw one
	 * row to find, any index starting with workspace_id would do, and it filtered the
	 * workspace's rows by id (46 s for 10,000 messages). The generic plan PostgreSQL
	 * settles on after five checks uses the (workspace_id, id) key. */
	[Q_AUTO_PLANS] = { "patients_import_auto_plans",
		"SELECT set_config('plan_cache_mode', 'auto', true)" },
	[Q_REPORT] = { "patients_import_report",
		"SELECT b.id, b.campaign_id, c.name AS campaign, c.status AS campaign_status,"
		" b.filename, b.delimiter, b.encoding, array_to_string(b.ignored_columns, ', ')"
		"   AS ignored, b.total_rows, b.imported, b.enqueued,"
		" b.confirmed_at IS NOT NULL AS confirmed, b.expires_at < now() AS expired,"
		" to_char(b.expires_at AT TIME ZONE 'America/Guayaquil', 'HH24:MI') AS expires,"
		" b.accepted, b.refused, b.duplicate_file, b.duplicate_campaign, b.opted_out"
		" FROM import_batches b"
		" JOIN campaigns c ON c.workspace_id = b.workspace_id AND c.id = b.campaign_id"
		" WHERE b.id = $1" BATCH_SCOPE },
	/* The rows the report lists are kept apart (0142's listed_*): the thousands to
	 * import are not read here. */
	[Q_REPORT_ROWS] = { "patients_import_report_rows",
		"SELECT r.line, r.status, r.reason, r.name, r.contact"
		" FROM import_batches b CROSS JOIN LATERAL unnest(b.listed_lines, b.listed_statuses,"
		"   b.listed_reasons, b.listed_names, b.listed_contacts)"
		"   AS r(line, status, reason, name, contact)"
		" WHERE b.id = $1"
		" ORDER BY r.line LIMIT 1000" },   /* REPORT_LIST_MAX */
	/* The row lock makes a concurrent second confirm wait, then find it confirmed. */
	[Q_CONFIRM] = { "patients_import_confirm",
		"UPDATE import_batches b SET confirmed_at = now() FROM campaigns c"
		" WHERE c.workspace_id = b.workspace_id AND c.id = b.campaign_id"
		"   AND b.id = $1" BATCH_SCOPE
		"   AND b.confirmed_at IS NULL AND b.expires_at >= now()"
		"   AND c.status IN ('DRAFT', 'ACTIVE')"
		" RETURNING b.campaign_id" },
	/* Checked against the campaign again: another import may have added them since. The
	 * rows found move from the rows to import to the rows the report lists, as
	 * DUPLICATE_CAMPAIGN, and the figures with them; when there are none (the usual case)
	 * the rows are only read, and a campaign without patients reads none. A statement of
	 * its own, before the insert: as an anti-join inside the INSERT it probed, for every
	 * row, the index entries the same statement had just added (not visible to it, but
	 * walked all the same), and 10,000 rows took 9 s instead of 0.5. Both joins below
	 * are hash joins (the unnested arrays are estimated alike whatever they hold), so a
	 * whole file found again costs 60-300 ms; rewriting 0100's JSON document for it
	 * took 0.4 s, and 40 s when the planner chose a nested loop. */
	[Q_MARK_DUPLICATES] = { "patients_import_mark_duplicates",
		"WITH late AS (SELECT array_agg(r.line ORDER BY r.line) AS lines,"
		"   array_agg(r.name ORDER BY r.line) AS names,"
		"   array_agg(coalesce(r.phone, r.email) ORDER BY r.line) AS contacts,"
		"   count(*) AS n, count(*) FILTER (WHERE r.opted_out) AS n_opted_out"
		"  FROM import_batches b CROSS JOIN LATERAL unnest(b.import_lines, b.import_names,"
		"    b.import_phones, b.import_emails, b.import_appointment_times, b.import_opted_out)"
		"    AS r(line, name, phone, email, appointment_time, opted_out)"
		"  WHERE b.id = $1 AND " CAMPAIGN_HAS_PATIENTS("$2")
		"    AND EXISTS (SELECT 1 FROM patients p"
		"    WHERE p.campaign_id = $2 AND " SAME_PATIENT("r", "r.appointment_time") "))"
		" UPDATE import_batches b SET accepted = b.accepted - late.n,"
		"   duplicate_campaign = b.duplicate_campaign + late.n,"
		"   opted_out = b.opted_out - late.n_opted_out,"
		"   listed_lines = b.listed_lines || late.lines,"
		"   listed_statuses = b.listed_statuses"
		"     || array_fill('DUPLICATE_CAMPAIGN'::text, ARRAY[late.n::int]),"
		"   listed_reasons = b.listed_reasons"
		"     || array_fill('Ya está en la campaña con la misma cita.'::text, ARRAY[late.n::int]),"
		"   listed_names = b.listed_names || late.names,"
		"   listed_contacts = b.listed_contacts || late.contacts,"
		"   (import_lines, import_names, import_phones, import_emails,"
		"    import_appointment_times, import_appointment_types, import_consents,"
		"    import_channels, import_languages, import_opted_out) = (SELECT"
		"     " KEEP("line") ", " KEEP("name") ", " KEEP("phone") ", " KEEP("email") ","
		"     " KEEP("appointment_time") ", " KEEP("appointment_type") ","
		"     " KEEP("has_consent") ", " KEEP("channel") ", " KEEP("language") ","
		"     " KEEP("opted_out")
		"    FROM unnest(b.import_lines, b.import_names, b.import_phones, b.import_emails,"
		"      b.import_appointment_times, b.import_appointment_types, b.import_consents,"
		"      b.import_channels, b.import_languages, b.import_opted_out) WITH ORDINALITY"
		"      AS r(line, name, phone, email, appointment_time, appointment_type,"
		"           has_consent, channel, language, opted_out, o)"
		"    LEFT JOIN unnest(late.lines) AS l(line) ON l.line = r.line"
		"    WHERE l.line IS NULL)"
		" FROM late WHERE b.id = $1 AND late.n > 0" },
	/* The accepted rows and, when the campaign is ACTIVE, their INITIAL messages, in one
	 * statement (0116): the messages come from the rows the INSERT returns, asked as
	 * campaign_enqueue asks (the same functions), with no patient read again and no
	 * message looked for (a patient inserted here has none). The campaign is locked as
	 * campaign_enqueue locks it, so a concurrent cancel waits or is seen. The opt-out
	 * checks are one probe each of the (workspace_id, phone) and (workspace_id, email)
	 * keys ($3 the workspace; OFFSET 0 keeps them lookups: as an anti join, planned for
	 * the one row PostgreSQL expects of a CTE, each row read the workspace's whole list).
	 * due_now: a message is due at once, and the sender is woken after the commit. The
	 * rows are the import_* arrays (0142), unnested in their order, which is the file's:
	 * no sort. */
	[Q_IMPORT_ROWS] = { "patients_import_insert",
		"WITH camp AS MATERIALIZED (SELECT c.scheduled_hours_after AS hours"
		"  FROM campaigns c WHERE c.id = $2 AND c.status = 'ACTIVE' FOR UPDATE),"
		" ins AS (INSERT INTO patients (workspace_id, name, phone, email,"
		"   appointment_time, appointment_type, has_consent, consent_at, opted_out_at,"
		"   preferred_channel, language, campaign_id)"
		" SELECT b.workspace_id, r.name, r.phone, r.email, r.appointment_time,"
		"   r.appointment_type, r.has_consent, CASE WHEN r.has_consent THEN now() END,"
		"   CASE WHEN r.opted_out THEN now() END, r.channel::message_channel, r.language, $2"
		" FROM import_batches b CROSS JOIN LATERAL unnest(b.import_names, b.import_phones,"
		"   b.import_emails, b.import_appointment_times, b.import_appointment_types,"
		"   b.import_consents, b.import_channels, b.import_languages, b.import_opted_out)"
		"   AS r(name, phone, email, appointment_time, appointment_type, has_consent,"
		"        channel, language, opted_out)"
		" WHERE b.id = $1"
		" RETURNING id, preferred_channel, appointment_time, has_consent, opted_out_at,"
		"   data_deleted_at, phone, email),"
		" msg AS (INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,"
		"   status, scheduled_at)"
		" SELECT $3, i.id, $2, 'INITIAL', i.preferred_channel, 'PENDING',"
		"   campaign_first_due(i.appointment_time, camp.hours)"
		" FROM ins i CROSS JOIN camp"
		" WHERE patient_askable(i.has_consent, i.opted_out_at, i.data_deleted_at,"
		"   i.preferred_channel, i.phone, i.email)"
		"   AND NOT campaign_too_late(i.appointment_time)"
		"   AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.workspace_id = $3"
		"     AND o.phone = i.phone OFFSET 0)"
		"   AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.workspace_id = $3"
		"     AND o.email = i.email OFFSET 0)"
		" RETURNING scheduled_at)"
		" SELECT (SELECT count(*) FROM ins) AS n, (SELECT count(*) FROM msg) AS enqueued,"
		"   coalesce((SELECT bool_or(scheduled_at <= now()) FROM msg), false) AS due_now" },
	[Q_BATCH_DONE] = { "patients_import_batch_done",
		"UPDATE import_batches SET imported = $2, enqueued = $3 WHERE id = $1" },
};
const struct app_sql patients_import_batch_sql = { sql, nitems(sql) };

int patients_import_plans(struct ctx *c, bool custom)
{
	return Q0(c, &sql[custom ? Q_CUSTOM_PLANS : Q_AUTO_PLANS]) ? 0 : -1;
}

static const struct label row_statuses[] = {
	{ "REFUSED", "Rechazada" }, { "DUPLICATE_FILE", "Duplicada en el archivo" },
	{ "DUPLICATE_CAMPAIGN", "Ya en la campaña" }, { "ACCEPTED", "Aceptada (dada de baja)" },
};

int patients_get_import_report(struct ctx *c)
{
	const char *id = ctx_param(c, "id");
	PGresult *b = Q(c, &sql[Q_REPORT], id, patients_doctor_scope(c));
	if (!b)
		return -1;
	if (PQntuples(b) == 0)
		return render_error(c, 404, "No existe esa importación (o ya caducó).");
	static const char *const cols[] = { "ID", "id", "CAMPAIGN", "campaign", "CAMPAIGN_ID",
		"campaign_id", "FILENAME", "filename", "DELIMITER", "delimiter", "ENCODING",
		"encoding", "IGNORED", "ignored", "TOTAL", "total_rows", "ACCEPTED", "accepted",
		"REFUSED", "refused", "DUPLICATE_FILE", "duplicate_file", "DUPLICATE_CAMPAIGN",
		"duplicate_campaign", "OPTED_OUT", "opted_out", "IMPORTED", "imported",
		"ENQUEUED", "enqueued", "EXPIRES", "expires" };
	for (size_t i = 0; i < nitems(cols); i += 2)
		tpl_set(c->page, cols[i], db_get_or(b, 0, cols[i + 1], "0"));
	if (*db_get_or(b, 0, "ignored", ""))
		tpl_show(c->page, "HAS_IGNORED");
	if (db_get_bool(b, 0, "confirmed"))
		tpl_show(c->page, "CONFIRMED");
	else if (db_get_bool(b, 0, "expired"))
		tpl_show(c->page, "EXPIRED");
	else if (db_get_int(b, 0, "accepted", 0) > 0)
		tpl_show(c->page, "CAN_CONFIRM");
	else
		tpl_show(c->page, "NOTHING_TO_IMPORT");
	if (c->user->role != ROLE_RECEPTIONIST)
		tpl_show(c->page, "CAN_SEE_PATIENTS");

	PGresult *rows = Q(c, &sql[Q_REPORT_ROWS], id);
	if (!rows)
		return -1;
	for (int i = 0; i < PQntuples(rows); i++) {
		struct tpl_dict *r = tpl_section(c->page, "ROW");
		const char *st = db_get(rows, i, "status");
		tpl_set(r, "LINE", db_get(rows, i, "line"));
		tpl_set(r, "STATUS_CODE", st);
		tpl_set(r, "STATUS", label_find(row_statuses, nitems(row_statuses), st));
		tpl_set(r, "NAME", db_get_or(rows, i, "name", ""));
		tpl_set(r, "CONTACT", db_get_or(rows, i, "contact", ""));
		/* An accepted row is listed because it is on the opt-out list. */
		tpl_set(r, "REASON", db_get_or(rows, i, "reason",
			strcmp(st, "ACCEPTED") == 0 ? "Está en la lista de bajas: se importa, "
			"pero no se le enviarán mensajes." : ""));
	}
	if (PQntuples(rows) == REPORT_LIST_MAX)
		tpl_show(c->page, "ROWS_TRUNCATED");
	return render_page(c, 200, "patient_import_report", "Informe de importación");
}

/* Why a batch could not be confirmed: not there (404), done (back to the report),
 * expired or its campaign closed (422). */
static int not_confirmable(struct ctx *c, const char *id)
{
	PGresult *b = Q(c, &sql[Q_REPORT], id, patients_doctor_scope(c));
	if (!b)
		return -1;
	if (PQntuples(b) == 0)
		return render_error(c, 404, "No existe esa importación (o ya caducó).");
	if (db_get_bool(b, 0, "confirmed"))
		return render_redirect(c, arena_printf(c->a, "/patients/import/%s", id));
	if (db_get_bool(b, 0, "expired"))
		return render_error(c, 422, "Esta importación caducó (los datos esperan una hora). "
				    "Suba el archivo otra vez.");
	return render_error(c, 422, "La campaña ya no admite pacientes (está completada o "
			    "cancelada).");
}

int patients_post_import_confirm(struct ctx *c)
{
	double t0 = log_clock_ms();
	const char *id = ctx_param(c, "id");
	if (patients_import_plans(c, true))
		return -1;
	PGresult *res = Q(c, &sql[Q_CONFIRM], id, patients_doctor_scope(c));
	if (!res)
		return -1;
	if (PQntuples(res) == 0)
		return not_confirmable(c, id);
	const char *campaign = arena_strdup(c->a, db_get(res, 0, "campaign_id"));
	if (!Q(c, &sql[Q_MARK_DUPLICATES], id, campaign) || patients_import_plans(c, false) ||
	    !(res = Q(c, &sql[Q_IMPORT_ROWS], id, campaign, c->user->workspace_id)))
		return -1;
	const char *n = arena_strdup(c->a, db_get(res, 0, "n"));
	const char *enq = arena_strdup(c->a, db_get(res, 0, "enqueued"));
	c->wake_sender |= db_get_bool(res, 0, "due_now");
	if (!Q(c, &sql[Q_BATCH_DONE], id, n, enq))
		return -1;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "campaign_id", json_object_new_string(campaign));
	json_object_object_add(o, "imported", json_object_new_int64(atoll(n)));
	json_object_object_add(o, "enqueued", json_object_new_int64(atoll(enq)));
	if (audit_record(c, NULL, NULL, "import.confirm", "import_batch", id, NULL,
			 patients_json_text(c, o)))
		return -1;
	log_info("import confirmed", "rows", n, "ms", arena_printf(c->a, "%.1f", log_clock_ms() - t0));
	return render_redirect(c, arena_printf(c->a, "/patients/import/%s", id));
}
