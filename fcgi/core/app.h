/* app.h: the FastCGI program skeleton every program shares; a program's files include
 * this (the request context itself is in ctx.h).
 *
 * A program is a route table and its SQL table. app_main runs the serving loop (one
 * request at a time): parse → route → enforce what the route declares (session, role, CSRF,
 * input) → one transaction scoped to the workspace → handler → commit → respond → free
 * the request's arena. A handler never writes SQL text from input, never prints HTML by
 * hand, never checks a role itself, never exits, and never frees arena memory. */
#ifndef RM_APP_H
#define RM_APP_H

#include <stddef.h>
#include "ctx.h"
#include "route.h"
#include "tpl.h"
#include "validate.h"

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

#endif
