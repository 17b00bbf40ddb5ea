/*
 * sm_bubble.h -- the figure kind `bubble`: the bubble plot of a
 * meta-regression, as metafor's regplot(): one point per study at its
 * moderator value and effect, its area proportional to the study's weight,
 * the fitted line with its confidence band, the y axis on the analysis
 * scale labelled with back-transformed values for ratio measures.  Every
 * value comes from analyses[].meta_regression (studies[] and bubble[]).
 * The bundle draws figures/bubble-<analysis> for the first moderator of
 * every analysis with a bubble entry.
 */
#ifndef SM_BUBBLE_H
#define SM_BUBBLE_H

#include "sm_figure.h"

struct sm_bubble_options {
	struct sm_figure_common common;
	const char *moderator; /* NULL: the first with a bubble entry */
};

/* What the items and texts of a bubble figure show (item/text tag). */
enum sm_bubble_tag {
	SM_BUBBLE_POINT = 1, /* ref: index into meta_regression.studies */
	SM_BUBBLE_LINE,      /* the fitted line */
	SM_BUBBLE_BAND,      /* its confidence band */
	SM_BUBBLE_AXIS,
	SM_BUBBLE_TICK,      /* ref: 0 x axis, 1 y axis */
	SM_BUBBLE_TITLE_X,
	SM_BUBBLE_TITLE_Y,
	SM_BUBBLE_CAPTION
};

extern const struct sm_figure_kind sm_figure_bubble;

#endif
