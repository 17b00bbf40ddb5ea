#include "sm_forest.h"

#include "sm_canvas.h"
#include "sm_fdraw.h"
#include "sm_fonts.h"
#include "sm_fplot.h"
#include "sm_style.h"
#include "sm_text.h"

#include <math.h>
#include <stdlib.h>

/* Everything a render needs, released together; a kept forest is one. */
struct sm_forest {
	struct sm_style *style;
	struct sm_fonts *fonts;
	struct sm_text *text;
	struct sm_fplot *plot;
	struct sm_flayout *layout;
};

void sm_forest_opts_init(struct sm_forest_opts *opts)
{
	*opts = (struct sm_forest_opts){ .dpi = 300, .show_method_line = 1 };
}

static void env_release(struct sm_forest *e)
{
	sm_flayout_free(e->layout);
	sm_fplot_free(e->plot);
	sm_text_free(e->text);
	sm_fonts_free(e->fonts);
	sm_style_free(e->style);
}

/* The style's fonts must all be among the bundled files. */
static sm_status require_fonts(struct sm_ctx *ctx, struct sm_forest *e)
{
	const struct sm_style *st = e->style;
	static const int faces[][2] = { { 0, 0 }, { 1, 0 }, { 0, 1 } };
	for (int i = 0; i < 3; i++) {
		sm_status s = sm_fonts_require(ctx, e->fonts, st->family, faces[i][0],
					       faces[i][1]);
		if (s != SM_OK)
			return s;
	}
	return sm_fonts_require(ctx, e->fonts, st->fallback, 0, 0);
}

/* The canvas's limit on a PNG side (cairo's largest image). */

/* Where a PNG goes, to refuse one too tall before laying it out. */
struct png_req {
	const char *path;
	double dpi;
};

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
static sm_status png_fits(struct sm_ctx *ctx, const struct sm_forest *e, double width,
			  const struct png_req *png)
{
	if (!(png->dpi >= 10 && png->dpi <= 2400))
		return SM_OK;
	long h = sm_canvas_px(min_height(e->plot, e->style), png->dpi);
	if (h <= SM_PNG_MAX_PX)
		return SM_OK;
	return SM_FAIL_POS(ctx, SM_EINPUT, png->path, 0, 0, NULL,
			   "PNG of %ld x at least %ld px at %g dpi is too large; expected at "
			   "most %d px a side (use PDF for long plots or a lower --dpi)",
			   sm_canvas_px(width, png->dpi), h, png->dpi, SM_PNG_MAX_PX);
}

static sm_status prepare(struct sm_ctx *ctx, struct sm_forest *e, const cJSON *results,
			 const struct sm_forest_opts *opts, int paginate,
			 const struct png_req *png)
{
	if (!(e->style = sm_style_load(ctx, opts->style)))
		return SM_EINPUT;
	if (paginate > 0 && opts->page_height > 0)
		e->style->page_height = opts->page_height;
	struct sm_flayout_req lr = { e->style->width, paginate, opts->wrap_labels,
				     opts->show_method_line };
	if (opts->width ? sm_style_width(ctx, opts->width, 40, &lr.width) != SM_OK
			: sm_style_width_check(ctx, lr.width, 40) != SM_OK)
		return SM_EINPUT;
	if (!(e->fonts = sm_fonts_new_home(ctx)))
		return SM_EINPUT;
	sm_status s = require_fonts(ctx, e);
	if (s != SM_OK)
		return s;
	if (!(e->text = sm_text_new(ctx, e->fonts)))
		return SM_EINTERNAL;
	struct sm_fplot_req req = { opts->analysis, opts->sort, opts->columns,
				    opts->summary_only, opts->title, opts->rob };
	if (!(e->plot = sm_fplot_build(ctx, results, &req, e->style)))
		return SM_EINPUT;
	if (png && (s = png_fits(ctx, e, lr.width, png)) != SM_OK)
		return s;
	if (!(e->layout = sm_flayout_build(ctx, e->text, e->plot, e->style, &lr)))
		return SM_EINPUT;
	return SM_OK;
}

sm_status sm_forest_layout(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_forest_opts *opts, int paginate,
			   struct sm_flayout **out)
{
	struct sm_forest e = { 0 };
	*out = NULL;
	sm_status s = prepare(ctx, &e, results, opts, paginate, NULL);
	if (s == SM_OK) {
		*out = e.layout;
		e.layout = NULL;
	}
	env_release(&e);
	return s;
}

static sm_status draw(struct sm_ctx *ctx, struct sm_forest *e, const char *out_path, double dpi)
{
	const struct sm_flayout *l = e->layout;
	struct sm_canvas *c = sm_canvas_open(ctx, out_path, l->width, l->height, dpi);
	if (!c)
		return sm_ctx_error(ctx) ? sm_ctx_error(ctx)->code : SM_EOUTPUT;
	for (int page = 0; page < l->npages; page++) {
		if (page > 0 && sm_canvas_next_page(ctx, c) != SM_OK) {
			sm_canvas_abort(c);
			return SM_EINTERNAL;
		}
		sm_canvas_paint_white(c); /* opaque like the PNG, and faster */
		sm_fdraw_page(e->text, sm_canvas_cr(c), l, e->style, page);
	}
	return sm_canvas_close(ctx, c);
}

sm_status sm_forest_render(struct sm_ctx *ctx, const cJSON *results,
			   const struct sm_forest_opts *opts, const char *out_path)
{
	enum sm_canvas_format fmt;
	sm_status s = sm_canvas_format_of(ctx, out_path, &fmt);
	if (s != SM_OK)
		return s;
	struct sm_forest e = { 0 };
	struct png_req png = { out_path, opts->dpi > 0 ? opts->dpi : 300 };
	s = prepare(ctx, &e, results, opts, fmt == SM_CANVAS_PDF,
		    fmt == SM_CANVAS_PNG ? &png : NULL);
	if (s == SM_OK)
		s = draw(ctx, &e, out_path, png.dpi);
	env_release(&e);
	return s;
}

struct sm_forest *sm_forest_new(struct sm_ctx *ctx, const cJSON *results,
				const struct sm_forest_opts *opts, double page_height)
{
	struct sm_forest *f = calloc(1, sizeof *f);
	if (!f) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	struct sm_forest_opts o = *opts;
	o.page_height = page_height;
	if (prepare(ctx, f, results, &o, page_height > 0, NULL) != SM_OK) {
		sm_forest_free(f);
		return NULL;
	}
	return f;
}

void sm_forest_free(struct sm_forest *f)
{
	if (!f)
		return;
	env_release(f);
	free(f);
}

const struct sm_flayout *sm_forest_get_layout(const struct sm_forest *f)
{
	return f->layout;
}

sm_status sm_forest_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			    const struct sm_forest *f, int page, double x, double y)
{
	if (page < 0 || page >= f->layout->npages)
		return SM_FAIL(ctx, SM_EINTERNAL, "forest page %d does not exist", page);
	cairo_t *cr = sm_canvas_cr(c);
	cairo_save(cr);
	cairo_translate(cr, x, y);
	sm_fdraw_page(f->text, cr, f->layout, f->style, page);
	cairo_restore(cr);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot draw the forest plot: %s",
			       cairo_status_to_string(cairo_status(cr)));
	return SM_OK;
}
