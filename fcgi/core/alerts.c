/* alerts.c: unhappy feedback alerts on the home page; see alerts.h. */
#include "alerts.h"

#include "audit.h"
#include "nitems.h"
#include "render.h"

enum {
	ALERTS_LIST,
	ALERTS_NEWEST,
	ALERTS_COUNT,
	ALERTS_COUNT_ALL,
	ALERTS_RESOLVE,
};

/* The home page shows the newest few and how many more (counted up to a bound, so that a
 * backlog of thousands costs the home page nothing); /alerts pages through all of them. */
enum { ALERTS_HOME = 10, ALERTS_PAGE = 20, ALERTS_COUNT_MAX = 1000 };

/* The patient is looked up by key for each alert shown (OFFSET 0 keeps it a lookup:
 * joined plainly, the planner may scan every patient of the workspace per alert). */
#define ALERTS_SELECT                                                                     \
	"SELECT f.id, f.rating, f.body, "                                                   \
	"       (SELECT p.name FROM patients p WHERE p.workspace_id = f.workspace_id "      \
	"           AND p.id = f.patient_id OFFSET 0) AS patient, "                         \
	"       to_char(f.created_at AT TIME ZONE 'America/Guayaquil', "                   \
	"               'DD/MM/YYYY HH24:MI') AS at "                                       \
	"  FROM feedback f "                                                                \
	" WHERE f.resolved_at IS NULL AND coalesce(f.rating, 1) <= 3 "

/* Who may see an alert: $1 the user's role, $2 the user's id. */
#define ALERTS_VISIBLE                                                                   \
	"($1 = 'OWNER' OR EXISTS (SELECT 1 FROM messages m JOIN campaigns c "             \
	"    ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id "                \
	"  WHERE m.workspace_id = f.workspace_id AND m.id = f.message_id "                \
	"    AND c.created_by = $2::uuid))"

static const struct db_stmt sql[] = {
	/* Newest first by (created_at, id); $3: the page starts after that alert (keyset,
	 * so a deep page costs what the first does); $4: how many. */
	[ALERTS_LIST] = { "alerts_list",
		ALERTS_SELECT "AND " ALERTS_VISIBLE
		"   AND ($3::uuid IS NULL OR (f.created_at, f.id) < "
		"        (SELECT created_at, id FROM feedback WHERE id = $3::uuid)) "
		" ORDER BY f.created_at DESC, f.id DESC LIMIT $4::int" },
	/* The OWNER's home: every alert, the newest ALERTS_HOME + 1. No parameter, so it is
	 * planned once per connection instead of at every home page (see home.c). */
	[ALERTS_NEWEST] = { "alerts_newest",
		ALERTS_SELECT " ORDER BY f.created_at DESC, f.id DESC LIMIT 11" },
	[ALERTS_COUNT] = { "alerts_count",
		"SELECT count(*) AS n FROM (SELECT 1 FROM feedback f "
		" WHERE f.resolved_at IS NULL AND coalesce(f.rating, 1) <= 3 AND " ALERTS_VISIBLE
		" LIMIT $3::int) f" },
	[ALERTS_COUNT_ALL] = { "alerts_count_all",     /* the OWNER's, planned once too */
		"SELECT count(*) AS n FROM (SELECT 1 FROM feedback f "
		" WHERE f.resolved_at IS NULL AND coalesce(f.rating, 1) <= 3 LIMIT 1001) f" },
	[ALERTS_RESOLVE] = { "alerts_resolve",
		"WITH seen AS (SELECT f.id, f.resolved_at FROM feedback f "
		"               WHERE f.id = $3 AND coalesce(f.rating, 1) <= 3 AND " ALERTS_VISIBLE "), "
		"done AS (UPDATE feedback f SET resolved_at = now(), resolved_by = $2::uuid "
		"          FROM seen WHERE f.id = seen.id AND seen.resolved_at IS NULL "
		"         RETURNING f.id) "
		"SELECT (SELECT count(*) FROM seen) AS seen, (SELECT count(*) FROM done) AS done" },
};
const struct app_sql alerts_sql = { sql, nitems(sql) };

const struct field alerts_resolve_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
	FIELDS_END,
};

const struct field alerts_list_fields[] = {
	{ .name = "before", .kind = FIELD_UUID, .src = FROM_QUERY },
	FIELDS_END,
};

