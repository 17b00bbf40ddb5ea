/*
 * sm_prisma.h -- PRISMA 2020 flow diagrams from the review in a results
 * JSON ("review"."prisma"), to PDF, SVG or PNG.
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
 * Ownership: opts and results are borrowed; sm_prisma_layout() returns a
 * layout freed with sm_prisma_layout_free(), which owns its figure.
 */
#ifndef SM_PRISMA_H
#define SM_PRISMA_H

#include "sm_ctx.h"
#include "sm_fig.h"

#include <cjson/cJSON.h>

struct sm_prisma_opts {
	const char *style;  /* template name or .json path; NULL = "default" */
	const char *width;  /* NULL: the style's width */
	double dpi;         /* PNG only; 0 = 300 */
	const char *title;  /* NULL or "": no title */
};

void sm_prisma_opts_init(struct sm_prisma_opts *opts);

/* Tags of the figure's items and texts. */
enum sm_prisma_tag { SM_PT_OTHER, SM_PT_BOX, SM_PT_BOX_TEXT, SM_PT_ARROW, SM_PT_STAGE,
		     SM_PT_STAGE_TEXT, SM_PT_HEADER, SM_PT_HEADER_TEXT, SM_PT_TITLE };

#define SM_PRISMA_MAX_BOXES 24
#define SM_PRISMA_MAX_ARROWS 24

struct sm_prisma_box {
	struct sm_box box;
	char *text;          /* owned */
	int side;            /* a side box (removed/excluded) */
};

struct sm_prisma_arrow {
	int from, to;        /* box indices */
	double x0, y0, x1, y1;
};

struct sm_prisma_layout {
	struct sm_fig *fig;
	struct sm_prisma_box boxes[SM_PRISMA_MAX_BOXES];
	int nboxes;
	struct sm_prisma_arrow arrows[SM_PRISMA_MAX_ARROWS];
	int narrows;
};

sm_status sm_prisma_layout(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_prisma_opts *opts, struct sm_prisma_layout **out);
void sm_prisma_layout_free(struct sm_prisma_layout *l);
sm_status sm_prisma_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			    const struct sm_prisma_layout *l, double x, double y);
sm_status sm_prisma_render(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_prisma_opts *opts, const char *out_path);

#endif
