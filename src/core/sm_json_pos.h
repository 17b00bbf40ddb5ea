/*
 * sm_json_pos.h -- positions in raw JSON text.
 *
 * cJSON builds a tree but forgets where each value was, does not say what
 * was expected at a syntax error, and silently keeps duplicate keys.  This
 * module scans the raw text itself: it checks the syntax with a precise
 * message, finds the first duplicate key, and maps a path such as
 * `outcomes[3].ai` back to the byte offset of that value, so that every
 * error can name FILE:LINE:COL.
 *
 * Ownership: the functions read the text and keep nothing; returned strings
 * are the caller's to free.
 */
#ifndef SM_JSON_POS_H
#define SM_JSON_POS_H

#include <stddef.h>

/* One step of a path: an object key, or an array index when key is NULL. */
struct sm_jpath {
	const struct sm_jpath *up; /* parent step; NULL at the root */
	const char *key;
	size_t index;
};

/* Formats a path as "outcomes[3].ai" (the root alone is ""); caller frees. */
char *sm_jpath_format(const struct sm_jpath *p);

/* Checks that text[0..len) is one JSON value with only whitespace around it,
 * nesting at most SM_MAX_JSON_DEPTH deep, and no object with a repeated key.
 * Returns 0 when fine; otherwise -1 with *offset at the problem (for a
 * duplicate: the second occurrence of the key) and *msg a newly allocated
 * message ("what is wrong; expected ...").  SM_JSON_SCAN_NOMEM (*msg NULL)
 * when memory ran out, which says nothing about the text.
 *
 * A text this accepts is one cJSON and yajl parse too (the depth limit is
 * below cJSON's, surrogates are checked): a parser that fails on it has run
 * out of memory, and callers report that (exit 4), not a syntax error. */
#define SM_JSON_SCAN_NOMEM (-2)
int sm_json_scan(const char *text, size_t len, size_t *offset, char **msg);

enum sm_jpos_what {
	SM_JPOS_VALUE, /* the value at the path */
	SM_JPOS_KEY    /* the key naming it (objects only; else the value) */
};

/* Locates `path` in syntactically valid JSON text.  Returns 1 and *offset
 * when found; when a step is missing, returns 0 and *offset is the start of
 * the deepest enclosing value that exists (the '{' of the object lacking the
 * key).  Keys compare after unescaping. */
int sm_json_locate(const char *text, size_t len, const struct sm_jpath *path,
		   enum sm_jpos_what what, size_t *offset);

/* As sm_json_locate with a path string: keys separated by '.', indices in
 * brackets, e.g. "outcomes[3].ai" (keys holding '.' or '[' cannot be named
 * this way). */
int sm_json_locate_str(const char *text, size_t len, const char *path, size_t *offset);

/* Byte offsets of the elements of the array at path, in order (one pass,
 * for line numbers of many rows); *n gets their number.  NULL when the
 * path is not an array or on out of memory.  Caller frees. */
size_t *sm_json_elements(const char *text, size_t len, const struct sm_jpath *path, size_t *n);

/* Copies the raw text of the value starting at offset into buf (cut to
 * about max_chars characters with "..."), e.g. "\"abc\"" or "1e999"; arrays
 * and objects are given as "an array" / "an object". */
void sm_json_excerpt(const char *text, size_t len, size_t offset, char *buf, size_t size,
		     size_t max_chars);

#endif
