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

struct cJSON;

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

/* ---- transitional: removed when src/report and src/cli use sm_figure_prisma ---- */

struct sm_prisma_opts {
	const char *style;  /* template name or .json path; NULL = "default" */
	const char *width;  /* NULL: the style's width */
	double dpi;         /* PNG only; 0 = 300 */
	const char *title;  /* NULL or "": no title */
};

struct sm_prisma_layout {
	struct sm_fig *fig;
};

/* transitional: removed when src/report and src/cli use sm_figure_prisma */
void sm_prisma_opts_init(struct sm_prisma_opts *opts);
/* transitional: removed when src/report and src/cli use sm_figure_prisma */
sm_status sm_prisma_layout(struct sm_ctx *ctx, const struct cJSON *results,
			   const struct sm_prisma_opts *opts, struct sm_prisma_layout **out);
/* transitional: removed when src/report and src/cli use sm_figure_prisma */
void sm_prisma_layout_free(struct sm_prisma_layout *l);
/* transitional: removed when src/report and src/cli use sm_figure_prisma */
sm_status sm_prisma_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			    const struct sm_prisma_layout *l, double x, double y);
/* transitional: removed when src/report and src/cli use sm_figure_prisma */
sm_status sm_prisma_render(struct sm_ctx *ctx, const struct cJSON *results,
			   const struct sm_prisma_opts *opts, const char *out_path);

#endif
