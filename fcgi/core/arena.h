/* arena.h: a memory pool per request (after nginx's pools).
 *
 * Everything a request allocates comes from its arena and is freed at once when the
 * request ends (arena_reset). Resources that are not memory (a PGresult, a curl handle)
 * are tied to the arena with arena_cleanup and released at the same moment, in reverse
 * order of registration. Allocation never returns NULL: running out of memory is fatal
 * (logged, then abort), as in git's xmalloc. */
#ifndef RM_ARENA_H
#define RM_ARENA_H

#include <stddef.h>
#include <stdarg.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);           /* runs cleanups, frees everything */
void arena_reset(struct arena *a);          /* runs cleanups, keeps the first block */

void *arena_alloc(struct arena *a, size_t size);                  /* 16-byte aligned */
void *arena_calloc(struct arena *a, size_t n, size_t size);       /* overflow-checked */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);    /* always NUL-ends */
void *arena_memdup(struct arena *a, const void *p, size_t n);     /* adds a NUL after */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Calls fn(arg) when the arena is reset or freed. */
void arena_cleanup(struct arena *a, void (*fn)(void *), void *arg);

/* Bytes handed out since the last reset (for limits and tests). */
size_t arena_used(const struct arena *a);

#endif
