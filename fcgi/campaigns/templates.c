/* templates.c: the message templates of a workspace (/templates).
 *
 * A template's text is checked by the core (msgtpl_check) before it is stored, and its
 * `variables` column is what that check found, never what the form says. The preview
 * renders the text with sample data through the same msgtpl_render the sender uses, and
 * measures it as an SMS. Each type has exactly one default (the one the sender uses):
 * a new template becomes the default only of a type that has none, the default cannot be
 * deleted, and switching it locks the type's rows, clears the old one and sets the new
 * one in the request's transaction. */
#include "campaigns/templates.h"
#include "campaigns/listing.h"
#include "core/audit.h"
#include "core/buf.h"
#include "core/date_es.h"
#include "core/msgtpl.h"
#include "core/nitems.h"
#include "core/plink.h"
#include "core/render.h"
#include "core/sms.h"

#include <string.h>

enum {
	Q_LIST, Q_GET, Q_SAMPLE, Q_INSERT, Q_UPDATE, Q_DELETE, Q_LOCK_TYPE, Q_UNSET_DEFAULT,
	Q_SET_DEFAULT,
};

#define TEMPLATE_COLS                                                                    \
	"t.id, t.name, t.type::text AS type, t.content, t.description, t.is_default,"     \
	" array_to_string(t.variables, ', ') AS variables, t.whatsapp_template_name,"      \
	" t.whatsapp_language"

static const struct db_stmt sql[] = {
	/* By type in the order a patient meets them, the default first in each. */
	[Q_LIST] = { "templates_list",
		"SELECT " TEMPLATE_COLS ", count(*) OVER () AS total FROM templates t"
		" WHERE t.workspace_id = $1"
		" ORDER BY array_position('{INITIAL,REMINDER,FOLLOWUP_HAPPY,FOLLOWUP_UNHAPPY}'"
		"   ::message_type[], t.type), t.is_default DESC, t.name, t.id"
		" LIMIT $2::int OFFSET $3::int" },
	[Q_GET] = { "templates_get",
		"SELECT " TEMPLATE_COLS " FROM templates t WHERE t.workspace_id = $1 AND t.id = $2" },
	/* The preview's practice: the workspace's first, for its name and zone. */
	[Q_SAMPLE] = { "templates_sample_practice",
		"SELECT p.name, p.timezone FROM practices p"
		" WHERE p.workspace_id = $1 ORDER BY p.created_at, p.id LIMIT 1" },
	[Q_INSERT] = { "templates_insert",
		"INSERT INTO templates AS t (workspace_id, name, type, content, variables,"
		" description, whatsapp_template_name, whatsapp_language, is_default)"
		" VALUES ($1, $2, $3::message_type, $4, $5::text[], $6, $7, $8,"
		"  NOT EXISTS (SELECT 1 FROM templates d WHERE d.workspace_id = $1"
		"              AND d.type = $3::message_type AND d.is_default))"
		" RETURNING t.id, to_jsonb(t)::text AS new_json" },
	/* Old and new row in one statement: the CTE reads the row as it was before. The
	 * type never changes: the default of each type stays where it is. */
	[Q_UPDATE] = { "templates_update",
		"WITH old AS (SELECT to_jsonb(o) AS j FROM templates o"
		"              WHERE o.workspace_id = $1 AND o.id = $2 FOR UPDATE),"
		" upd AS (UPDATE templates t SET name = $3, content = $4, variables = $5::text[],"
		"   description = $6, whatsapp_template_name = $7, whatsapp_language = $8"
		"  WHERE t.workspace_id = $1 AND t.id = $2 RETURNING to_jsonb(t) AS j)"
		" SELECT old.j::text AS old_json, upd.j::text AS new_json FROM old, upd" },
	/* NOT is_default again here: a default made meanwhile is not deleted. */
	[Q_DELETE] = { "templates_delete",
		"DELETE FROM templates t WHERE t.workspace_id = $1 AND t.id = $2 AND NOT t.is_default"
		" RETURNING to_jsonb(t)::text AS old_json" },
	/* Two switches of one type at once would otherwise both clear the old default and
	 * then collide on the unique index: the second waits here for the first. */
	[Q_LOCK_TYPE] = { "templates_lock_type",
		"SELECT t.id FROM templates t WHERE t.workspace_id = $1 AND t.type = $2::message_type"
		" ORDER BY t.id FOR UPDATE" },
	[Q_UNSET_DEFAULT] = { "templates_unset_default",
		"UPDATE templates t SET is_default = false"
		" WHERE t.workspace_id = $1 AND t.type = $2::message_type AND t.is_default"
		" RETURNING json_build_object('type', t.type, 'default_template_id', t.id)::text AS j" },
	[Q_SET_DEFAULT] = { "templates_set_default",
		"UPDATE templates t SET is_default = true WHERE t.workspace_id = $1 AND t.id = $2"
		" RETURNING json_build_object('type', t.type, 'default_template_id', t.id)::text AS j" },
};

