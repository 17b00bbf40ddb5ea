/* sm_rob_transitional.c -- the RoB figure's entry points of before the
 * figure kinds (cJSON results, the old options), as thin wrappers over
 * sm_rob_lay(): the results are read with sm_res_from_json().
 * transitional: removed when src/report and src/cli use sm_figure_rob */
#include "sm_rob.h"

#include "sm_rob_int.h"

#include <stdlib.h>
#include <string.h>

/* transitional: removed when src/report and src/cli use sm_figure_rob */
sm_status sm_rob_plot_parse(struct sm_ctx *ctx, const char *text, enum sm_rob_plot *plot)
{
	for (int i = 0; sm_rob_plot_choices[i]; i++)
		if (!strcmp(text, sm_rob_plot_choices[i])) {
			*plot = (enum sm_rob_plot)i;
			return SM_OK;
		}
	return SM_FAIL(ctx, SM_EINPUT, "unknown risk-of-bias plot '%s'; expected both, traffic "
		       "or summary", text);
}

/* transitional: removed when src/report and src/cli use sm_figure_rob */
void sm_rob_opts_init(struct sm_rob_opts *opts)
{
	*opts = (struct sm_rob_opts){ .dpi = 300, .overall = 1 };
}

/* transitional: removed when src/report and src/cli use sm_figure_rob */
void sm_rob_layout_free(struct sm_rob_layout *l)
{
	if (!l)
		return;
	sm_fig_free(l->fig);
	free(l);
}

/* transitional: removed when src/report and src/cli use sm_figure_rob */
sm_status sm_rob_layout(struct sm_ctx *ctx, const struct cJSON *results,
			const struct sm_rob_opts *opts, struct sm_rob_layout **out)
{
	*out = NULL;
	struct sm_rob_options o = {
		.common = { NULL, opts->style, opts->width, opts->dpi, opts->title },
		.plot = (int)opts->plot, .weighted = opts->weighted, .overall = opts->overall,
	};
	struct sm_res *res = sm_res_from_json(ctx, "results", results);
	if (!res)
		return SM_EINPUT;
	struct sm_fig *fig = NULL;
	sm_status s = sm_rob_lay(ctx, res, &o, &fig);
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

/* transitional: removed when src/report and src/cli use sm_figure_rob */
sm_status sm_rob_draw_on(struct sm_ctx *ctx, struct sm_canvas *c, const struct sm_rob_layout *l,
			 double x, double y)
{
	return sm_fig_draw_on(ctx, c, l->fig, x, y);
}

/* transitional: removed when src/report and src/cli use sm_figure_rob */
sm_status sm_rob_render(struct sm_ctx *ctx, const struct cJSON *results,
			const struct sm_rob_opts *opts, const char *out_path)
{
	enum sm_canvas_format fmt;
	sm_status s = sm_canvas_format_of(ctx, out_path, &fmt);
	if (s != SM_OK)
		return s;
	struct sm_rob_layout *l = NULL;
	s = sm_rob_layout(ctx, results, opts, &l);
	if (s == SM_OK)
		s = sm_fig_write(ctx, l->fig, out_path, opts->dpi);
	sm_rob_layout_free(l);
	return s;
}
