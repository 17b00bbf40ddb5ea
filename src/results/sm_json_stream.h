/*
 * sm_json_stream.h -- printing a results document to a stream piece by
 * piece, with the same bytes as sm_json_print().
 *
 * sm_json_print() renders the whole document into one string: at k = 10^6
 * that string (about 600 MB) and cJSON's doubling print buffer came on top
 * of the tree.  The streamer walks the containers named in a plan (the
 * root, "analyses", each analysis, its "studies" and "excluded" rows, the
 * review and its "studies"), prints every other value as one small
 * cJSON_Print() with its lines indented to where it sits, writes it out and
 * frees it, so that the tree shrinks while the file grows.
 *
 * The same walk can also run while the document is built, so that the
 * per-study rows go to the output once, as they are made, instead of
 * through a spool (sm_row_spool.h): the builder begins the document, opens
 * each container on the way to a list of rows (everything before it in
 * document order is written then and must be final: nothing may change it
 * after), writes each row as it appends it, closes the list and, once the
 * rest of a container is final, the container.  What it writes stays in
 * the tree for the later blocks that read it (rows cut down to the keys
 * they read); sm_json_stream_finish() writes the rest of the document.
 *
 * Ownership: sm_json_stream_results() and sm_json_stream_finish() take the
 * document and free all of it, whether they succeed or not;
 * sm_json_stream_new() returns a stream the caller ends with
 * sm_json_stream_free() (which leaves the document and out alone).
 */
#ifndef SM_JSON_STREAM_H
#define SM_JSON_STREAM_H

#include <cjson/cJSON.h>
#include <stdio.h>

struct sm_row_spool;
struct sm_json_stream;

/* Writes the results document doc (as sm_json_print() would, final newline
 * included) to out and frees doc; rows of the walked lists that were put
 * into spool (sm_row_spool.h; NULL: none) are copied from it.  Returns 0,
 * or -1 when out of memory, a spooled row cannot be read back or writing
 * failed (ferror(out) tells which). */
int sm_json_stream_results(cJSON *doc, struct sm_row_spool *spool, FILE *out);

/* A document written to out as it is built (NULL: out of memory). */
struct sm_json_stream *sm_json_stream_new(FILE *out, struct sm_row_spool *spool);
void sm_json_stream_free(struct sm_json_stream *s);
/* doc (an object or array) is the document's root: its opening is written. */
void sm_json_stream_begin(struct sm_json_stream *s, cJSON *doc);
/* Whether a document was begun; the innermost open container (NULL: none). */
int sm_json_stream_begun(const struct sm_json_stream *s);
const cJSON *sm_json_stream_top(const struct sm_json_stream *s);
/* Writes the open container's children up to child and opens child: a
 * child of it, or, when it has none such, the next element (an array) or
 * the member named child->string (an object) the caller will append to it
 * before it closes child. */
void sm_json_stream_enter(struct sm_json_stream *s, cJSON *child);
/* Writes the rest of the open container (all of it is final now) and
 * closes it. */
void sm_json_stream_leave(struct sm_json_stream *s);
/* Writes row, just appended to the open container (a list of rows), and
 * cuts it down to the members named in keep (sm_row_cut()). */
void sm_json_stream_row(struct sm_json_stream *s, cJSON *row, const char *const *keep,
			size_t n_keep);
/* Hands what it holds so far to out (a mebibyte is held otherwise). */
void sm_json_stream_flush(struct sm_json_stream *s);
/* The same for a row made as text (sm_json_obj, laid out at its depth)
 * that is not in the tree at all (nothing later reads it from there): text
 * (NULL: out of memory, which fails the stream) is written as the open
 * list's next element; the list must have no child not yet written. */
void sm_json_stream_row_untreed(struct sm_json_stream *s, const char *text, size_t len);
/* The same for a row nothing later reads: it is written and deleted. */
void sm_json_stream_row_drop(struct sm_json_stream *s, cJSON *row);
/* Some call failed (a misuse, out of memory or a write error): everything
 * after it is dropped, and finish returns -1. */
int sm_json_stream_failed(const struct sm_json_stream *s);
/* Writes the rest of the document and its final newline and frees the
 * document; 0, or -1 as sm_json_stream_results(). */
int sm_json_stream_finish(struct sm_json_stream *s);

#endif
