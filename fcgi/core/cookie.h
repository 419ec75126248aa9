/* cookie.h: the Cookie request header (RFC 6265 section 5.4 syntax, parsed leniently as
 * browsers send it): `name=value` pairs separated by ';' and optional spaces. A value in
 * double quotes loses the quotes. Pairs without '=' or with an empty name are skipped,
 * as are names or values holding control characters; the first of several cookies with
 * the same name wins (kv_find returns it). Values are not percent-decoded. */
#ifndef RM_COOKIE_H
#define RM_COOKIE_H

#include <stddef.h>
#include "kv.h"

struct arena;

/* Appends the cookies in header to out; at most max_cookies are kept (the rest ignored).
 * Returns the number of cookies kept. A NULL header yields 0. */
size_t cookie_parse(struct arena *a, const char *header, struct kvlist *out,
		    size_t max_cookies);

#endif
