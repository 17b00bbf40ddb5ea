/*
 * sm_strpool.h -- a string store: copies of many short strings packed into
 * large blocks and released all at once.
 *
 * A review read from a CSV of a million rows holds a few million short
 * strings (labels, ids, groups); one heap allocation each would cost more
 * in allocator overhead than in text.  The pool costs the text, its NUL and
 * nothing else, and frees everything with one call.
 *
 * Ownership: sm_strpool_new() allocates, sm_strpool_free() releases the pool
 * and every string it handed out (NULL is a no-op).  Returned strings are
 * read-only and live until the pool is freed.
 */
#ifndef SM_STRPOOL_H
#define SM_STRPOOL_H

#include <stdarg.h>
#include <stddef.h>

struct sm_strpool;

/* An empty pool; NULL on out of memory. */
struct sm_strpool *sm_strpool_new(void);
void sm_strpool_free(struct sm_strpool *p);

/* A copy of s[0..len) with a NUL added (s may hold no NUL in that range);
 * NULL on out of memory. */
const char *sm_strpool_addn(struct sm_strpool *p, const char *s, size_t len);
/* A copy of the NUL-terminated s; NULL on out of memory. */
const char *sm_strpool_add(struct sm_strpool *p, const char *s);
/* A formatted string; NULL on out of memory or a format error. */
const char *sm_strpool_printf(struct sm_strpool *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *sm_strpool_vprintf(struct sm_strpool *p, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Bytes of memory the pool holds (blocks included); for measurements. */
size_t sm_strpool_bytes(const struct sm_strpool *p);

#endif
