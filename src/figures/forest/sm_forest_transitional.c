/* sm_forest_transitional.c -- the forest's old entry points (a results
 * cJSON tree in, sm_forest_opts), kept as thin wrappers over the figure
 * kind while src/report and src/cli still call them.
 *
 * transitional: removed when src/report and src/cli use sm_figure_forest */
#include "sm_forest.h"

#include <stdlib.h>

/* transitional: removed when src/report and src/cli use sm_figure_forest */
struct sm_forest {
	struct sm_flayout *layout;
};

/* transitional: removed when src/report and src/cli use sm_figure_forest */
void sm_forest_opts_init(struct sm_forest_opts *opts)
{
	*opts = (struct sm_forest_opts){ .dpi = 300, .show_method_line = 1 };
}

static struct sm_forest_options options_of(const struct sm_forest_opts *o)
{
	struct sm_forest_options n;
	sm_forest_options_init(&n);
	n.common = (struct sm_figure_common){ o->analysis, o->style, o->width, o->dpi, o->title };
	n.sort = (int)o->sort;
	n.columns = o->columns;
	n.summary_only = o->summary_only;
	n.show_method_line = o->show_method_line;
	n.wrap_labels = o->wrap_labels;
	n.rob = o->rob;
	return n;
}

/* The tree read as the typed results, then laid out. */
static sm_status build(struct sm_ctx *ctx, const cJSON *results, const struct sm_forest_opts *o,
		       const struct sm_forest_target *t, struct sm_flayout **out)
{
	*out = NULL;
	struct sm_res *res = sm_res_from_json(ctx, "results", results);
	if (!res) {
		const struct sm_diag *d = sm_ctx_error(ctx);
		return d ? d->code : SM_EINPUT;
	}
	struct sm_forest_options n = options_of(o);
	sm_status s = sm_forest_build(ctx, res, &n, t, out);
	sm_res_free(res);
	return s;
}

/* transitional: removed when src/report and src/cli use sm_figure_forest */
sm_status sm_forest_render(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_forest_opts *opts, const char *out_path)
{
	enum sm_canvas_format fmt;
	sm_status s = sm_canvas_format_of(ctx, out_path, &fmt);
	if (s != SM_OK)
		return s;
	double dpi = opts->dpi > 0 ? opts->dpi : 300;
	struct sm_forest_target t = { fmt == SM_CANVAS_PDF, opts->page_height,
				      fmt == SM_CANVAS_PNG ? dpi : 0, out_path };
	struct sm_flayout *l = NULL;
	s = build(ctx, results, opts, &t, &l);
	if (s == SM_OK)
		s = sm_fig_write(ctx, l->fig, out_path, dpi);
	sm_flayout_free(l);
	return s;
}

/* transitional: removed when src/report and src/cli use sm_figure_forest */
sm_status sm_forest_layout(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_forest_opts *opts, int paginate,
			   struct sm_flayout **out)
{
	struct sm_forest_target t = { paginate, opts->page_height, 0, NULL };
	return build(ctx, results, opts, &t, out);
}

/* transitional: removed when src/report and src/cli use sm_figure_forest */
struct sm_forest *sm_forest_new(struct sm_ctx *ctx, const cJSON *results,
				const struct sm_forest_opts *opts, double page_height)
{
	struct sm_forest *f = calloc(1, sizeof *f);
	if (!f) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	struct sm_forest_target t = { page_height > 0, page_height, 0, NULL };
	if (build(ctx, results, opts, &t, &f->layout) != SM_OK) {
		sm_forest_free(f);
		return NULL;
	}
	return f;
}

/* transitional: removed when src/report and src/cli use sm_figure_forest */
void sm_forest_free(struct sm_forest *f)
{
	if (!f)
		return;
	sm_flayout_free(f->layout);
	free(f);
}

/* transitional: removed when src/report and src/cli use sm_figure_forest */
const struct sm_flayout *sm_forest_get_layout(const struct sm_forest *f)
{
	return f->layout;
}

/* transitional: removed when src/report and src/cli use sm_figure_forest */
sm_status sm_forest_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			    const struct sm_forest *f, int page, double x, double y)
{
	if (page < 0 || page >= f->layout->npages)
		return SM_FAIL(ctx, SM_EINTERNAL, "forest page %d does not exist", page);
	cairo_t *cr = sm_canvas_cr(c);
	sm_fig_draw(f->layout->fig, cr, page, x, y);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot draw the forest plot: %s",
			       cairo_status_to_string(cairo_status(cr)));
	return SM_OK;
}
