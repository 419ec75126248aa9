/* import_upload.c: the first step of the CSV import into a campaign.
 *
 * GET /patients/import shows the form. POST /patients/import reads the file
 * (core/csv_import.c), asks the database what only it knows of each row (Q_VERDICTS),
 * and stages the rows on the batch's import_batches row as typed arrays (0142: the rows
 * to import, and apart the few the report lists), with the report's figures beside them
 * (one row written, not one a line), then redirects to the report (import_batch.c). Both
 * statements get the rows as binary arrays (core/pgarray.h), which the server copies in
 * without parsing (a JSON document cost tens of milliseconds at each step). The rows wait in
 * the database for one hour. RECEPTIONIST may use this; a DOCTOR only with the campaigns
 * they created. */
#include "patients/patients.h"
#include "patients/import.h"

#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "core/audit.h"
#include "core/csv_import.h"
#include "core/log.h"
#include "core/nitems.h"
#include "core/pgarray.h"
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
	 * its appointment resolved in the practice's timezone $2 (as microseconds since
	 * 2000-01-01 UTC, the form the staged timestamptz[] is sent in), whether the campaign
	 * $1 has it already (same contact and appointment; a campaign without patients, the
	 * usual case, asks nothing) and whether its phone or email is on the workspace's
	 * opt-out list (two lookups on the (workspace_id, phone) and (workspace_id, email)
	 * keys: an OR in one could only filter the whole list).
	 * $3-$8: the rows as binary arrays (0142): line, accepted (else a duplicate in the
	 * file), phone, email, and the appointment, parsed already (csv_import): a local
	 * time ($7, for the practice's timezone) or, when the file gave an offset, the
	 * instant ($8). */
	[Q_VERDICTS] = { "patients_import_verdicts",
		"SELECT r.line,"
		"  (extract(epoch FROM t.at - timestamptz '2000-01-01 00:00+00') * 1000000)::int8"
		"    AS at_us,"
		"  r.accepted AND d.dup AS dup,"
		"  r.accepted AND (EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = r.phone)"
		"   OR EXISTS (SELECT 1 FROM opt_outs o WHERE o.email = r.email)) AS opted_out"
		" FROM unnest($3::int4[], $4::bool[], $5::text[], $6::text[], $7::timestamp[],"
		"   $8::timestamptz[]) AS r(line, accepted, phone, email, local_at, utc_at)"
		" CROSS JOIN LATERAL (SELECT coalesce(r.utc_at, r.local_at AT TIME ZONE $2) AS at) t"
		/* OFFSET 0 keeps the check a subquery of its own, asked once a row. */
		" CROSS JOIN LATERAL (SELECT " CAMPAIGN_HAS_PATIENTS("$1") " AND EXISTS (SELECT 1"
		"   FROM patients p WHERE p.campaign_id = $1 AND " SAME_PATIENT("r", "t.at") ")"
		"   AS dup OFFSET 0) d"
		" ORDER BY r.line" },
	/* The batch and its rows as typed arrays (0142), written by stage_rows: $1
	 * workspace, $2 campaign, $3 author, $4 file name, $5 delimiter, $6 encoding, $7
	 * ignored columns, $8 rows in the file, $9-$13 the report's figures (accepted,
	 * refused, duplicate in the file, already in the campaign, opted out), $14-$23 the
	 * rows to import, $24-$28 the rows the report lists. */
	[Q_BATCH_INSERT] = { "patients_import_batch_insert",
		"INSERT INTO import_batches (workspace_id, campaign_id, created_by, filename,"
		" delimiter, encoding, ignored_columns, total_rows, accepted, refused,"
		" duplicate_file, duplicate_campaign, opted_out, import_lines, import_names,"
		" import_phones, import_emails, import_appointment_times, import_appointment_types,"
		" import_consents, import_channels, import_languages, import_opted_out,"
		" listed_lines, listed_statuses, listed_reasons, listed_names, listed_contacts)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12, $13,"
		" $14::int4[], $15::text[], $16::text[], $17::text[], $18::timestamptz[],"
		" $19::text[], $20::bool[], $21::text[], $22::text[], $23::bool[],"
		" $24::int4[], $25::text[], $26::text[], $27::text[], $28::text[])"
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
	bool has_at;      /* the appointment resolved (rows the file refused have none) */
	int64_t at_us;    /* then: microseconds since 2000-01-01 00:00 UTC */
	bool dup;         /* already in the campaign */
	bool opted_out;   /* phone or email on the opt-out list */
};

/* The report's figures, counted from the rows and their verdicts. */
struct stage_counts {
	long accepted, refused, duplicate_file, duplicate_campaign, opted_out;
};

/* The arrays Q_VERDICTS takes ($3-$8), in its order. */
enum { V_LINE, V_ACCEPTED, V_PHONE, V_EMAIL, V_LOCAL_AT, V_UTC_AT, V_COUNT };

/* The rows Q_VERDICTS asks about, those the file did not refuse, into in. 0 or -1. */
static int verdict_input(struct ctx *c, const struct csv_import *imp, struct pgarray *in)
{
	static const enum pgarray_type types[V_COUNT] = { PGARRAY_INT4, PGARRAY_BOOL,
		PGARRAY_TEXT, PGARRAY_TEXT, PGARRAY_TIMESTAMP, PGARRAY_TIMESTAMPTZ };
	for (size_t k = 0; k < V_COUNT; k++)
		pgarray_init(&in[k], types[k], imp->nrows);
	for (size_t i = 0; i < imp->nrows; i++) {
		const struct csv_import_row *r = &imp->rows[i];
		if (r->status == CSV_ROW_REFUSED)
			continue;
		int64_t us;
		bool has_offset;
		if (csv_import_appointment_us(r->appointment, &us, &has_offset)) {
			log_error("import row without a parsed appointment",
				  "line", arena_printf(c->a, "%ld", r->line));
			for (size_t k = 0; k < V_COUNT; k++)
				pgarray_release(&in[k]);
			return -1;
		}
		pgarray_add_int4(&in[V_LINE], (int32_t)r->line);
		pgarray_add_bool(&in[V_ACCEPTED], r->status == CSV_ROW_ACCEPTED);
		pgarray_add_text(&in[V_PHONE], r->phone);
		pgarray_add_text(&in[V_EMAIL], r->email);
		/* Sent as text, the server parsed each appointment and told the two forms
		 * apart with a regular expression: 18 ms of 10,000 rows' verdicts, 7 now. */
		if (has_offset) {
			pgarray_add_null(&in[V_LOCAL_AT]);
			pgarray_add_int8(&in[V_UTC_AT], us);
		} else {
			pgarray_add_int8(&in[V_LOCAL_AT], us);
			pgarray_add_null(&in[V_UTC_AT]);
		}
	}
	return 0;
}

/* v[i] gets row i's verdicts; rows and answers are both in line order. The rows go as
 * binary arrays: nothing for the server to parse. */
static int verdicts(struct ctx *c, const struct csv_import *imp, const char *campaign,
		    const char *timezone, struct verdict *v)
{
	struct pgarray in[V_COUNT];
	if (verdict_input(c, imp, in))
		return -1;
	struct db_param p[2 + V_COUNT] = { DB_TEXT(campaign), DB_TEXT(timezone) };
	for (size_t k = 0; k < V_COUNT; k++)
		p[2 + k] = pgarray_param(&in[k], c->a);
	PGresult *res = db_exec_params(c->db, c->a, &sql[Q_VERDICTS], p, (int)nitems(p));
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
		const char *at = db_get(res, k, "at_us");
		v[i] = (struct verdict){ at != NULL, at ? strtoll(at, NULL, 10) : 0,
					 db_get_bool(res, k, "dup"), db_get_bool(res, k, "opted_out") };
	}
	return 0;
}

