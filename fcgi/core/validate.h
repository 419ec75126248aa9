/* validate.h: declared input (after kcgi's kvalid).
 *
 * Each route lists the keys it reads with a kind and bounds. Before the handler runs the
 * core checks every declared key; the handler reads only values that passed, through
 * ctx_param. Undeclared keys are never seen. Failures become Spanish messages per field
 * so a form can be shown again with them (status 422). Text is always valid UTF-8
 * without NUL or control characters; single-line kinds are trimmed. */
#ifndef RM_VALIDATE_H
#define RM_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include "kv.h"

struct arena;

enum field_kind {
	FIELD_LINE,        /* one line of text, trimmed */
	FIELD_TEXT,        /* free text, newlines allowed */
	FIELD_EMAIL,       /* trimmed, lowercased (email_lower), local@domain.tld */
	FIELD_PASSWORD,    /* kept as typed (no trimming); UTF-8, no controls */
	FIELD_INT,         /* decimal integer in [min, max] */
	FIELD_UUID,        /* canonical 8-4-4-4-12 hex */
	FIELD_LOCAL_PATH,  /* a path on this site: "/..." but not "//" or "/\" */
};

enum field_src { FROM_BODY, FROM_QUERY, FROM_PATH };

struct field {
	const char *name;
	enum field_kind kind;
	enum field_src src;
	bool required;
	long long min;     /* length in characters (text kinds) or value (FIELD_INT) */
	long long max;     /* 0: the kind's default maximum */
	bool lenient;      /* an invalid value counts as absent, with no message: for values
			    * the user cannot see or correct, such as a hidden `next` */
};

#define FIELDS_END { .name = NULL }

/* Checks the fields (the list ends at an entry with a NULL name). Valid values go to
 * valid, messages for invalid ones to errors (keyed by field name). Returns the number
 * of invalid fields. */
size_t validate_fields(struct arena *a, const struct field *fields, const struct kvlist *body,
		       const struct kvlist *query, const struct kvlist *path,
		       struct kvlist *valid, struct kvlist *errors);

/* The single checks, exposed for tests and for code that validates other input. */
bool valid_email(const char *s, size_t len);
bool valid_uuid(const char *s, size_t len);
bool valid_local_path(const char *s, size_t len);

/* Lowercases an e-mail address in place, the one place e-mails are normalised: ASCII and
 * the Latin-1 letters (Ñ → ñ, Á → á), exactly as PostgreSQL's lower() does under
 * C.UTF-8, so the users.email CHECK always holds. -1 for characters beyond Latin-1
 * (their case mapping is not worth the risk): the address is refused with a message. */
int email_lower(char *s);

#endif
