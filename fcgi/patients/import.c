/* import.c: the CSV import into a campaign, in two steps.
 *
 * POST /patients/import reads the file (core/csv_import.c), stages every row with its
 * verdict as one JSON document on the batch's import_batches row, with the report's
 * figures beside it (0100: one row written, not one a line; duplicates against the
 * campaign and the workspace's opt-out list are decided here, in SQL) and redirects to
 * the report, GET /patients/import/:id. The staged rows wait in the database for one
 * hour. POST /patients/import/:id/confirm stamps the batch confirmed under its row lock
 * and inserts every accepted row in the same transaction, so nothing is half-imported
 * and a second confirm imports nothing.
 * Patients of an ACTIVE campaign get their first message in the same statement (0116).
 * RECEPTIONIST may use all of this; a DOCTOR only with the campaigns they created. */
#include "patients/patients.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/csv_import.h"
#include "core/json.h"
#include "core/log.h"
#include "core/nitems.h"
#include "core/render.h"

#define REPORT_LIST_MAX 1000   /* rows listed by name in the report */

enum {
	Q_CUSTOM_PLANS, Q_AUTO_PLANS, Q_CLEANUP, Q_CAMPAIGN, Q_VERDICTS, Q_BATCH_INSERT, Q_REPORT,
	Q_REPORT_ROWS, Q_CONFIRM, Q_MARK_DUPLICATES, Q_IMPORT_ROWS, Q_BATCH_DONE,
};

/* The batch as the user may see it: RLS for the workspace, created_by for a DOCTOR. */
#define BATCH_SCOPE " AND ($2::uuid IS NULL OR c.created_by = $2)"
/* Same contact (the phone, or the email when there is no phone) and appointment. */
#define SAME_PATIENT(r, t)                                                                \
	"((" r ".phone IS NOT NULL AND p.phone = " r ".phone) OR"                            \
	" (" r ".phone IS NULL AND p.email = " r ".email)) AND p.appointment_time = " t

/* Asked once a statement (a subquery of no row's values): an import into a campaign
 * without patients yet, the usual case, skips the duplicate checks of its rows, and its
 * confirm reads no staged row to look for them. */
#define CAMPAIGN_HAS_PATIENTS(c) \
	"EXISTS (SELECT 1 FROM patients pc WHERE pc.campaign_id = " c ")"

