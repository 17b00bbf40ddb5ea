/*
 * sm_forest.h -- forest plots from a results JSON, to PDF, SVG or PNG.
 *
 * Reads only the results JSON written by `safemeta analyze` (and a style):
 * one analysis with its studies, every analysis as subgroups, or the
 * summary forest across analyses (one row per domain with k, pooled
 * estimate and I²).  The layout is measured completely before drawing;
 * long plots paginate in PDF with the header repeated.  The format follows
 * the output file's extension.
 *
 * Ownership: opts and results are borrowed; sm_forest_layout() hands back a
 * layout the caller frees with sm_flayout_free(); sm_forest_new() returns a
 * forest freed with sm_forest_free(), which owns its layout, style and fonts.
 */
#ifndef SM_FOREST_H
#define SM_FOREST_H

#include "sm_canvas.h"
#include "sm_ctx.h"
#include "sm_flayout.h"

#include <cjson/cJSON.h>

struct sm_forest_opts {
	/* NULL: the only analysis, or all of them as subgroups; "all": all as
	 * subgroups (unless an analysis has that name); "summary": the summary
	 * forest across analyses; otherwise the analysis of that name. */
	const char *analysis;
	const char *style;   /* template name or .json path; NULL = "default" */
	const char *width;   /* "175mm", "single", ...; NULL = the style's */
	double dpi;          /* PNG only; 0 = 300 */
	enum sm_forest_sort sort;
	const char *columns; /* "study,label2,k,events,weight,i2,effect"; NULL = all */
	int summary_only;    /* pooled rows without the studies */
	int show_method_line;
	int wrap_labels;     /* wrap the text columns (study, label2) at 30% of
			      * the width even when they would fit; without it
			      * they wrap only when the graph would be short of
			      * its minimum width */
	const char *title;   /* NULL: the analysis name; "": no title */
	double page_height;  /* pt, when paginating; 0 = the style's */
	int rob;             /* risk-of-bias columns (D1..Dn, Overall) right of
			      * the graph, from "review"."risk_of_bias"; an error
			      * when the results have none */
};

/* Defaults: everything NULL/0 except show_method_line = 1, dpi = 300. */
void sm_forest_opts_init(struct sm_forest_opts *opts);

sm_status sm_forest_render(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_forest_opts *opts, const char *out_path);

/* The layout alone (paginated as for PDF when `paginate`). */
sm_status sm_forest_layout(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_forest_opts *opts, int paginate,
			   struct sm_flayout **out);

/* A forest laid out once and kept drawable (with its style, fonts and text
 * engine alive), so a report can place its pages on its own canvas.  With
 * page_height > 0 the plot paginates at that height (pt); 0 keeps one page
 * as tall as the plot.  NULL on failure. */
struct sm_forest;
struct sm_forest *sm_forest_new(struct sm_ctx *ctx, const cJSON *results,
				const struct sm_forest_opts *opts, double page_height);
void sm_forest_free(struct sm_forest *f);
const struct sm_flayout *sm_forest_get_layout(const struct sm_forest *f);
/* Draw page `page` of the forest with its top left at (x, y) of the
 * canvas's current page. */
sm_status sm_forest_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			    const struct sm_forest *f, int page, double x, double y);

#endif
