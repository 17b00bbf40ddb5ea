/* sm_forest.c -- laying a forest out from the typed results: the figure,
 * its style and width, the rows, the layout (sm_forest.h). */
#include "sm_forest.h"

#include "sm_buf.h"
#include "sm_faxis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sm_forest_options_init(void *opts)
{
	struct sm_forest_options *o = opts;
	*o = (struct sm_forest_options){ .common = { .dpi = 300 }, .show_method_line = 1 };
}

/* A forest is at least as tall as its graph rows at the smallest font the
 * layout may choose (headings, notes and gaps add to that). */
static double min_height(const struct sm_fplot *p, const struct sm_style *st)
{
	double pitch = fmin(st->size, st->min_size) * st->row_height, h = 2 * st->margin;
	for (size_t i = 0; i < p->nrows; i++) {
		const struct sm_frow *r = &p->rows[i];
		if (!r->trailing && r->kind != SM_ROW_HEADING && r->kind != SM_ROW_NOTE &&
		    r->kind != SM_ROW_GAP)
			h += pitch;
	}
	return h;
}

/* Refuse a PNG that must be too tall before laying it out, which is most
 * of the time a failed render of 10,000 rows would take; the canvas checks
 * the exact size of the others. */
static sm_status png_fits(struct sm_ctx *ctx, const struct sm_fplot *p,
			  const struct sm_style *st, double width,
			  const struct sm_forest_target *t)
{
	double dpi = t->png_dpi;
	if (!(dpi >= 10 && dpi <= 2400))
		return SM_OK;
	long h = sm_canvas_px(min_height(p, st), dpi);
	if (h <= SM_PNG_MAX_PX)
		return SM_OK;
	return SM_FAIL_POS(ctx, SM_EINPUT, t->path, 0, 0, NULL,
			   "PNG of %ld x at least %ld px at %g dpi is too large; expected at "
			   "most %d px a side (use PDF for long plots or a lower --dpi)",
			   sm_canvas_px(width, dpi), h, dpi, SM_PNG_MAX_PX);
}

/* The forest sets its text in the style's family with the fallback named
 * after it (glyphs the main font lacks, Greek and math, come from it).
 * Texts keep a pointer to their family, and the figure owns its style, so
 * the list lives there as the style's family. */
static sm_status family_with_fallback(struct sm_ctx *ctx, struct sm_fig *f)
{
	char *both = sm_asprintf("%s, %s", f->style->family, f->style->fallback);
	if (!both)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(f->style->family);
	f->style->family = both;
	return SM_OK;
}

sm_status sm_forest_build(struct sm_ctx *ctx, const struct sm_res *res,
			  const struct sm_forest_options *opts,
			  const struct sm_forest_target *target, struct sm_flayout **out)
{
	*out = NULL;
	struct sm_fig *fig = sm_fig_new(ctx, opts->common.style);
	if (!fig)
		return sm_ctx_status(ctx, SM_EINPUT);
	fig->opaque = 1; /* white like the PNG, and faster (sm_canvas_paint_white) */
	if (target->paginate && target->page_height > 0)
		fig->style->page_height = target->page_height;
	struct sm_faxis_spec axis;
	struct sm_flayout_req lr = { 0, target->paginate, opts->wrap_labels,
				     opts->show_method_line, &axis, target->first_page_height,
				     opts->dense, opts->wide_labels };
	sm_status s = sm_fig_width(ctx, fig, opts->common.width, 40, &lr.width);
	if (s == SM_OK)
		s = family_with_fallback(ctx, fig);
	struct sm_fplot_req req = { opts->common.analysis, (enum sm_forest_sort)opts->sort,
				    opts->columns, opts->summary_only, opts->common.title,
				    opts->rob, opts->scale == 1, (enum sm_forest_per)opts->per,
				    opts->overall_test, opts->compact_notes };
	struct sm_fplot *plot = NULL;
	if (s == SM_OK && !(plot = sm_fplot_build(ctx, res, &req, fig->style)))
		s = sm_ctx_status(ctx, SM_EINPUT);
	if (s == SM_OK)
		s = sm_faxis_parse(ctx, opts->xlim, opts->at,
				   plot->axis == SM_AXIS_RATIO ? SM_FAXIS_RATIO
				   : plot->axis == SM_AXIS_PROP ? SM_FAXIS_PROP : SM_FAXIS_LINEAR,
				   &axis);
	if (s == SM_OK)
		s = png_fits(ctx, plot, fig->style, lr.width, target);
	if (s != SM_OK) {
		sm_fplot_free(plot);
		sm_fig_free(fig);
		return s;
	}
	*out = sm_flayout_build_to(ctx, fig, plot, &lr, target->stream);
	return *out ? SM_OK : sm_ctx_status(ctx, SM_EINPUT);
}
