/* sm_funnel_transitional.c -- the funnel's entry points of before the
 * figure kinds (cJSON results, the old options), as thin wrappers over
 * sm_funnel_lay(): the results are read with sm_res_from_json().
 * transitional: removed when src/report and src/cli use sm_figure_funnel */
#include "sm_funnel.h"

#include "sm_funnel_int.h"

#include <stdlib.h>
#include <string.h>

/* transitional: removed when src/report and src/cli use sm_figure_funnel */
void sm_funnel_opts_init(struct sm_funnel_opts *opts)
{
	*opts = (struct sm_funnel_opts){ .dpi = 300, .trimfill = 1, .label_outliers = 1 };
}

/* transitional: removed when src/report and src/cli use sm_figure_funnel */
sm_status sm_funnel_y_parse(struct sm_ctx *ctx, const char *text, enum sm_funnel_y *y)
{
	for (int i = 0; sm_funnel_y_choices[i]; i++)
		if (!strcmp(text, sm_funnel_y_choices[i])) {
			*y = (enum sm_funnel_y)i;
			return SM_OK;
		}
	return SM_FAIL(ctx, SM_EINPUT, "unknown funnel y axis '%s'; expected se, precision or n",
		       text);
}

/* transitional: removed when src/report and src/cli use sm_figure_funnel */
void sm_funnel_layout_free(struct sm_funnel_layout *l)
{
	if (!l)
		return;
	sm_fig_free(l->fig);
	free(l);
}

/* transitional: removed when src/report and src/cli use sm_figure_funnel */
sm_status sm_funnel_layout(struct sm_ctx *ctx, const struct cJSON *results,
			   const struct sm_funnel_opts *opts, struct sm_funnel_layout **out)
{
	*out = NULL;
	struct sm_funnel_options o = {
		.common = { opts->analysis, opts->style, opts->width, opts->dpi, opts->title },
		.y = (int)opts->y, .contours = opts->contours, .ci99 = opts->ci99,
		.egger_line = opts->egger_line, .trimfill = opts->trimfill,
		.label_outliers = opts->label_outliers, .group_by = opts->group_by,
	};
	struct sm_res *res = sm_res_from_json(ctx, "results", results);
	if (!res)
		return SM_EINPUT;
	struct sm_fig *fig = NULL;
	sm_status s = sm_funnel_lay(ctx, res, &o, &fig);
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

/* transitional: removed when src/report and src/cli use sm_figure_funnel */
sm_status sm_funnel_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			    const struct sm_funnel_layout *l, double x, double y)
{
	return sm_fig_draw_on(ctx, c, l->fig, x, y);
}

/* transitional: removed when src/report and src/cli use sm_figure_funnel */
sm_status sm_funnel_render(struct sm_ctx *ctx, const struct cJSON *results,
			   const struct sm_funnel_opts *opts, const char *out_path)
{
	enum sm_canvas_format fmt;
	sm_status s = sm_canvas_format_of(ctx, out_path, &fmt);
	if (s != SM_OK)
		return s;
	struct sm_funnel_layout *l = NULL;
	s = sm_funnel_layout(ctx, results, opts, &l);
	if (s == SM_OK)
		s = sm_fig_write(ctx, l->fig, out_path, opts->dpi);
	sm_funnel_layout_free(l);
	return s;
}
