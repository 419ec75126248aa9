/* audit.c: /audit, the workspace's audit log for its OWNER: newest first, filtered by
 * user, action, entity type and dates, each entry's change shown field by field. */
#include "reports.h"

#include <string.h>

#include "core/nitems.h"
#include "core/render.h"

enum { Q_ENTRIES, Q_USERS };

/* The page shows the newest entries that match, at most this many. */
enum { AUDIT_PAGE = 200 };

static const struct db_stmt sql[] = {
	/* One row per changed field (or one row with NULL key for an entry without fields).
	 * The values of an erased patient are never shown, not even from before the erasure:
	 * the erasure would otherwise survive in its own audit trail. Days are Quito's. */
	[Q_ENTRIES] = { "audit_entries",
		"SELECT a.id, to_char(a.created_at AT TIME ZONE 'America/Guayaquil',"
		"                     'YYYY-MM-DD HH24:MI:SS') AS at,"
		"       coalesce(u.name, 'Sistema') AS who, a.action, a.entity_type,"
		"       a.entity_id, host(a.ip_address) AS ip, f.key, f.old, f.new"
		"  FROM (SELECT * FROM audit_logs"
		"         WHERE ($1::uuid IS NULL OR user_id = $1::uuid)"
		"           AND ($2::text IS NULL OR action = $2)"
		"           AND ($3::text IS NULL OR entity_type = $3)"
		"           AND ($4::date IS NULL OR created_at >="
		"                ($4::date::timestamp AT TIME ZONE 'America/Guayaquil'))"
		"           AND ($5::date IS NULL OR created_at <"
		"                (($5::date + 1)::timestamp AT TIME ZONE 'America/Guayaquil'))"
		"         ORDER BY created_at DESC, id LIMIT 200) a"  /* AUDIT_PAGE */
		"  LEFT JOIN users u ON u.workspace_id = a.workspace_id AND u.id = a.user_id"
		"  LEFT JOIN patients p ON a.entity_type = 'patient'"
		"        AND p.workspace_id = a.workspace_id AND p.id = a.entity_id"
		"  LEFT JOIN LATERAL ("
		"       SELECT k.key,"
		"              CASE WHEN p.data_deleted_at IS NOT NULL THEN '(dato borrado)'"
		"                   ELSE o.v ->> k.key END AS old,"
		"              CASE WHEN p.data_deleted_at IS NOT NULL THEN '(dato borrado)'"
		"                   ELSE n.v ->> k.key END AS new"
		"         FROM (SELECT CASE WHEN jsonb_typeof(a.old_value) = 'object'"
		"                           THEN a.old_value ELSE '{}' END AS v) o,"
		"              (SELECT CASE WHEN jsonb_typeof(a.new_value) = 'object'"
		"                           THEN a.new_value ELSE '{}' END AS v) n,"
		"              LATERAL (SELECT jsonb_object_keys(o.v || n.v) AS key) k"
		"        WHERE (o.v -> k.key) IS DISTINCT FROM (n.v -> k.key)) f ON true"
		" ORDER BY a.created_at DESC, a.id, f.key" },
	[Q_USERS] = { "audit_users", "SELECT id, name FROM users ORDER BY name, id" },
};
const struct app_sql audit_sql = { sql, nitems(sql) };

static int audit_filters(struct ctx *c, const char **from, const char **to)
{
	*from = ctx_param(c, "from");
	*to = ctx_param(c, "to");
	if (ctx_has_errors(c))
		return -1;
	if ((*from && !report_date_valid(*from)) || (*to && !report_date_valid(*to))) {
		ctx_error(c, "from", "Escribe las fechas como AAAA-MM-DD (por ejemplo 2026-03-01).");
		return -1;
	}
	return 0;
}

static void audit_show_users(struct ctx *c, const PGresult *users, const char *selected)
{
	for (int i = 0; i < PQntuples(users); i++) {
		struct tpl_dict *o = tpl_section(c->page, "USER_OPTION");
		const char *id = db_get(users, i, "id");
		tpl_set(o, "ID", id);
		tpl_set(o, "NAME", db_get(users, i, "name"));
		if (selected && strcmp(selected, id) == 0)
			tpl_show(o, "SELECTED");
	}
}

int audit_get(struct ctx *c)
{
	const char *from, *to;
	if (audit_filters(c, &from, &to))
		return report_bad_input(c);
	const char *user = ctx_param(c, "user"), *action = ctx_param(c, "action");
	const char *entity = ctx_param(c, "entity");
	PGresult *users = Q0(c, &sql[Q_USERS]);
	PGresult *res = users ? Q(c, &sql[Q_ENTRIES], user, action, entity, from, to) : NULL;
	if (!res)
		return -1;
	audit_show_users(c, users, user);
	tpl_set(c->page, "ACTION", action ? action : "");
	tpl_set(c->page, "ENTITY", entity ? entity : "");
	tpl_set(c->page, "FROM", from ? from : "");
	tpl_set(c->page, "TO", to ? to : "");
	struct tpl_dict *entry = NULL;
	const char *last = "";
	for (int i = 0; i < PQntuples(res); i++) {
		const char *id = db_get(res, i, "id");
		if (!entry || strcmp(id, last) != 0) {
			entry = tpl_section(c->page, "ENTRY");
			last = id;
			static const char *const cols[][2] = {
				{ "at", "AT" }, { "who", "WHO" }, { "action", "ACTION" },
				{ "entity_type", "ENTITY" }, { "entity_id", "ENTITY_ID" }, { "ip", "IP" },
			};
			for (size_t k = 0; k < nitems(cols); k++)
				tpl_set(entry, cols[k][1], db_get_or(res, i, cols[k][0], "—"));
		}
		if (db_get(res, i, "key")) {
			struct tpl_dict *f = tpl_section(entry, "CHANGE");
			tpl_set(f, "FIELD", db_get(res, i, "key"));
			tpl_set(f, "OLD", db_get_or(res, i, "old", "—"));
			tpl_set(f, "NEW", db_get_or(res, i, "new", "—"));
		}
	}
	tpl_show(c->page, entry ? "HAS_ENTRIES" : "NO_ENTRIES");
	tpl_set_int(c->page, "LIMIT", AUDIT_PAGE);
	return render_page(c, 200, "audit", "Auditoría");
}
