/*
 * sm_row_spool.c -- rows as text in a temporary file (sm_row_spool.h).
 *
 * Where a row's text lies is kept in the row's own object node, whose
 * number fields cJSON leaves unused for objects: valuedouble holds
 * (offset + 1) * 2^16 + depth * 256 + kept members (exact below 2^36
 * bytes of rows, beyond which rows simply stay whole), valueint the
 * length.  A row never spooled has valuedouble 0.
 */
#ifdef __linux__
#define _GNU_SOURCE /* copy_file_range(2) */
#endif
#include "sm_row_spool.h"

#include "sm_json_fast.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/sendfile.h>
#endif

#define SM_ROW_SPOOL_MAX_KEPT 255
#define SM_ROW_SPOOL_MAX_DEPTH 255
#define SM_ROW_SPOOL_MAX_END ((off_t)1 << 36)
/* what sm_row_spool_copy() moves per call, and reads at most when it
 * falls back to stdio */
#define SM_ROW_SPOOL_CHUNK ((size_t)1 << 30)
#define SM_ROW_SPOOL_READ ((size_t)1 << 20)
#define SM_ROW_SPOOL_IOBUF ((size_t)1 << 20)

struct sm_row_spool {
	FILE *f;
	off_t end;   /* bytes written */
	/* Where f stands and whether it last wrote (1) or read (2): a seek,
	 * which flushes, only to move or to turn between writing and reading
	 * (which C requires). */
	off_t pos;
	int mode;
	struct sm_buf text; /* the row being put */
	int failed;
	int err;     /* errno of the write that failed (0: unknown) */
	char *buf;   /* the last row read back */
	size_t cap;
	char *iobuf; /* f's buffer */
	char *copy;  /* sm_row_spool_copy()'s, apart from buf: a row read back
		      * may still be in use while a run before it is copied */
};

struct sm_row_spool *sm_row_spool_new(void)
{
	struct sm_row_spool *sp = calloc(1, sizeof *sp);
	if (sp && !(sp->f = tmpfile())) {
		free(sp);
		return NULL;
	}
	if (sp) {
		/* fewer, larger writes; glibc ignores the size unless given the
		 * buffer (4 KiB otherwise: 200 000 writes at k = 10^6) */
		sp->iobuf = malloc(SM_ROW_SPOOL_IOBUF);
		if (sp->iobuf)
			setvbuf(sp->f, sp->iobuf, _IOFBF, SM_ROW_SPOOL_IOBUF);
		sm_buf_init(&sp->text);
	}
	return sp;
}

void sm_row_spool_free(struct sm_row_spool *sp)
{
	if (!sp)
		return;
	fclose(sp->f);
	free(sp->iobuf); /* after fclose, which flushes from it */
	sm_buf_release(&sp->text);
	free(sp->buf);
	free(sp->copy);
	free(sp);
}

int sm_row_spool_failed(const struct sm_row_spool *sp)
{
	return sp->failed;
}

int sm_row_spool_errno(const struct sm_row_spool *sp)
{
	return sp->err;
}

/* keep[i] equal to key, or NULL. */
static const char *kept_key(const char *key, const char *const *keep, size_t n_keep)
{
	/* the first letters first: most of a row's ~25 keys match none of
	 * the 6 kept ones */
	for (size_t i = 0; key && i < n_keep; i++)
		if (key[0] == keep[i][0] && !strcmp(key, keep[i]))
			return keep[i];
	return NULL;
}

size_t sm_row_cut(cJSON *row, const char *const *keep, size_t n_keep)
{
	size_t kept = 0;
	for (cJSON *c = row->child, *next; c; c = next) {
		next = c->next;
		const char *k = kept_key(c->string, keep, n_keep);
		if (k) {
			/* the caller's key (static) instead of the row's copy of it */
			if (!(c->type & cJSON_StringIsConst))
				cJSON_free(c->string);
			c->string = (char *)k;
			c->type |= cJSON_StringIsConst;
			kept++;
		} else
			cJSON_Delete(cJSON_DetachItemViaPointer(row, c));
	}
	return kept;
}

