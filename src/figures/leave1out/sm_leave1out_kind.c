/* sm_leave1out_kind.c -- the leave-one-out forest as a figure kind
 * (sm_figure.h): options, layout, the bundle's figures, cost. */
#include "sm_leave1out.h"

#include <stddef.h>

static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	return sm_refit_lay(ctx, res, opts, env, SM_REFIT_LOO, out);
}

static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	return sm_refit_plan(ctx, res, &sm_figure_leave1out, SM_REFIT_LOO, p);
}

static const struct sm_fopt leave1out_opts[] = { SM_REFIT_FOPTS };

const struct sm_figure_kind sm_figure_leave1out = {
	.name = "leave1out",
	.summary = "leave-one-out forest: the analysis refitted without each study",
	.positional = "analysis",
	.paged = 1,
	.opts = leave1out_opts,
	.nopts = sizeof leave1out_opts / sizeof leave1out_opts[0],
	.opts_size = sizeof(struct sm_refit_options),
	.opts_init = sm_refit_options_init,
	.layout = layout,
	.plan = plan,
	.cost = sm_refit_cost,
};
