/* form.h: application/x-www-form-urlencoded bodies and URL query strings.
 *
 * Pairs are separated by '&' (empty pairs skipped); a pair without '=' is a name with an
 * empty value. '+' decodes to a space, %XX to its byte. Malformed escapes (a '%' not
 * followed by two hex digits) make the whole input invalid: the caller answers 400.
 * Names must decode to non-empty strings without NUL bytes; values may hold any byte
 * (value_len is exact); UTF-8 checks are the validator's job, not the parser's. */
#ifndef RM_FORM_H
#define RM_FORM_H

#include <stddef.h>
#include "kv.h"

struct arena;

/* Parses len bytes of data into out (appending). At most max_fields pairs are accepted:
 * more is an error. Returns 0, or -1 for malformed input or too many fields. */
int form_parse(struct arena *a, const char *data, size_t len, struct kvlist *out,
	       size_t max_fields);

/* Percent-decodes src (len bytes) into a new arena string; plus_is_space selects form
 * semantics. Sets *out_len. Returns NULL for a malformed escape. */
char *form_decode(struct arena *a, const char *src, size_t len, int plus_is_space,
		  size_t *out_len);

/* Appends the percent-encoding of s (len bytes) to out: unreserved characters
 * (A-Z a-z 0-9 - . _ ~) as they are, everything else %XX. For building query strings
 * such as login?next=... */
struct buf;
void form_encode(struct buf *out, const char *s, size_t len);

#endif
