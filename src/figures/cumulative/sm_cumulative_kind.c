/* sm_cumulative_kind.c -- the cumulative forest as a figure kind
 * (sm_figure.h): options, layout, the bundle's figures, cost. */
#include "sm_cumulative.h"

#include <stddef.h>

static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	return sm_refit_lay(ctx, res, opts, env, SM_REFIT_CUMUL, out);
}

static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	return sm_refit_plan(ctx, res, &sm_figure_cumulative, SM_REFIT_CUMUL, p);
}

static const struct sm_fopt cumulative_opts[] = { SM_REFIT_FOPTS };

const struct sm_figure_kind sm_figure_cumulative = {
	.name = "cumulative",
	.summary = "cumulative forest: the analysis of the first 1, 2, ... studies",
	.positional = "analysis",
	.paged = 1,
	.opts = cumulative_opts,
	.nopts = sizeof cumulative_opts / sizeof cumulative_opts[0],
	.opts_size = sizeof(struct sm_refit_options),
	.opts_init = sm_refit_options_init,
	.layout = layout,
	.plan = plan,
	.cost = sm_refit_cost,
};
