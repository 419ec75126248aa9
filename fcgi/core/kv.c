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
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
	l->count++;
	return e;
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
