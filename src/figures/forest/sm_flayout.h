/*
 * sm_flayout.h -- a forest plot measured and placed, ready to draw.
 *
 * Fitting a width: at the style's font size the text columns (study,
 * label2) first take their natural width; if that leaves the graph short
 * of its minimum they wrap, the widest narrowed first and none below its
 * longest word.  Only when that is not enough does the font shrink (in
 * 0.5 pt steps to the style's minimum), and only then is it an error.
 *
 * The layout is a display list: every text with its box, every mark
 * (square, CI line, diamond, ...) with its position, on its page, in points
 * from the page's top left.  It is computed completely before anything is
 * drawn, so the figure's size is known up front and tests can check the
 * geometry (squares where the axis maps the estimates, no text over text).
 *
 * Risk-of-bias columns (when the plot has them) sit right of the graph,
 * one per domain, and count in the width budget as the text columns do:
 * the graph keeps its minimum, the text wraps first.  Their domain keys and
 * a legend of the levels go under the plot, before the method line.
 *
 * Ownership: sm_flayout_build() returns a layout freed with
 * sm_flayout_free(); it owns its strings and borrows nothing.
 */
#ifndef SM_FLAYOUT_H
#define SM_FLAYOUT_H

#include "sm_axis.h"
#include "sm_fig.h"
#include "sm_fplot.h"
#include "sm_style.h"
#include "sm_text.h"

#include <stddef.h>

/* Font roles; sizes are fixed when the layout fits its width.  SYMBOL
 * sets the sign inside a risk-of-bias circle. */
enum sm_role { SM_ROLE_BODY, SM_ROLE_BOLD, SM_ROLE_ITALIC, SM_ROLE_SMALL,
	       SM_ROLE_TITLE, SM_ROLE_SYMBOL, SM_NROLES };

struct sm_ftext {
	int page;
	struct sm_box box; /* logical box of the ink-bearing lines */
	double ox;         /* x of the layout origin (= box.x0 unless wrapped) */
	char *text;
	enum sm_role role;
	int muted;
	int coloured;       /* drawn in `colour` (risk-of-bias symbols) */
	struct sm_rgb colour;
	int tabular;
	double wrap;       /* > 0: wrapped at this width */
	enum sm_align align; /* of wrapped lines */
};

enum sm_mark_kind {
	SM_MARK_SQUARE,  /* cx, cy, size = side */
	SM_MARK_CI,      /* x0..x1 at cy; arrow_lo/hi where it leaves the axis */
	SM_MARK_DIAMOND, /* x0 (lower), cx (estimate), x1 (upper); size = height */
	SM_MARK_PI,      /* like CI, drawn as a bar with end caps */
	SM_MARK_NULL,    /* vertical line x0 from y0 to y1 */
	SM_MARK_AXIS,    /* horizontal x0..x1 at cy */
	SM_MARK_TICK,    /* vertical x0 from y0 to y1 */
	SM_MARK_RULE,    /* horizontal rule x0..x1 at cy */
	SM_MARK_ROB      /* risk-of-bias circle: cx, cy, size = diameter; level
			  * (enum sm_rob_level, -1 = not judged: an empty ring),
			  * col = domain column (-1 in the legend) */
};

struct sm_fmark {
	int page;
	enum sm_mark_kind kind;
	double x0, x1, y0, y1;
	double cx, cy, size;
	int arrow_lo, arrow_hi;
	double est, lb, ub, weight; /* the values drawn (display scale) */
	int row;   /* the plot row (sm_fplot.rows) a square, interval, diamond
		    * or risk-of-bias circle shows; -1 for the others */
	int col, level;
};

struct sm_flayout {
	double width, height; /* page size (pt); every page has the same */
	int npages;
	struct sm_axis axis;
	struct sm_tstyle role[SM_NROLES];
	double size_used;    /* body font size after fitting */
	struct sm_rgb c_text, c_muted;
	struct sm_ftext *texts;
	size_t ntexts, cap_texts;
	struct sm_fmark *marks;
	size_t nmarks, cap_marks;
	/* Both lists are in page order: page p holds texts [page_text[p],
	 * page_text[p + 1]) and marks [page_mark[p], page_mark[p + 1]), so
	 * drawing a page visits only its own (npages + 1 entries each). */
	size_t *page_text, *page_mark;
	char *family;        /* owned copy: role[].family points here */
};

struct sm_flayout_req {
	double width;   /* pt */
	int paginate;   /* split at style->page_height (PDF) */
	int wrap_labels;
	int show_method;
};

struct sm_flayout *sm_flayout_build(struct sm_ctx *ctx, struct sm_text *text,
				    const struct sm_fplot *plot,
				    const struct sm_style *style,
				    const struct sm_flayout_req *req);
void sm_flayout_free(struct sm_flayout *l);

#endif
