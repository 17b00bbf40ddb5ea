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
 * Ownership: sm_json_stream_results() takes doc and frees all of it,
 * whether it succeeds or not.
 */
#ifndef SM_JSON_STREAM_H
#define SM_JSON_STREAM_H

#include <cjson/cJSON.h>
#include <stdio.h>

struct sm_row_spool;

/* Writes the results document doc (as sm_json_print() would, final newline
 * included) to out and frees doc; rows of the walked lists that were put
 * into spool (sm_row_spool.h; NULL: none) are copied from it.  Returns 0,
 * or -1 when out of memory, a spooled row cannot be read back or writing
 * failed (ferror(out) tells which). */
int sm_json_stream_results(cJSON *doc, struct sm_row_spool *spool, FILE *out);

#endif