const struct app_sql templates_sql = { .stmts = sql, .n = nitems(sql) };

#define PAGE_SIZE 25
/* 2021-11-15 15:00 UTC, a Monday: 10:00 in Guayaquil, the date the issue shows. */
#define SAMPLE_TIME ((time_t)1636988400)
/* The message the preview's links name: none has it (uuids are random or time-ordered). */
#define SAMPLE_MESSAGE "00000000-0000-4000-8000-000000000000"

static const struct template_type {
	const char *name;
	const char *label;
	const char *when;
	bool whatsapp;   /* sent outside WhatsApp's 24 h window: needs an approved template */
} types[] = {
	{ "INITIAL", "Solicitud de calificación", "Primer mensaje, unas horas después de la cita.", true },
	{ "REMINDER", "Recordatorio", "Si el paciente no respondió en 24 horas.", true },
	{ "FOLLOWUP_HAPPY", "Agradecimiento (4-5)", "Respuesta a una calificación de 4 o 5.", false },
	{ "FOLLOWUP_UNHAPPY", "Disculpa (1-3)", "Respuesta a una calificación de 1 a 3.", false },
};

static const struct template_type *type_find(const char *name)
{
	for (size_t i = 0; name && i < nitems(types); i++)
		if (strcmp(types[i].name, name) == 0)
			return &types[i];
	return NULL;
}

/* What the form holds, typed or stored. */
struct tform {
	const char *name, *type, *content, *description, *wa_name, *wa_lang;
};

static struct tform form_from_params(struct ctx *c)
{
	return (struct tform){
		.name = ctx_param(c, "name"), .type = ctx_param(c, "type"),
		.content = ctx_param(c, "content"), .description = ctx_param(c, "description"),
		.wa_name = ctx_param(c, "whatsapp_template_name"),
		.wa_lang = ctx_param(c, "whatsapp_language"),
	};
}

static struct tform form_from_row(const PGresult *res, int i)
{
	return (struct tform){
		.name = db_get(res, i, "name"), .type = db_get(res, i, "type"),
		.content = db_get(res, i, "content"), .description = db_get(res, i, "description"),
		.wa_name = db_get(res, i, "whatsapp_template_name"),
		.wa_lang = db_get(res, i, "whatsapp_language"),
	};
}

/* The variables as the pages list them: "{{name}}, {{doctor}}, … y {{feedbackLink}}". A
 * value, because a template file cannot write "{{" itself. */
static void fill_variable_names(struct ctx *c)
{
	struct buf b = BUF_INIT;
	for (int v = 0; v < MSGTPL_NVARS; v++)
		buf_printf(&b, "%s{{%s}}", v == 0 ? "" : v == MSGTPL_NVARS - 1 ? " y " : ", ",
			   msgtpl_var_name((enum msgtpl_var)v));
	tpl_set(c->page, "VARS_HELP", b.buf);
	buf_release(&b);
	tpl_set(c->page, "REVIEW_LINK_VAR", "{{reviewLink}}");
}

