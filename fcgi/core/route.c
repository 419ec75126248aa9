/* route.c: matching a method and path against a route table. */
#include "route.h"
#include "arena.h"
#include "buf.h"
#include "nitems.h"

#include <stdbool.h>
#include <string.h>

/* Matches path against pattern segment by segment, collecting ":name" parameters. */
static bool pattern_match(const char *pattern, const char *path, struct arena *a,
			  struct kvlist *params)
{
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == ':') {
			const char *name = ++p;
			while (*p && *p != '/')
				p++;
			const char *val = s;
			while (*s && *s != '/')
				s++;
			if (s == val)
				return false;
			kv_add(a, params, name, (size_t)(p - name), val, (size_t)(s - val));
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	/* A trailing slash on the request is tolerated: "/account/" is "/account". */
	if (*s == '/' && s[1] == '\0' && s != path)
		s++;
	return *p == '\0' && *s == '\0';
}

static bool method_matches(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

enum route_result route_match(const struct route *routes, size_t n, const char *method,
			      const char *path, struct arena *a, struct kvlist *params,
			      const struct route **found, struct buf *allow)
{
	bool path_seen = false;
	for (size_t i = 0; i < n; i++) {
		struct kvlist tmp = KVLIST_INIT;
		if (!pattern_match(routes[i].pattern, path, a, &tmp))
			continue;
		if (method_matches(routes[i].method, method)) {
			*params = tmp;
			*found = &routes[i];
			return ROUTE_FOUND;
		}
		if (allow) {
			if (allow->len)
				buf_adds(allow, ", ");
			buf_adds(allow, routes[i].method);
			if (strcmp(routes[i].method, "GET") == 0)
				buf_adds(allow, ", HEAD");
		}
		path_seen = true;
	}
	return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

unsigned role_from_name(const char *name)
{
	if (!name)
		return 0;
	if (strcmp(name, "OWNER") == 0)
		return ROLE_OWNER;
	if (strcmp(name, "DOCTOR") == 0)
		return ROLE_DOCTOR;
	if (strcmp(name, "RECEPTIONIST") == 0)
		return ROLE_RECEPTIONIST;
	return 0;
}

/* Writes the names of the bits set in mask, comma-separated, or "-" when none is. */
static void print_bits(FILE *out, unsigned mask, const char *const names[], size_t n)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (!(mask & (1u << i)))
			continue;
		fprintf(out, "%s%s", any ? "," : "", names[i]);
		any = true;
	}
	if (!any)
		fputc('-', out);
}

void route_print(const struct route *routes, size_t n, FILE *out)
{
	/* In bit order of enum role and enum route_flag. */
	static const char *const role_names[] = { "OWNER", "DOCTOR", "RECEPTIONIST" };
	static const char *const flag_names[] = { "PUBLIC", "NO_CSRF", "UPLOAD" };
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s %s ", routes[i].method, routes[i].pattern);
		print_bits(out, routes[i].flags & ROUTE_PUBLIC ? 0 : routes[i].roles,
			   role_names, nitems(role_names));
		fputc(' ', out);
		print_bits(out, routes[i].flags, flag_names, nitems(flag_names));
		fputc('\n', out);
	}
}
