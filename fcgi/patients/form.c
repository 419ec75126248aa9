/* form.c: adding a patient (GET /patients/new, POST /patients) and editing one
 * (GET /patients/:id/edit, POST /patients/:id). Phones are stored in E.164; SMS and
 * WhatsApp need a mobile number, email needs an address. A patient added to (or moved
 * into) an ACTIVE campaign is enqueued at once. */
#include "patients/patients.h"

#include <string.h>
#include <json-c/json.h>

#include "core/audit.h"
#include "core/csv_import.h"
#include "core/nitems.h"
#include "core/render.h"

enum { Q_CAMPAIGN_OK, Q_INSERT, Q_UPDATE, Q_ENQUEUE };

static const struct db_stmt sql[] = {
	[Q_CAMPAIGN_OK] = { "patients_form_campaign_ok",
		"SELECT status FROM campaigns WHERE id = $1 AND ($2::uuid IS NULL OR created_by = $2)" },
	[Q_INSERT] = { "patients_form_insert",
		"INSERT INTO patients (workspace_id, name, phone, email, appointment_time,"
		" appointment_type, has_consent, consent_at, preferred_channel, language, campaign_id)"
		" VALUES ($1, $2, $3, $4, patients_appointment($5, $10), $6, $7::bool,"
		"  CASE WHEN $7::bool THEN now() END, $8, $9, $10) RETURNING id" },
	/* consent_at keeps the moment consent was first given. */
	[Q_UPDATE] = { "patients_form_update",
		"UPDATE patients SET name = $2, phone = $3, email = $4,"
		" appointment_time = patients_appointment($5, $10), appointment_type = $6,"
		" consent_at = CASE WHEN NOT $7::bool THEN NULL WHEN has_consent THEN consent_at"
		"   ELSE now() END,"
		" has_consent = $7::bool, preferred_channel = $8, language = $9, campaign_id = $10"
		" WHERE id = $1 AND data_deleted_at IS NULL" },
	[Q_ENQUEUE] = { "patients_form_enqueue",
		"SELECT enqueued FROM campaign_enqueue($1, ARRAY[$2::uuid])" },
};
const struct app_sql patients_form_sql = { sql, nitems(sql) };

struct input {
	const char *name, *phone, *email, *appointment, *type, *consent, *channel, *language,
		*campaign;
};

static void select_option(struct tpl_dict *d, const char *prefix, const char *value)
{
	char key[64];
	snprintf(key, sizeof key, "%s_%s", prefix, value ? value : "");
	tpl_show(d, key);
}

static int show_form(struct ctx *c, int status, const char *id, const struct input *in)
{
	tpl_set(c->page, "ACTION", id ? arena_printf(c->a, "/patients/%s", id) : "/patients");
	if (id) {
		tpl_set(c->page, "ID", id);
		tpl_show(c->page, "EDITING");
	}
	tpl_set(c->page, "NAME", in->name);
	tpl_set(c->page, "PHONE", in->phone);
	tpl_set(c->page, "EMAIL", in->email);
	tpl_set(c->page, "APPOINTMENT", in->appointment);
	tpl_set(c->page, "TYPE", in->type);
	if (in->consent)
		tpl_show(c->page, "CONSENT");
	select_option(c->page, "CHANNEL", in->channel ? in->channel : "SMS");
	select_option(c->page, "LANGUAGE", in->language ? in->language : "es");
	if (patients_campaign_options(c, in->campaign, false))
		return -1;
	return render_page(c, status, "patient_form", id ? "Editar paciente" : "Nuevo paciente");
}

static struct input read_input(const struct ctx *c)
{
	return (struct input){
		.name = ctx_param(c, "name"), .phone = ctx_param(c, "phone"),
		.email = ctx_param(c, "email"), .appointment = ctx_param(c, "appointment"),
		.type = ctx_param(c, "appointment_type"), .consent = ctx_param(c, "consent"),
		.channel = ctx_param(c, "channel"), .language = ctx_param(c, "language"),
		.campaign = ctx_param(c, "campaign_id"),
	};
}

/* Checks what the field table cannot: the phone, the channel against the contact data,
 * the date, the campaign. Fills e164/local; adds field errors. -1 on a database error. */