/* The arrays of the rows the confirm imports (0142's import_*), in Q_BATCH_INSERT's
 * order. */
enum { S_LINE, S_NAME, S_PHONE, S_EMAIL, S_AT, S_TYPE, S_CONSENT, S_CHANNEL, S_LANGUAGE,
       S_OPTED_OUT, S_COUNT };
/* The arrays of the rows the report lists (listed_*). */
enum { L_LINE, L_STATUS, L_REASON, L_NAME, L_CONTACT, L_COUNT };

static void add_to_import(struct pgarray *s, const struct csv_import_row *r,
			  const struct verdict *v, bool opted_out)
{
	pgarray_add_int4(&s[S_LINE], (int32_t)r->line);
	pgarray_add_text(&s[S_NAME], r->name);
	pgarray_add_text(&s[S_PHONE], r->phone);
	pgarray_add_text(&s[S_EMAIL], r->email);
	if (v->has_at)
		pgarray_add_int8(&s[S_AT], v->at_us);
	else
		pgarray_add_null(&s[S_AT]);
	pgarray_add_text(&s[S_TYPE], r->appointment_type);
	pgarray_add_bool(&s[S_CONSENT], r->consent);
	pgarray_add_text(&s[S_CHANNEL], r->channel);
	pgarray_add_text(&s[S_LANGUAGE], r->language);
	pgarray_add_bool(&s[S_OPTED_OUT], opted_out);
}

/* The staged rows every later step reads: those to import with their values and
 * resolved appointments (s), those the report lists with their verdicts (l), both in
 * line order; and the report's figures (n). */
