/*
 * sm_ctx.h -- the context every safemeta function receives first.
 *
 * The library never prints and never exits.  A failing function records one
 * diagnostic in the context (the first error wins, later ones are dropped,
 * because the first is the most specific) and returns a non-zero status.
 * Only the CLI turns the diagnostic into text on stderr and an exit code.
 *
 * Ownership: sm_ctx_new() allocates, sm_ctx_free() releases everything the
 * context owns (diagnostic strings, warnings, the cached object).  Strings
 * returned by accessors are borrowed and valid until the next call that
 * changes the context.  A context is used by one thread at a time.
 */
#ifndef SM_CTX_H
#define SM_CTX_H

/* The public part (status codes, the diagnostic record, the context's
 * constructor and accessors) is declared in the library's header. */
#include "safemeta.h"

#include <stddef.h>

/* Record an error unless one is already recorded.  Returns `code` so that
 * callers can write `return sm_fail(...)`.  Use the SM_FAIL macros. */
sm_status sm_fail_at(struct sm_ctx *ctx, sm_status code, const char *src_file,
		     int src_line, const char *file, int line, int col,
		     const char *field, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

#define SM_FAIL(ctx, code, ...) \
	sm_fail_at((ctx), (code), __FILE__, __LINE__, NULL, 0, 0, NULL, __VA_ARGS__)
#define SM_FAIL_POS(ctx, code, file, line, col, field, ...)                 \
	sm_fail_at((ctx), (code), __FILE__, __LINE__, (file), (line), (col), \
		   (field), __VA_ARGS__)

/* The code of the recorded error, or `fallback` when none is recorded: a
 * step that failed without saying why (a NULL constructor) reports what
 * its callee recorded, so that out of memory stays SM_EINTERNAL. */
sm_status sm_ctx_status(const struct sm_ctx *ctx, sm_status fallback);

/* A step that fails "for these data" is often cleared and noted (a
 * diagnostic left null, a warning) by its caller; an internal error (out of
 * memory, a bug) must not be, or the same input would give a shorter
 * document depending on the memory left.  sm_ctx_clear_error() therefore
 * keeps the last cleared SM_EINTERNAL error: a stage compares this count
 * before and after its steps, and sm_ctx_raise_cleared() records the kept
 * error again (unless another is recorded) and returns SM_EINTERNAL. */
unsigned long sm_ctx_internal_cleared(const struct sm_ctx *ctx);
sm_status sm_ctx_raise_cleared(struct sm_ctx *ctx);

/* Warnings: things the user must see but that do not stop the run (studies
 * dropped, continuity corrections applied).  They are kept in order. */
void sm_ctx_warn(struct sm_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Forget the warnings from index n on (a caller that has taken them into a
 * result of its own, e.g. an analysis' "warnings"). */
void sm_ctx_truncate_warnings(struct sm_ctx *ctx, size_t n);

/* The timestamp of sm_ctx_set_epoch; -1 = unset. */
long long sm_ctx_epoch(const struct sm_ctx *ctx);

/* One slot for an object that a later stage keeps across calls on this
 * context, because it is expensive to build and the same each time (render
 * keeps its font map here, so all figures drawn with one context share it).
 * `key` is the address of something of the caller's own and says whose the
 * object is: sm_ctx_cache() returns NULL unless the slot holds an object set
 * with the same key.  The context owns the object: sm_ctx_set_cache() first
 * destroys the one it replaces, sm_ctx_free() destroys the last, each with
 * the `destroy` it was set with.  sm_ctx_cache() returns it borrowed. */
void *sm_ctx_cache(const struct sm_ctx *ctx, const void *key);
void sm_ctx_set_cache(struct sm_ctx *ctx, const void *key, void *obj,
		      void (*destroy)(void *obj));

#endif
