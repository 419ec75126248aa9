/* list.c: GET /patients, the patient list with search and filters, 50 a page.
 *
 * Three statements rather than one with optional clauses, so each gets the plan its
 * index allows: the plain list walks (workspace_id, created_at), a name search uses the
 * trigram index on name_search (accents and case folded by patients_fold), a phone
 * search the trigram index on phone. A page fetches one row more than it shows to know
 * whether there is a next page, instead of counting a million rows. */
#include "patients/patients.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/nitems.h"
#include "core/render.h"

#define PAGE_SIZE 50

enum { Q_LIST, Q_LIST_NAME, Q_LIST_PHONE };

#define LIST_SELECT                                                                      \
	"SELECT p.id, p.name, p.phone, p.email, p.has_consent, p.opted_out_at IS NOT NULL"  \
	"   AS opted_out, p.data_deleted_at IS NOT NULL AS erased, c.name AS campaign,"     \
	" to_char(p.appointment_time AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),"\
	"   'DD/MM/YYYY HH24:MI') AS appointment"                                         \
	" FROM patients p"                                                               \
	" LEFT JOIN campaigns c ON c.workspace_id = p.workspace_id AND c.id = p.campaign_id" \
	" LEFT JOIN practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id"
/* $1 campaign, $2 consent, $3 opted out, $4 replied, $5 the doctor (NULL: everyone). */
#define LIST_FILTERS                                                                     \
	" WHERE ($1::uuid IS NULL OR p.campaign_id = $1)"                                 \
	" AND ($2::bool IS NULL OR p.has_consent = $2)"                                   \
	" AND ($3::bool IS NULL OR (p.opted_out_at IS NOT NULL) = $3)"                   \
	" AND ($4::bool IS NULL OR EXISTS (SELECT 1 FROM messages m"                      \
	"      WHERE m.workspace_id = p.workspace_id AND m.patient_id = p.id"              \
	"        AND m.replied_at IS NOT NULL) = $4)"                                     \
	" AND ($5::uuid IS NULL OR c.created_by = $5)"
#define LIST_PAGE " ORDER BY p.created_at DESC, p.id DESC LIMIT 51 OFFSET $6"
/* LIKE with the user's text taken literally (its % and _ escaped). */
#define LIKE_ARG(x) "'%' || replace(replace(replace(" x ", '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'"

static const struct db_stmt sql[] = {
	[Q_LIST] = { "patients_list", LIST_SELECT LIST_FILTERS LIST_PAGE },
	[Q_LIST_NAME] = { "patients_list_name", LIST_SELECT LIST_FILTERS
		" AND p.name_search LIKE " LIKE_ARG("patients_fold($7)") LIST_PAGE },
	[Q_LIST_PHONE] = { "patients_list_phone", LIST_SELECT LIST_FILTERS
		" AND p.phone LIKE " LIKE_ARG("$7") LIST_PAGE },
};
const struct app_sql patients_list_sql = { sql, nitems(sql) };

/* "yes" → "true", "no" → "false", anything else → NULL (no filter). */
static const char *yes_no(const char *v)
{
	if (v && strcmp(v, "yes") == 0)
		return "true";
	if (v && strcmp(v, "no") == 0)
		return "false";
	return NULL;
}

/* A search made only of digits, spaces, '+', '-', '(' and ')' with at least three digits
 * is a phone search; it returns the digits to look for (a national leading 0 dropped,
 * since numbers are stored as +593…), or NULL for a name search. */
static const char *phone_digits(struct arena *a, const char *q)
{
	char *d = arena_strdup(a, q), *o = d;
	for (const char *p = q; *p; p++) {
		if (isdigit((unsigned char)*p))
			*o++ = *p;
		else if (!strchr(" +-()", *p))
			return NULL;
	}
	*o = '\0';
	if (strlen(d) < 3)
		return NULL;
	return d[0] == '0' ? d + 1 : d;
}

static void set_filter(struct ctx *c, const char *name)
{
	const char *v = ctx_param(c, name);
	tpl_set(c->page, name, v ? v : "");
	if (v) {
		char key[64];
		snprintf(key, sizeof key, "%s_%s", name, v);
		tpl_show(c->page, key);
	}
}

int patients_get_list(struct ctx *c)
{
	const char *q = ctx_param(c, "q"), *pagep = ctx_param(c, "page");
	long page = pagep ? atol(pagep) : 1;
	const char *campaign = ctx_param(c, "campaign");
	const char *offset = arena_printf(c->a, "%ld", (page - 1) * PAGE_SIZE);
	const char *consent = yes_no(ctx_param(c, "consent")),
		   *opted = yes_no(ctx_param(c, "opted_out")),
		   *replied = yes_no(ctx_param(c, "replied")), *doc = patients_doctor_scope(c);
	const char *digits = q ? phone_digits(c->a, q) : NULL;
	PGresult *res;
	if (!q)
		res = Q(c, &sql[Q_LIST], campaign, consent, opted, replied, doc, offset);
	else if (digits)
		res = Q(c, &sql[Q_LIST_PHONE], campaign, consent, opted, replied, doc, offset,
			digits);
	else
		res = Q(c, &sql[Q_LIST_NAME], campaign, consent, opted, replied, doc, offset, q);
	if (!res || patients_campaign_options(c, campaign, false))
		return -1;
	int n = PQntuples(res);
	for (int i = 0; i < n && i < PAGE_SIZE; i++) {
		struct tpl_dict *row = tpl_section(c->page, "PATIENT");
		tpl_set(row, "ID", db_get(res, i, "id"));
		tpl_set(row, "NAME", db_get(res, i, "name"));
		tpl_set(row, "PHONE", db_get_or(res, i, "phone", ""));
		tpl_set(row, "EMAIL", db_get_or(res, i, "email", ""));
		tpl_set(row, "CAMPAIGN", db_get_or(res, i, "campaign", "—"));
		tpl_set(row, "APPOINTMENT", db_get_or(res, i, "appointment", "—"));
		tpl_set(row, "CONSENT", db_get_bool(res, i, "has_consent") ? "Sí" : "No");
		if (db_get_bool(res, i, "opted_out"))
			tpl_show(row, "OPTED_OUT");
		if (db_get_bool(res, i, "erased"))
			tpl_show(row, "ERASED");
	}
	if (n == 0)
		tpl_show(c->page, "EMPTY");
	tpl_set(c->page, "Q", q ? q : "");
	set_filter(c, "consent");
	set_filter(c, "opted_out");
	set_filter(c, "replied");
	tpl_set(c->page, "CAMPAIGN", campaign ? campaign : "");
	tpl_set_int(c->page, "PAGE", page);
	if (page > 1) {
		tpl_show(c->page, "PREV");
		tpl_set_int(c->page, "PREV_PAGE", page - 1);
	}
	if (n > PAGE_SIZE) {
		tpl_show(c->page, "NEXT");
		tpl_set_int(c->page, "NEXT_PAGE", page + 1);
	}
	return render_page(c, 200, "patients", "Pacientes");
}
