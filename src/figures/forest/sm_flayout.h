/*
 * sm_flayout.h -- a forest plot measured and placed into the display list
 * (sm_fig.h), ready to draw.
 *
 * Fitting a width: at the style's font size the text columns (study,
 * label2) first take their natural width, one line each.  The graph gets
 * what is left, and at least SM_FLAYOUT_GRAPH_SHARE of the inner width
 * (RevMan gives it 35-40%) where the text allows: study labels wider than
 * SM_FLAYOUT_TEXT_KEEP of the width, and event names wider than
 * SM_FLAYOUT_TEXT2_KEEP, then wrap, the widest narrowed first.  If the graph would still be short of the style's
 * minimum, the columns narrow further, none below its longest word.  A
 * wrapped cell takes at most SM_FLAYOUT_MAX_LINES lines; the rest is cut
 * with "…" (the full text is in the results).  Only when all that is not
 * enough does the font shrink (in 0.5 pt steps to the style's minimum), and
 * only then is it an error.
 *
 * Long plots continue on new pages: a subgroup's heading is repeated
 * "(continued)" on the page where its studies go on, no pooled block
 * starts a page without at least two of its studies, and a page that
 * continues says so under its axis.
 *
 * Every text is an sm_fig_text and every mark (square, interval, diamond,
 * ...) one or more sm_fig items, on its page, in points from the page's
 * top left; tag says what it shows (enum sm_forest_tag in sm_forest.h),
 * ref the plot row (sm_fplot.rows) it belongs to, -1 for the others; the
 * values drawn are that row's.  Layers and batches (enum sm_forest_layer)
 * give the painting order.  It is computed completely before anything is
 * drawn, so the figure's size is known up front and tests can check the
 * geometry (squares where the axis maps the estimates, no text over text).
 * The height each page uses (down to its lowest mark or text, plus the
 * margin) is recorded in the figure (sm_fig_page_used), for a report that
 * places the pages one after another.
 *
 * Risk-of-bias columns (when the plot has them) sit right of the graph,
 * one per domain, and count in the width budget as the text columns do:
 * the graph keeps its minimum, the text wraps first.  Their domain keys and
 * a legend of the levels go under the plot, before the method line.
 *
 * Ownership: a layout owns its figure, its plot and its arrays; free it
 * with sm_flayout_free().
 */
#ifndef SM_FLAYOUT_H
#define SM_FLAYOUT_H

#include "sm_axis.h"
#include "sm_fig.h"
#include "sm_fplot.h"
#include "sm_style.h"
#include "sm_text.h"

#include <stddef.h>

#define SM_FLAYOUT_GRAPH_SHARE 0.36
#define SM_FLAYOUT_TEXT_KEEP 0.3   /* study labels */
#define SM_FLAYOUT_TEXT2_KEEP 0.12 /* the second text column (event names) */
#define SM_FLAYOUT_MAX_LINES 2
/* With wide labels (a report's forests, whose rows double where an event
 * name wraps): the graph's share and the event names' kept width. */
#define SM_FLAYOUT_WIDE_GRAPH_SHARE 0.27
#define SM_FLAYOUT_WIDE_TEXT2_KEEP 0.24

struct sm_faxis_spec;

/* Font roles; sizes are fixed when the layout fits its width.  SYMBOL
 * sets the sign inside a risk-of-bias circle. */
enum sm_role { SM_ROLE_BODY, SM_ROLE_BOLD, SM_ROLE_ITALIC, SM_ROLE_SMALL,
	       SM_ROLE_TITLE, SM_ROLE_SYMBOL, SM_NROLES };

/* A risk-of-bias circle as laid out: the cell it shows (row -1 and col -1
 * in the legend) and its judgement (enum sm_rob_level; -1 = not judged, an
 * empty ring).  The figure holds what is drawn for it. */
struct sm_frob {
	int page, row, col, level;
	double cx, cy, r;
};

struct sm_flayout {
	struct sm_fig *fig;       /* the figure (owned) */
	struct sm_fplot *plot;    /* the rows that refs name (owned) */
	struct sm_axis axis;
	struct sm_tstyle role[SM_NROLES];
	double size_used;         /* body font size after fitting */
	struct sm_frob *rob;      /* every risk-of-bias circle, in the order laid out */
	size_t nrob, cap_rob;
};

struct sm_flayout_req {
	double width;   /* pt */
	int paginate;   /* split at style->page_height (PDF) */
	int wrap_labels;
	int show_method;
	const struct sm_faxis_spec *axis; /* --xlim, --at; NULL: from the data */
	double first_page_h; /* > 0: the first page's height when paginated */
	int dense;           /* rows at the style's small size, as the notes */
	int wide_labels;     /* the text columns before the graph (a report's
			      * forests): the graph's share and a second weight
			      * column give way to unwrapped event names */
};

/* Where a streamed layout goes (sm_flayout_build_to): a PDF, drawn on a
 * second thread unless threaded is 0 (the same bytes either way). */
struct sm_flayout_stream {
	const char *path;
	int threaded;
};

/* Lay `plot` out into `fig` (a blank figure whose style sets the look);
 * the new layout owns both, also on failure.  NULL on failure. */
struct sm_flayout *sm_flayout_build(struct sm_ctx *ctx, struct sm_fig *fig,
				    struct sm_fplot *plot, const struct sm_flayout_req *req);
/* The same, with each page written to the PDF `to` as soon as it is laid
 * out and freed, instead of kept (sm_fig_pipe.h): the pages are measured
 * first (the PDF's page size is the tallest page's), then laid out,
 * written and freed one by one.  The figure is left with its size and
 * page count but no items or texts. */
struct sm_flayout *sm_flayout_build_to(struct sm_ctx *ctx, struct sm_fig *fig,
				       struct sm_fplot *plot, const struct sm_flayout_req *req,
				       const struct sm_flayout_stream *to);
/* The figure, taken out of the layout (the caller frees it). */
struct sm_fig *sm_flayout_take_fig(struct sm_flayout *l);
void sm_flayout_free(struct sm_flayout *l);

#endif