/* Fills the FEEDBACK_ALERTS include of page with the first `show` alerts older than
 * before (NULL: the newest), reading one more to know whether more follow. The number
 * of alerts read (at most show + 1), or -1; *last is the id of the last one shown. */
static int alerts_show(struct ctx *c, struct tpl_dict *page, const char *before, int show,
		       const char **last)
{
	_Static_assert(ALERTS_HOME == 10, "alerts_newest reads ALERTS_HOME + 1 = 11 rows");
	PGresult *r = !before && show == ALERTS_HOME && c->user->role == ROLE_OWNER
		? Q0(c, &sql[ALERTS_NEWEST])
		: Q(c, &sql[ALERTS_LIST], c->user->role_name, c->user->id, before,
		    arena_printf(c->a, "%d", show + 1));
	if (!r)
		return -1;
	struct tpl_dict *inc = tpl_include(page, "FEEDBACK_ALERTS");
	tpl_set_file(inc, "feedback_alerts.tpl");
	int n = PQntuples(r) < show ? PQntuples(r) : show;
	for (int i = 0; i < n; i++) {
		struct tpl_dict *a = tpl_section(inc, "ALERT");
		tpl_set(a, "ID", db_get(r, i, "id"));
		tpl_set(a, "RATING", db_get_or(r, i, "rating", "?"));
		tpl_set(a, "BODY", db_get_or(r, i, "body", ""));
		tpl_set(a, "PATIENT", db_get_or(r, i, "patient", ""));
		tpl_set(a, "AT", db_get(r, i, "at"));
		tpl_set(a, "CSRF", c->csrf);
		*last = db_get(r, i, "id");
	}
	return PQntuples(r);
}

int alerts_fill(struct ctx *c, struct tpl_dict *page)
{
	const char *last = NULL;
	int read = alerts_show(c, page, NULL, ALERTS_HOME, &last);
	if (read <= ALERTS_HOME)
		return read < 0 ? -1 : 0;
	/* Counted only when there are more than the home shows: the usual case is cheap. */
	_Static_assert(ALERTS_COUNT_MAX == 1000, "alerts_count_all counts up to 1001");
	PGresult *r = c->user->role == ROLE_OWNER
		? Q0(c, &sql[ALERTS_COUNT_ALL])
		: Q(c, &sql[ALERTS_COUNT], c->user->role_name, c->user->id,
		    arena_printf(c->a, "%d", ALERTS_COUNT_MAX + 1));
	if (!r)
		return -1;
	long long n = db_get_int(r, 0, "n", 0);
	struct tpl_dict *more = tpl_section(page, "MORE_ALERTS");
	if (n > ALERTS_COUNT_MAX) {
		n = ALERTS_COUNT_MAX;
		tpl_show(more, "OVER");
	}
	tpl_set_int(more, "N", n - ALERTS_HOME);
	return 0;
}

int alerts_list_get(struct ctx *c)
{
	const char *before = ctx_param(c, "before"), *last = NULL;
	int read = alerts_show(c, c->page, before, ALERTS_PAGE, &last);
	if (read < 0)
		return -1;
	tpl_show(c->page, read > 0 ? "HAS_ALERTS" : "NO_ALERTS");
	if (read > ALERTS_PAGE)
		tpl_set(tpl_section(c->page, "OLDER"), "BEFORE", last);
	if (before)
		tpl_show(c->page, "NEWEST");
	tpl_set_int(c->page, "PAGE", ALERTS_PAGE);
	return render_page(c, 200, "alerts", "Comentarios por resolver");
}

int alerts_resolve(struct ctx *c)
{
	const char *id = ctx_param(c, "id");
	if (!id)
		return render_error(c, 404, "No encontramos ese aviso.");
	PGresult *r = Q(c, &sql[ALERTS_RESOLVE], c->user->role_name, c->user->id, id);
	if (!r)
		return -1;
	if (db_get_int(r, 0, "seen", 0) == 0) {
		c->rollback = true;
		return render_error(c, 404, "No encontramos ese aviso.");
	}
	/* Resolved twice (a double click): nothing more to record. */
	if (db_get_int(r, 0, "done", 0) == 1 &&
	    audit_record(c, NULL, NULL, "feedback.resolve", "feedback", id,
			 "{\"resolved\":false}", "{\"resolved\":true}"))
		return -1;
	return render_redirect(c, "/#alerts");
}
