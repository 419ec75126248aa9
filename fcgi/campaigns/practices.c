/* practices.c: the practices of a workspace (/practices). Everyone but the receptionist
 * sees the list; only the OWNER creates, edits and deletes (the route table says so).
 * A practice that a campaign uses cannot be deleted: the campaign needs its review link. */
#include "campaigns/practices.h"
#include "campaigns/listing.h"
#include "campaigns/practice_checks.h"
#include "core/audit.h"
#include "core/log.h"
#include "core/nitems.h"
#include "core/phone.h"
#include "core/render.h"

#include <ctype.h>
#include <string.h>

enum {
	Q_LIST, Q_GET, Q_TZ_OK, Q_INSERT, Q_UPDATE, Q_USERS, Q_DELETE,
};

#define PRACTICE_COLS                                                                    \
	"p.id, p.name, p.address, p.city, p.state, p.zip_code, p.country, p.google_place_id," \
	" p.phone, p.email, p.timezone, to_char(p.sending_start, 'HH24:MI') AS sending_start," \
	" to_char(p.sending_end, 'HH24:MI') AS sending_end"

static const struct db_stmt sql[] = {
	[Q_LIST] = { "practices_list",
		"SELECT " PRACTICE_COLS ","
		" (SELECT count(*) FROM campaigns c"
		"   WHERE c.workspace_id = p.workspace_id AND c.practice_id = p.id) AS campaigns,"
		" count(*) OVER () AS total"
		" FROM practices p WHERE p.workspace_id = $1"
		" ORDER BY p.name, p.id LIMIT $2::int OFFSET $3::int" },
	[Q_GET] = { "practices_get",
		"SELECT " PRACTICE_COLS " FROM practices p WHERE p.workspace_id = $1 AND p.id = $2" },
	/* The IANA names PostgreSQL knows, which is what the sender converts with. */
	[Q_TZ_OK] = { "practices_tz_ok",
		"SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS ok" },
	[Q_INSERT] = { "practices_insert",
		"INSERT INTO practices AS p (workspace_id, name, address, city, state, zip_code,"
		" country, google_place_id, phone, email, timezone, sending_start, sending_end)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::time, $13::time)"
		" RETURNING p.id, to_jsonb(p)::text AS new_json" },
	/* Old and new row in one statement: the CTE reads the row as it was before. */
	[Q_UPDATE] = { "practices_update",
		"WITH old AS (SELECT to_jsonb(o) AS j FROM practices o"
		"              WHERE o.workspace_id = $1 AND o.id = $2 FOR UPDATE),"
		" upd AS (UPDATE practices p SET name = $3, address = $4, city = $5, state = $6,"
		"   zip_code = $7, country = $8, google_place_id = $9, phone = $10, email = $11,"
		"   timezone = $12, sending_start = $13::time, sending_end = $14::time"
		"  WHERE p.workspace_id = $1 AND p.id = $2 RETURNING to_jsonb(p) AS j)"
		" SELECT old.j::text AS old_json, upd.j::text AS new_json FROM old, upd" },
	[Q_USERS] = { "practices_users",
		"SELECT count(*) AS n, string_agg(c.name, ', ' ORDER BY c.created_at DESC) AS names"
		" FROM campaigns c WHERE c.workspace_id = $1 AND c.practice_id = $2" },
	[Q_DELETE] = { "practices_delete",
		"DELETE FROM practices p WHERE p.workspace_id = $1 AND p.id = $2"
		" RETURNING to_jsonb(p)::text AS old_json" },
};

const struct app_sql practices_sql = { .stmts = sql, .n = nitems(sql) };

#define PAGE_SIZE 25
#define REVIEW_BASE "https://search.google.com/local/writereview?placeid="

/* The form's columns, in the order of the INSERT's and UPDATE's parameters. */
static const char *const form_cols[] = {
	"name", "address", "city", "state", "zip_code", "country", "google_place_id", "phone",
	"email", "timezone", "sending_start", "sending_end",
};

const char *practices_review_link(struct ctx *c, const char *place_id)
{
	return arena_printf(c->a, REVIEW_BASE "%s", place_id);
}

