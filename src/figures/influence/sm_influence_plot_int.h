/*
 * sm_influence_plot_int.h -- between the influence plot's kind and its
 * layout (private).
 *
 * Ownership: the layout hands back a finished figure the caller frees
 * with sm_fig_free().
 */
#ifndef SM_INFLUENCE_PLOT_INT_H
#define SM_INFLUENCE_PLOT_INT_H

#include "sm_influence_plot.h"

/* 1 when analysis `a` has diagnostics to draw (computed, k >= SM_INFL_MIN_K). */
int sm_infl_drawable(const struct sm_res_analysis *a);

/* Lay out the influence plot of the analysis `opts` names. */
sm_status sm_infl_lay(struct sm_ctx *ctx, const struct sm_res *res,
		      const struct sm_infl_options *opts, const struct sm_figure_env *env,
		      struct sm_fig **out);

#endif
