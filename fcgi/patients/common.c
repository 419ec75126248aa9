/* common.c: helpers the pages of the patients program share. */
#include "patients/patients.h"

#include <string.h>
#include <json-c/json.h>

#include "core/nitems.h"
#include "core/render.h"

enum { Q_CAMPAIGNS, Q_LOAD };

static const struct db_stmt sql[] = {
	[Q_CAMPAIGNS] = { "patients_campaign_options",
		"SELECT id, name, status FROM campaigns"
		" WHERE ($1::uuid IS NULL OR created_by = $1)"
		"   AND (NOT $2::bool OR status IN ('DRAFT', 'ACTIVE'))"
		" ORDER BY created_at DESC, id" },
	/* RLS keeps other workspaces out; the doctor clause keeps a DOCTOR to the patients
	 * of the campaigns they created. FOR UPDATE: every caller may go on to change it. */
	[Q_LOAD] = { "patients_load",
		"SELECT p.id, p.name, p.phone, p.email, p.appointment_type, p.has_consent,"
		" p.preferred_channel, p.language, p.campaign_id, c.name AS campaign,"
		" c.status AS campaign_status,"
		" p.opted_out_at IS NOT NULL AS opted_out, p.data_deleted_at IS NOT NULL AS erased,"
		" coalesce(pr.timezone, 'America/Guayaquil') AS timezone,"
		" to_char(p.appointment_time AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),"
		"   'YYYY-MM-DD\"T\"HH24:MI') AS appointment_local,"
		" to_char(p.appointment_time AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),"
		"   'DD/MM/YYYY HH24:MI') AS appointment,"
		" to_char(p.consent_at AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),"
		"   'DD/MM/YYYY HH24:MI') AS consent_at,"
		" to_char(p.opted_out_at AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),"
		"   'DD/MM/YYYY HH24:MI') AS opted_out_at,"
		" to_char(p.data_deleted_at AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),"
		"   'DD/MM/YYYY HH24:MI') AS data_deleted_at,"
		" to_char(p.created_at AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),"
		"   'DD/MM/YYYY HH24:MI') AS created_at"
		" FROM patients p"
		" LEFT JOIN campaigns c ON c.workspace_id = p.workspace_id AND c.id = p.campaign_id"
		" LEFT JOIN practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id"
		" WHERE p.id = $1 AND ($2::uuid IS NULL OR c.created_by = $2)"
		" FOR UPDATE OF p" },
};
const struct app_sql patients_common_sql = { sql, nitems(sql) };

const char *patients_doctor_scope(const struct ctx *c)
{
	return c->user && c->user->role == ROLE_DOCTOR ? c->user->id : NULL;
}

int patients_campaign_options(struct ctx *c, const char *selected, bool open_only)
{
	PGresult *res = Q(c, &sql[Q_CAMPAIGNS], patients_doctor_scope(c),
			  open_only ? "true" : "false");
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct tpl_dict *o = tpl_section(c->page, "CAMPAIGNS");
		const char *id = db_get(res, i, "id");
		tpl_set(o, "ID", id);
		tpl_set(o, "NAME", db_get(res, i, "name"));
		tpl_set(o, "STATUS", db_get(res, i, "status"));
		if (selected && strcmp(selected, id) == 0)
			tpl_show(o, "SELECTED");
	}
	return 0;
}

int patients_load(struct ctx *c, PGresult **out)
{
	PGresult *res = Q(c, &sql[Q_LOAD], ctx_param(c, "id"), patients_doctor_scope(c));
	if (!res)
		return -1;
	if (PQntuples(res) == 0) {
		render_error(c, 404, "No existe ese paciente.");
		return 0;
	}
	*out = res;
	return 1;
}

int patients_load_live(struct ctx *c, PGresult **out)
{
	int rc = patients_load(c, out);
	if (rc == 1 && db_get_bool(*out, 0, "erased")) {
		render_error(c, 422, "Los datos de este paciente fueron borrados: ya no se pueden "
			     "cambiar.");
		return 0;
	}
	return rc;
}

const char *patients_json_text(struct ctx *c, struct json_object *o)
{
	const char *s = arena_strdup(c->a, json_object_to_json_string_ext(o,
				     JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}
