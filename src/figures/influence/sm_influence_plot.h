/*
 * sm_influence_plot.h -- the figure kind `influence`: the case diagnostics
 * of an analysis as metafor's plot(influence(res)) draws them, from
 * analyses[].studies[] and analyses[].influence_summary of the results.
 *
 * Eight small panels, one per diagnostic (rstudent, dffits, cook.d, cov.r,
 * tau2.del, QE.del, hat, weight), in metafor's order: 2 columns by 4 rows
 * up to SM_INFL_NARROW_MM, 4 by 2 wider.  x is the position of a study
 * among the studies in the model (1..k), labelled with its number in the
 * analysis' studies (metafor's ids); the points are joined by a line as
 * metafor does.  Influential studies (metafor's criteria, the studies'
 * "influential") are drawn as larger diamonds in the style's accent colour
 * (c_diamond), the others as circles (c_square), so that they differ in
 * greyscale too.  Reference lines are the results' values: dashed at 0
 * (rstudent, dffits), cov_r_line, tau2_line, QE_line, hat_mean and
 * weight_mean; dotted at +-rstudent_line, +-dffits_bound, cooks_bound,
 * QE_df and hat_bound.  cov.r is on a log axis (metafor's logcov).  A
 * null value draws no point (the caption counts them).  The caption names
 * the reference lines, the influential studies ("Influential (metafor
 * criteria): X, Y" or "none") and the studies behind the numbers.
 *
 * An analysis is drawn when its influence_summary says computed and it has
 * at least SM_INFL_MIN_K studies; otherwise SM_EINPUT names it.  The
 * bundle draws figures/influence-<analysis> for every such analysis.
 *
 * Ownership: options hold borrowed strings (sm_figure.h).
 */
#ifndef SM_INFLUENCE_PLOT_H
#define SM_INFLUENCE_PLOT_H

#include "sm_figure.h"

/* Fewest studies drawn: with 2, deleting one leaves a single study and
 * the deleted-study diagnostics compare one study with the other. */
#define SM_INFL_MIN_K 3

/* Up to this width the panels are 2 x 4, wider 4 x 2. */
#define SM_INFL_NARROW_MM 120.0

/* The options of `render influence`.  common.analysis: NULL = the first
 * analysis with diagnostics; otherwise the analysis of that name.
 * common.width NULL: 120 mm.  common.title NULL: the analysis' name when
 * the results hold several analyses, else none; "": none. */
struct sm_infl_options {
	struct sm_figure_common common;
	int study_key; /* the caption lists "1 label; 2 label; ..." (default 1) */
};

/* The panels, in metafor's order. */
enum sm_infl_panel { SM_IP_RSTUDENT, SM_IP_DFFITS, SM_IP_COOKS, SM_IP_COV_R, SM_IP_TAU2_DEL,
		     SM_IP_QE_DEL, SM_IP_HAT, SM_IP_WEIGHT, SM_INFL_NPANELS };

/* What the figure's items and texts show (tag).  ref: SM_INFL_REF(panel,
 * i) with i the study's index in the analysis' studies (points), the
 * reference line's index within its panel in the order of the header
 * comment (lines), the tick's index (y ticks and their labels), the
 * position's, 0-based (x ticks and their labels), or 0 (frame, path,
 * panel title, note); the figure title and the caption -1. */
enum sm_infl_tag {
	SM_IF_NONE, SM_IF_POINT, SM_IF_PATH, SM_IF_DASHED, SM_IF_DOTTED, SM_IF_FRAME,
	SM_IF_XTICK, SM_IF_YTICK, SM_IF_XLABEL, SM_IF_YLABEL, SM_IF_PTITLE, SM_IF_NOTE,
	SM_IF_TITLE, SM_IF_CAPTION
};

#define SM_INFL_REF(panel, i) ((panel) * 65536 + (i))
#define SM_INFL_REF_PANEL(ref) ((ref) / 65536)
#define SM_INFL_REF_INDEX(ref) ((ref) % 65536)

extern const struct sm_figure_kind sm_figure_influence;

#endif
