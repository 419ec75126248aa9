/* route.h: a program's route table (after cgit's cmd.c).
 *
 * Each route declares what the core enforces before its handler runs: whether a signed-in
 * session is needed, which roles may use it, whether a CSRF token is checked (every
 * state-changing method, unless the route verifies a provider signature instead), the
 * body limit, and the input keys it reads. Patterns are literal segments and ":name"
 * parameters matching one non-empty segment: "/users/:id/edit". */
#ifndef RM_ROUTE_H
#define RM_ROUTE_H

#include <stddef.h>
#include <stdio.h>
#include "kv.h"

struct arena;
struct buf;
struct ctx;
struct field;

enum route_flag {
	ROUTE_PUBLIC = 1u << 0,   /* no session needed (one is still loaded if present) */
	ROUTE_NO_CSRF = 1u << 1,  /* signature-checked webhooks only */
	ROUTE_UPLOAD = 1u << 2,   /* body limit RM_MAX_UPLOAD instead of RM_MAX_BODY */
	/* A patient's page (with ROUTE_PUBLIC): the clinic's name heads it (ctx.clinic), with
	 * no way into the dashboard and no staff session shown, even to signed-in staff. */
	ROUTE_PATIENT = 1u << 3,
};

enum role {
	ROLE_OWNER = 1u << 0,
	ROLE_DOCTOR = 1u << 1,
	ROLE_RECEPTIONIST = 1u << 2,
};
#define ROLES_ALL (ROLE_OWNER | ROLE_DOCTOR | ROLE_RECEPTIONIST)

struct route {
	const char *method;
	const char *pattern;
	int (*handler)(struct ctx *c);   /* 0: response is set; -1: internal error */
	unsigned flags;
	unsigned roles;                  /* signed-in roles allowed; ignored when PUBLIC */
	const struct field *fields;      /* declared input, NULL-name terminated; may be NULL */
	/* A provider's signature over the raw request, checked after the body is read and
	 * before anything touches the database (no transaction, no session lookup): 0 lets
	 * the request go on; otherwise it has set the answer (403) and the request ends
	 * there. May be NULL. */
	int (*verify)(struct ctx *c);
};

enum route_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

/* Finds the route for method and path. HEAD matches GET routes. Path parameters go to
 * params. On ROUTE_BAD_METHOD, allow receives the methods the path does accept
 * ("GET, POST") for the Allow header. */
enum route_result route_match(const struct route *routes, size_t n, const char *method,
			      const char *path, struct arena *a, struct kvlist *params,
			      const struct route **found, struct buf *allow);

/* Prints the table one route a line, "METHOD PATTERN ROLES FLAGS", for `program
 * --routes`: ROLES is "OWNER,DOCTOR,RECEPTIONIST" (those allowed) or "-" for a public
 * route; FLAGS is "PUBLIC,NO_CSRF,UPLOAD" (those set) or "-". Tests derive page lists
 * and the role matrix from it. */
void route_print(const struct route *routes, size_t n, FILE *out);

/* "OWNER" → ROLE_OWNER ...; 0 for anything else. */
unsigned role_from_name(const char *name);

#endif