static const struct db_stmt sql[] = {
	/* The bulk statements below depend on which campaign and batch they see (an empty
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
	/* Staged rows live one hour; expired batches go whenever the import is used. */
	[Q_CLEANUP] = { "patients_import_cleanup",
		"DELETE FROM import_batches WHERE expires_at < now()" },
	[Q_CAMPAIGN] = { "patients_import_campaign",
		"SELECT c.name, c.status, coalesce(pr.timezone, 'America/Guayaquil') AS timezone"
		" FROM campaigns c"
		" LEFT JOIN practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id"
		" WHERE c.id = $1" BATCH_SCOPE " AND c.status IN ('DRAFT', 'ACTIVE')" },
	/* What only the database can say of each row the file did not refuse, in line order:
	 * its appointment resolved in the practice's timezone $3 (as JSON, the document's
	 * form), whether the campaign $2 has it already (same contact and appointment; a
	 * campaign without patients, the usual case, asks nothing) and whether its phone or
	 * email is on the workspace's opt-out list (two lookups on the (workspace_id, phone)
	 * and (workspace_id, email) keys: an OR in one could only filter the whole list).
	 * $1: the rows as JSON [{line, status, phone, email, appointment}]. */
	[Q_VERDICTS] = { "patients_import_verdicts",
		"SELECT r.line, to_json(t.at)::text AS at,"
		"  r.status = 'ACCEPTED' AND d.dup AS dup,"
		"  r.status = 'ACCEPTED' AND (EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = r.phone)"
		"   OR EXISTS (SELECT 1 FROM opt_outs o WHERE o.email = r.email)) AS opted_out"
		" FROM json_to_recordset($1::json) AS r(line int, status text, phone text, email text,"
		"   appointment text)"
		" CROSS JOIN LATERAL (SELECT CASE"
		"   WHEN r.appointment ~ '[+-][0-9]{2}:[0-9]{2}$' THEN r.appointment::timestamptz"
		"   ELSE r.appointment::timestamp AT TIME ZONE $3 END AS at) t"
		/* OFFSET 0 keeps the check a subquery of its own, asked once a row. */
		" CROSS JOIN LATERAL (SELECT " CAMPAIGN_HAS_PATIENTS("$2") " AND EXISTS (SELECT 1"
		"   FROM patients p WHERE p.campaign_id = $2 AND " SAME_PATIENT("r", "t.at") ")"
		"   AS dup OFFSET 0) d"
		" ORDER BY r.line" },
	/* The batch and its rows as one document (0100), written by stage_document: $1
	 * workspace, $2 campaign, $3 author, $4 file name, $5 delimiter, $6 encoding, $7
	 * ignored columns, $8 rows in the file, $9 the document, $10-$14 the report's figures
	 * (accepted, refused, duplicate in the file, already in the campaign, opted out). */
	[Q_BATCH_INSERT] = { "patients_import_batch_insert",
		"INSERT INTO import_batches (workspace_id, campaign_id, created_by, filename,"
		" delimiter, encoding, ignored_columns, total_rows, staged_rows, accepted, refused,"
		" duplicate_file, duplicate_campaign, opted_out)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9::json, $10, $11, $12, $13, $14)"
		" RETURNING id" },
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
	[Q_REPORT_ROWS] = { "patients_import_report_rows",
		"SELECT r.line, r.status, r.reason, r.name, r.phone, r.email, r.opted_out"
		" FROM import_batches b CROSS JOIN LATERAL json_to_recordset(b.staged_rows)"
		"   AS r(line int, status text, reason text, name text, phone text, email text,"
		"        opted_out bool)"
		" WHERE b.id = $1 AND (r.status <> 'ACCEPTED' OR r.opted_out)"
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
	 * rows found are rewritten as DUPLICATE_CAMPAIGN in the document, and the figures
	 * with them; when there are none (the usual case) the document is only read. A statement of
	 * its own, before the insert: as an anti-join inside the INSERT it probed, for every
	 * row, the index entries the same statement had just added (not visible to it, but
	 * walked all the same), and 10,000 rows took 9 s instead of 0.5. */
	[Q_MARK_DUPLICATES] = { "patients_import_mark_duplicates",
		"WITH late AS (SELECT array_agg(r.line) AS lines, count(*) AS n,"
		"   count(*) FILTER (WHERE r.opted_out) AS n_opted_out"
		"  FROM import_batches b CROSS JOIN LATERAL json_to_recordset(b.staged_rows)"
		"    AS r(line int, status text, phone text, email text,"
		"         appointment_time timestamptz, opted_out bool)"
		"  WHERE b.id = $1 AND " CAMPAIGN_HAS_PATIENTS("$2") " AND r.status = 'ACCEPTED'"
		"    AND EXISTS (SELECT 1 FROM patients p"
		"    WHERE p.campaign_id = $2 AND " SAME_PATIENT("r", "r.appointment_time") "))"
		" UPDATE import_batches b SET accepted = b.accepted - late.n,"
		"   duplicate_campaign = b.duplicate_campaign + late.n,"
		"   opted_out = b.opted_out - late.n_opted_out,"
		"   staged_rows = (SELECT json_agg(CASE WHEN l.line IS NULL THEN x.e"
		"     ELSE (x.e::jsonb || jsonb_build_object('status', 'DUPLICATE_CAMPAIGN',"
		"       'reason', 'Ya está en la campaña con la misma cita.'))::json END ORDER BY x.o)"
		"     FROM json_array_elements(b.staged_rows) WITH ORDINALITY AS x(e, o)"
		"     LEFT JOIN unnest(late.lines) AS l(line) ON l.line = (x.e->>'line')::int)"
		" FROM late WHERE b.id = $1 AND late.n > 0" },
	/* The accepted rows and, when the campaign is ACTIVE, their INITIAL messages, in one
	 * statement (0116): the messages come from the rows the INSERT returns, asked as
	 * campaign_enqueue asks (the same functions), with no patient read again and no
	 * message looked for (a patient inserted here has none). The campaign is locked as
	 * campaign_enqueue locks it, so a concurrent cancel waits or is seen. The opt-out
	 * checks are one probe each of the (workspace_id, phone) and (workspace_id, email)
	 * keys ($3 the workspace; OFFSET 0 keeps them lookups: as an anti join, planned for
	 * the one row PostgreSQL expects of a CTE, each row read the workspace's whole list).
	 * due_now: a message is due at once, and the sender is woken after the commit. */
	[Q_IMPORT_ROWS] = { "patients_import_insert",
		"WITH camp AS MATERIALIZED (SELECT c.scheduled_hours_after AS hours"
		"  FROM campaigns c WHERE c.id = $2 AND c.status = 'ACTIVE' FOR UPDATE),"
		" ins AS (INSERT INTO patients (workspace_id, name, phone, email,"
		"   appointment_time, appointment_type, has_consent, consent_at, opted_out_at,"
		"   preferred_channel, language, campaign_id)"
		" SELECT b.workspace_id, r.name, r.phone, r.email, r.appointment_time,"
		"   r.appointment_type, r.has_consent, CASE WHEN r.has_consent THEN now() END,"
		"   CASE WHEN r.opted_out THEN now() END, r.channel::message_channel, r.language, $2"
		" FROM import_batches b CROSS JOIN LATERAL json_to_recordset(b.staged_rows)"
		"   AS r(line int, status text, name text, phone text, email text,"
		"        appointment_time timestamptz, appointment_type text, has_consent bool,"
		"        channel text, language text, opted_out bool)"
		" WHERE b.id = $1 AND r.status = 'ACCEPTED'"
		" ORDER BY r.line"
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
const struct app_sql patients_import_sql = { sql, nitems(sql) };

static int import_form(struct ctx *c, int status)
{
	if (patients_campaign_options(c, ctx_param(c, "campaign_id"), true))
		return -1;
	return render_page(c, status, "patient_import", "Importar pacientes");
}

int patients_get_import(struct ctx *c)
{
	if (!Q0(c, &sql[Q_CLEANUP]))
		return -1;
	return import_form(c, 200);
}

static const char *row_status(enum csv_import_status s)
{
	return s == CSV_ROW_ACCEPTED ? "ACCEPTED" : s == CSV_ROW_REFUSED ? "REFUSED"
									: "DUPLICATE_FILE";
}

/* A row's verdicts from Q_VERDICTS (rows the file refused have none). */
struct verdict {
	const char *at;   /* the appointment as JSON ("2030-03-01T15:00:00+00:00"), or NULL */
	bool dup;         /* already in the campaign */
	bool opted_out;   /* phone or email on the opt-out list */
};

/* The report's figures, counted from the rows and their verdicts. */
struct stage_counts {
	long accepted, refused, duplicate_file, duplicate_campaign, opted_out;
};

/* A JSON document is written straight into a buffer: a json_object for each of 110,000
 * values took 55 ms of a 10,000-row upload, this 5. */
static void add_key(struct buf *b, const char *key, const char *value)
{
	buf_printf(b, ",\"%s\":", key);
	json_buf_string(b, value);
}

/* b's bytes, copied into the request's arena; b is released. */
static const char *buf_to_arena(struct ctx *c, struct buf *b)
{
	const char *s = arena_memdup(c->a, b->buf, b->len);
	buf_release(b);
	return s;
}

/* The rows Q_VERDICTS asks about: those the file did not refuse. */
static const char *verdict_input(struct ctx *c, const struct csv_import *imp)
{
	struct buf b = BUF_INIT;
	buf_grow(&b, imp->nrows * 96);
	buf_addch(&b, '[');
	for (size_t i = 0, n = 0; i < imp->nrows; i++) {
		const struct csv_import_row *r = &imp->rows[i];
		if (r->status == CSV_ROW_REFUSED)
			continue;
		buf_printf(&b, "%s{\"line\":%ld", n++ ? "," : "", r->line);
		add_key(&b, "status", row_status(r->status));
		add_key(&b, "phone", r->phone);
		add_key(&b, "email", r->email);
		add_key(&b, "appointment", r->appointment);
		buf_addch(&b, '}');
	}
	buf_addch(&b, ']');
	return buf_to_arena(c, &b);
}

/* v[i] gets row i's verdicts; rows and answers are both in line order. */
static int verdicts(struct ctx *c, const struct csv_import *imp, const char *campaign,
		    const char *timezone, struct verdict *v)
{
	PGresult *res = Q(c, &sql[Q_VERDICTS], verdict_input(c, imp), campaign, timezone);
	if (!res)
		return -1;
	size_t i = 0;
	for (int k = 0; k < PQntuples(res); k++) {
		long line = atol(db_get(res, k, "line"));
		while (i < imp->nrows && imp->rows[i].line < line)
			i++;
		if (i == imp->nrows || imp->rows[i].line != line) {
			log_error("import verdict for a line the file does not have",
				  "line", db_get(res, k, "line"));
			return -1;
		}
		const char *at = db_get(res, k, "at");
		v[i] = (struct verdict){ at ? arena_strdup(c->a, at) : NULL,
					 db_get_bool(res, k, "dup"), db_get_bool(res, k, "opted_out") };
	}
	return 0;
}

/* The staged document every later step reads (the report, the confirm): each line with
 * its verdict, its values and its resolved appointment, in line order; and its figures. */
static const char *stage_document(struct ctx *c, const struct csv_import *imp,
				  const struct verdict *v, struct stage_counts *n)
{
	static const char dup_reason[] = "Ya está en la campaña con la misma cita.";
	struct buf b = BUF_INIT;
	buf_grow(&b, imp->nrows * 320);
	buf_addch(&b, '[');
	for (size_t i = 0; i < imp->nrows; i++) {
		const struct csv_import_row *r = &imp->rows[i];
		bool refused = r->status == CSV_ROW_REFUSED;
		bool dup = r->status == CSV_ROW_ACCEPTED && v[i].dup;
		bool accepted = r->status == CSV_ROW_ACCEPTED && !dup;
		bool opted_out = accepted && v[i].opted_out;
		n->accepted += accepted;
		n->refused += refused;
		n->duplicate_file += r->status == CSV_ROW_DUPLICATE;
		n->duplicate_campaign += dup;
		n->opted_out += opted_out;
		buf_printf(&b, "%s{\"line\":%ld", i ? "," : "", r->line);
		add_key(&b, "status", dup ? "DUPLICATE_CAMPAIGN" : row_status(r->status));
		add_key(&b, "reason", dup ? dup_reason : r->reason);
		add_key(&b, "name", r->name);
		add_key(&b, "phone", refused ? NULL : r->phone);
		add_key(&b, "email", refused ? NULL : r->email);
		buf_printf(&b, ",\"appointment_time\":%s", v[i].at ? v[i].at : "null");
		add_key(&b, "appointment_type", refused ? NULL : r->appointment_type);
		buf_printf(&b, ",\"has_consent\":%s", !refused && r->consent ? "true" : "false");
		add_key(&b, "channel", refused ? NULL : r->channel);
		add_key(&b, "language", refused ? NULL : r->language);
		buf_printf(&b, ",\"opted_out\":%s}", opted_out ? "true" : "false");
	}
	buf_addch(&b, ']');
	return buf_to_arena(c, &b);
}

/* The ignored header names as a PostgreSQL text[] literal. */
static const char *text_array(struct ctx *c, const char **items, size_t n)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, '{');
	for (size_t i = 0; i < n; i++) {
		buf_adds(&b, i ? ",\"" : "\"");
		for (const char *p = items[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_addch(&b, '\\');
			buf_addch(&b, *p);
		}
		buf_addch(&b, '"');
	}
	buf_addch(&b, '}');
	return buf_to_arena(c, &b);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

int patients_post_import(struct ctx *c)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ctx_has_errors(c))
		return import_form(c, 422);
	const char *campaign = ctx_param(c, "campaign_id");
	PGresult *camp = Q(c, &sql[Q_CAMPAIGN], campaign, patients_doctor_scope(c));
	if (!camp || !Q0(c, &sql[Q_CLEANUP]) || !Q0(c, &sql[Q_CUSTOM_PLANS]))
		return -1;
	if (PQntuples(camp) == 0) {
		ctx_error(c, "campaign_id", "Elija una campaña en borrador o activa de la lista.");
		return import_form(c, 422);
	}
	/* The file is the one input the field table cannot declare: it is bytes in any
	 * encoding, which csv_import checks and converts itself. */
	const struct kv *file = kv_find(&c->req.form, "file");
	if (!file || !file->filename || file->value_len == 0) {
		ctx_error(c, "file", "Elija un archivo CSV con los pacientes.");
		return import_form(c, 422);
	}
	struct csv_import imp;
	if (csv_import_parse(c->a, file->value, file->value_len, patients_phone, &imp)) {
		ctx_error(c, "file", imp.error);
		return import_form(c, 422);
	}
	double parse_ms = ms_since(&t0);
	const char *ws = c->user->workspace_id;
	char filename[256];
	snprintf(filename, sizeof filename, "%s", file->filename);
	struct verdict *v = arena_calloc(c->a, imp.nrows ? imp.nrows : 1, sizeof *v);
	if (verdicts(c, &imp, campaign, db_get(camp, 0, "timezone"), v))
		return -1;
	struct stage_counts n = { 0 };
	const char *doc = stage_document(c, &imp, v, &n);
	PGresult *res = Q(c, &sql[Q_BATCH_INSERT], ws, campaign, c->user->id, filename,
			  imp.delimiter == ';' ? ";" : ",", imp.encoding,
			  text_array(c, imp.ignored, imp.nignored),
			  arena_printf(c->a, "%zu", imp.nrows), doc,
			  arena_printf(c->a, "%ld", n.accepted), arena_printf(c->a, "%ld", n.refused),
			  arena_printf(c->a, "%ld", n.duplicate_file),
			  arena_printf(c->a, "%ld", n.duplicate_campaign),
			  arena_printf(c->a, "%ld", n.opted_out));
	if (!res)
		return -1;
	const char *batch = arena_strdup(c->a, db_get(res, 0, "id"));
	struct json_object *a = json_object_new_object();
	json_object_object_add(a, "campaign_id", json_object_new_string(campaign));
	json_object_object_add(a, "filename", json_object_new_string(filename));
	json_object_object_add(a, "rows", json_object_new_int64((int64_t)imp.nrows));
	if (audit_record(c, NULL, NULL, "import_upload", "import_batch", batch, NULL,
			 patients_json_text(c, a)))
		return -1;
	log_info("import staged", "rows", arena_printf(c->a, "%zu", imp.nrows), "parse_ms",
		 arena_printf(c->a, "%.1f", parse_ms), "total_ms",
		 arena_printf(c->a, "%.1f", ms_since(&t0)));
	return render_redirect(c, arena_printf(c->a, "/patients/import/%s", batch));
}

static const char *const status_labels[][2] = {
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
		for (size_t k = 0; k < nitems(status_labels); k++)
			if (strcmp(st, status_labels[k][0]) == 0)
				tpl_set(r, "STATUS", status_labels[k][1]);
		tpl_set(r, "NAME", db_get_or(rows, i, "name", ""));
		tpl_set(r, "CONTACT", db_get_or(rows, i, "phone", db_get_or(rows, i, "email", "")));
		tpl_set(r, "REASON", db_get_or(rows, i, "reason",
			db_get_bool(rows, i, "opted_out") ? "Está en la lista de bajas: se importa, "
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
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *id = ctx_param(c, "id");
	if (!Q0(c, &sql[Q_CUSTOM_PLANS]))
		return -1;
	PGresult *res = Q(c, &sql[Q_CONFIRM], id, patients_doctor_scope(c));
	if (!res)
		return -1;
	if (PQntuples(res) == 0)
		return not_confirmable(c, id);
	const char *campaign = arena_strdup(c->a, db_get(res, 0, "campaign_id"));
	if (!Q(c, &sql[Q_MARK_DUPLICATES], id, campaign) || !Q0(c, &sql[Q_AUTO_PLANS]) ||
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
	if (audit_record(c, NULL, NULL, "import_confirm", "import_batch", id, NULL,
			 patients_json_text(c, o)))
		return -1;
	log_info("import confirmed", "rows", n, "ms", arena_printf(c->a, "%.1f", ms_since(&t0)));
	return render_redirect(c, arena_printf(c->a, "/patients/import/%s", id));
}
