/*
 * sm_res_int.h -- what the results reader's files share (private to
 * src/results): the document's memory and the decoder.
 *
 * Ownership: a struct sm_res_mem belongs to its document; everything it
 * hands out lives until sm_res_free().
 */
#ifndef SM_RES_INT_H
#define SM_RES_INT_H

#include "sm_res.h"
#include "sm_res_keys.h"

/* A copy of s[0..len) with a NUL added; NULL on out of memory. */
const char *sm_res_mem_str(struct sm_res_mem *m, const char *s, size_t len);
/* Resize a list buffer (NULL: a new one) to n items of size bytes; the
 * memory belongs to the document.  NULL on out of memory (the old buffer
 * stays the document's). */
void *sm_res_mem_realloc(struct sm_res_mem *m, void *old, size_t n, size_t size);

/* Decode text into res (whose mem is set): keys, types and ranges. */
sm_status sm_res_decode(struct sm_ctx *ctx, struct sm_res *res, const char *path,
			const char *text, size_t len);

/* The checks across keys, after decoding: version, counts, intervals in
 * order, display values that are the back-transform of the analysis-scale
 * ones.  Errors point into text. */
sm_status sm_res_validate(struct sm_ctx *ctx, const struct sm_res *res, const char *text,
			  size_t len);

#endif
