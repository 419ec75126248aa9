/* buf.h: a growable byte buffer (after git's strbuf).
 *
 * Ownership: `buf` is never NULL; after BUF_INIT or buf_init it points at a shared empty
 * string and nothing is allocated until the first append. The bytes are always followed
 * by a NUL so `buf` can be used as a C string (the data itself may hold NULs: use `len`).
 * buf_detach hands the allocation to the caller (free() it) and leaves the buffer empty;
 * buf_release frees it. Allocation failure is fatal (logged, abort). */
#ifndef RM_BUF_H
#define RM_BUF_H

#include <stddef.h>
#include <stdarg.h>

extern char buf_empty[];

struct buf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);                       /* len = 0, keeps the allocation */
void buf_grow(struct buf *b, size_t extra);          /* room for extra more bytes */
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);

#endif
