/* sm_prisma_kind.c -- the prisma figure kind (sm_figure.h): its options
 * described once, the layout, the bundle's figure and its cost. */
#include "sm_prisma.h"

#include "sm_prisma_int.h"

#include <stddef.h>

static void options_init(void *opts)
{
	*(struct sm_prisma_options *)opts = (struct sm_prisma_options){ .common.dpi = 300 };
}

static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	(void)env; /* one page in every format */
	return sm_prisma_lay(ctx, res, opts, out);
}

/* The bundle's PRISMA flow, when the review has PRISMA counts. */
static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	if (!res->review.prisma.present)
		return SM_OK;
	return sm_figure_plan_add(ctx, p, &sm_figure_prisma, "prisma", NULL);
}

static double cost(const struct sm_res *res, const void *opts)
{
	(void)res, (void)opts;
	return 20;
}

const struct sm_figure_kind sm_figure_prisma = {
	.name = "prisma",
	.summary = "PRISMA 2020 flow diagram of the review",
	.positional = NULL,
	.opts = NULL,
	.nopts = 0,
	.opts_size = sizeof(struct sm_prisma_options),
	.opts_init = options_init,
	.layout = layout,
	.plan = plan,
	.cost = cost,
};
