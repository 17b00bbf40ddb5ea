/*
 * sm_leave1out.h -- the figure kind `leave1out`: the leave-one-out forest
 * of an analysis (sm_refit.h), as metafor's forest(leave1out(res)).
 * Options: struct sm_refit_options.  The bundle draws
 * figures/leave1out-<analysis> for every analysis of at least
 * SM_REFIT_LOO_MIN_K studies whose results hold the refits.
 */
#ifndef SM_LEAVE1OUT_H
#define SM_LEAVE1OUT_H

#include "sm_figure.h"
#include "sm_refit.h"

extern const struct sm_figure_kind sm_figure_leave1out;

#endif
