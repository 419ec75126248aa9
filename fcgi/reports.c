/* reports.c: the home page (the workspace at a glance); reports and the audit log come
 * with their own issues. Routes: / */
#include "core/app.h"
#include "core/nitems.h"
#include "core/render.h"

enum { Q_HOME_FIGURES };

static const struct db_stmt sql[] = {
	/* Row-level security scopes every count to the signed-in workspace. */
	[Q_HOME_FIGURES] = { "reports_home_figures",
		"SELECT (SELECT count(*) FROM practices) AS practices,"
		"       (SELECT count(*) FROM campaigns WHERE status = 'ACTIVE') AS active_campaigns,"
		"       (SELECT count(*) FROM patients WHERE data_deleted_at IS NULL) AS patients,"
		"       (SELECT count(*) FROM messages"
		"         WHERE sent_at > now() - interval '30 days') AS sent_30d,"
		"       (SELECT to_char(avg(rating), 'FM0.0') FROM messages"
		"         WHERE rating IS NOT NULL) AS avg_rating" },
};

static int get_home(struct ctx *c)
{
	PGresult *res = Q0(c, &sql[Q_HOME_FIGURES]);
	if (!res)
		return -1;
	static const char *const cols[][2] = {
		{ "practices", "PRACTICES" }, { "active_campaigns", "ACTIVE_CAMPAIGNS" },
		{ "patients", "PATIENTS" }, { "sent_30d", "SENT_30D" },
	};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		tpl_set_int(c->page, cols[i][1], db_get_int(res, 0, cols[i][0], 0));
	tpl_set(c->page, "AVG_RATING", db_get_or(res, 0, "avg_rating", "—"));
	tpl_set(c->page, "WORKSPACE_NAME", c->user->workspace_name);
	tpl_set(c->page, "USER_NAME", c->user->name);
	tpl_set_int(c->page, "CREDITS", c->user->credits);
	tpl_set(c->page, "PLAN", plan_label(c->user->plan));
	return render_page(c, 200, "home", "Inicio");
}

static const struct route routes[] = {
	{ .method = "GET", .pattern = "/", .handler = get_home, .roles = ROLES_ALL },
};

int main(int argc, char **argv)
{
	static const struct app app = {
		.name = "reports", .routes = routes, .nroutes = nitems(routes),
		.sql = sql, .nsql = nitems(sql),
	};
	return app_main(&app, argc, argv);
}
