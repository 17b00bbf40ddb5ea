/*
 * sm_bubble.h -- the figure kind `bubble`: a meta-regression bubble plot
 * as metafor's regplot() draws it, from analyses[].meta_regression of the
 * results: the studies as circles of area proportional to their weight at
 * their moderator value and effect, the fitted line over the moderator's
 * range with its confidence band, and a caption with the model test.
 *
 * Everything drawn is a value of the results: the y axis is the analysis
 * scale; for a ratio measure it is a log axis labelled with the ratios
 * (the results' transformed values).  The bundle draws
 * figures/bubble-<analysis>[-<moderator>] for every bubble entry.
 *
 * Ownership: options hold borrowed strings (sm_figure.h).
 */
#ifndef SM_BUBBLE_H
#define SM_BUBBLE_H

#include "sm_figure.h"

struct sm_bubble_options {
	struct sm_figure_common common;
	const char *moderator; /* NULL: the first bubble entry */
};

/* What the figure's items show (sm_fig_item.tag); ref: the study index
 * (points) or the line point index (line, band). */
enum sm_bubble_tag {
	SM_BB_NONE, SM_BB_POINT, SM_BB_LINE, SM_BB_BAND, SM_BB_AXIS, SM_BB_TICK, SM_BB_NULL,
	SM_BB_CAPTION, SM_BB_TITLE, SM_BB_XTITLE, SM_BB_YTITLE
};

extern const struct sm_figure_kind sm_figure_bubble;

#endif
