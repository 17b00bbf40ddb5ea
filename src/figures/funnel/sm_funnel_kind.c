/* sm_funnel_kind.c -- the funnel figure kind (sm_figure.h): its options
 * described once, the layout, the bundle's funnels and their cost. */
#include "sm_funnel.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_funnel_int.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static void options_init(void *opts)
{
	*(struct sm_funnel_options *)opts = (struct sm_funnel_options){
		.common.dpi = 300, .trimfill = 1, .label_outliers = 1 };
}

static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	/* a report page holds at most SM_FUNNEL_PAGE_PANELS panels; a file
	 * holds every panel on one page */
	return sm_funnel_lay(ctx, res, opts, env && env->max_width > 0 ? SM_FUNNEL_PAGE_PANELS : 0,
			     out);
}

static int funnel_wanted(const struct sm_res_analysis *a, const void *arg)
{
	(void)arg;
	return a->k >= SM_FUNNEL_MIN_K;
}

/* A funnel per analysis of at least SM_FUNNEL_MIN_K studies
 * ("funnel-<safe name>"), and the small multiples ("funnel-all") when there
 * are several analyses (a panel of too few studies says so there). */
static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	sm_status s = sm_figure_plan_per_analysis(ctx, res, p, &sm_figure_funnel, funnel_wanted,
						  NULL);
	if (s == SM_OK && res->analyses.n > 1)
		s = sm_figure_plan_add(ctx, p, &sm_figure_funnel, "funnel-all", "all");
	return s;
}

/* A panel costs about 4 ms as a 300-dpi PNG; a single funnel 14. */
static double cost(const struct sm_res *res, const void *opts)
{
	const char *name = sm_figure_common_of(opts)->analysis;
	const struct sm_res_analysis *a = sm_res_analysis_named(res, name);
	double panels = a && isfinite(a->k) ? a->k : (double)res->analyses.n;
	return name && !strcmp(name, "all") ? 4 * panels : 14;
}

#define OPT(m) offsetof(struct sm_funnel_options, m)

static const struct sm_fopt funnel_opts[] = {
	{ "y", SM_FOPT_CHOICE, OPT(y), "se|precision|n", "the y axis (default se, 0 at the top)",
	  sm_funnel_y_choices, 0, 0 },
	{ "contours", SM_FOPT_FLAG, OPT(contours), NULL,
	  "significance contours around the null\n(P 0.10, 0.05, 0.01)", NULL, 0, 0 },
	{ "ci99", SM_FOPT_FLAG, OPT(ci99), NULL, "add the pseudo 99% confidence region", NULL, 0,
	  0 },
	{ "egger-line", SM_FOPT_FLAG, OPT(egger_line), NULL, "draw the Egger regression line",
	  NULL, 0, 0 },
	{ "no-trimfill", SM_FOPT_UNFLAG, OPT(trimfill), NULL, "leave out the trim-and-fill studies",
	  NULL, 0, 0 },
	{ "no-outlier-labels", SM_FOPT_UNFLAG, OPT(label_outliers), NULL,
	  "do not label studies beyond the outlier bound", NULL, 0, 0 },
	{ "group-by", SM_FOPT_STRING, OPT(group_by), "FIELD",
	  "colour and shape points by a study field:\ngroup, event, study_id, label or year",
	  NULL, 0, 0 },
};

const struct sm_figure_kind sm_figure_funnel = {
	.name = "funnel",
	.summary = "funnel plot of an analysis, or small multiples of all of them",
	.positional = "analysis",
	.opts = funnel_opts,
	.nopts = sizeof funnel_opts / sizeof funnel_opts[0],
	.opts_size = sizeof(struct sm_funnel_options),
	.opts_init = options_init,
	.layout = layout,
	.plan = plan,
	.cost = cost,
};
