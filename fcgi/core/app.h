/* app.h: the FastCGI program skeleton every program shares, and the request context
 * handlers receive.
 *
 * A program is a route table and its SQL table. app_main runs the serving loop (one
 * request at a time, from any of the kept FastCGI connections): parse → route → enforce what the route declares (session, role, CSRF,
 * input) → one transaction scoped to the workspace → handler → commit → respond → free
 * the request's arena. A handler never writes SQL text from input, never prints HTML by
 * hand, never checks a role itself, never exits, and never frees arena memory. */
#ifndef RM_APP_H
#define RM_APP_H

#include <stdbool.h>
#include "arena.h"
#include "config.h"
#include "db.h"
#include "kv.h"
#include "req.h"
#include "resp.h"
#include "route.h"
#include "tpl.h"
#include "validate.h"

struct user {
	const char *id;
	const char *workspace_id;
	const char *name;
	const char *email;
	const char *role_name;
	unsigned role;
	const char *workspace_name;
	const char *plan;
	long long credits;
	const char *session_id;
};

struct ctx {
	struct arena *a;
	const struct config *cfg;
	struct db *db;
	struct req req;
	struct resp resp;
	const struct route *route;
	struct kvlist path;       /* raw path parameters */
	struct kvlist params;     /* validated input: read with ctx_param */
	struct kvlist errors;     /* field name → Spanish message */
	struct user *user;        /* NULL when not signed in */
	const char *session_token;/* the raw cookie token, when signed in */
	const char *csrf;         /* token to put in this response's forms */
	struct tpl_dict *layout;  /* layout.tpl values: title, navigation, user */
	struct tpl_dict *page;    /* the page body's values */
	bool rollback;            /* undo the transaction even though the handler succeeded */
};

/* One statement table of a program split into several files (one per page module). */
struct app_sql {
	const struct db_stmt *stmts;
	size_t n;
};

struct app {
	const char *name;
	const struct route *routes;
	size_t nroutes;
	const struct db_stmt *sql;
	size_t nsql;
	/* More statement tables, for programs split into several files; may be NULL. */
	const struct app_sql *more_sql;
	size_t nmore_sql;
};

int app_main(const struct app *app, int argc, char **argv);

/* A validated input value, or NULL when absent or invalid. */
const char *ctx_param(const struct ctx *c, const char *name);
bool ctx_has_errors(const struct ctx *c);
/* Adds a message for a field (or "" for the form as a whole). */
void ctx_error(struct ctx *c, const char *field, const char *message);

/* Runs a prepared statement in the request's transaction; see db.h. */
#define Q(c, st, ...) DB_EXEC((c)->db, (c)->a, (st), __VA_ARGS__)
#define Q0(c, st) DB_EXEC0((c)->db, (c)->a, (st))

#endif
