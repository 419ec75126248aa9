/* kv.c: name/value lists in an arena. */
#include "kv.h"
#include "arena.h"

#include <strings.h>
#include <string.h>

struct kv *kv_add(struct arena *a, struct kvlist *l, const char *name, size_t name_len,
		  const char *value, size_t value_len)
{
	struct kv *e = arena_calloc(a, 1, sizeof *e);
	e->name = arena_memdup(a, name, name_len);
	e->value = arena_memdup(a, value, value_len);
	e->value_len = value_len;
	kv_append(l, e);
	return e;
}

void kv_append(struct kvlist *l, struct kv *e)
{
	e->next = NULL;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
	l->count++;
}

void kv_splice(struct kvlist *dst, struct kvlist *src)
{
	if (!src->head)
		return;
	if (dst->tail)
		dst->tail->next = src->head;
	else
		dst->head = src->head;
	dst->tail = src->tail;
	dst->count += src->count;
	*src = (struct kvlist)KVLIST_INIT;
}

const struct kv *kv_find(const struct kvlist *l, const char *name)
{
	for (const struct kv *e = l->head; e; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

const char *kv_get(const struct kvlist *l, const char *name)
{
	const struct kv *e = kv_find(l, name);
	return e ? e->value : NULL;
}

const struct kv *kv_find_nocase(const struct kvlist *l, const char *name)
{
	for (const struct kv *e = l->head; e; e = e->next)
		if (strcasecmp(e->name, name) == 0)
			return e;
	return NULL;
}
