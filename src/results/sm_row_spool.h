/*
 * sm_row_spool.h -- per-study rows of a results document kept as text in
 * an anonymous temporary file while the rest of the document is built.
 *
 * A row is complete when its analysis writes it, but the document around
 * it is not: the multiplicity block, the domain table and the subgroups
 * still read a few of each row's keys (label, study_id, n1i, ...) and the
 * subgroups add one.  So sm_row_spool_put() writes the row's text out and
 * cuts the row in the tree down to the keys it is told to keep; the
 * streamer (sm_json_stream.h) later copies the text back in place and
 * appends whatever members were added to the row since.  At k = 10^6 that
 * is a few nodes per row in memory instead of a few dozen.
 *
 * The text is laid out at the depth the row will sit at in the document
 * and each row is followed in the file by the ", " that separates list
 * elements, so that a run of rows put one after the other is, byte for
 * byte, the run of them in the output: the streamer hands such a run to
 * the kernel as one copy (sm_row_spool_copy()) instead of reading it back
 * and re-indenting it (at k = 10^6, 800 MB written a second time through
 * user space).
 *
 * Ownership: sm_row_spool_new() returns a spool the caller ends with
 * sm_row_spool_free() (which deletes its file); the rows in the tree only
 * point into it, so it must outlive them being streamed.
 */
#ifndef SM_ROW_SPOOL_H
#define SM_ROW_SPOOL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>

struct sm_row_spool;

/* NULL when no temporary file can be made. */
struct sm_row_spool *sm_row_spool_new(void);
void sm_row_spool_free(struct sm_row_spool *sp);

/* Where the rows of the results document sit (sm_json_stream.h's plan):
 * review.studies[i], analyses[a].studies[i] (and .excluded[i]),
 * multiplicity.terms[i].  A row streamed at another depth is re-indented. */
#define SM_ROW_DEPTH_REVIEW 3
#define SM_ROW_DEPTH_ANALYSIS 4
#define SM_ROW_DEPTH_TERMS 3

/* Writes row (an object, as cJSON_Print() lays it out `depth` levels deep,
 * 0 .. 255) to the spool and deletes every member of it not named in
 * keep[0 .. n_keep); the kept members' names then point to keep's strings,
 * which must outlive the row (string literals).  On a failure the row
 * stays whole and the spool remembers the failure. */
void sm_row_spool_put(struct sm_row_spool *sp, cJSON *row, int depth, const char *const *keep,
		      size_t n_keep);
/* Deletes every member of row not named in keep[0 .. n_keep) and points
 * the kept members' names to keep's strings (which must outlive the row:
 * string literals); returns how many were kept. */
size_t sm_row_cut(cJSON *row, const char *const *keep, size_t n_keep);

/* Some put failed: 0 none, SM_ROW_SPOOL_NOMEM out of memory (the first
 * failure's cause), 1 no space for the temporary file. */
#define SM_ROW_SPOOL_NOMEM 2
int sm_row_spool_failed(const struct sm_row_spool *sp);
/* The errno of the failed write (ENOSPC, EFBIG, ...), 0 when unknown. */
int sm_row_spool_errno(const struct sm_row_spool *sp);

/* Whether row was put into a spool, and then where: the offset of its
 * text in the spool, its length (the ", " after it not counted), the
 * number of members the row kept (the members after them were added
 * since) and the depth it was laid out for. */
int sm_row_spool_has(const cJSON *row);
void sm_row_spool_where(const cJSON *row, long long *at, size_t *len, size_t *kept, int *depth);

/* The text of a spooled row (valid until the next call; NULL on a read
 * failure); *len etc. as sm_row_spool_where() gives them. */
const char *sm_row_spool_text(struct sm_row_spool *sp, const cJSON *row, size_t *len,
			      size_t *kept, int *depth);

/* Copies len bytes of the spool from offset at to out, after out's own
 * buffered output: by the kernel (copy_file_range(2), else sendfile(2))
 * when out has a file descriptor that takes it, else read back and
 * fwrite()n, which is also where a write error is reported as on any
 * stream (ferror(out), errno).  Returns 0, or -1 when the spool cannot be
 * read or out fails. */
int sm_row_spool_copy(struct sm_row_spool *sp, long long at, size_t len, FILE *out);

#endif
