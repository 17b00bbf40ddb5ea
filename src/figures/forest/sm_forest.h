/*
 * sm_forest.h -- forest plots from the typed results (sm_res.h): the
 * figure kind `forest` (sm_figure.h).
 *
 * One analysis with its studies, every analysis as subgroups, or the
 * summary forest across analyses (one row per domain with k, pooled
 * estimate and I²).  The layout is measured completely before drawing;
 * long plots paginate in PDF with the header repeated.
 *
 * The figure is an sm_fig (white pages): every text an sm_fig_text, every
 * mark sm_fig items whose tag is an enum sm_forest_tag and whose ref is
 * the plot row they show (-1 for marks of no row); enum sm_forest_layer is
 * the painting order of a page.  Marks of one layer are painted in one go
 * (one path, painted once: intervals, diamonds, axis and ticks, ...), all
 * but the squares, each filled alone (a lone rectangle stays a rectangle
 * in a PDF, which viewers draw with sharp edges).  Texts come last.
 *
 * Ownership: options are borrowed; sm_forest_build() hands back a layout
 * freed with sm_flayout_free(), which owns its figure.
 */
#ifndef SM_FOREST_H
#define SM_FOREST_H

#include "sm_canvas.h"
#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_figure.h"
#include "sm_flayout.h"
#include "sm_fplot.h"
#include "sm_res.h"
#include "sm_rob.h"

extern const struct sm_figure_kind sm_figure_forest;

/* What an item (marks) or a text of a forest shows. */
enum sm_forest_tag {
	/* items */
	SM_FOREST_RULE,        /* the rule under the column heads */
	SM_FOREST_CI,          /* a study's confidence interval (its line) */
	SM_FOREST_CI_ARROW,    /* its arrow head where it leaves the axis */
	SM_FOREST_PI,          /* the prediction interval's line */
	SM_FOREST_PI_ARROW,    /* its arrow head */
	SM_FOREST_PI_CAP,      /* its end cap (where it has no arrow) */
	SM_FOREST_NULL,        /* the line of no effect */
	SM_FOREST_AXIS,        /* the axis line */
	SM_FOREST_TICK,        /* a tick */
	SM_FOREST_SQUARE,      /* a study's estimate, its area its weight */
	SM_FOREST_DIAMOND,     /* a pooled estimate and its interval */
	SM_FOREST_ROB_FILL,    /* a judged risk-of-bias circle: its fill */
	SM_FOREST_ROB_OUTLINE, /* its outline */
	SM_FOREST_ROB_RING,    /* a cell not judged: an empty ring */
	SM_FOREST_REF,         /* the reference line (sm_fplot.has_ref) */
	/* texts */
	SM_FOREST_TITLE,
	SM_FOREST_HEAD,        /* column heads, arm names over them */
	SM_FOREST_CELL,        /* a cell of a row (ref: the row) */
	SM_FOREST_HEADING,     /* a subgroup's name (ref: its row) */
	SM_FOREST_NOTE,        /* heterogeneity, tests, left-out studies (ref: its row) */
	SM_FOREST_TICK_LABEL,
	SM_FOREST_FAVOURS,
	SM_FOREST_METHOD,      /* the method line */
	SM_FOREST_ROB_HEAD,    /* D1..Dn, Overall, "Risk of bias" */
	SM_FOREST_ROB_SYMBOL,  /* the sign on a judged circle (ref: its row) */
	SM_FOREST_ROB_KEY,     /* "Risk-of-bias domains: D1: ...; ..." */
	SM_FOREST_ROB_LEGEND,  /* a level's name in the legend */
	SM_FOREST_CONTINUED    /* "continued on the next page" under a page's axis */
};

/* Painting order within a page (sm_fig_item.layer).  Risk-of-bias fills
 * and outlines have one layer per level (layer + level): fills are painted
 * level by level, then the outlines of all judged circles as one path in
 * level order, then the rings of the cells not judged. */
enum sm_forest_layer {
	SM_FL_RULE,
	SM_FL_CI,
	SM_FL_CI_ARROW,
	SM_FL_PI,
	SM_FL_PI_ARROW,
	SM_FL_PI_CAP,
	SM_FL_NULL,
	SM_FL_REF,
	SM_FL_AXIS, /* axis and ticks: one path */
	SM_FL_SQUARE,
	SM_FL_DIAMOND,
	SM_FL_ROB_FILL,
	SM_FL_ROB_OUTLINE = SM_FL_ROB_FILL + SM_ROB_NLEVELS,
	SM_FL_ROB_RING = SM_FL_ROB_OUTLINE + SM_ROB_NLEVELS,
	SM_FL_NLAYERS
};

/* The options of `safemeta render forest` (and of `@figure forest`). */
struct sm_forest_options {
	struct sm_figure_common common; /* analysis: NULL = the only analysis, or all
					 * of them as subgroups; "all": all as
					 * subgroups (unless an analysis has that
					 * name); "summary": the summary forest;
					 * otherwise the analysis of that name.
					 * title: NULL = the analysis' name */
	int sort;            /* enum sm_forest_sort */
	const char *columns; /* "study,label2,k,events,weight,i2,effect"; NULL = all */
	int summary_only;    /* pooled rows without the studies */
	int show_method_line;
	int wrap_labels;     /* wrap the text columns (study, label2) at 30% of
			      * the width even when they would fit; without it
			      * they wrap only when the graph would be short of
			      * its minimum width */
	int rob;             /* risk-of-bias columns (D1..Dn, Overall) right of
			      * the graph, from review.risk_of_bias; an error
			      * when the results have none */
	const char *xlim;    /* "LO,HI" on the display scale, or NULL */
	const char *at;      /* "V1,V2,..." ticks on the display scale, or NULL */
	int scale;           /* ratio measures: 0 the ratio scale, 1 the log scale */
	int per;             /* proportions: enum sm_forest_per */
	int overall_test;    /* proportions: show the test for overall effect */
	int wide_labels;     /* the study and event columns keep more of the
			      * width unwrapped, the graph less, one weight
			      * column (the pooled model's) */
	int compact_notes;   /* shorter notes under the plot (a report's) */
	int dense;           /* rows at the style's small size (the notes'):
			      * a report page draws its forests so that the
			      * small size is its least legible one anyway */
};

/* Defaults: everything NULL/0 except show_method_line = 1, dpi = 300. */
void sm_forest_options_init(void *opts);

/* What a layout is for besides its options. */
struct sm_forest_target {
	int paginate;       /* continue on new pages (PDF) */
	double page_height; /* of those pages (pt); 0 = the style's */
	double png_dpi;     /* > 0: a PNG at this dpi, refused before the layout
			     * when it could only be too tall */
	const char *path;   /* the file it goes to, for messages; may be NULL */
	double first_page_height; /* > 0: the first page is this short (a report) */
	/* Non-NULL: the pages go to this PDF as they are laid out
	 * (sm_flayout_req.stream); the layout's figure is left empty. */
	const struct sm_flayout_stream *stream;
};

/* Lay a forest out.  *out is NULL on failure. */
sm_status sm_forest_build(struct sm_ctx *ctx, const struct sm_res *res,
			  const struct sm_forest_options *opts,
			  const struct sm_forest_target *target, struct sm_flayout **out);

#endif
