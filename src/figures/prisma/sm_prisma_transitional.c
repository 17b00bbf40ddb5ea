/* sm_prisma_transitional.c -- the PRISMA figure's entry points of before the
 * figure kinds (cJSON results, the old options), as thin wrappers over
 * sm_prisma_lay(): the results are read with sm_res_from_json().
 * transitional: removed when src/report and src/cli use sm_figure_prisma */
#include "sm_prisma.h"

#include "sm_prisma_int.h"

#include <stdlib.h>
#include <string.h>

/* transitional: removed when src/report and src/cli use sm_figure_prisma */
void sm_prisma_opts_init(struct sm_prisma_opts *opts)
{
	*opts = (struct sm_prisma_opts){ .dpi = 300 };
}

/* transitional: removed when src/report and src/cli use sm_figure_prisma */
void sm_prisma_layout_free(struct sm_prisma_layout *l)
{
	if (!l)
		return;
	sm_fig_free(l->fig);
	free(l);
}

/* transitional: removed when src/report and src/cli use sm_figure_prisma */
sm_status sm_prisma_layout(struct sm_ctx *ctx, const struct cJSON *results,
			   const struct sm_prisma_opts *opts, struct sm_prisma_layout **out)
{
	*out = NULL;
	struct sm_prisma_options o = { { NULL, opts->style, opts->width, opts->dpi,
					 opts->title } };
	struct sm_res *res = sm_res_from_json(ctx, "results", results);
	if (!res)
		return SM_EINPUT;
	struct sm_fig *fig = NULL;
	sm_status s = sm_prisma_lay(ctx, res, &o, &fig);
	sm_res_free(res);
	if (s != SM_OK)
		return s;
	if (!(*out = calloc(1, sizeof **out))) {
		sm_fig_free(fig);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	(*out)->fig = fig;
	return SM_OK;
}

/* transitional: removed when src/report and src/cli use sm_figure_prisma */
sm_status sm_prisma_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			    const struct sm_prisma_layout *l, double x, double y)
{
	return sm_fig_draw_on(ctx, c, l->fig, x, y);
}

/* transitional: removed when src/report and src/cli use sm_figure_prisma */
sm_status sm_prisma_render(struct sm_ctx *ctx, const struct cJSON *results,
			   const struct sm_prisma_opts *opts, const char *out_path)
{
	enum sm_canvas_format fmt;
	sm_status s = sm_canvas_format_of(ctx, out_path, &fmt);
	if (s != SM_OK)
		return s;
	struct sm_prisma_layout *l = NULL;
	s = sm_prisma_layout(ctx, results, opts, &l);
	if (s == SM_OK)
		s = sm_fig_write(ctx, l->fig, out_path, opts->dpi);
	sm_prisma_layout_free(l);
	return s;
}