static int not_found(struct ctx *c)
{
	c->rollback = true;
	return render_error(c, 404, "No encontramos esa plantilla.");
}

/* Sample values for the preview: the workspace's first practice when it has one. NULL
 * when the query fails. */
static struct msgtpl_values *sample_values(struct ctx *c)
{
	PGresult *res = Q(c, &sql[Q_SAMPLE], c->user->workspace_id);
	if (!res)
		return NULL;
	bool have = PQntuples(res) > 0;
	const char *tz = have ? db_get(res, 0, "timezone") : "America/Guayaquil";
	const char *date = date_es_format(c->a, SAMPLE_TIME, tz);

	struct msgtpl_values *v = arena_calloc(c->a, 1, sizeof *v);
	/* Accents GSM-7 has (é, ñ), so that the sample alone does not force UCS-2. */
	v->v[MSGTPL_NAME] = "Andrés Peña";
	v->v[MSGTPL_DOCTOR] = c->user->name;
	v->v[MSGTPL_PRACTICE] = have ? db_get(res, 0, "name") : "Consultorio Central";
	v->v[MSGTPL_APPOINTMENT_TYPE] = "Limpieza dental";
	v->v[MSGTPL_DATE] = date ? date : "lunes 15 de noviembre, 10:00";
	/* The links as the sender makes them (ours, counted, 78-character tokens), so that
	 * the SMS figures are those of a real message; for a message that does not exist. */
	v->v[MSGTPL_REVIEW_LINK] = plink_link(c->a, c->cfg, PLINK_REVIEW, SAMPLE_MESSAGE,
					      c->user->workspace_id);
	v->v[MSGTPL_FEEDBACK_LINK] = plink_link(c->a, c->cfg, PLINK_FEEDBACK, SAMPLE_MESSAGE,
						c->user->workspace_id);
	return v;
}

/* The review-gating guard: Google forbids asking only happy patients for reviews, so an
 * unhappy follow-up should offer the public link too. A warning, never a refusal. */
static bool gating_warning(const char *type, const struct msgtpl_check *chk)
{
	return type && strcmp(type, "FOLLOWUP_UNHAPPY") == 0 &&
	       !msgtpl_uses(chk, MSGTPL_REVIEW_LINK);
}

/* "{{name}}, {{practice}}": the variables a text uses, as the pages show them. */
static const char *used_names(struct ctx *c, const struct msgtpl_check *chk)
{
	if (chk->nused == 0)
		return "ninguna";
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < chk->nused; i++)
		buf_printf(&b, "%s{{%s}}", i ? ", " : "", msgtpl_var_name(chk->used[i]));
	const char *s = arena_strdup(c->a, b.buf);
	buf_release(&b);
	return s;
}

static bool forced_by(const struct sms_info *info, const char *ch)
{
	for (size_t i = 0; i < info->nforced; i++)
		if (strcmp(info->forced[i], ch) == 0)
			return true;
	return false;
}

/* Which characters forced UCS-2: those of the template's own text (the editor can change
 * them) apart from those the sample values brought (a real name may bring others). */
static void fill_forced(struct ctx *c, struct tpl_dict *p, const struct tform *f,
			const struct sms_info *info)
{
	struct sms_info own;
	size_t len;
	char *bare = msgtpl_render(c->a, f->content, strlen(f->content), NULL, &len);
	if (!bare || sms_measure(c->a, bare, len, &own) != 0)
		own.nforced = 0;
	struct tpl_dict *u = tpl_section(p, "UCS2");
	struct tpl_dict *sample = NULL;
	for (size_t i = 0; i < info->nforced; i++) {
		if (forced_by(&own, info->forced[i])) {
			tpl_set(tpl_section(u, "FORCED"), "CHAR", info->forced[i]);
			continue;
		}
		if (!sample)
			sample = tpl_section(u, "SAMPLE_FORCED");
		tpl_set(tpl_section(sample, "CHAR_SAMPLE"), "CHAR", info->forced[i]);
	}
	tpl_show(u, own.nforced ? "OWN_FORCED" : "OWN_GSM7");
	if (info->forced_more)
		tpl_show(u, "FORCED_MORE");
}