static void stage_rows(const struct csv_import *imp, const struct verdict *v,
		       struct pgarray *s, struct pgarray *l, struct stage_counts *n)
{
	static const char dup_reason[] = "Ya está en la campaña con la misma cita.";
	static const enum pgarray_type s_types[S_COUNT] = { PGARRAY_INT4, PGARRAY_TEXT,
		PGARRAY_TEXT, PGARRAY_TEXT, PGARRAY_TIMESTAMPTZ, PGARRAY_TEXT, PGARRAY_BOOL,
		PGARRAY_TEXT, PGARRAY_TEXT, PGARRAY_BOOL };
	static const enum pgarray_type l_types[L_COUNT] = { PGARRAY_INT4, PGARRAY_TEXT,
		PGARRAY_TEXT, PGARRAY_TEXT, PGARRAY_TEXT };
	for (size_t k = 0; k < S_COUNT; k++)
		pgarray_init(&s[k], s_types[k], imp->nrows);
	for (size_t k = 0; k < L_COUNT; k++)
		pgarray_init(&l[k], l_types[k], 0);
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
		if (accepted)
			add_to_import(s, r, &v[i], opted_out);
		if (accepted && !opted_out)
			continue;
		pgarray_add_int4(&l[L_LINE], (int32_t)r->line);
		pgarray_add_text(&l[L_STATUS], dup ? "DUPLICATE_CAMPAIGN" : row_status(r->status));
		pgarray_add_text(&l[L_REASON], dup ? dup_reason : r->reason);
		pgarray_add_text(&l[L_NAME], r->name);
		pgarray_add_text(&l[L_CONTACT], refused ? NULL : r->phone ? r->phone : r->email);
	}
}

/* The ignored header names as a text[]. */
static struct db_param ignored_columns(struct ctx *c, const struct csv_import *imp)
{
	struct pgarray arr;
	pgarray_init(&arr, PGARRAY_TEXT, imp->nignored);
	for (size_t i = 0; i < imp->nignored; i++)
		pgarray_add_text(&arr, imp->ignored[i]);
	return pgarray_param(&arr, c->a);
}

/* Writes the batch with its staged rows; its id, or NULL. */
static const char *stage_batch(struct ctx *c, const struct csv_import *imp,
			       const char *campaign, const char *filename,
			       const struct verdict *v)
{
	struct stage_counts n = { 0 };
	struct pgarray s[S_COUNT], l[L_COUNT];
	stage_rows(imp, v, s, l, &n);
	enum { SCALARS = 13 };   /* $1-$13, before the arrays */
	struct db_param p[SCALARS + S_COUNT + L_COUNT] = {
		DB_TEXT(c->user->workspace_id), DB_TEXT(campaign), DB_TEXT(c->user->id),
		DB_TEXT(filename), DB_TEXT(imp->delimiter == ';' ? ";" : ","),
		DB_TEXT(imp->encoding), ignored_columns(c, imp),
		DB_TEXT(arena_printf(c->a, "%zu", imp->nrows)),
		DB_TEXT(arena_printf(c->a, "%ld", n.accepted)),
		DB_TEXT(arena_printf(c->a, "%ld", n.refused)),
		DB_TEXT(arena_printf(c->a, "%ld", n.duplicate_file)),
		DB_TEXT(arena_printf(c->a, "%ld", n.duplicate_campaign)),
		DB_TEXT(arena_printf(c->a, "%ld", n.opted_out)),
	};
	for (size_t k = 0; k < S_COUNT; k++)
		p[SCALARS + k] = pgarray_param(&s[k], c->a);
	for (size_t k = 0; k < L_COUNT; k++)
		p[SCALARS + S_COUNT + k] = pgarray_param(&l[k], c->a);
	PGresult *res = db_exec_params(c->db, c->a, &sql[Q_BATCH_INSERT], p, (int)nitems(p));
	return res ? arena_strdup(c->a, db_get(res, 0, "id")) : NULL;
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
	char filename[256];
	snprintf(filename, sizeof filename, "%s", file->filename);
	struct verdict *v = arena_calloc(c->a, imp.nrows ? imp.nrows : 1, sizeof *v);
	if (verdicts(c, &imp, campaign, db_get(camp, 0, "timezone"), v))
		return -1;
	const char *batch = stage_batch(c, &imp, campaign, filename, v);
	if (!batch)
		return -1;
	struct json_object *a = json_object_new_object();
	json_object_object_add(a, "campaign_id", json_object_new_string(campaign));
	json_object_object_add(a, "filename", json_object_new_string(filename));
	json_object_object_add(a, "rows", json_object_new_int64((int64_t)imp.nrows));
	if (audit_record(c, NULL, NULL, "import.upload", "import_batch", batch, NULL,
			 patients_json_text(c, a)))
		return -1;
	log_info("import staged", "rows", arena_printf(c->a, "%zu", imp.nrows), "parse_ms",
		 arena_printf(c->a, "%.1f", parse_ms), "total_ms",
		 arena_printf(c->a, "%.1f", log_clock_ms() - t0));
	return render_redirect(c, arena_printf(c->a, "/patients/import/%s", batch));
}
