/* audit.h: the audit log. One row per staff action (and sign-in events), with who,
 * from where, and the old and new values as JSON. Rows are written in the request's
 * transaction, so an action that rolls back leaves no audit row claiming it happened. */
#ifndef RM_AUDIT_H
#define RM_AUDIT_H

struct ctx;
struct db;

void audit_register(struct db *db);

/* Records action for workspace_id (NULL: the signed-in user's) by user_id (NULL: the
 * signed-in user, or nobody). old_json/new_json are JSON text or NULL. 0 or -1. */
int audit_record(struct ctx *c, const char *workspace_id, const char *user_id,
		 const char *action, const char *entity_type, const char *entity_id,
		 const char *old_json, const char *new_json);

#endif