static int check_input(struct ctx *c, const struct input *in, char *e164, size_t n,
		       char *local, size_t ln, const char **campaign_status)
{
	bool mobile = false;
	const char *why = NULL;
	e164[0] = local[0] = '\0';
	if (in->phone && patients_phone(in->phone, e164, n, &mobile, &why))
		ctx_error(c, "phone", why);
	if (!in->phone && !in->email && !ctx_has_errors(c))
		ctx_error(c, "phone", "Indique un teléfono o un correo.");
	const char *ch = in->channel ? in->channel : "SMS";
	if (strcmp(ch, "SMS") != 0 && strcmp(ch, "WHATSAPP") != 0 && strcmp(ch, "EMAIL") != 0)
		ctx_error(c, "channel", "Elija SMS, WhatsApp o correo.");
	if (in->language && strcmp(in->language, "es") != 0 && strcmp(in->language, "en") != 0)
		ctx_error(c, "language", "Elija español o inglés.");
	if (strcmp(ch, "EMAIL") == 0 && !in->email)
		ctx_error(c, "email", "El canal es correo: indique el correo.");
	else if (strcmp(ch, "EMAIL") != 0 && in->phone && e164[0] && !mobile)
		ctx_error(c, "phone", "SMS y WhatsApp necesitan un número móvil.");
	else if (strcmp(ch, "EMAIL") != 0 && !in->phone)
		ctx_error(c, "phone", "SMS y WhatsApp necesitan un número móvil.");
	if (in->appointment && csv_import_date(in->appointment, local, ln))
		ctx_error(c, "appointment", "Fecha no válida: use aaaa-mm-dd HH:MM.");
	*campaign_status = NULL;
	if (in->campaign) {
		PGresult *res = Q(c, &sql[Q_CAMPAIGN_OK], in->campaign, patients_doctor_scope(c));
		if (!res)
			return -1;
		if (PQntuples(res) == 0)
			ctx_error(c, "campaign_id", "Elija una campaña de la lista.");
		else
			*campaign_status = arena_strdup(c->a, db_get(res, 0, "status"));
	} else if (patients_doctor_scope(c)) {
		ctx_error(c, "campaign_id", "Elija una de sus campañas.");
	}
	return 0;
}

/* The values an audit row keeps for a patient. */
static const char *input_json(struct ctx *c, const struct input *in, const char *e164)
{
	struct json_object *o = json_object_new_object();
	const char *keys[] = { "name", "phone", "email", "appointment", "appointment_type",
			       "has_consent", "preferred_channel", "language", "campaign_id" };
	const char *vals[] = { in->name, e164 && *e164 ? e164 : NULL, in->email, in->appointment,
			       in->type, in->consent ? "true" : "false",
			       in->channel ? in->channel : "SMS", in->language ? in->language : "es",
			       in->campaign };
	for (size_t i = 0; i < nitems(keys); i++)
		json_object_object_add(o, keys[i], vals[i] ? json_object_new_string(vals[i]) : NULL);
	return patients_json_text(c, o);
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

int patients_get_new(struct ctx *c)
{
	struct input in = { .campaign = ctx_param(c, "campaign_id") };
	return show_form(c, 200, NULL, &in);
}

static int enqueue(struct ctx *c, const char *campaign, const char *status, const char *id)
{
	if (!campaign || !status || strcmp(status, "ACTIVE") != 0)
		return 0;
	return Q(c, &sql[Q_ENQUEUE], campaign, id) ? 0 : -1;
}

int patients_post_new(struct ctx *c)
{
	struct input in = read_input(c);
	char e164[32], local[40];
	const char *status;
	if (check_input(c, &in, e164, sizeof e164, local, sizeof local, &status))
		return -1;
	if (ctx_has_errors(c))
		return show_form(c, 422, NULL, &in);
	PGresult *res = Q(c, &sql[Q_INSERT], c->user->workspace_id, in.name, or_null(e164),
			  in.email, or_null(local), in.type, in.consent ? "true" : "false",
			  in.channel ? in.channel : "SMS", in.language ? in.language : "es",
			  in.campaign);
	if (!res)
		return -1;
	const char *id = arena_strdup(c->a, db_get(res, 0, "id"));
	if (enqueue(c, in.campaign, status, id) ||
	    audit_record(c, NULL, NULL, "patient.create", "patient", id, NULL,
			 input_json(c, &in, e164)))
		return -1;
	return render_redirect(c, arena_printf(c->a, "/patients/%s", id));
}

static struct input stored_input(const PGresult *p)
{
	return (struct input){
		.name = db_get(p, 0, "name"), .phone = db_get(p, 0, "phone"),
		.email = db_get(p, 0, "email"), .appointment = db_get(p, 0, "appointment_local"),
		.type = db_get(p, 0, "appointment_type"),
		.consent = db_get_bool(p, 0, "has_consent") ? "1" : NULL,
		.channel = db_get(p, 0, "preferred_channel"), .language = db_get(p, 0, "language"),
		.campaign = db_get(p, 0, "campaign_id"),
	};
}

int patients_get_edit(struct ctx *c)
{
	const char *id = ctx_param(c, "id");
	PGresult *p;
	int rc = patients_load_live(c, &p);
	if (rc <= 0)
		return rc;
	struct input in = stored_input(p);
	return show_form(c, 200, id, &in);
}

int patients_post_edit(struct ctx *c)
{
	const char *id = ctx_param(c, "id");
	PGresult *p;
	int rc = patients_load_live(c, &p);
	if (rc <= 0)
		return rc;
	struct input in = read_input(c), old = stored_input(p);
	char e164[32], local[40];
	const char *status;
	if (check_input(c, &in, e164, sizeof e164, local, sizeof local, &status))
		return -1;
	if (ctx_has_errors(c))
		return show_form(c, 422, id, &in);
	if (!Q(c, &sql[Q_UPDATE], id, in.name, or_null(e164), in.email, or_null(local), in.type,
	       in.consent ? "true" : "false", in.channel ? in.channel : "SMS",
	       in.language ? in.language : "es", in.campaign) ||
	    enqueue(c, in.campaign, status, id) ||
	    audit_record(c, NULL, NULL, "patient.update", "patient", id,
			 input_json(c, &old, old.phone), input_json(c, &in, e164)))
		return -1;
	return render_redirect(c, arena_printf(c->a, "/patients/%s", id));
}
