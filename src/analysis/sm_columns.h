/*
 * sm_columns.h -- a study characteristic or outcome column named by the
 * user (--by, --mods, settings.subgroup_by, settings.mods), found in the
 * review and read row by row.
 *
 * A name is looked up, first exactly and then ignoring ASCII case (when
 * that is unambiguous), in this order:
 *   1. columns of the outcome CSV kept because an option named them (and
 *      its subgroup column), one value per row;
 *   2. the outcome fields "domain", "event", "sub", "study" (the study's
 *      label) and "year";
 *   3. the studies' "characteristics" (text, numbers, numbers with units).
 * A name found nowhere is an input error listing the names that exist.
 *
 * Ownership: struct sm_column borrows the review, which must outlive it;
 * sm_names_split returns one allocation (array and text) the caller frees.
 */
#ifndef SM_COLUMNS_H
#define SM_COLUMNS_H

#include "sm_ctx.h"
#include "sm_review.h"

#include <stddef.h>

enum sm_column_source { SM_COLSRC_ROW, SM_COLSRC_FIELD, SM_COLSRC_STUDY };

struct sm_column {
	const char *name;          /* as written in the review */
	enum sm_column_source source;
	size_t index;              /* row column, or field number */
	const struct sm_review *review;
};

/* One row's value: text (NULL when missing), its number (NAN when not a
 * number) and unit (NULL without one). */
struct sm_column_value {
	const char *text;
	double num;
	const char *unit;
};

/* Finds the column; SM_EINPUT naming `what` (e.g. "--by") and the names
 * that exist when there is none. */
sm_status sm_column_find(struct sm_ctx *ctx, const struct sm_review *r, const char *name,
			 const char *what, struct sm_column *out);

void sm_column_get(const struct sm_column *c, const struct sm_outcome *o,
		   struct sm_column_value *v);

/* The value as text: its own, or its number formatted into buf (a year);
 * NULL when missing. */
const char *sm_column_text(const struct sm_column_value *v, char *buf, size_t size);
int sm_column_missing(const struct sm_column_value *v);

/* "study characteristic", "outcome column" or "outcome field". */
const char *sm_column_source_name(const struct sm_column *c);

/* Where the value of row o sits, for messages: file, line, and what holds
 * it ("field 'studies[3].characteristics.dose'", "column 'dose'" of a CSV)
 * written into field (size bytes). */
void sm_column_where(const struct sm_column *c, const struct sm_outcome *o, const char **file,
		     int *line, char *field, size_t size);

/* Every row needs a value: SM_EINPUT at the first row without one, naming
 * up to five such studies of the analysis and how many there are; SM_OK
 * when all have one.  `what` says what the column is for ("subgroup
 * column", "moderator"). */
sm_status sm_column_require(struct sm_ctx *ctx, const struct sm_column *col,
			    const struct sm_outcome *const *rows, size_t n, const char *analysis,
			    const char *what);

/* Splits "a,b,c" at commas (blanks around names dropped, empty names
 * skipped) into *n names; NULL with *n = 0 on out of memory or for no
 * names.  One allocation: free the returned array. */
const char **sm_names_split(const char *list, size_t *n);

#endif
