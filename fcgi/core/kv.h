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
/* First entry with this name (case-sensitive), or NULL. */
const struct kv *kv_find(const struct kvlist *l, const char *name);
/* Its value, or NULL. */
const char *kv_get(const struct kvlist *l, const char *name);
/* First entry with this name, ASCII case-insensitive (HTTP header names). */
const struct kv *kv_find_nocase(const struct kvlist *l, const char *name);

#endif
