/* ctx.h: the request context handlers receive, the signed-in user, and the calls on it.
 *
 * Below app.h (the pipeline): the core modules that work on a request (session, audit,
 * render) include this, not the pipeline's umbrella header, so nothing in the core
 * depends back on app.c. */
#ifndef RM_CTX_H
#define RM_CTX_H

#include <stdbool.h>
#include "arena.h"
#include "config.h"
#include "db.h"
#include "kv.h"
#include "req.h"
#include "resp.h"

struct route;
struct tpl_dict;

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
	void *out;                /* the FastCGI output (FCGX_Stream), for stream.h only */
	bool streamed;            /* the handler sent the response itself (stream.h) */
	bool wake_sender;         /* queued a message due now: wake the sender after commit */
	const char *clinic;       /* on a patient's page (ROUTE_PATIENT): the practice's name
				   * for the header and title; NULL until its link is opened */
};

/* A validated input value, or NULL when absent or invalid. */
const char *ctx_param(const struct ctx *c, const char *name);
bool ctx_has_errors(const struct ctx *c);
/* Adds a message for a field (or "" for the form as a whole). */
void ctx_error(struct ctx *c, const char *field, const char *message);

/* Runs a prepared statement in the request's transaction; see db.h. */
#define Q(c, st, ...) DB_EXEC((c)->db, (c)->a, (st), __VA_ARGS__)
#define Q0(c, st) DB_EXEC0((c)->db, (c)->a, (st))

#endif
