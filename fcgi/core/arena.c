/* arena.c: block allocator with cleanup callbacks; see arena.h. */
#include "arena.h"
#include "log.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64 * 1024)
#define ALIGN 16

struct block {
	struct block *next;
	size_t size;   /* usable bytes after the header */
	size_t used;
	_Alignas(ALIGN) unsigned char data[];
};

struct cleanup {
	void (*fn)(void *);
	void *arg;
	struct cleanup *next;
};

struct arena {
	struct block *first;    /* kept across resets */
	struct block *current;
	struct cleanup *cleanups;
	size_t total;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		log_error("out of memory", "bytes", log_fmt("%zu", n));
		abort();
	}
	return p;
}

static struct block *block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct block)) {
		log_error("arena allocation too large");
		abort();
	}
	struct block *b = xmalloc(sizeof *b + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *arena_new(void)
{
	struct arena *a = xmalloc(sizeof *a);
	a->first = a->current = block_new(BLOCK_SIZE);
	a->cleanups = NULL;
	a->total = 0;
	return a;
}

static void run_cleanups(struct arena *a)
{
	/* Registration pushes to the head, so this runs newest first. A callback may not
	 * allocate from the arena it is being run for. */
	while (a->cleanups) {
		struct cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->arg);
	}
}

void arena_reset(struct arena *a)
{
	run_cleanups(a);
	struct block *b = a->first->next;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	a->first->next = NULL;
	a->first->used = 0;
	a->current = a->first;
	a->total = 0;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	arena_reset(a);
	free(a->first);
	free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
	if (size > SIZE_MAX - ALIGN) {
		log_error("arena allocation too large");
		abort();
	}
	size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need == 0)
		need = ALIGN;
	struct block *b = a->current;
	if (b->size - b->used < need) {
		/* Large requests get a block of their own; the current block stays current
		 * only if it still has room worth keeping. */
		b = block_new(need > BLOCK_SIZE / 4 ? need : BLOCK_SIZE);
		b->next = a->current->next;
		a->current->next = b;
		if (need <= BLOCK_SIZE / 4)
			a->current = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		log_error("arena calloc overflow");
		abort();
	}
	void *p = arena_alloc(a, n * size);
	memset(p, 0, n * size);
	return p;
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	if (n == SIZE_MAX)
		abort();
	char *q = arena_alloc(a, n + 1);
	if (n)
		memcpy(q, p, n);
	q[n] = '\0';
	return q;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	return arena_memdup(a, s, strnlen(s, n));
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_memdup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		log_error("bad format", "fmt", fmt);
		abort();
	}
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_cleanup(struct arena *a, void (*fn)(void *), void *arg)
{
	struct cleanup *c = arena_alloc(a, sizeof *c);
	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
