/*
 * sm_prisma_int.h -- the PRISMA boxes' wording and the split of the width
 * among the columns (private to the renderer).
 *
 * Ownership: sm_prisma_text() returns a string the caller frees; so are
 * the line widths of sm_prisma_measure_lines().
 */
#ifndef SM_PRISMA_INT_H
#define SM_PRISMA_INT_H

#include "sm_prisma.h"

enum sm_prisma_slot { SM_PS_IDENTIFIED, SM_PS_REMOVED, SM_PS_OTHER_IDENTIFIED, SM_PS_SCREENED,
		      SM_PS_EXCLUDED, SM_PS_SOUGHT, SM_PS_NOT_RETRIEVED, SM_PS_ASSESSED,
		      SM_PS_REPORTS_EXCLUDED, SM_PS_PREVIOUS, SM_PS_INCLUDED };

/* The text of a box from the prisma object (or its other_methods). */
char *sm_prisma_text(enum sm_prisma_slot slot, const cJSON *p);
/* 1 when o[key] is a reported count. */
int sm_prisma_has(const cJSON *o, const char *key);

/* What a box needs of its column: the natural (unwrapped) widths of its
 * text's lines.  Borrowed. */
struct sm_prisma_need {
	int col, row;
	const double *lines;
	int nlines;
};

/* Widths w[0..ncols) of the columns, none below minw[c] and adding up to
 * `total` (>= the sum of minw), that make the diagram least tall as
 * estimated from the boxes' line widths (`pad` each side of a box's text). */
void sm_prisma_split(const struct sm_prisma_need *boxes, int nboxes, int ncols,
		     const double *minw, double pad, double total, double *w);
/* The natural width of each line of `text` set in `st` (*lines, which the
 * caller frees, *nlines of them) and of its widest word. */
sm_status sm_prisma_measure_lines(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_tstyle *st,
				  const char *text, double **lines, int *nlines, double *word);

#endif
