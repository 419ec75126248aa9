/* multipart.h: multipart/form-data bodies (RFC 7578), for CSV uploads and forms.
 *
 * Parts are found by the delimiter "\r\n--boundary"; each part's headers end at a blank
 * line. From Content-Disposition the parser takes `name` (required) and `filename`
 * (optional; quoted strings with backslash escapes); Content-Type is kept if present.
 * Every length is checked against the bytes actually present. A body that does not start
 * with the first delimiter, a part without a name, headers over 8 KiB, a missing closing
 * delimiter "--boundary--", or more than max_parts parts make the input invalid (-1). */
#ifndef RM_MULTIPART_H
#define RM_MULTIPART_H

#include <stddef.h>
#include "kv.h"

struct arena;

/* Extracts the boundary parameter from a Content-Type header value such as
 * `multipart/form-data; boundary="abc"` (quoted or token; 1..70 chars per RFC 2046).
 * Returns an arena string, or NULL when the type is not multipart/form-data or the
 * boundary is missing or invalid. */
const char *multipart_boundary(struct arena *a, const char *content_type);

/* Parses body (len bytes) into out, one entry per part: value/value_len is the part's
 * content, filename/content_type as sent. Returns 0 or -1. */
int multipart_parse(struct arena *a, const char *body, size_t len, const char *boundary,
		    struct kvlist *out, size_t max_parts);

#endif
