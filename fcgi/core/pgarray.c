/* pgarray.c: binary PostgreSQL arrays (see pgarray.h for the format). */
#include "pgarray.h"
#include "arena.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

/* ndim, flags, element type, then one dimension's length and lower bound. */
#define HEADER_1D 20
#define HEADER_EMPTY 12

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void add32(struct buf *b, uint32_t v)
{
	unsigned char p[4];
	put32(p, v);
	buf_add(b, p, sizeof p);
}

void pgarray_init(struct pgarray *arr, enum pgarray_type type, size_t expect)
{
	*arr = (struct pgarray){ .b = BUF_INIT, .type = (uint32_t)type };
	/* Room for the header, written by pgarray_param once the count is known. */
	buf_grow(&arr->b, HEADER_1D + expect * 12);
	static const unsigned char zero[HEADER_1D];
	buf_add(&arr->b, zero, sizeof zero);
}

/* Counts one more element; an array's length is an int32 on the wire. */
static void count(struct pgarray *arr)
{
	if (arr->n == INT32_MAX) {
		log_error("pgarray: too many elements");
		abort();
	}
	arr->n++;
}

void pgarray_add_null(struct pgarray *arr)
{
	count(arr);
	arr->has_nulls = true;
	add32(&arr->b, UINT32_MAX);   /* length -1 */
}

void pgarray_add_bool(struct pgarray *arr, bool v)
{
	count(arr);
	add32(&arr->b, 1);
	buf_addch(&arr->b, v ? 1 : 0);
}

void pgarray_add_int4(struct pgarray *arr, int32_t v)
{
	count(arr);
	add32(&arr->b, 4);
	add32(&arr->b, (uint32_t)v);
}

void pgarray_add_int8(struct pgarray *arr, int64_t v)
{
	count(arr);
	add32(&arr->b, 8);
	add32(&arr->b, (uint32_t)((uint64_t)v >> 32));
	add32(&arr->b, (uint32_t)v);
}

void pgarray_add_text(struct pgarray *arr, const char *s)
{
	if (!s) {
		pgarray_add_null(arr);
		return;
	}
	size_t len = strlen(s);
	if (len > INT32_MAX) {
		log_error("pgarray: element too long");
		abort();
	}
	count(arr);
	add32(&arr->b, (uint32_t)len);
	buf_add(&arr->b, s, len);
}

struct db_param pgarray_param(struct pgarray *arr, struct arena *a)
{
	unsigned char *h = (unsigned char *)arr->b.buf;
	size_t skip = 0;
	if (arr->n == 0) {
		/* No dimensions at all: the header's last 8 bytes are not sent. */
		skip = HEADER_1D - HEADER_EMPTY;
		put32(h + skip, 0);
		put32(h + skip + 4, 0);
		put32(h + skip + 8, arr->type);
	} else {
		put32(h, 1);
		put32(h + 4, arr->has_nulls);
		put32(h + 8, arr->type);
		put32(h + 12, arr->n);
		put32(h + 16, 1);
	}
	size_t len = arr->b.len - skip;
	if (len > INT32_MAX) {
		log_error("pgarray: array too large");
		abort();
	}
	struct db_param p = { .value = arena_memdup(a, arr->b.buf + skip, len),
			      .len = (int)len, .binary = true };
	pgarray_release(arr);
	return p;
}

void pgarray_release(struct pgarray *arr)
{
	buf_release(&arr->b);
	arr->n = 0;
}
