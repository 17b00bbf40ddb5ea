/*
 * sm_results_diff.h -- compare two results documents, for `safemeta report
 * --check`: a repository commits its results.json and CI fails when a
 * fresh analysis says something else.
 *
 * Numbers agree when |a - b| <= rel_tol * max(|a|, |b|) or both are within
 * 1e-12 of each other (a computed zero is never exactly zero); strings,
 * booleans and nulls must be equal; objects must have the same keys and
 * arrays the same length.  The "safemeta" (version) and "input" (path)
 * members of the top level are not compared: a new version or another
 * checkout folder is not a change of results.
 *
 * Ownership: the returned diff is freed with sm_results_diff_free(); it
 * owns its strings.  Both documents are borrowed.
 */
#ifndef SM_RESULTS_DIFF_H
#define SM_RESULTS_DIFF_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct sm_results_diff {
	size_t count;   /* every difference found */
	size_t nlines;  /* the first max_lines of them, described */
	char **lines;   /* "PATH: committed X, now Y" */
};

/* NULL only when out of memory. */
struct sm_results_diff *sm_results_diff(const cJSON *committed, const cJSON *fresh,
					double rel_tol, size_t max_lines);
void sm_results_diff_free(struct sm_results_diff *d);

#endif
