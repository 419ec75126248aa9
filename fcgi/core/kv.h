/* kv.h: ordered name/value lists for query strings, forms, cookies, headers and path
 * parameters. Everything lives in the request's arena.
 *
 * `value` is NUL-terminated, but may contain NUL bytes of its own (from %00 or a
 * multipart body): `value_len` is the true length. Multipart file parts set
 * `filename` and `content_type`; other entries leave them NULL. */
#ifndef RM_KV_H
#define RM_KV_H

#include <stddef.h>

struct arena;

struct kv {
	const char *name;
	const char *value;
	size_t value_len;
	const char *filename;      /* multipart file parts only */
	const char *content_type;  /* multipart parts that carry one */
	struct kv *next;
};

struct kvlist {
	struct kv *head;
	struct kv *tail;
	size_t count;
};

#define KVLIST_INIT { NULL, NULL, 0 }

/* Appends a copy of name and value (value_len bytes, NUL added). Returns the entry. */
struct kv *kv_add(struct arena *a, struct kvlist *l, const char *name, size_t name_len,
		  const char *value, size_t value_len);
/* Appends an entry the caller built (e.g. with its strings already decoded). */
void kv_append(struct kvlist *l, struct kv *e);
/* Moves every entry of src to the end of dst and empties src. Parsers collect into a
 * private list and splice it only when the whole input was good. */
void kv_splice(struct kvlist *dst, struct kvlist *src);
/* First entry with this name (case-sensitive), or NULL. */
const struct kv *kv_find(const struct kvlist *l, const char *name);
/* Its value, or NULL. */
const char *kv_get(const struct kvlist *l, const char *name);
/* First entry with this name, ASCII case-insensitive (HTTP header names). */
const struct kv *kv_find_nocase(const struct kvlist *l, const char *name);

#endif
