/*
 * sm_prisma.h -- PRISMA 2020 flow diagrams from the review in the results
 * (review.prisma), to PDF, SVG or PNG.
 *
 * The official 2020 layout: a column for databases and registers (its
 * identification, screening and included boxes, with side boxes for what
 * was removed or excluded), an optional column for other methods and, for
 * the updated-review template, a column of previous studies.  Boxes wrap
 * their text and size to it; the stage labels sit in a band on the left.
 * The diagram shows the counts as the authors reported them: a count that
 * is null prints "n = not reported", optional boxes (reports sought/not
 * retrieved) are left out when nothing was reported, and nothing is ever
 * computed or corrected (inconsistencies are `safemeta check`'s business).
 *
 * Ownership: options and results are borrowed; a layout hands back a
 * finished figure the caller frees with sm_fig_free().
 */
#ifndef SM_PRISMA_H
#define SM_PRISMA_H

#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_figure.h"

/* The options of `render prisma` (sm_figure_prisma): the common ones
 * (title NULL or "": none; width NULL: the style's). */
struct sm_prisma_options {
	struct sm_figure_common common;
};

extern const struct sm_figure_kind sm_figure_prisma;

/* Tags of the figure's items and texts.  Refs: a box and its text, the
 * box's index; the items of one arrow (its bent path and its head), the
 * arrow's index. */
enum sm_prisma_tag { SM_PT_OTHER, SM_PT_BOX, SM_PT_BOX_TEXT, SM_PT_ARROW, SM_PT_STAGE,
		     SM_PT_STAGE_TEXT, SM_PT_HEADER, SM_PT_HEADER_TEXT, SM_PT_TITLE };

#endif