/* The rendered sample and its SMS figures, in {{#PREVIEW}} of d. Nothing when the text
 * does not pass the check (its error is already on the form). */
static int fill_preview(struct ctx *c, struct tpl_dict *d, const struct tform *f)
{
	struct msgtpl_check chk;
	if (!f->content || msgtpl_check(c->a, f->content, strlen(f->content), &chk) != 0)
		return 0;
	if (gating_warning(f->type, &chk))
		tpl_show(d, "GATING_WARNING");
	struct msgtpl_values *v = sample_values(c);
	if (!v)
		return -1;
	size_t len;
	char *text = msgtpl_render(c->a, f->content, strlen(f->content), v, &len);
	struct sms_info info;
	if (!text || sms_measure(c->a, text, len, &info) != 0)
		return -1;
	struct tpl_dict *p = tpl_section(d, "PREVIEW");
	tpl_set(p, "TEXT", text);
	tpl_set(p, "VARIABLES", used_names(c, &chk));
	tpl_set_int(p, "CHARS", (long long)info.chars);
	tpl_set_int(p, "UNITS", (long long)info.units);
	tpl_set_int(p, "SEGMENTS", (long long)info.segments);
	tpl_set_int(p, "PER_SEGMENT", (long long)info.per_segment);
	if (info.encoding == SMS_GSM7)
		tpl_show(p, "GSM7");
	else
		fill_forced(c, p, f, &info);
	if (info.segments > 1)
		tpl_show(p, "SPLIT");
	const struct template_type *t = type_find(f->type);
	if (t && t->whatsapp && f->wa_name) {
		struct tpl_dict *w = tpl_section(p, "WHATSAPP");
		tpl_set(w, "NAME", f->wa_name);
		tpl_set(w, "LANGUAGE", f->wa_lang);
	}
	return 0;
}

/* The type select for a new template, or the type as text (and a hidden input for the
 * preview) once it exists; the WhatsApp fields where they count. */
static void fill_type(struct ctx *c, const struct tform *f, bool fixed)
{
	const struct template_type *t = type_find(f->type);
	if (fixed && t) {
		struct tpl_dict *d = tpl_section(c->page, "TYPE_FIXED");
		tpl_set(d, "TYPE", t->name);
		tpl_set(d, "TYPE_LABEL", t->label);
		tpl_set(d, "TYPE_WHEN", t->when);
	} else {
		struct tpl_dict *d = tpl_section(c->page, "TYPE_CHOICE");
		for (size_t i = 0; i < nitems(types); i++) {
			struct tpl_dict *o = tpl_section(d, "OPTION");
			tpl_set(o, "VALUE", types[i].name);
			tpl_set(o, "LABEL", types[i].label);
			if (t == &types[i])
				tpl_show(o, "SELECTED");
		}
	}
	/* A new template's type is chosen in the same form: show the fields, saying when
	 * they count. */
	if (!fixed)
		tpl_set(tpl_section(c->page, "WHATSAPP_FIELDS"), "LEGEND",
			"WhatsApp (solo para la solicitud de calificación y el recordatorio)");
	else if (t && t->whatsapp)
		tpl_set(tpl_section(c->page, "WHATSAPP_FIELDS"), "LEGEND", "WhatsApp");
}

static void fill_editor(struct ctx *c, const char *id, const struct tform *f, bool is_default)
{
	tpl_set(c->page, "ACTION", id ? arena_printf(c->a, "/templates/%s", id) : "/templates");
	if (id) {
		tpl_set(tpl_section(c->page, "EDITING"), "ID", id);
		if (!is_default) {
			struct tpl_dict *x = tpl_section(c->page, "ACTIONS");
			tpl_set(x, "DEFAULT_ACTION", arena_printf(c->a, "/templates/%s/default", id));
			tpl_set(x, "DELETE_ACTION", arena_printf(c->a, "/templates/%s/delete", id));
		}
	}
	fill_type(c, f, id != NULL);
}

