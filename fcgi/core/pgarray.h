/* pgarray.h: one-dimensional PostgreSQL arrays in the binary wire format, for binary
 * parameters (db_exec_params): the server takes them with array_recv, a length-prefixed
 * copy of each element, where a text literal ('{"a","b"}') or a JSON document would be
 * parsed character by character.
 *
 * The format (PostgreSQL's array_send): int32 dimensions (1, or 0 for an empty array),
 * int32 has-nulls flag, uint32 element type OID, then per dimension int32 length and
 * int32 lower bound (1); then each element as int32 byte length (-1 for NULL) followed
 * by its bytes. Every integer is big-endian; an int4 is 4 bytes, a bool 1, an int8, a
 * timestamp or a timestamptz (microseconds since 2000-01-01 00:00) 8, a text its UTF-8
 * bytes.
 *
 * Ownership: the builder's buffer is its own until pgarray_param, which copies the
 * bytes into the arena and releases the buffer. Elements must match the element type
 * given to pgarray_init (the server refuses the array otherwise). */
#ifndef RM_PGARRAY_H
#define RM_PGARRAY_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "db.h"

struct arena;

/* Element types by their fixed OIDs (pg_type.dat). */
enum pgarray_type {
	PGARRAY_BOOL = 16,
	PGARRAY_INT8 = 20,
	PGARRAY_INT4 = 23,
	PGARRAY_TEXT = 25,
	PGARRAY_TIMESTAMP = 1114,
	PGARRAY_TIMESTAMPTZ = 1184,
};

struct pgarray {
	struct buf b;        /* header room, then the elements */
	uint32_t type;
	uint32_t n;          /* elements added */
	bool has_nulls;
};

/* Starts an empty array of type; expect: elements about to come (a hint, may be 0). */
void pgarray_init(struct pgarray *arr, enum pgarray_type type, size_t expect);
void pgarray_add_null(struct pgarray *arr);
void pgarray_add_bool(struct pgarray *arr, bool v);
void pgarray_add_int4(struct pgarray *arr, int32_t v);
/* An int8, or a timestamptz (timestamp) given in microseconds since 2000-01-01 00:00 UTC
 * (since that wall-clock time). */
void pgarray_add_int8(struct pgarray *arr, int64_t v);
/* s's bytes up to its NUL (it must be valid UTF-8: the server checks); NULL adds NULL. */
void pgarray_add_text(struct pgarray *arr, const char *s);
/* Finishes the header and hands over the bytes as a binary parameter, copied into a;
 * arr is released (init it again to reuse it). */
struct db_param pgarray_param(struct pgarray *arr, struct arena *a);
/* Releases arr without using it. */
void pgarray_release(struct pgarray *arr);

/* Microseconds from the Unix epoch to PostgreSQL's (2000-01-01 00:00 UTC). */
#define PGARRAY_EPOCH_SHIFT_US INT64_C(946684800000000)

#endif
