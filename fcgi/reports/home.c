/* home.c: the home page, the workspace at a glance: the figures, this month's NPS and
 * conversion, the latest delivered or replied messages, and what needs attention. */
#include "reports.h"

#include "core/nitems.h"
#include "core/alerts.h"
#include "core/labels.h"
#include "core/render.h"

enum { Q_FIGURES, Q_FIGURES_MINE, Q_MONTH, Q_MONTH_MINE, Q_ACTIVITY, Q_ACTIVITY_MINE, Q_WAITING };

/* Below this many credits the home page warns that sending will stop soon. */
enum { LOW_CREDITS = 100 };

/* This month's figures, for everyone (author NULL) or a DOCTOR's campaigns. */
#define HOME_MONTH(author) \
	"SELECT nps, conversion FROM report_figures(" \
	"  date_trunc('month', now() AT TIME ZONE 'America/Guayaquil')::date," \
	"  (now() AT TIME ZONE 'America/Guayaquil')::date, NULL, NULL, NULL, " author ")" \
	" WHERE grp = 'total'"

/* The index messages_activity_idx serves the order. The ten messages are chosen first,
 * then each one's patient is looked up by its key: joined plainly, the planner may scan
 * every patient of the workspace once per message (row-level security's
 * "workspace_id = current_setting(…)" looks selective to it), which a million-patient
 * workspace cannot afford. OFFSET 0 keeps the lookup a lookup. */
#define HOME_ACTIVITY(mine) \
	"SELECT CASE WHEN p.data_deleted_at IS NULL THEN p.name" \
	"            ELSE '(datos borrados)' END AS patient," \
	"       coalesce(c.name, '—') AS campaign, m.type, m.status, m.rating, m.channel," \
	"       to_char(m.at AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil')," \
	"               'DD/MM HH24:MI') AS at" \
	"  FROM (SELECT m.*, coalesce(m.replied_at, m.delivered_at) AS at FROM messages m" \
	"         WHERE m.status IN ('DELIVERED', 'REPLIED')" \
	"           AND m.workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid" \
	mine \
	"         ORDER BY coalesce(m.replied_at, m.delivered_at) DESC LIMIT 10) m" \
	" CROSS JOIN LATERAL (SELECT p.name, p.data_deleted_at FROM patients p" \
	"                      WHERE p.workspace_id = m.workspace_id AND p.id = m.patient_id" \
	"                     OFFSET 0) p" \
	"  LEFT JOIN campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id" \
	"  LEFT JOIN practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id" \
	" ORDER BY m.at DESC"

/* The figures at the top, from what triggers keep: active campaigns (active: a further
 * condition), patients (a statement), and the sends of the last 30 days and the average
 * rating over the rollups (rows: a relation and WHERE clause). */
#define HOME_FIGURES(active, patients, rows) \
	"SELECT (SELECT count(*) FROM practices) AS practices," \
	"       (SELECT count(*) FROM campaigns WHERE status = 'ACTIVE'" active ")" \
	"         AS active_campaigns," \
	"       (" patients ") AS patients," \
	"       (SELECT coalesce(sum(sent), 0) FROM " rows \
	"         AND day > (now() AT TIME ZONE 'America/Guayaquil')::date - 30) AS sent_30d," \
	"       (SELECT to_char(sum(rating_1 + 2 * rating_2 + 3 * rating_3 + 4 * rating_4" \
	"                           + 5 * rating_5)::numeric" \
	"                       / nullif(sum(rating_1 + rating_2 + rating_3 + rating_4" \
	"                                    + rating_5), 0), 'FM0.0')" \
	"          FROM " rows ") AS avg_rating"

/* The statements of the OWNER's home take no parameter, on purpose: PostgreSQL plans a
 * parameterless prepared statement once per connection, while one with parameters such as
 * "$1 IS NULL OR …" gets a fresh custom plan at every execution (the request log showed
 * 1.5 ms of planning per home page for the activity alone). A DOCTOR's variants take
 * their id. */
