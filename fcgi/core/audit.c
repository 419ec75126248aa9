/* audit.c: appending to audit_logs inside the request's transaction. */
#include "audit.h"
#include "ctx.h"
#include "nitems.h"

static const struct db_stmt sql[] = {
	{ .name = "audit_insert", .sql =
	  "INSERT INTO audit_logs (workspace_id, user_id, action, entity_type, entity_id,"
	  "                        old_value, new_value, ip_address, user_agent)"
	  "VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, nullif($8, '')::inet, left($9, 500))" },
};

void audit_register(struct db *db)
{
	db_register(db, sql, nitems(sql));
}

int audit_record(struct ctx *c, const char *workspace_id, const char *user_id,
		 const char *action, const char *entity_type, const char *entity_id,
		 const char *old_json, const char *new_json)
{
	if (!workspace_id && c->user)
		workspace_id = c->user->workspace_id;
	if (!user_id && c->user)
		user_id = c->user->id;
	return Q(c, &sql[0], workspace_id, user_id, action, entity_type, entity_id, old_json,
		 new_json, c->req.remote_addr, c->req.user_agent) ? 0 : -1;
}