static void fill_view(struct ctx *c, const struct tform *f)
{
	const struct template_type *t = type_find(f->type);
	tpl_set(c->page, "TYPE_LABEL", t ? t->label : f->type);
	if (f->description)
		tpl_show(c->page, "HAS_DESCRIPTION");
	if (t && t->whatsapp && f->wa_name)
		tpl_show(c->page, "WHATSAPP");
}

/* The editor (OWNER) or the read-only view (DOCTOR), with the preview of f. id is NULL
 * for a new template. */
static int form_page(struct ctx *c, int status, const char *id, const struct tform *f,
		     bool is_default)
{
	bool owner = c->user->role & ROLE_OWNER;
	tpl_set(c->page, "NAME", f->name);
	tpl_set(c->page, "CONTENT", f->content);
	tpl_set(c->page, "DESCRIPTION", f->description);
	tpl_set(c->page, "WHATSAPP_TEMPLATE_NAME", f->wa_name);
	tpl_set(c->page, "WHATSAPP_LANGUAGE", f->wa_lang);
	if (is_default)
		tpl_show(c->page, "IS_DEFAULT");
	if (ctx_param(c, "saved"))
		tpl_show(c->page, "SAVED");
	if (owner)
		fill_editor(c, id, f, is_default);
	else
		fill_view(c, f);
	fill_variable_names(c);
	struct tpl_dict *pv = tpl_include(c->page, "PREVIEW");
	tpl_set_file(pv, "templates_preview.tpl");
	tpl_set(pv, "REVIEW_LINK_VAR", "{{reviewLink}}");
	if (fill_preview(c, pv, f))
		return -1;
	return render_page(c, status, owner ? "templates_form" : "templates_view",
			   !id ? "Nueva plantilla" : owner ? "Editar plantilla" : "Plantilla");
}

/* A WhatsApp template name as Meta allows it: lower-case letters, digits, '_'. */
static bool wa_name_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
	return s[n] == '\0' && n >= 1 && n <= 512;
}

/* A WhatsApp language code: "es", "es_MX", "pt_BR", "en_US". */
static bool wa_lang_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
	if (n < 2 || n > 3)
		return false;
	if (s[n] == '\0')
		return true;
	return s[n] == '_' && strspn(s + n + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 2 && s[n + 3] == '\0';
}

/* Browsers send a textarea's line breaks as CR LF; a message carries LF alone, so an SMS
 * is not charged a character for each CR. */
static const char *lf_only(struct ctx *c, const char *s)
{
	char *out = arena_strdup(c->a, s), *w = out;
	for (const char *r = s; *r; r++) {
		if (*r == '\r' && r[1] == '\n')
			continue;
		*w++ = *r == '\r' ? '\n' : *r;
	}
	*w = '\0';
	return out;
}

/* Checks what the field table cannot: the type, the text's variables, the WhatsApp
 * fields (kept only for the types that use them). Adds field errors; fills chk. */
static void check_form(struct ctx *c, struct tform *f, struct msgtpl_check *chk)
{
	const struct template_type *t = type_find(f->type);
	if (f->content)
		f->content = lf_only(c, f->content);
	if (f->type && !t)
		ctx_error(c, "type", "Elija un tipo de plantilla de la lista.");
	if (f->content && msgtpl_check(c->a, f->content, strlen(f->content), chk) != 0)
		ctx_error(c, "content", chk->error);
	if (!t || !t->whatsapp) {
		f->wa_name = f->wa_lang = NULL;
		return;
	}
	if (!f->wa_name)
		ctx_error(c, "whatsapp_template_name", "Escriba el nombre de la plantilla aprobada "
			  "en WhatsApp: se usa cuando el paciente prefiere WhatsApp.");
	else if (!wa_name_ok(f->wa_name))
		ctx_error(c, "whatsapp_template_name", "El nombre de una plantilla de WhatsApp lleva "
			  "solo minúsculas, números y «_», por ejemplo solicitud_calificacion.");
	if (!f->wa_lang)
		ctx_error(c, "whatsapp_language", "Escriba el idioma de la plantilla de WhatsApp, "
			  "por ejemplo es.");
	else if (!wa_lang_ok(f->wa_lang))
		ctx_error(c, "whatsapp_language", "El idioma se escribe como lo pide WhatsApp: es, "
			  "es_MX, en_US…");
}