static const struct db_stmt sql[] = {
	/* Row-level security scopes every count to the signed-in workspace. Patients and
	 * messages are counted from what triggers keep (0060, 0062, 0072), never row by row. */
	[Q_FIGURES] = { "reports_home_figures", HOME_FIGURES("",
		"SELECT coalesce(sum(patients), 0) FROM report_counts",
		"report_daily_now WHERE true") },
	/* A DOCTOR's: the campaigns they created, their patients (erased ones too, as the
	 * campaign list counts them: 0072) and their messages. */
	[Q_FIGURES_MINE] = { "reports_home_figures_mine", HOME_FIGURES(" AND created_by = $1::uuid",
		"SELECT coalesce(sum(n.patients), 0) FROM campaign_counts n"
		"   JOIN campaigns c ON c.workspace_id = n.workspace_id AND c.id = n.campaign_id"
		"  WHERE c.created_by = $1::uuid",
		"report_daily_now WHERE campaign_id IN (SELECT id FROM campaigns"
		"                                        WHERE created_by = $1::uuid)") },
	[Q_MONTH] = { "reports_home_month", HOME_MONTH("NULL::uuid") },
	[Q_MONTH_MINE] = { "reports_home_month_mine", HOME_MONTH("$1::uuid") },
	[Q_ACTIVITY] = { "reports_home_activity", HOME_ACTIVITY("") },
	[Q_ACTIVITY_MINE] = { "reports_home_activity_mine",
		HOME_ACTIVITY("   AND m.campaign_id IN (SELECT c.id FROM campaigns c"
			      "                        WHERE c.created_by = $1::uuid)") },
	/* Campaigns that cannot send: no practice (no review link), or no default rating
	 * request template in the workspace. */
	[Q_WAITING] = { "reports_home_waiting",
		"SELECT c.id, c.name, c.practice_id IS NULL AS no_practice,"
		"       NOT EXISTS (SELECT 1 FROM templates t"
		"                    WHERE t.type = 'INITIAL' AND t.is_default) AS no_template"
		"  FROM campaigns c"
		" WHERE c.status IN ('DRAFT', 'ACTIVE')"
		"   AND (c.practice_id IS NULL OR NOT EXISTS (SELECT 1 FROM templates t"
		"                    WHERE t.type = 'INITIAL' AND t.is_default))"
		"   AND ($1::uuid IS NULL OR c.created_by = $1::uuid)"
		" ORDER BY c.name LIMIT 20" },
};
const struct app_sql home_sql = { sql, nitems(sql) };

static int home_reports(struct ctx *c)
{
	const char *author = report_author(c);
	PGresult *month = author ? Q(c, &sql[Q_MONTH_MINE], author) : Q0(c, &sql[Q_MONTH]);
	PGresult *activity = !month ? NULL
		: author ? Q(c, &sql[Q_ACTIVITY_MINE], author) : Q0(c, &sql[Q_ACTIVITY]);
	PGresult *waiting = activity ? Q(c, &sql[Q_WAITING], author) : NULL;
	if (!waiting)
		return -1;
	tpl_show(c->page, "REPORTS");
	tpl_set(c->page, "MONTH_NPS", report_figure(month, 0, "nps"));
	tpl_set(c->page, "MONTH_CONVERSION", report_figure(month, 0, "conversion"));
	for (int i = 0; i < PQntuples(activity); i++) {
		struct tpl_dict *row = tpl_section(c->page, "ACTIVITY");
		tpl_set(row, "PATIENT", db_get(activity, i, "patient"));
		tpl_set(row, "CAMPAIGN", db_get(activity, i, "campaign"));
		tpl_set(row, "TYPE", label_message_type(db_get(activity, i, "type")));
		tpl_set(row, "STATUS", label_message_status(db_get(activity, i, "status")));
		tpl_set(row, "RATING", db_get_or(activity, i, "rating", "—"));
		tpl_set(row, "AT", db_get(activity, i, "at"));
	}
	tpl_show(c->page, PQntuples(activity) ? "HAS_ACTIVITY" : "NO_ACTIVITY");
	for (int i = 0; i < PQntuples(waiting); i++) {
		struct tpl_dict *a = tpl_section(c->page, "WAITING");
		tpl_set(a, "ID", db_get(waiting, i, "id"));
		tpl_set(a, "NAME", db_get(waiting, i, "name"));
		tpl_show(a, db_get_bool(waiting, i, "no_practice") ? "NO_PRACTICE" : "NO_TEMPLATE");
	}
	/* New unhappy private feedback (core/alerts.h), in the same list. */
	if (alerts_fill(c, c->page))
		return -1;
	if (c->user->credits < LOW_CREDITS) {
		tpl_show(c->page, "LOW_CREDITS");
		tpl_set_int(c->page, "LOW_CREDITS_LIMIT", LOW_CREDITS);
	}
	return 0;
}

/* The figures of the workspace, or of a DOCTOR's own campaigns (as every report they see). */
static int home_figures(struct ctx *c)
{
	const char *author = report_author(c);
	PGresult *res = author ? Q(c, &sql[Q_FIGURES_MINE], author) : Q0(c, &sql[Q_FIGURES]);
	if (!res)
		return -1;
	static const char *const cols[][2] = {
		{ "practices", "PRACTICES" }, { "active_campaigns", "ACTIVE_CAMPAIGNS" },
		{ "patients", "PATIENTS" }, { "sent_30d", "SENT_30D" },
	};
	for (size_t i = 0; i < nitems(cols); i++)
		tpl_set_int(c->page, cols[i][1], db_get_int(res, 0, cols[i][0], 0));
	tpl_set(c->page, "AVG_RATING", db_get_or(res, 0, "avg_rating", "—"));
	return 0;
}

int home_get(struct ctx *c)
{
	tpl_set(c->page, "WORKSPACE_NAME", c->user->workspace_name);
	tpl_set(c->page, "USER_NAME", c->user->name);
	tpl_set_int(c->page, "CREDITS", c->user->credits);
	tpl_set(c->page, "PLAN", label_plan(c->user->plan));
	/* A receptionist sees no figures and no reports (they import patients). */
	if (c->user->role != ROLE_RECEPTIONIST && (home_figures(c) || home_reports(c)))
		return -1;
	return render_page(c, 200, "home", "Inicio");
}
