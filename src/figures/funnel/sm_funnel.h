/*
 * sm_funnel.h -- funnel plots from the results, to PDF, SVG or PNG.
 *
 * x: the effect on the analysis scale (ratio measures on a log axis
 * labelled on the ratio scale: the axis maps, nothing is back-transformed);
 * y: standard error with 0 at the top (or precision, or sample size).
 * Drawn: the pooled estimate, the pseudo 95% (and optionally 99%)
 * confidence region, optionally the contour-enhanced bands of significance
 * centred on the null, trim-and-fill studies as open points with the
 * adjusted estimate beside the pooled one (the region is then centred on
 * the adjusted estimate, as metafor's funnel() of a trimfill object; k0,
 * the side and the adjusted estimate with its CI are stated), the Egger
 * line (from the results' egger.limit and egger.slope), and the labels of
 * studies flagged as outliers.  Every number comes from the results:
 * nothing is estimated here (the regions' normal quantiles are constants
 * of the drawing).  Several analyses make a page of small multiples with
 * shared axes, one titled panel each; on a report page at most
 * SM_FUNNEL_PAGE_PANELS of them a page.
 *
 * Small k (README "Small-study effects"): an analysis with fewer than
 * SM_FUNNEL_MIN_K studies gets no funnel (a panel says so; the bundle
 * plans no file for it); below the results' small_study.min_k, Egger's and
 * Begg's tests and trim and fill are not presented (a note says so).
 *
 * Ownership: options and results are borrowed; a layout hands back a
 * finished figure the caller frees with sm_fig_free().
 */
#ifndef SM_FUNNEL_H
#define SM_FUNNEL_H

#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_figure.h"

enum sm_funnel_y { SM_FUNNEL_SE, SM_FUNNEL_PRECISION, SM_FUNNEL_N };

/* Fewest studies a funnel is drawn for.  The Cochrane Handbook (section
 * 13.3.5) gives no minimum for the plot itself, only that visual
 * inspection of few studies is unreliable; with one or two points there is
 * no shape to inspect, and 3 is the fewest for which the regression behind
 * the asymmetry methods (Egger, the side of trim and fill) is estimable. */
#define SM_FUNNEL_MIN_K 3

/* Panels of the small multiples per report page (a 4 x 4 grid). */
#define SM_FUNNEL_PAGE_PANELS 16

/* The options of `render funnel` (sm_figure_funnel).  common.analysis:
 * NULL, the only analysis or all of them as small multiples; "all": small
 * multiples (unless an analysis has that name); otherwise the analysis of
 * that name.  common.width NULL: 120 mm for one funnel, the style's for
 * several.  common.title NULL: the analysis name; "": none (one funnel). */
struct sm_funnel_options {
	struct sm_figure_common common;
	int y;              /* enum sm_funnel_y */
	int contours;       /* significance contours around the null */
	int ci99;           /* add the pseudo 99% region */
	int egger_line;
	int trimfill;       /* imputed studies as open points (default 1) */
	int label_outliers; /* default 1 */
	/* The study field to colour points by: group, event, study_id, label
	 * or year (the fields a study of the results has); NULL: none. */
	const char *group_by;
};

extern const struct sm_figure_kind sm_figure_funnel;

/* Tags of the figure's items and texts.  Refs: a study's marker, its
 * index in the analysis' studies (an imputed study's, in trimfill.filled);
 * everything else -1 or 0.  SM_FT_ESTIMATE is the pooled estimate's line,
 * SM_FT_ADJUSTED the trim-and-fill estimate's; SM_FT_NOTE the text of a
 * panel drawn without its funnel (too few studies). */
enum sm_funnel_tag { SM_FT_OTHER, SM_FT_POINT, SM_FT_FILLED, SM_FT_REGION, SM_FT_CONTOUR,
		     SM_FT_ESTIMATE, SM_FT_EGGER, SM_FT_AXIS, SM_FT_TICK, SM_FT_TITLE,
		     SM_FT_LABEL, SM_FT_ANNOT, SM_FT_LEGEND, SM_FT_PLOT, SM_FT_ADJUSTED,
		     SM_FT_NOTE };

#endif
