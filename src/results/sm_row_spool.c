/*
 * sm_row_spool.c -- rows as text in a temporary file (sm_row_spool.h).
 *
 * Where a row's text lies is kept in the row's own object node, whose
 * number fields cJSON leaves unused for objects: valuedouble holds
 * (offset + 1) * 256 + kept members (exact below 2^45 bytes of rows),
 * valueint the length.  A row never spooled has valuedouble 0.
 */
#include "sm_row_spool.h"

#include "sm_json_fast.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define SM_ROW_SPOOL_MAX_KEPT 255

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
	char *buf;   /* the last row read back */
	size_t cap;
};

struct sm_row_spool *sm_row_spool_new(void)
{
	struct sm_row_spool *sp = calloc(1, sizeof *sp);
	if (sp && !(sp->f = tmpfile())) {
		free(sp);
		return NULL;
	}
	if (sp) {
		setvbuf(sp->f, NULL, _IOFBF, (size_t)1 << 20); /* fewer, larger writes */
		sm_buf_init(&sp->text);
	}
	return sp;
}

void sm_row_spool_free(struct sm_row_spool *sp)
{
	if (!sp)
		return;
	fclose(sp->f);
	sm_buf_release(&sp->text);
	free(sp->buf);
	free(sp);
}

int sm_row_spool_failed(const struct sm_row_spool *sp)
{
	return sp->failed;
}

/* keep[i] equal to key, or NULL. */
static const char *kept_key(const char *key, const char *const *keep, size_t n_keep)
{
	for (size_t i = 0; key && i < n_keep; i++)
		if (!strcmp(key, keep[i]))
			return keep[i];
	return NULL;
}

void sm_row_spool_put(struct sm_row_spool *sp, cJSON *row, const char *const *keep,
		      size_t n_keep)
{
	if (sp->failed || !cJSON_IsObject(row) || n_keep > SM_ROW_SPOOL_MAX_KEPT)
		return;
	sm_buf_reset(&sp->text);
	int bad_print = sm_json_fast_print(&sp->text, row, 0) != 0; /* cJSON_Print()'s text */
	int bad = bad_print;
	size_t len = sp->text.len;
	if (!bad && (sp->pos != sp->end || sp->mode != 1) &&
	    fseeko(sp->f, sp->end, SEEK_SET) != 0)
		bad = 1;
	if (bad || len > (size_t)0x7fffffff || fwrite(sp->text.data, 1, len, sp->f) != len) {
		/* the text could not be made: memory; else the write failed */
		sp->failed = bad_print || errno == ENOMEM ? SM_ROW_SPOOL_NOMEM : 1;
		sp->pos = -1;
		return;
	}
	sp->pos = sp->end + (off_t)len;
	sp->mode = 1;
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
	row->valuedouble = ((double)sp->end + 1) * 256 + (double)kept;
	row->valueint = (int)len;
	sp->end += (off_t)len;
}

int sm_row_spool_has(const cJSON *row)
{
	return cJSON_IsObject(row) && row->valuedouble > 0;
}

const char *sm_row_spool_text(struct sm_row_spool *sp, const cJSON *row, size_t *len,
			      size_t *kept)
{
	double code = row->valuedouble;
	off_t at = (off_t)(code / 256) - 1;
	*kept = (size_t)(code - ((double)at + 1) * 256);
	*len = (size_t)row->valueint;
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