static int not_found(struct ctx *c)
{
	c->rollback = true;
	return render_error(c, 404, "No encontramos ese consultorio.");
}

/* The practice the path names, in this workspace, or NULL: then *rc is the answer (the
 * 404 page, or -1 when the query failed). */
static PGresult *find_practice(struct ctx *c, int *rc)
{
	const char *id = ctx_param(c, "id");
	PGresult *res = id ? Q(c, &sql[Q_GET], c->user->workspace_id, id) : NULL;
	if (id && !res) {
		*rc = -1;
		return NULL;
	}
	if (!res || PQntuples(res) == 0) {
		*rc = not_found(c);
		return NULL;
	}
	return res;
}

/* The phone as E.164 through the core's libphonenumber shim (Ecuador by default; a
 * landline is fine for a practice). NULL, with a field error, when it is not a number. */
static const char *practice_phone(struct ctx *c, const char *typed)
{
	struct phone ph;
	const char *reason = NULL;
	if (phone_normalize(typed, strlen(typed), &ph, &reason)) {
		ctx_error(c, "phone", reason ? reason : "Ese número de teléfono no es válido.");
		return NULL;
	}
	return arena_strdup(c->a, ph.e164);
}

/* Checks what the field table cannot; adds field errors. Returns the values in
 * form_cols order (NULL for an empty optional field). */
static const char **practice_values(struct ctx *c)
{
	const char **v = arena_calloc(c->a, nitems(form_cols), sizeof *v);
	for (size_t i = 0; i < nitems(form_cols); i++)
		v[i] = ctx_param(c, form_cols[i]);
	const char *place = v[6], *phone = v[7], *tz = v[9], *start = v[10], *end = v[11];

	if (v[5]) {
		char *cc = arena_strdup(c->a, v[5]);
		for (char *p = cc; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		v[5] = cc;
		if (!practice_country_ok(cc))
			ctx_error(c, "country", "Escribe el código de país de dos letras (EC, CO, PE…).");
	}
	if (place && !practice_place_id_ok(place))
		ctx_error(c, "google_place_id", "Ese Place ID no tiene la forma de uno de Google: "
			  "son de 16 a 512 letras, números, «_» o «-» (por ejemplo ChIJN1t_tDeuEmsRUsoyG83frY4).");
	if (phone) {
		const char *e164 = practice_phone(c, phone);
		v[7] = e164 ? e164 : phone;   /* shown again as typed when refused */
	}
	if (tz) {
		PGresult *res = Q(c, &sql[Q_TZ_OK], tz);
		if (!res)
			return NULL;
		if (!db_get_bool(res, 0, "ok"))
			ctx_error(c, "timezone", "Zona horaria desconocida: usa un nombre IANA como "
				  "America/Guayaquil.");
	}
	bool hours_ok = true;
	if (start && !practice_hhmm_ok(start)) {
		ctx_error(c, "sending_start", "Escribe la hora como HH:MM, por ejemplo 08:00.");
		hours_ok = false;
	}
	if (end && !practice_hhmm_ok(end)) {
		ctx_error(c, "sending_end", "Escribe la hora como HH:MM, por ejemplo 21:00.");
		hours_ok = false;
	}
	if (hours_ok && start && end && strcmp(start, end) >= 0)
		ctx_error(c, "sending_end", "La hora de fin debe ser posterior a la de inicio.");
	return v;
}

/* Fills the form with the given values (form_cols order). */
static void form_fill(struct ctx *c, const char *const *v)
{
	static const char *const keys[] = {
		"NAME", "ADDRESS", "CITY", "STATE", "ZIP_CODE", "COUNTRY", "GOOGLE_PLACE_ID",
		"PHONE", "EMAIL", "TIMEZONE", "SENDING_START", "SENDING_END",
	};
	for (size_t i = 0; i < nitems(keys); i++)
		tpl_set(c->page, keys[i], v[i]);
	if (v[6] && practice_place_id_ok(v[6]))
		tpl_set(tpl_section(c->page, "REVIEW"), "LINK", practices_review_link(c, v[6]));
}

static int form_page(struct ctx *c, int status, const char *id, const char *const *v)
{
	if (id) {
		tpl_set(c->page, "ACTION", arena_printf(c->a, "/practices/%s", id));
		tpl_set(tpl_section(c->page, "EDITING"), "DELETE_ACTION",
			arena_printf(c->a, "/practices/%s/delete", id));
	} else {
		tpl_set(c->page, "ACTION", "/practices");
	}
	form_fill(c, v);
	return render_page(c, status, "practice_form", id ? "Editar consultorio" : "Nuevo consultorio");
}

static int list_page(struct ctx *c, int status)
{
	struct listing l = listing_from(c, PAGE_SIZE);
	PGresult *res = Q(c, &sql[Q_LIST], c->user->workspace_id, l.limit, l.offset);
	if (!res)
		return -1;
	int n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		struct tpl_dict *r = tpl_section(c->page, "PRACTICE");
		const char *id = db_get(res, i, "id"), *place = db_get(res, i, "google_place_id");
		tpl_set(r, "NAME", db_get(res, i, "name"));
		tpl_set(r, "CITY", db_get_or(res, i, "city", "—"));
		tpl_set(r, "COUNTRY", db_get(res, i, "country"));
		tpl_set(r, "PHONE", db_get_or(res, i, "phone", "—"));
		tpl_set(r, "TIMEZONE", db_get(res, i, "timezone"));
		tpl_set(r, "HOURS", arena_printf(c->a, "%s – %s", db_get(res, i, "sending_start"),
						 db_get(res, i, "sending_end")));
		tpl_set_int(r, "CAMPAIGNS", db_get_int(res, i, "campaigns", 0));
		if (place && practice_place_id_ok(place))
			tpl_set(tpl_section(r, "REVIEW"), "LINK", practices_review_link(c, place));
		else
			tpl_show(r, "NO_REVIEW");
		if (c->user->role & ROLE_OWNER)
			tpl_set(tpl_section(r, "CAN_EDIT"), "EDIT_HREF",
				arena_printf(c->a, "/practices/%s/edit", id));
		else
			tpl_show(r, "READ_ONLY");
	}
	if (n == 0)
		tpl_show(c->page, l.page == 1 ? "EMPTY" : "PAST_END");
	if (c->user->role & ROLE_OWNER)
		tpl_show(c->page, "CAN_CREATE");
	if (ctx_param(c, "saved"))
		tpl_show(c->page, "SAVED");
	if (ctx_param(c, "deleted"))
		tpl_show(c->page, "DELETED");
	listing_links(c, c->page, &l, "/practices", n ? db_get_int(res, 0, "total", 0) : 0);
	return render_page(c, status, "practice_list", "Consultorios");
}

