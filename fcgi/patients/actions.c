/* actions.c: a patient's data-protection actions.
 * POST /patients/:id/opt-out: the phone and email go on the workspace's opt-out list
 *   (every patient with them stops being contacted) and their pending messages are
 *   cancelled.
 * POST /patients/:id/erase: name, phone and email replaced by placeholders,
 *   data_deleted_at set, pending messages cancelled, message texts and replies and the
 *   private feedback removed; ratings stay for the totals. The audit row names the
 *   patient by id only.
 * GET /patients/:id/export: everything stored about the patient as JSON (portability). */
#include "patients/patients.h"

#include <string.h>
#include <json-c/json.h>

#include "core/audit.h"
#include "core/nitems.h"
#include "core/render.h"

enum {
	Q_OPTOUT_PHONE, Q_OPTOUT_EMAIL, Q_OPTOUT_PATIENTS, Q_CANCEL_CONTACT, Q_ERASE,
	Q_ERASE_MESSAGES, Q_ERASE_FEEDBACK, Q_EXPORT,
};

static const struct db_stmt sql[] = {
	[Q_OPTOUT_PHONE] = { "patients_optout_phone",
		"INSERT INTO opt_outs (workspace_id, phone, source, reason)"
		" VALUES ($1, $2, 'staff', 'Baja registrada por el personal')"
		" ON CONFLICT (workspace_id, phone) WHERE phone IS NOT NULL DO NOTHING" },
	[Q_OPTOUT_EMAIL] = { "patients_optout_email",
		"INSERT INTO opt_outs (workspace_id, email, source, reason)"
		" VALUES ($1, $2, 'staff', 'Baja registrada por el personal')"
		" ON CONFLICT (workspace_id, email) WHERE email IS NOT NULL DO NOTHING" },
	/* The list is workspace-wide: every patient with the phone or email is marked. */
	[Q_OPTOUT_PATIENTS] = { "patients_optout_patients",
		"UPDATE patients SET opted_out_at = coalesce(opted_out_at, now())"
		" WHERE id = $1 OR phone = $2 OR email = $3" },
	[Q_CANCEL_CONTACT] = { "patients_cancel_pending",
		"UPDATE messages SET status = 'CANCELLED', error = $4"
		" WHERE status = 'PENDING' AND patient_id IN (SELECT id FROM patients"
		"   WHERE id = $1 OR phone = $2 OR email = $3)" },
	[Q_ERASE] = { "patients_erase",
		"UPDATE patients SET name = 'Paciente borrado', phone = NULL, email = NULL,"
		" appointment_type = NULL, data_deleted_at = now()"
		" WHERE id = $1 AND data_deleted_at IS NULL" },
	[Q_ERASE_MESSAGES] = { "patients_erase_messages",
		"UPDATE messages SET content = NULL, reply_text = NULL WHERE patient_id = $1" },
	[Q_ERASE_FEEDBACK] = { "patients_erase_feedback",
		"DELETE FROM feedback WHERE patient_id = $1" },
	[Q_EXPORT] = { "patients_export",
		"SELECT jsonb_build_object("
		" 'patient', (SELECT to_jsonb(x) FROM (SELECT p.id, p.name, p.phone, p.email,"
		"   p.appointment_time, p.appointment_type, p.has_consent, p.consent_at,"
		"   p.opted_out_at, p.data_deleted_at, p.preferred_channel, p.language,"
		"   p.campaign_id, c.name AS campaign, p.created_at, p.updated_at"
		"   FROM patients p LEFT JOIN campaigns c"
		"     ON c.workspace_id = p.workspace_id AND c.id = p.campaign_id"
		"   WHERE p.id = $1) x),"
		" 'messages', coalesce((SELECT jsonb_agg(to_jsonb(m) ORDER BY m.created_at) FROM"
		"   (SELECT id, type, channel, status, content, rating, reply_text, scheduled_at,"
		"    sent_at, delivered_at, replied_at, created_at FROM messages"
		"    WHERE patient_id = $1) m), '[]'),"
		" 'feedback', coalesce((SELECT jsonb_agg(to_jsonb(f) ORDER BY f.created_at) FROM"
		"   (SELECT id, rating, body, created_at FROM feedback WHERE patient_id = $1) f),"
		"   '[]'))::text AS data" },
};
const struct app_sql patients_actions_sql = { sql, nitems(sql) };

static const char *id_json(struct ctx *c, const char *key, const char *value,
			   const char *key2, const char *value2)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, key, value ? json_object_new_string(value) : NULL);
	if (key2)
		json_object_object_add(o, key2, value2 ? json_object_new_string(value2) : NULL);
	return patients_json_text(c, o);
}

int patients_post_opt_out(struct ctx *c)
{
	const char *id = ctx_param(c, "id");
	PGresult *p;
	int rc = patients_load_live(c, &p);
	if (rc <= 0)
		return rc;
	const char *ws = c->user->workspace_id, *phone = db_get(p, 0, "phone"),
		   *email = db_get(p, 0, "email");
	if ((phone && !Q(c, &sql[Q_OPTOUT_PHONE], ws, phone)) ||
	    (email && !Q(c, &sql[Q_OPTOUT_EMAIL], ws, email)) ||
	    !Q(c, &sql[Q_OPTOUT_PATIENTS], id, phone, email) ||
	    !Q(c, &sql[Q_CANCEL_CONTACT], id, phone, email, "Baja del paciente") ||
	    audit_record(c, NULL, NULL, "patient.opt_out", "patient", id, NULL,
			 id_json(c, "phone", phone, "email", email)))
		return -1;
	return render_redirect(c, arena_printf(c->a, "/patients/%s", id));
}

int patients_post_erase(struct ctx *c)
{
	const char *id = ctx_param(c, "id");
	PGresult *p;
	int rc = patients_load(c, &p);
	if (rc <= 0)
		return rc;
	if (db_get_bool(p, 0, "erased"))
		return render_redirect(c, arena_printf(c->a, "/patients/%s", id));
	if (!ctx_param(c, "confirm"))
		return render_error(c, 422, "Marque la casilla de confirmación para borrar los "
				    "datos del paciente.");
	/* Only this patient's pending messages: others sharing the phone are not erased. */
	if (!Q(c, &sql[Q_CANCEL_CONTACT], id, NULL, NULL, "Datos del paciente borrados") ||
	    !Q(c, &sql[Q_ERASE], id) || !Q(c, &sql[Q_ERASE_MESSAGES], id) ||
	    !Q(c, &sql[Q_ERASE_FEEDBACK], id) ||
	    audit_record(c, NULL, NULL, "patient.erase", "patient", id, NULL,
			 id_json(c, "erased", "nombre, teléfono, correo, tipo de cita, textos de los mensajes, "
				 "respuestas, comentarios", NULL, NULL)))
		return -1;
	return render_redirect(c, arena_printf(c->a, "/patients/%s", id));
}

int patients_get_export(struct ctx *c)
{
	const char *id = ctx_param(c, "id");
	PGresult *p;
	int rc = patients_load(c, &p);
	if (rc <= 0)
		return rc;
	PGresult *res = Q(c, &sql[Q_EXPORT], id);
	if (!res)
		return -1;
	struct json_object *o = json_tokener_parse(db_get(res, 0, "data"));
	if (!o || audit_record(c, NULL, NULL, "patient.export", "patient", id, NULL, NULL)) {
		json_object_put(o);
		return -1;
	}
	resp_header(&c->resp, "Content-Disposition",
		    arena_printf(c->a, "attachment; filename=\"paciente-%s.json\"", id));
	rc = render_json(c, 200, o);
	json_object_put(o);
	return rc;
}
