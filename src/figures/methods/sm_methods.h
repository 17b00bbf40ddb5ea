/*
 * sm_methods.h -- the figure kind `methods`: a "method forest" of one
 * analysis, one row per pooling method of its rare_events block (inverse
 * variance with the review's correction, Mantel-Haenszel, Peto, GLMM UM.FS
 * and CM.EL): the method and its model, the estimate with its confidence
 * interval as a square of equal size and a line, and estimate [CI], P and
 * the studies used as numbers; a footnote with k and the double-zero
 * studies.  Rows of the analysis's own measure are drawn (the block may
 * also hold a risk difference); ratios on a log axis with the null line,
 * as the forest's axis (sm_axis.h).  The bundle draws
 * figures/methods-<analysis> for every analysis with a rare_events block.
 *
 * Ownership: options hold borrowed strings (sm_figure.h).
 */
#ifndef SM_METHODS_H
#define SM_METHODS_H

#include "sm_figure.h"

struct sm_methods_options {
	struct sm_figure_common common;
};

/* sm_fig_item.tag / sm_fig_text.tag; ref: the index in rare_events.methods */
enum sm_methods_tag {
	SM_MT_NONE, SM_MT_SQUARE, SM_MT_CI, SM_MT_NULL, SM_MT_AXIS, SM_MT_TICK, SM_MT_LABEL,
	SM_MT_MODEL, SM_MT_NUMBERS, SM_MT_FOOT, SM_MT_TITLE, SM_MT_XTITLE
};

extern const struct sm_figure_kind sm_figure_methods;

#endif
