/* sm_rob_kind.c -- the rob figure kind (sm_figure.h): its options
 * described once, the layout, the bundle's figure and its cost. */
#include "sm_rob.h"

#include "sm_rob_int.h"

#include <stddef.h>

static void options_init(void *opts)
{
	*(struct sm_rob_options *)opts = (struct sm_rob_options){ .common.dpi = 300,
								  .overall = 1 };
}

static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	(void)env; /* one page in every format */
	return sm_rob_lay(ctx, res, opts, out);
}

/* The bundle's risk-of-bias figure, when the review has judgements. */
static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	if (!res->review.risk_of_bias.present)
		return SM_OK;
	return sm_figure_plan_add(ctx, p, &sm_figure_rob, "risk-of-bias", NULL);
}

static double cost(const struct sm_res *res, const void *opts)
{
	(void)res, (void)opts;
	return 60;
}

#define OPT(m) offsetof(struct sm_rob_options, m)

static const struct sm_fopt rob_opts[] = {
	{ "plot", SM_FOPT_CHOICE, OPT(plot), "both|traffic|summary",
	  "which plot(s) (default both)", sm_rob_plot_choices, 0, 0 },
	{ "weighted", SM_FOPT_FLAG, OPT(weighted), NULL, "summary bars weighted by study size",
	  NULL, 0, 0 },
	{ "no-overall", SM_FOPT_UNFLAG, OPT(overall), NULL, "leave out the overall column",
	  NULL, 0, 0 },
};

const struct sm_figure_kind sm_figure_rob = {
	.name = "rob",
	.summary = "risk-of-bias figure of the review",
	.positional = "plot",
	.opts = rob_opts,
	.nopts = sizeof rob_opts / sizeof rob_opts[0],
	.opts_size = sizeof(struct sm_rob_options),
	.opts_init = options_init,
	.layout = layout,
	.plan = plan,
	.cost = cost,
};
