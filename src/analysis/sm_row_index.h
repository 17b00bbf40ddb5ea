#ifndef SM_ROW_INDEX_H
#define SM_ROW_INDEX_H

/* The rows of an analysis' "studies" that a streamed build wrote as text
 * and kept out of the tree (sm_analysis_json.c's text rows), for the blocks
 * after that read the rows (the multiplicity terms, the domain table, the
 * check's study count): for each row of the list, in order, the review's
 * outcome it shows (8 bytes a row), or NULL for a row that is in the tree
 * (the list's next child there).
 *
 * Ownership: sm_row_index_new() returns an index freed with
 * sm_row_index_free(); it borrows the lists (cJSON arrays, only compared)
 * and the outcomes, which must outlive its readers. */

#include "sm_review.h"

#include <cjson/cJSON.h>
#include <stddef.h>

struct sm_row_index;

struct sm_row_index *sm_row_index_new(void);
void sm_row_index_free(struct sm_row_index *x);

/* Appends a row to list's rows: o, or NULL for the list's next tree child.
 * Returns 0, or -1 out of memory (the index is then unusable: the caller
 * fails the build). */
int sm_row_index_add(struct sm_row_index *x, const cJSON *list, const struct sm_outcome *o);

/* The rows of list: the tree's children, with the indexed ones (x NULL or
 * list not indexed: the children alone). */
size_t sm_row_index_size(const struct sm_row_index *x, const cJSON *list);

/* What the readers take from a row.  A text row has the null fisher_p and
 * no arm sizes of a generic effect size's row. */
struct sm_row_view {
	const char *label, *study_id, *event; /* NULL: absent */
	double n1i, n2i;                      /* NAN: absent */
	int has_fisher_p;                     /* the key is there (null or a number) */
	double fisher_p;                      /* NAN: null or absent */
};

struct sm_row_iter {
	const cJSON *next_child;
	const struct sm_outcome *const *rows; /* NULL: the children alone */
	size_t n, i;
};

void sm_row_iter_begin(struct sm_row_iter *it, const struct sm_row_index *x, const cJSON *list);
/* Returns 1 with the next row in *v, 0 at the end. */
int sm_row_iter_next(struct sm_row_iter *it, struct sm_row_view *v);

#endif
