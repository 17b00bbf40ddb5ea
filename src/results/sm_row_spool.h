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
 * Ownership: sm_row_spool_new() returns a spool the caller ends with
 * sm_row_spool_free() (which deletes its file); the rows in the tree only
 * point into it, so it must outlive them being streamed.
 */
#ifndef SM_ROW_SPOOL_H
#define SM_ROW_SPOOL_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct sm_row_spool;

/* NULL when no temporary file can be made. */
struct sm_row_spool *sm_row_spool_new(void);
void sm_row_spool_free(struct sm_row_spool *sp);

/* Writes row (an object, as cJSON_Print() lays it out on its own) to the
 * spool and deletes every member of it not named in keep[0 .. n_keep); the
 * kept members' names then point to keep's strings, which must outlive
 * the row (string literals).  On
 * a failure the row stays whole and the spool remembers the failure. */
void sm_row_spool_put(struct sm_row_spool *sp, cJSON *row, const char *const *keep,
		      size_t n_keep);
/* Some put failed: 0 none, SM_ROW_SPOOL_NOMEM out of memory (the first
 * failure's cause), 1 no space for the temporary file. */
#define SM_ROW_SPOOL_NOMEM 2
int sm_row_spool_failed(const struct sm_row_spool *sp);

/* Whether row was put into a spool, and then: its text (valid until the
 * next call; NULL on a read failure), its length and the number of members
 * the row kept (the members after them were added since). */
int sm_row_spool_has(const cJSON *row);
const char *sm_row_spool_text(struct sm_row_spool *sp, const cJSON *row, size_t *len,
			      size_t *kept);

#endif