/* One row of the list, in the group of its type. */
static void list_row(struct ctx *c, struct tpl_dict *group, const PGresult *res, int i,
		     const struct msgtpl_values *sample)
{
	struct tpl_dict *r = tpl_section(group, "TEMPLATE");
	const char *id = db_get(res, i, "id");
	struct tform f = form_from_row(res, i);
	bool is_default = db_get_bool(res, i, "is_default");
	tpl_set(r, "NAME", f.name);
	tpl_set(r, "HREF", arena_printf(c->a, "/templates/%s", id));
	if (f.description)
		tpl_set(tpl_section(r, "DESCRIPTION"), "TEXT", f.description);
	tpl_set(r, "VARIABLES", db_get_or(res, i, "variables", ""));
	if (is_default)
		tpl_show(r, "DEFAULT");
	if (f.wa_name)
		tpl_set(tpl_section(r, "WHATSAPP"), "NAME", f.wa_name);

	struct msgtpl_check chk;
	size_t len;
	char *text;
	struct sms_info info;
	if (msgtpl_check(c->a, f.content, strlen(f.content), &chk) == 0 &&
	    (text = msgtpl_render(c->a, f.content, strlen(f.content), sample, &len)) &&
	    sms_measure(c->a, text, len, &info) == 0) {
		struct tpl_dict *s = tpl_section(r, "SMS");
		tpl_set_int(s, "SEGMENTS", (long long)info.segments);
		tpl_set(s, "ENCODING", info.encoding == SMS_GSM7 ? "GSM-7" : "UCS-2");
		if (gating_warning(f.type, &chk))
			tpl_show(r, "GATING_WARNING");
	}
	if (!(c->user->role & ROLE_OWNER) || is_default)
		return;
	struct tpl_dict *x = tpl_section(r, "ACTIONS");
	tpl_set(x, "DEFAULT_ACTION", arena_printf(c->a, "/templates/%s/default", id));
	tpl_set(x, "DELETE_ACTION", arena_printf(c->a, "/templates/%s/delete", id));
}

static int list_page(struct ctx *c, int status)
{
	struct listing l = listing_from(c, PAGE_SIZE);
	PGresult *res = Q(c, &sql[Q_LIST], c->user->workspace_id, l.limit, l.offset);
	struct msgtpl_values *sample = res ? sample_values(c) : NULL;
	if (!sample)
		return -1;
	int n = PQntuples(res);
	struct tpl_dict *group = NULL;
	const char *group_type = "";
	for (int i = 0; i < n; i++) {
		const char *type = db_get(res, i, "type");
		if (strcmp(type, group_type) != 0) {
			const struct template_type *t = type_find(type);
			group = tpl_section(c->page, "GROUP");
			tpl_set(group, "TYPE", type);
			tpl_set(group, "LABEL", t ? t->label : type);
			tpl_set(group, "WHEN", t ? t->when : "");
			group_type = type;
		}
		list_row(c, group, res, i, sample);
	}
	if (n == 0)
		tpl_show(c->page, l.page == 1 ? "EMPTY" : "PAST_END");
	if (c->user->role & ROLE_OWNER)
		tpl_show(c->page, "CAN_CREATE");
	static const char *const notices[][2] = {
		{ "saved", "SAVED" }, { "deleted", "DELETED" }, { "default", "DEFAULT_SET" },
	};
	for (size_t i = 0; i < nitems(notices); i++)
		if (ctx_param(c, notices[i][0]))
			tpl_show(c->page, notices[i][1]);
	listing_links(c, c->page, &l, "/templates", n ? db_get_int(res, 0, "total", 0) : 0);
	fill_variable_names(c);
	return render_page(c, status, "templates_list", "Plantillas");
}

