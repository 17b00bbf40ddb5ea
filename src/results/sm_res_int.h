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

/* Decode the file open at fd (at most max_bytes) chunk by chunk, never
 * holding its text whole.  SM_OK; SM_EINTERNAL out of memory (error in
 * ctx); SM_EINPUT for anything else wrong, with or without an error in
 * ctx and without positions: the caller decodes the whole text with
 * sm_res_decode for the message. */
sm_status sm_res_decode_fd(struct sm_ctx *ctx, struct sm_res *res, const char *path, int fd,
			   size_t max_bytes);

/* sm_res_read's first try: a regular file of 8 MiB or more decoded chunk
 * by chunk, its text never held whole (issue 19: the text doubled the
 * memory of a render).  NULL with *again set when it is to be read the
 * usual way: not such a file, or anything wrong with it, whose message
 * needs the text's positions; NULL with *again clear when out of memory
 * (error in ctx). */
struct sm_res *sm_res_read_streamed(struct sm_ctx *ctx, const char *path, int *again);

/* The checks across keys, after decoding: version, counts, intervals in
 * order, display values that are the back-transform of the analysis-scale
 * ones.  Errors point into text. */
sm_status sm_res_validate(struct sm_ctx *ctx, const struct sm_res *res, const char *text,
			  size_t len);

#endif
