/*
 * sm_json_fast.h -- cJSON_Print()'s exact text, made without cJSON's
 * printer.
 *
 * cJSON prints every number with sprintf("%1.15g"), reads it back with
 * sscanf and, unless the read-back value lies within DBL_EPSILON (relative)
 * of the number, prints it again with "%1.17g": two or three decimal
 * conversions per number, the largest single cost of a results file with
 * per-study rows (about 40 numbers a row).  The functions here produce the
 * same bytes: the digits come from one extended-precision product whose
 * rounding is decided whenever it lies clear of a half-way point, the
 * read-back from the exact small-power-of-ten path (a 15-digit integer
 * times or over an exact power of ten, rounded once); anything else falls
 * back to the very calls cJSON makes.  tests/results/test_json_fast.c
 * compares both on millions of numbers and on every results fixture.
 *
 * Ownership: the caller owns buf and b.
 */
#ifndef SM_JSON_FAST_H
#define SM_JSON_FAST_H

#include "sm_buf.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/* The text cJSON prints for a number item holding d, into buf (at least 32
 * bytes); returns its length. */
size_t sm_json_fast_number(char *buf, double d);

/* Appends item as cJSON_Print() lays it out when it sits `depth` levels
 * deep (0: on its own).  Returns 0, or -1 where cJSON_Print() would fail
 * (an invalid item, a raw item without text) or b ran out of memory. */
int sm_json_fast_print(struct sm_buf *b, const cJSON *item, int depth);

/* An array of numbers as one raw item with the text cJSON_Print() gives
 * the array of their items (sm_json_number(): null for NaN), for long
 * arrays that are only ever printed: one node instead of n.  NULL when out
 * of memory or when a value is infinite (those need sm_json_add_array()). */
cJSON *sm_json_fast_raw_numbers(const double *v, size_t n);
/* The same for indices (each below 2^53). */
cJSON *sm_json_fast_raw_indices(const size_t *v, size_t n);

/* An object written member by member with the bytes cJSON_Print() gives
 * the same members in a tree, when it sits `depth` levels deep: for rows
 * that are only ever printed (no node per value).  Numbers as
 * sm_json_add_number() adds them (null for NaN and infinities, plus the
 * "<key>_infinite" sibling for these), strings as sm_json_add_string()
 * (null for NULL).  Out of memory shows in b->failed. */
#define SM_JSON_OBJ_MAX_LEVELS 8
struct sm_json_obj {
	struct sm_buf *b;
	int depth, level;
	int n[SM_JSON_OBJ_MAX_LEVELS]; /* members so far, per open object */
};
void sm_json_obj_begin(struct sm_json_obj *w, struct sm_buf *b, int depth);
void sm_json_obj_number(struct sm_json_obj *w, const char *key, double v);
void sm_json_obj_string(struct sm_json_obj *w, const char *key, const char *s);
void sm_json_obj_bool(struct sm_json_obj *w, const char *key, int v);
void sm_json_obj_null(struct sm_json_obj *w, const char *key);
/* A member holding an object, then its members; _close() ends the
 * innermost open object (the outermost one too). */
void sm_json_obj_open(struct sm_json_obj *w, const char *key);
void sm_json_obj_close(struct sm_json_obj *w);

#endif