int practices_list(struct ctx *c)
{
	return list_page(c, 200);
}

int practices_new(struct ctx *c)
{
	const char *v[nitems(form_cols)] = { 0 };
	v[5] = "EC";
	v[9] = "America/Guayaquil";
	v[10] = "08:00";
	v[11] = "21:00";
	return form_page(c, 200, NULL, v);
}

int practices_create(struct ctx *c)
{
	const char **v = practice_values(c);
	if (!v)
		return -1;
	if (ctx_has_errors(c)) {
		c->rollback = true;
		return form_page(c, 422, NULL, v);
	}
	PGresult *res = Q(c, &sql[Q_INSERT], c->user->workspace_id, v[0], v[1], v[2], v[3], v[4],
			  v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
	if (!res)
		return -1;
	const char *id = db_get(res, 0, "id");
	if (audit_record(c, NULL, NULL, "practice.create", "practice", id, NULL,
			 db_get(res, 0, "new_json")))
		return -1;
	return render_redirect(c, "/practices?saved=1");
}

int practices_edit(struct ctx *c)
{
	int rc;
	PGresult *res = find_practice(c, &rc);
	if (!res)
		return rc;
	const char *id = ctx_param(c, "id");
	const char **v = arena_calloc(c->a, nitems(form_cols), sizeof *v);
	for (size_t i = 0; i < nitems(form_cols); i++)
		v[i] = db_get(res, 0, form_cols[i]);
	return form_page(c, 200, id, v);
}

int practices_update(struct ctx *c)
{
	int rc;
	PGresult *res = find_practice(c, &rc);
	if (!res)
		return rc;
	const char *id = ctx_param(c, "id");
	const char **v = practice_values(c);
	if (!v)
		return -1;
	if (ctx_has_errors(c)) {
		c->rollback = true;
		return form_page(c, 422, id, v);
	}
	res = Q(c, &sql[Q_UPDATE], c->user->workspace_id, id, v[0], v[1], v[2], v[3], v[4],
		v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
	if (!res)
		return -1;
	if (PQntuples(res) == 0)
		return not_found(c);
	if (audit_record(c, NULL, NULL, "practice.update", "practice", id,
			 db_get(res, 0, "old_json"), db_get(res, 0, "new_json")))
		return -1;
	return render_redirect(c, "/practices?saved=1");
}

int practices_delete(struct ctx *c)
{
	int rc;
	PGresult *res = find_practice(c, &rc);
	if (!res)
		return rc;
	const char *id = ctx_param(c, "id");
	const char *name = arena_strdup(c->a, db_get(res, 0, "name"));
	if (!(res = Q(c, &sql[Q_USERS], c->user->workspace_id, id)))
		return -1;
	long long used = db_get_int(res, 0, "n", 0);
	if (used > 0) {
		c->rollback = true;
		ctx_error(c, "", arena_printf(c->a, "No se puede eliminar «%s»: %s %lld %s (%s). "
			  "Una campaña necesita su consultorio para el enlace de reseñas.", name,
			  used == 1 ? "lo usa" : "lo usan", used, used == 1 ? "campaña" : "campañas",
			  db_get(res, 0, "names")));
		return list_page(c, 422);
	}
	res = Q(c, &sql[Q_DELETE], c->user->workspace_id, id);
	if (!res && strcmp(db_sqlstate(c->db), "23503") == 0) {
		/* A campaign took it between the check and the delete. */
		c->rollback = true;
		ctx_error(c, "", arena_printf(c->a, "No se puede eliminar «%s»: una campaña "
			  "acaba de empezar a usarlo.", name));
		return list_page(c, 422);
	}
	if (!res)
		return -1;
	if (PQntuples(res) == 0)
		return not_found(c);
	if (audit_record(c, NULL, NULL, "practice.delete", "practice", id,
			 db_get(res, 0, "old_json"), NULL))
		return -1;
	return render_redirect(c, "/practices?deleted=1");
}

const struct field practices_list_fields[] = {
	{ .name = "page", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1000000, .lenient = true },
	{ .name = "saved", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1, .lenient = true },
	{ .name = "deleted", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1, .lenient = true },
	FIELDS_END,
};

#define PRACTICE_FORM_FIELDS                                                                     \
	{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .min = 1, .max = 200 }, \
	{ .name = "address", .kind = FIELD_LINE, .src = FROM_BODY, .max = 200 },                  \
	{ .name = "city", .kind = FIELD_LINE, .src = FROM_BODY, .max = 100 },                     \
	{ .name = "state", .kind = FIELD_LINE, .src = FROM_BODY, .max = 100 },                    \
	{ .name = "zip_code", .kind = FIELD_LINE, .src = FROM_BODY, .max = 20 },                  \
	{ .name = "country", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 2 },  \
	{ .name = "google_place_id", .kind = FIELD_LINE, .src = FROM_BODY, .max = 512 },          \
	{ .name = "phone", .kind = FIELD_LINE, .src = FROM_BODY, .max = 32 },                     \
	{ .name = "email", .kind = FIELD_EMAIL, .src = FROM_BODY, .max = 254 },                   \
	{ .name = "timezone", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 64 }, \
	{ .name = "sending_start", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 8 }, \
	{ .name = "sending_end", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 8 }

const struct field practices_form_fields[] = {
	PRACTICE_FORM_FIELDS,
	FIELDS_END,
};

const struct field practices_id_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
	FIELDS_END,
};

const struct field practices_update_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
	PRACTICE_FORM_FIELDS,
	FIELDS_END,
};
