/* audit.c: /audit, the workspace's audit log for its OWNER: newest first, filtered by
 * user, action, entity type and dates, each entry's change shown field by field. */
#include "reports.h"
#include "audit_labels.h"

#include <stdbool.h>
#include <string.h>

#include "core/nitems.h"
#include "core/render.h"

enum { Q_OLDER, Q_NEWER, Q_USERS };

/* A page shows this many entries; one more is read to know whether another page follows. */
enum { AUDIT_PAGE = 50 };

/* The filters ($1-$5) of both directions. */
#define AUDIT_WHERE \
	" WHERE ($1::uuid IS NULL OR user_id = $1::uuid)" \
	"   AND ($2::text IS NULL OR action = $2)" \
	"   AND ($3::text IS NULL OR entity_type = $3)" \
	"   AND ($4::date IS NULL OR created_at >=" \
	"        ($4::date::timestamp AT TIME ZONE 'America/Guayaquil'))" \
	"   AND ($5::date IS NULL OR created_at <" \
	"        (($5::date + 1)::timestamp AT TIME ZONE 'America/Guayaquil'))"

/* One row per changed field (or one row with NULL key for an entry without fields) of the
 * entries chosen by the subquery `a`. The values of an erased patient are never shown, not
 * even from before the erasure: the erasure would otherwise survive in its own audit
 * trail. Days are Quito's. Newest first, by (created_at, id): ids break ties, so a page
 * boundary between entries of the same instant neither repeats nor skips one. */
#define AUDIT_SELECT(chosen) \
	"SELECT a.id, to_char(a.created_at AT TIME ZONE 'America/Guayaquil'," \
	"                     'DD/MM/YYYY HH24:MI:SS') AS at," \
	"       to_char(a.created_at AT TIME ZONE 'America/Guayaquil'," \
	"               'YYYY-MM-DD\"T\"HH24:MI:SS') AS at_iso," \
	"       coalesce(u.name, 'Sistema') AS who, a.action, a.entity_type," \
	"       a.entity_id, host(a.ip_address) AS ip, f.key, f.old, f.new" \
	"  FROM (" chosen ") a" \
	"  LEFT JOIN users u ON u.workspace_id = a.workspace_id AND u.id = a.user_id" \
	"  LEFT JOIN patients p ON a.entity_type = 'patient'" \
	"        AND p.workspace_id = a.workspace_id AND p.id = a.entity_id" \
	"  LEFT JOIN LATERAL (" \
	"       SELECT k.key," \
	"              CASE WHEN p.data_deleted_at IS NOT NULL THEN '(dato borrado)'" \
	"                   ELSE o.v ->> k.key END AS old," \
	"              CASE WHEN p.data_deleted_at IS NOT NULL THEN '(dato borrado)'" \
	"                   ELSE n.v ->> k.key END AS new" \
	"         FROM (SELECT CASE WHEN jsonb_typeof(a.old_value) = 'object'" \
	"                           THEN a.old_value ELSE '{}' END AS v) o," \
	"              (SELECT CASE WHEN jsonb_typeof(a.new_value) = 'object'" \
	"                           THEN a.new_value ELSE '{}' END AS v) n," \
	"              LATERAL (SELECT jsonb_object_keys(o.v || n.v) AS key) k" \
	"        WHERE (o.v -> k.key) IS DISTINCT FROM (n.v -> k.key)) f ON true" \
	" ORDER BY a.created_at DESC, a.id DESC, f.key"

