/* req.h: one HTTP request as the FastCGI server hands it over.
 *
 * Parsing happens in three steps so that the body limit can depend on the route:
 * req_parse_head reads the parameters (method, path, query, cookies), the router picks
 * a route, req_read_body reads at most the route's limit, req_parse_body decodes a form
 * or multipart body. The source of parameters and bytes is abstract (two callbacks), so
 * unit tests and fuzzers drive the same code without a FastCGI server.
 * Each step returns 0 or the HTTP status to answer (400, 411, 413). */
#ifndef RM_REQ_H
#define RM_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include "kv.h"

struct arena;

typedef const char *(*req_param_fn)(void *src, const char *name);
/* Reads up to n bytes into buf; returns the count, 0 at end, -1 on error. */
typedef long (*req_read_fn)(void *src, char *buf, size_t n);

#define REQ_MAX_QUERY_FIELDS 64
#define REQ_MAX_FORM_FIELDS 256
#define REQ_MAX_PARTS 64
#define REQ_MAX_COOKIES 32

struct req {
	const char *method;        /* GET, POST, ... (HEAD is kept as HEAD) */
	const char *path;          /* decoded and normalized by nginx */
	const char *query_string;  /* raw, "" when none */
	const char *content_type;  /* NULL when none */
	const char *remote_addr;
	const char *user_agent;
	bool https;
	struct kvlist query;
	struct kvlist cookies;
	struct kvlist form;        /* urlencoded or multipart fields */
	const char *body;
	size_t body_len;
	long long content_length;  /* -1 when absent */
	req_param_fn param;
	void *src;
};

int req_parse_head(struct req *r, struct arena *a, req_param_fn param, void *src);
int req_read_body(struct req *r, struct arena *a, req_read_fn rd, size_t limit);
int req_parse_body(struct req *r, struct arena *a);

/* A request header by its HTTP name ("X-Twilio-Signature"), or NULL. */
const char *req_header(const struct req *r, struct arena *a, const char *name);
bool req_is_get(const struct req *r);   /* GET or HEAD: safe methods */
bool req_is_head(const struct req *r);  /* HEAD: headers only, no body */

#endif
