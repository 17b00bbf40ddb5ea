/* sm_influence_plot_kind.c -- the influence figure kind (sm_figure.h): its
 * options described once, the layout, the bundle's figures and their
 * cost. */
#include "sm_influence_plot.h"

#include "sm_influence_plot_int.h"

#include <stddef.h>

static void options_init(void *opts)
{
	*(struct sm_infl_options *)opts = (struct sm_infl_options){ .common.dpi = 300,
								    .study_key = 1 };
}

static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	return sm_infl_lay(ctx, res, opts, env, out);
}

static int wanted(const struct sm_res_analysis *a, const void *arg)
{
	(void)arg;
	return sm_infl_drawable(a);
}

/* influence-<analysis> for every analysis with diagnostics to draw. */
static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	return sm_figure_plan_per_analysis(ctx, res, p, &sm_figure_influence, wanted, NULL);
}

/* Eight panels of up to a few dozen points: about 25 ms as a 300-dpi PNG
 * (44 studies, measured), twice a bubble plot. */
static double cost(const struct sm_res *res, const void *opts)
{
	(void)res;
	(void)opts;
	return 25;
}

#define OPT(m) offsetof(struct sm_infl_options, m)

static const struct sm_fopt infl_opts[] = {
	{ "no-study-key", SM_FOPT_UNFLAG, OPT(study_key), NULL,
	  "leave the studies' numbers and labels out of the caption", NULL, 0, 0 },
};

const struct sm_figure_kind sm_figure_influence = {
	.name = "influence",
	.summary = "influence diagnostics of an analysis (metafor plot(influence()))",
	.positional = "analysis",
	.opts = infl_opts,
	.nopts = sizeof infl_opts / sizeof infl_opts[0],
	.opts_size = sizeof(struct sm_infl_options),
	.opts_init = options_init,
	.layout = layout,
	.plan = plan,
	.cost = cost,
};