void sm_row_spool_put(struct sm_row_spool *sp, cJSON *row, int depth, const char *const *keep,
		      size_t n_keep)
{
	if (sp->failed || !cJSON_IsObject(row) || n_keep > SM_ROW_SPOOL_MAX_KEPT || depth < 0 ||
	    depth > SM_ROW_SPOOL_MAX_DEPTH || sp->end >= SM_ROW_SPOOL_MAX_END)
		return;
	sm_buf_reset(&sp->text);
	/* cJSON_Print()'s text where the row will sit, and the list separator
	 * that follows it there when another row does */
	int bad_print = sm_json_fast_print(&sp->text, row, depth) != 0;
	size_t len = sp->text.len;
	sm_buf_append(&sp->text, ", ", 2);
	bad_print = bad_print || sp->text.failed;
	int bad = bad_print;
	size_t n = sp->text.len;
	if (!bad && (sp->pos != sp->end || sp->mode != 1) &&
	    fseeko(sp->f, sp->end, SEEK_SET) != 0)
		bad = 1;
	if (bad || len > (size_t)0x7fffffff || fwrite(sp->text.data, 1, n, sp->f) != n) {
		/* the text could not be made: memory; else the write failed */
		sp->failed = bad_print || errno == ENOMEM ? SM_ROW_SPOOL_NOMEM : 1;
		sp->err = bad_print ? 0 : errno;
		sp->pos = -1;
		return;
	}
	sp->pos = sp->end + (off_t)n;
	sp->mode = 1;
	size_t kept = sm_row_cut(row, keep, n_keep);
	row->valuedouble = ((double)sp->end + 1) * 65536 + (double)depth * 256 + (double)kept;
	row->valueint = (int)len;
	sp->end += (off_t)n;
}

int sm_row_spool_has(const cJSON *row)
{
	return cJSON_IsObject(row) && row->valuedouble > 0;
}

void sm_row_spool_where(const cJSON *row, long long *at, size_t *len, size_t *kept, int *depth)
{
	uint64_t code = (uint64_t)row->valuedouble;
	*at = (long long)(code >> 16) - 1;
	*depth = (int)(code >> 8 & 255);
	*kept = (size_t)(code & 255);
	*len = (size_t)row->valueint;
}

const char *sm_row_spool_text(struct sm_row_spool *sp, const cJSON *row, size_t *len,
			      size_t *kept, int *depth)
{
	long long where;
	sm_row_spool_where(row, &where, len, kept, depth);
	off_t at = (off_t)where;
	if (*len + 1 > sp->cap) {
		char *b = realloc(sp->buf, *len + 1);
		if (!b)
			return NULL;
		sp->buf = b;
		sp->cap = *len + 1;
	}
	if ((sp->pos != at || sp->mode != 2) && fseeko(sp->f, at, SEEK_SET) != 0) {
		sp->pos = -1;
		return NULL;
	}
	if (fread(sp->buf, 1, *len, sp->f) != *len) {
		sp->pos = -1;
		return NULL;
	}
	sp->pos = at + (off_t)*len;
	sp->mode = 2;
	sp->buf[*len] = 0;
	return sp->buf;
}

/* Moves what it can of [*off, *off + *left) from in to out in the kernel;
 * whatever is left (out is a pipe copy_file_range refuses and sendfile
 * too, an O_APPEND file, a failing device) goes the stdio way. */
static void kernel_copy(int in, int out, off_t *off, size_t *left)
{
#ifdef __linux__
	int way = 0; /* copy_file_range, then sendfile */
	while (*left > 0 && way < 2) {
		size_t want = *left < SM_ROW_SPOOL_CHUNK ? *left : SM_ROW_SPOOL_CHUNK;
		ssize_t n = way == 0 ? copy_file_range(in, off, out, NULL, want, 0)
				     : sendfile(out, in, off, want);
		if (n > 0)
			*left -= (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else
			way++;
	}
#else
	(void)in;
	(void)out;
	(void)off;
	(void)left;
#endif
}

int sm_row_spool_copy(struct sm_row_spool *sp, long long at, size_t len, FILE *out)
{
	/* the spool's buffered rows into its file, out's buffered text before
	 * the copied bytes */
	if (sp->mode == 1 && fflush(sp->f) != 0) {
		/* the spool's own file failed (full, or over a size limit): its
		 * cause is kept for the message */
		sp->failed = errno == ENOMEM ? SM_ROW_SPOOL_NOMEM : 1;
		sp->err = errno;
		return -1;
	}
	if (fflush(out) != 0)
		return -1;
	int in = fileno(sp->f), fd = fileno(out);
	off_t off = (off_t)at;
	size_t left = len;
	if (fd >= 0) /* an open_memstream() has none */
		kernel_copy(in, fd, &off, &left);
	if (left && !sp->copy && !(sp->copy = malloc(SM_ROW_SPOOL_READ)))
		return -1;
	while (left > 0) {
		size_t want = left < SM_ROW_SPOOL_READ ? left : SM_ROW_SPOOL_READ;
		ssize_t n = pread(in, sp->copy, want, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || fwrite(sp->copy, 1, (size_t)n, out) != (size_t)n)
			return -1;
		off += n;
		left -= (size_t)n;
	}
	return 0;
}