int templates_list(struct ctx *c)
{
	return list_page(c, 200);
}

int templates_new(struct ctx *c)
{
	const char *type = ctx_param(c, "type");
	struct tform f = { .type = type_find(type) ? type : "INITIAL", .wa_lang = "es" };
	return form_page(c, 200, NULL, &f, false);
}

int templates_create(struct ctx *c)
{
	struct tform f = form_from_params(c);
	struct msgtpl_check chk = { 0 };
	check_form(c, &f, &chk);
	if (ctx_has_errors(c)) {
		c->rollback = true;
		return form_page(c, 422, NULL, &f, false);
	}
	PGresult *res = Q(c, &sql[Q_INSERT], c->user->workspace_id, f.name, f.type, f.content,
			  msgtpl_vars_array(c->a, &chk), f.description, f.wa_name, f.wa_lang);
	if (!res)
		return -1;
	const char *id = db_get(res, 0, "id");
	if (audit_record(c, NULL, NULL, "template.create", "template", id, NULL,
			 db_get(res, 0, "new_json")))
		return -1;
	return render_redirect(c, arena_printf(c->a, "/templates/%s?saved=1", id));
}

/* Runs fn with the template the path names (its row from Q_GET), or answers 404 when the
 * user's workspace has no such template. */
static int with_template(struct ctx *c, int (*fn)(struct ctx *, const char *, const PGresult *))
{
	const char *id = ctx_param(c, "id");
	if (!id)
		return not_found(c);
	PGresult *res = Q(c, &sql[Q_GET], c->user->workspace_id, id);
	if (!res)
		return -1;
	if (PQntuples(res) == 0)
		return not_found(c);
	return fn(c, id, res);
}

static int show_template(struct ctx *c, const char *id, const PGresult *res)
{
	struct tform f = form_from_row(res, 0);
	return form_page(c, 200, id, &f, db_get_bool(res, 0, "is_default"));
}

int templates_show(struct ctx *c)
{
	return with_template(c, show_template);
}

static int update_template(struct ctx *c, const char *id, const PGresult *res)
{
	bool is_default = db_get_bool(res, 0, "is_default");
	struct tform f = form_from_params(c);
	f.type = db_get(res, 0, "type");   /* fixed once created */
	struct msgtpl_check chk = { 0 };
	check_form(c, &f, &chk);
	if (ctx_has_errors(c)) {
		c->rollback = true;
		return form_page(c, 422, id, &f, is_default);
	}
	PGresult *upd = Q(c, &sql[Q_UPDATE], c->user->workspace_id, id, f.name, f.content,
		msgtpl_vars_array(c->a, &chk), f.description, f.wa_name, f.wa_lang);
	if (!upd)
		return -1;
	if (PQntuples(upd) == 0)
		return not_found(c);
	if (audit_record(c, NULL, NULL, "template.update", "template", id,
			 db_get(upd, 0, "old_json"), db_get(upd, 0, "new_json")))
		return -1;
	return render_redirect(c, arena_printf(c->a, "/templates/%s?saved=1", id));
}

int templates_update(struct ctx *c)
{
	return with_template(c, update_template);
}

int templates_preview(struct ctx *c)
{
	struct tform f = form_from_params(c);
	const char *id = ctx_param(c, "id");
	bool is_default = false;
	if (id) {
		PGresult *res = Q(c, &sql[Q_GET], c->user->workspace_id, id);
		if (!res)
			return -1;
		if (PQntuples(res) == 0)
			return not_found(c);
		is_default = db_get_bool(res, 0, "is_default");
		f.type = db_get(res, 0, "type");
	}
	struct msgtpl_check chk = { 0 };
	check_form(c, &f, &chk);
	/* Nothing is saved: a preview changes no row, whatever the form says. */
	c->rollback = true;
	return form_page(c, ctx_has_errors(c) ? 422 : 200, id, &f, is_default);
}

