/*
 * sm_cumulative.h -- the figure kind `cumulative`: the cumulative forest of
 * an analysis (sm_refit.h), as metafor's forest(cumul(res)), in the order
 * the analysis added the studies (analyze --cumul-order).  Options: struct
 * sm_refit_options.  The bundle draws figures/cumulative-<analysis> for
 * every analysis of at least SM_REFIT_CUMUL_MIN_K studies whose results
 * hold the cumulative fits.
 */
#ifndef SM_CUMULATIVE_H
#define SM_CUMULATIVE_H

#include "sm_figure.h"
#include "sm_refit.h"

extern const struct sm_figure_kind sm_figure_cumulative;

#endif
