/* import_upload.c: the first step of the CSV import into a campaign.
 *
 * GET /patients/import shows the form. POST /patients/import reads the file
 * (core/csv_import.c), asks the database what only it knows of each row (Q_VERDICTS),
 * and stages every row with its verdict as one JSON document on the batch's
 * import_batches row, with the report's figures beside it (0100: one row written, not
 * one a line), then redirects to the report (import_batch.c). The staged rows wait in
 * the database for one hour. RECEPTIONIST may use this; a DOCTOR only with the campaigns
 * they created. */
#include "patients/patients.h"
#include "patients/import.h"

#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/csv_import.h"
#include "core/json.h"
#include "core/log.h"
#include "core/nitems.h"
#include "core/render.h"

enum { Q_CLEANUP, Q_CAMPAIGN, Q_VERDICTS, Q_BATCH_INSERT };

static const struct db_stmt sql[] = {
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
};
const struct app_sql patients_import_upload_sql = { sql, nitems(sql) };

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

int patients_post_import(struct ctx *c)
{
	double t0 = log_clock_ms();
	if (ctx_has_errors(c))
		return import_form(c, 422);
	const char *campaign = ctx_param(c, "campaign_id");
	PGresult *camp = Q(c, &sql[Q_CAMPAIGN], campaign, patients_doctor_scope(c));
	if (!camp || !Q0(c, &sql[Q_CLEANUP]) || patients_import_plans(c, true))
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
	double parse_ms = log_clock_ms() - t0;
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
		 arena_printf(c->a, "%.1f", log_clock_ms() - t0));
	return render_redirect(c, arena_printf(c->a, "/patients/import/%s", batch));
}
