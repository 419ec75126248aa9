/* list.c: GET /patients, the patient list with search and filters, 50 a page.
 *
 * app_patients_page (migration 0071) picks the page's ids: the workspace's patients,
 * newest first, that pass the filters and match the search. A name search matches every
 * word typed as the start of a word of the name (accents and case folded); a phone
 * search matches the start of the number, with or without the country code, or its last
 * digits. The function is SECURITY DEFINER because under row-level security PostgreSQL
 * would not use the search indexes (it says why); the rows shown are read here, under
 * RLS. A page fetches one row more than it shows to know whether there is a next page,
 * instead of counting a million rows. */
#include "patients/patients.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/nitems.h"
#include "core/render.h"

#define PAGE_SIZE 50

/* $1 'all', 'name' or 'phone'; $2 the search text (digits for a phone); $3 campaign,
 * $4 consent, $5 opted out, $6 replied (NULL: no filter); $7 the doctor (NULL:
 * everyone); $8 offset. */
enum { Q_LIST };

static const struct db_stmt sql[] = {
	[Q_LIST] = { "patients_list",
	  "SELECT p.id, p.name, p.phone, p.email, p.has_consent,"
	  " p.opted_out_at IS NOT NULL AS opted_out, p.data_deleted_at IS NOT NULL AS erased,"
	  " c.name AS campaign,"
	  " to_char(p.appointment_time AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),"
	  "   'DD/MM/YYYY HH24:MI') AS appointment"
	  " FROM app_patients_page($1, $2, $3, $4, $5, $6, $7, $8, 51) s"   /* PAGE_SIZE + 1 */
	  " JOIN patients p ON p.id = s.id"
	  " LEFT JOIN campaigns c ON c.workspace_id = p.workspace_id AND c.id = p.campaign_id"
	  " LEFT JOIN practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id"
	  " ORDER BY s.created_at DESC, s.id DESC" },
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
 * since numbers are stored as +593…: "0987" is the start of +593987…, and "987" may
 * also be the last digits), or NULL for a name search. */
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
	const char *kind = !q ? "all" : digits ? "phone" : "name";
	PGresult *res = Q(c, &sql[Q_LIST], kind, digits ? digits : q, campaign, consent, opted,
			  replied, doc, offset);
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
