#include "sm_ctx.h"

#include "sm_buf.h"
#include "sm_home.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sm_ctx {
	struct sm_diag diag;
	int has_error;
	/* The last internal error a caller cleared, and how many were: see
	 * sm_ctx_internal_cleared(). */
	struct sm_diag cleared;
	unsigned long n_cleared;
	char **warnings;
	size_t n_warnings;
	size_t cap_warnings;
	char *home;
	int home_known; /* named by set_home, or looked up (once, when asked) */
	long long epoch;
	const void *cache_key; /* see sm_ctx_cache() */
	void *cache;
	void (*cache_destroy)(void *obj);
};

const char *sm_strerror(sm_status status)
{
	switch (status) {
	case SM_OK: return "success";
	case SM_EDISAGREE: return "disagreements found";
	case SM_EINPUT: return "usage or input error";
	case SM_EOUTPUT: return "output could not be written";
	case SM_EINTERNAL: return "internal error";
	}
	return "unknown status";
}

struct sm_ctx *sm_ctx_new(void)
{
	struct sm_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		return NULL;
	ctx->epoch = -1;
	return ctx;
}

static void diag_release(struct sm_diag *d)
{
	free(d->file);
	free(d->field);
	free(d->msg);
	memset(d, 0, sizeof *d);
}

void sm_ctx_free(struct sm_ctx *ctx)
{
	if (!ctx)
		return;
	sm_ctx_set_cache(ctx, NULL, NULL, NULL);
	diag_release(&ctx->diag);
	diag_release(&ctx->cleared);
	sm_ctx_clear_warnings(ctx);
	free(ctx->warnings);
	free(ctx->home);
	free(ctx);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

sm_status sm_fail_at(struct sm_ctx *ctx, sm_status code, const char *src_file,
		     int src_line, const char *file, int line, int col,
		     const char *field, const char *fmt, ...)
{
	if (!ctx || ctx->has_error)
		return code;
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	ctx->has_error = 1;
	ctx->diag.file = dup_or_null(file);
	ctx->diag.field = dup_or_null(field);
	/* No memory left to word the error: that is the error (exit 4), not the
	 * one the caller meant to report. */
	if (!msg || (file && !ctx->diag.file) || (field && !ctx->diag.field)) {
		free(msg);
		msg = NULL;
		code = SM_EINTERNAL;
	}
	ctx->diag.code = code;
	ctx->diag.line = line;
	ctx->diag.col = col;
	ctx->diag.msg = msg ? msg : strdup("out of memory");
	ctx->diag.src_file = src_file;
	ctx->diag.src_line = src_line;
	return code;
}

const struct sm_diag *sm_ctx_error(const struct sm_ctx *ctx)
{
	return ctx && ctx->has_error ? &ctx->diag : NULL;
}

sm_status sm_ctx_status(const struct sm_ctx *ctx, sm_status fallback)
{
	const struct sm_diag *d = sm_ctx_error(ctx);
	return d ? d->code : fallback;
}

void sm_ctx_clear_error(struct sm_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->has_error && ctx->diag.code == SM_EINTERNAL) {
		/* kept, so that a stage can tell it was not a step's own failure */
		diag_release(&ctx->cleared);
		ctx->cleared = ctx->diag;
		memset(&ctx->diag, 0, sizeof ctx->diag);
		ctx->n_cleared++;
	}
	diag_release(&ctx->diag);
	ctx->has_error = 0;
}

unsigned long sm_ctx_internal_cleared(const struct sm_ctx *ctx)
{
	return ctx ? ctx->n_cleared : 0;
}

sm_status sm_ctx_raise_cleared(struct sm_ctx *ctx)
{
	if (!ctx || ctx->has_error || !ctx->n_cleared)
		return SM_EINTERNAL;
	ctx->diag = ctx->cleared;
	memset(&ctx->cleared, 0, sizeof ctx->cleared);
	if (!ctx->diag.msg)
		ctx->diag.msg = strdup("out of memory");
	ctx->has_error = 1;
	return SM_EINTERNAL;
}

char *sm_diag_format(const struct sm_diag *d)
{
	struct sm_buf b;
	sm_buf_init(&b);
	if (d->file) {
		sm_buf_puts(&b, d->file);
		if (d->line > 0) {
			sm_buf_printf(&b, ":%d", d->line);
			if (d->col > 0)
				sm_buf_printf(&b, ":%d", d->col);
		}
		sm_buf_puts(&b, ": ");
	}
	sm_buf_puts(&b, d->msg ? d->msg : d->code == SM_EINTERNAL ? "out of memory"
							 : sm_strerror(d->code));
	return sm_buf_take(&b);
}

void sm_ctx_warn(struct sm_ctx *ctx, const char *fmt, ...)
{
	if (!ctx)
		return;
	if (ctx->n_warnings == ctx->cap_warnings) {
		size_t cap = ctx->cap_warnings ? 2 * ctx->cap_warnings : 8;
		char **w = realloc(ctx->warnings, cap * sizeof *w);
		if (!w)
			return;
		ctx->warnings = w;
		ctx->cap_warnings = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	if (msg)
		ctx->warnings[ctx->n_warnings++] = msg;
}

size_t sm_ctx_warning_count(const struct sm_ctx *ctx)
{
	return ctx ? ctx->n_warnings : 0;
}

const char *sm_ctx_warning(const struct sm_ctx *ctx, size_t i)
{
	return ctx && i < ctx->n_warnings ? ctx->warnings[i] : NULL;
}

void sm_ctx_clear_warnings(struct sm_ctx *ctx)
{
	sm_ctx_truncate_warnings(ctx, 0);
}

void sm_ctx_truncate_warnings(struct sm_ctx *ctx, size_t n)
{
	if (!ctx)
		return;
	for (size_t i = n; i < ctx->n_warnings; i++)
		free(ctx->warnings[i]);
	if (n < ctx->n_warnings)
		ctx->n_warnings = n;
}

void sm_ctx_set_home(struct sm_ctx *ctx, const char *dir)
{
	free(ctx->home);
	ctx->home = dup_or_null(dir);
	ctx->home_known = dir != NULL;
}

/* The installation's folder is looked up on first use only (a context that
 * draws nothing never needs it): a lazily filled member of a context that
 * is const to its readers, allocated mutable by sm_ctx_new. */
const char *sm_ctx_home(const struct sm_ctx *ctx)
{
	struct sm_ctx *mut = (struct sm_ctx *)ctx;
	if (!mut->home && !mut->home_known) {
		mut->home = sm_home_find();
		mut->home_known = 1;
	}
	return ctx->home;
}

void sm_ctx_set_epoch(struct sm_ctx *ctx, long long epoch)
{
	ctx->epoch = epoch;
}

long long sm_ctx_epoch(const struct sm_ctx *ctx)
{
	return ctx->epoch;
}

void *sm_ctx_cache(const struct sm_ctx *ctx, const void *key)
{
	return ctx && key && ctx->cache_key == key ? ctx->cache : NULL;
}

void sm_ctx_set_cache(struct sm_ctx *ctx, const void *key, void *obj,
		      void (*destroy)(void *obj))
{
	if (!ctx)
		return;
	void *old = ctx->cache;
	void (*old_destroy)(void *) = ctx->cache_destroy;
	ctx->cache_key = key;
	ctx->cache = obj;
	ctx->cache_destroy = destroy;
	/* After the slot changed: the destructor may look at the context. */
	if (old && old_destroy && old != obj)
		old_destroy(old);
}