static int refuse_default(struct ctx *c, const char *name)
{
	c->rollback = true;
	ctx_error(c, "", arena_printf(c->a, "«%s» es la plantilla predeterminada de su tipo y no "
		  "se puede eliminar: primero haga predeterminada otra del mismo tipo.", name));
	return list_page(c, 422);
}

static int delete_template(struct ctx *c, const char *id, const PGresult *res)
{
	const char *name = db_get(res, 0, "name");
	if (db_get_bool(res, 0, "is_default"))
		return refuse_default(c, name);
	PGresult *gone = Q(c, &sql[Q_DELETE], c->user->workspace_id, id);
	if (!gone)
		return -1;
	if (PQntuples(gone) == 0)
		return refuse_default(c, name);
	if (audit_record(c, NULL, NULL, "template.delete", "template", id,
			 db_get(gone, 0, "old_json"), NULL))
		return -1;
	return render_redirect(c, "/templates?deleted=1");
}

int templates_delete(struct ctx *c)
{
	return with_template(c, delete_template);
}

static int make_default_template(struct ctx *c, const char *id, const PGresult *res)
{
	const char *type = db_get(res, 0, "type");
	const char *ws = c->user->workspace_id;
	if (db_get_bool(res, 0, "is_default"))
		return render_redirect(c, "/templates?default=1");
	PGresult *old, *now;
	if (!Q(c, &sql[Q_LOCK_TYPE], ws, type) || !(old = Q(c, &sql[Q_UNSET_DEFAULT], ws, type)) ||
	    !(now = Q(c, &sql[Q_SET_DEFAULT], ws, id)))
		return -1;
	if (PQntuples(now) == 0)
		return not_found(c);
	if (audit_record(c, NULL, NULL, "template.default", "template", id,
			 PQntuples(old) ? db_get(old, 0, "j") : NULL, db_get(now, 0, "j")))
		return -1;
	return render_redirect(c, "/templates?default=1");
}

int templates_make_default(struct ctx *c)
{
	return with_template(c, make_default_template);
}

#define NOTICE_FIELD(n) \
	{ .name = n, .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1, .lenient = true }
#define ID_FIELD { .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true }
#define TEMPLATE_FORM_FIELDS                                                                        \
	{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .min = 1, .max = 200 }, \
	{ .name = "content", .kind = FIELD_TEXT, .src = FROM_BODY, .required = true, .min = 1,       \
	  .max = MSGTPL_MAX_CHARS },                                                              \
	{ .name = "description", .kind = FIELD_LINE, .src = FROM_BODY, .max = 500 },              \
	{ .name = "whatsapp_template_name", .kind = FIELD_LINE, .src = FROM_BODY, .max = 512 },   \
	{ .name = "whatsapp_language", .kind = FIELD_LINE, .src = FROM_BODY, .max = 15 }
#define TYPE_FIELD { .name = "type", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 32 }

const struct field templates_list_fields[] = {
	{ .name = "page", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1000000, .lenient = true },
	NOTICE_FIELD("saved"), NOTICE_FIELD("deleted"), NOTICE_FIELD("default"),
	FIELDS_END,
};

const struct field templates_new_fields[] = {
	{ .name = "type", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 32, .lenient = true },
	FIELDS_END,
};

const struct field templates_create_fields[] = {
	TYPE_FIELD, TEMPLATE_FORM_FIELDS, FIELDS_END,
};

const struct field templates_show_fields[] = {
	ID_FIELD, NOTICE_FIELD("saved"), FIELDS_END,
};

const struct field templates_update_fields[] = {
	ID_FIELD, TEMPLATE_FORM_FIELDS, FIELDS_END,
};

const struct field templates_id_fields[] = {
	ID_FIELD, FIELDS_END,
};

/* The editor's fields as they are, for a template not saved yet (no id) or one being
 * edited (id: its type is the stored one). */
const struct field templates_preview_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_BODY },
	{ .name = "type", .kind = FIELD_LINE, .src = FROM_BODY, .max = 32 },
	TEMPLATE_FORM_FIELDS, FIELDS_END,
};
