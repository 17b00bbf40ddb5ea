/*
 * sm_baujat.h -- the figure kind `baujat`: metafor's baujat() plot of an
 * analysis, from the Baujat coordinates of its studies (analyses[].
 * studies[].baujat_x and baujat_y of the results): x, the study's
 * contribution to the heterogeneity (its squared Pearson residual), y, its
 * influence on the overall result (the squared shift of the estimate when
 * it is left out, over the variance of that estimate).  Both axes start at
 * 0; every study is labelled beside its point, or with a leader line where
 * no place beside it is free, and by its number with a key below the
 * caption when the labels do not fit (or under --symbol number).  Studies
 * without both coordinates are left out and counted in the caption.  The
 * bundle draws figures/baujat-<analysis> for every analysis with two or
 * more studies that have them.
 *
 * Ownership: options hold borrowed strings (sm_figure.h).
 */
#ifndef SM_BAUJAT_H
#define SM_BAUJAT_H

#include "sm_figure.h"

enum sm_baujat_symbol { SM_BJ_SYMBOL_LABEL, SM_BJ_SYMBOL_NUMBER };

struct sm_baujat_options {
	struct sm_figure_common common;
	int symbol; /* enum sm_baujat_symbol */
};

/* What the figure's items and texts show (tag); ref: the study's index in
 * analyses[].studies for points, labels and leaders, -1 otherwise. */
enum sm_baujat_tag {
	SM_BJ_NONE, SM_BJ_POINT, SM_BJ_LABEL, SM_BJ_LEADER, SM_BJ_FRAME, SM_BJ_AXIS, SM_BJ_TICK,
	SM_BJ_CAPTION, SM_BJ_KEY, SM_BJ_TITLE, SM_BJ_XTITLE, SM_BJ_YTITLE
};

extern const struct sm_figure_kind sm_figure_baujat;

#endif
