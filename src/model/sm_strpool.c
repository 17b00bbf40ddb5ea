#include "sm_strpool.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 64 KiB blocks: large enough that the per-block header is noise, small
 * enough that a review with three labels does not reserve megabytes. */
#define BLOCK_BYTES ((size_t)64 * 1024)

struct block {
	struct block *next;
	size_t used, cap;
	char data[];
};

struct sm_strpool {
	struct block *head; /* the block being filled; older ones follow */
	size_t bytes;
};

struct sm_strpool *sm_strpool_new(void)
{
	return calloc(1, sizeof(struct sm_strpool));
}

void sm_strpool_free(struct sm_strpool *p)
{
	if (!p)
		return;
	struct block *b = p->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(p);
}

static struct block *block_new(size_t cap)
{
	if (cap > SIZE_MAX - sizeof(struct block))
		return NULL;
	struct block *b = malloc(sizeof *b + cap);
	if (b) {
		b->next = NULL;
		b->used = 0;
		b->cap = cap;
	}
	return b;
}

/* Room for n bytes.  A string bigger than a quarter block gets a block of
 * its own, linked behind the head so the head's free space is not lost. */
static char *reserve(struct sm_strpool *p, size_t n)
{
	struct block *h = p->head;
	if (h && h->cap - h->used >= n) {
		char *at = h->data + h->used;
		h->used += n;
		return at;
	}
	int own = n > BLOCK_BYTES / 4;
	struct block *b = block_new(own ? n : BLOCK_BYTES);
	if (!b)
		return NULL;
	p->bytes += sizeof *b + b->cap;
	if (own && h) {
		b->next = h->next;
		h->next = b;
	} else {
		b->next = h;
		p->head = b;
	}
	b->used = n;
	return b->data;
}

const char *sm_strpool_addn(struct sm_strpool *p, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *at = reserve(p, len + 1);
	if (!at)
		return NULL;
	if (len)
		memcpy(at, s, len);
	at[len] = '\0';
	return at;
}

const char *sm_strpool_add(struct sm_strpool *p, const char *s)
{
	return sm_strpool_addn(p, s, strlen(s));
}

const char *sm_strpool_vprintf(struct sm_strpool *p, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *at = n < 0 ? NULL : reserve(p, (size_t)n + 1);
	if (at)
		vsnprintf(at, (size_t)n + 1, fmt, again);
	va_end(again);
	return at;
}

const char *sm_strpool_printf(struct sm_strpool *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = sm_strpool_vprintf(p, fmt, ap);
	va_end(ap);
	return s;
}

size_t sm_strpool_bytes(const struct sm_strpool *p)
{
	return p ? p->bytes : 0;
}