static const struct db_stmt sql[] = {
	/* The first page ($6 NULL), or the entries older than entry $6 (Siguientes). */
	[Q_OLDER] = { "audit_entries_older", AUDIT_SELECT(
		"SELECT * FROM audit_logs" AUDIT_WHERE
		"   AND ($6::uuid IS NULL OR (created_at, id) <"
		"        (SELECT created_at, id FROM audit_logs WHERE id = $6::uuid))"
		" ORDER BY created_at DESC, id DESC LIMIT $7::int") },
	/* The entries newer than entry $6 (Anteriores): the nearest ones, shown newest first. */
	[Q_NEWER] = { "audit_entries_newer", AUDIT_SELECT(
		"SELECT * FROM audit_logs" AUDIT_WHERE
		"   AND (created_at, id) > (SELECT created_at, id FROM audit_logs WHERE id = $6::uuid)"
		" ORDER BY created_at, id LIMIT $7::int") },
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

static const char *or_self(const char *label, const char *self)
{
	return label ? label : self;
}

/* The filter's options of table: its entries, and the value asked for when it is not one of
 * them (an action no program records any more still finds its entries). */
static void audit_show_options(struct ctx *c, const char *section, const struct label *table,
			       size_t n, const char *selected)
{
	label_options(c->page, section, table, n, selected);
	if (selected && !label_find(table, n, selected)) {
		struct tpl_dict *o = tpl_section(c->page, section);
		tpl_set(o, "VALUE", selected);
		tpl_set(o, "LABEL", selected);
		tpl_show(o, "SELECTED");
	}
}

/* Where each entry of res starts (rows grouped by entry, newest first): the row index of
 * each of its first cap entries in start; the number of entries. */
static int audit_entry_starts(const PGresult *res, int *start, int cap)
{
	int n = 0;
	for (int i = 0; i < PQntuples(res) && n < cap; i++)
		if (i == 0 || strcmp(db_get(res, i, "id"), db_get(res, i - 1, "id")) != 0)
			start[n++] = i;
	return n;
}

/* Entries first to last (indexes into start, n entries in all) as ENTRY sections with
 * their CHANGE lines. */
static void audit_show_entries(struct ctx *c, const PGresult *res, const int *start, int n,
			       int first, int last)
{
	static const char *const cols[][2] = {
		{ "at", "AT" }, { "at_iso", "AT_ISO" }, { "who", "WHO" }, { "action", "ACTION" },
		{ "entity_type", "ENTITY" }, { "entity_id", "ENTITY_ID" }, { "ip", "IP" },
	};
	for (int k = first; k <= last; k++) {
		struct tpl_dict *entry = tpl_section(c->page, "ENTRY");
		for (size_t j = 0; j < nitems(cols); j++)
			tpl_set(entry, cols[j][1], db_get_or(res, start[k], cols[j][0], "—"));
		const char *action = db_get(res, start[k], "action");
		const char *entity = db_get(res, start[k], "entity_type");
		tpl_set(entry, "ACTION_LABEL", or_self(audit_action_label(action), action));
		tpl_set(entry, "ENTITY_LABEL", or_self(audit_entity_label(entity), entity));
		const char *entity_id = db_get(res, start[k], "entity_id"), *before, *after;
		if (entity_id && audit_entity_path(entity, &before, &after))
			tpl_set(tpl_section(entry, "ENTITY_LINK"), "HREF",
				arena_printf(c->a, "%s%s%s", before, entity_id, after));
		else
			tpl_show(entry, "ENTITY_TEXT");
		int end = k + 1 < n ? start[k + 1] : PQntuples(res);
		for (int i = start[k]; i < end; i++) {
			const char *key = db_get(res, i, "key");
			if (!key)
				continue;
			struct tpl_dict *f = tpl_section(entry, "CHANGE");
			tpl_set(f, "FIELD", key);
			tpl_set(f, "FIELD_LABEL", or_self(audit_field_label(key), key));
			tpl_set(f, "OLD", or_self(audit_value_label(key, db_get(res, i, "old")), "—"));
			tpl_set(f, "NEW", or_self(audit_value_label(key, db_get(res, i, "new")), "—"));
		}
	}
}

/* Shows one page of res, read with one entry more than a page: that extra entry (the
 * oldest going back, the newest going forward) only says another page follows. Sets the
 * Anteriores (newer) and Siguientes (older) links' cursors. */
static void audit_show_page(struct ctx *c, const PGresult *res, const char *before,
			    const char *after)
{
	int start[AUDIT_PAGE + 1];
	int n = audit_entry_starts(res, start, AUDIT_PAGE + 1);
	bool more = n > AUDIT_PAGE;
	int first = after && more ? 1 : 0;
	int last = !after && more ? AUDIT_PAGE - 1 : n - 1;
	audit_show_entries(c, res, start, n, first, last);
	tpl_show(c->page, n > 0 ? "HAS_ENTRIES" : "NO_ENTRIES");
	if (n == 0) {
		if (before || after)
			tpl_show(c->page, "FIRST_PAGE");
		return;
	}
	/* Going back from entry X, X itself is newer; going forward from X, X is older. */
	bool newer = (!after && before) || (after && more), older = (!after && more) || after;
	if (newer)
		tpl_set(tpl_section(c->page, "NEWER"), "AFTER", db_get(res, start[first], "id"));
	if (older)
		tpl_set(tpl_section(c->page, "OLDER"), "BEFORE", db_get(res, start[last], "id"));
	if (newer || older)
		tpl_show(c->page, "PAGER");
}

int audit_get(struct ctx *c)
{
	const char *from, *to;
	if (audit_filters(c, &from, &to))
		return report_bad_input(c);
	const char *user = ctx_param(c, "user"), *action = ctx_param(c, "action");
	const char *entity = ctx_param(c, "entity");
	const char *before = ctx_param(c, "before"), *after = ctx_param(c, "after");
	if (before && after) {
		ctx_error(c, "before", "Elige una sola dirección: entradas anteriores o siguientes.");
		return report_bad_input(c);
	}
	const char *limit = arena_printf(c->a, "%d", AUDIT_PAGE + 1);
	PGresult *users = Q0(c, &sql[Q_USERS]);
	PGresult *res = !users ? NULL
		: after ? Q(c, &sql[Q_NEWER], user, action, entity, from, to, after, limit)
			: Q(c, &sql[Q_OLDER], user, action, entity, from, to, before, limit);
	if (!res)
		return -1;
	audit_show_users(c, users, user);
	audit_show_options(c, "ACTION_OPTION", audit_actions, audit_actions_n, action);
	audit_show_options(c, "ENTITY_OPTION", audit_entities, audit_entities_n, entity);
	tpl_set(c->page, "USER", user ? user : "");
	tpl_set(c->page, "ACTION", action ? action : "");
	tpl_set(c->page, "ENTITY", entity ? entity : "");
	tpl_set(c->page, "FROM", from ? from : "");
	tpl_set(c->page, "TO", to ? to : "");
	audit_show_page(c, res, before, after);
	tpl_set_int(c->page, "LIMIT", AUDIT_PAGE);
	return render_page(c, 200, "audit", "Auditoría");
}
