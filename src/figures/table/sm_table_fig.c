/* A laid-out table as a display list: booktabs-style rules, wrapped cells,
 * the header row on every page; and the table figure kind. */
#include "sm_table.h"

#include "sm_table_int.h"
#include "sm_table_layout.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static sm_status put(struct sm_ctx *ctx, struct sm_fig *f, struct sm_tstyle ts, double wrap,
		     const char *s, double x, double y, struct sm_rgb colour, int tag, int ref,
		     struct sm_fig_text **out)
{
	ts.wrap = wrap;
	return sm_fig_put_text(ctx, f, &ts, s, x, y, colour, tag, ref, out);
}

static sm_status rule(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_table_layout *l,
		      double y, double lw, int tag, int page)
{
	struct sm_fig_item *it = sm_fig_add(ctx, f, SM_FIG_LINE);
	if (!it)
		return SM_EINTERNAL;
	it->x0 = l->table_x;
	it->x1 = l->table_x + l->table_w;
	it->y0 = it->y1 = y;
	it->lw = lw;
	it->sc = f->style->c_rule;
	it->tag = tag;
	it->ref = page;
	return SM_OK;
}

/* One row's non-empty cells (row < 0: the header) with their tops at y. */
static sm_status cells(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_table_layout *l,
		       const struct sm_table *t, long row, double y)
{
	sm_status s = SM_OK;
	for (size_t c = 0; s == SM_OK && c < t->ncols; c++) {
		struct sm_tstyle ts = row < 0 ? l->head : l->body;
		ts.align = t->align[c];
		const char *text = row < 0 ? t->headers[c] : sm_table_cell(t, (size_t)row, c);
		int ref = (int)(row < 0 ? c : (size_t)row * t->ncols + c);
		if (*text)
			s = put(ctx, f, ts, l->col_w[c], text, l->col_x[c], y + l->pad,
				f->style->c_text, row < 0 ? SM_TT_HEAD : SM_TT_CELL, ref, NULL);
	}
	return s;
}

/* The page's rules and header row; its rows are [from, to). */
static sm_status header(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_table_layout *l,
			const struct sm_table *t, int page, size_t from, size_t to)
{
	const struct sm_style *st = f->style;
	double y = sm_table_layout_head_y(l, page);
	double end = to > from ? l->row_y[to - 1] + l->row_h[to - 1] : y + l->head_h;
	sm_status s = rule(ctx, f, l, y, st->lw_rule * 2, SM_TT_RULE_TOP, page);
	if (s == SM_OK)
		s = rule(ctx, f, l, y + l->head_h, st->lw_rule, SM_TT_RULE_HEAD, page);
	if (s == SM_OK)
		s = rule(ctx, f, l, end, st->lw_rule * 2, SM_TT_RULE_BOTTOM, page);
	return s == SM_OK ? cells(ctx, f, l, t, -1, y) : s;
}

/* Page by page in the order tables were always painted: the title (page
 * 0, before the rules), the rules, the header row, the rows, the
 * footnote.  Rows are in page order, so one pass over them does. */
static sm_status fill(struct sm_ctx *ctx, struct sm_fig *f, const struct sm_table_layout *l,
		      const struct sm_table *t)
{
	sm_status s = SM_OK;
	size_t r = 0;
	for (int page = 0; s == SM_OK && page < l->npages; page++) {
		sm_fig_set_page(f, page);
		if (page == 0 && l->title_h > 0) {
			struct sm_fig_text *tt = NULL;
			s = put(ctx, f, l->title, l->text_w, t->title, l->margin, l->margin,
				f->style->c_text, SM_TT_TITLE, 0, &tt);
			if (s == SM_OK)
				tt->before_items = 1;
		}
		size_t from = r;
		while (r < l->nrows && l->row_page[r] == page)
			r++;
		if (s == SM_OK && (r > from || l->nrows == 0 || page == 0))
			s = header(ctx, f, l, t, page, from, r);
		for (size_t i = from; s == SM_OK && i < r; i++)
			s = cells(ctx, f, l, t, (long)i, l->row_y[i]);
		if (s == SM_OK && page == l->foot_page && l->foot_h > 0)
			s = put(ctx, f, l->foot, l->text_w, t->footnote, l->margin, l->foot_y,
				f->style->c_muted, SM_TT_FOOT, 0, NULL);
	}
	return s;
}

/* The width to lay out at: exact, the options' or the style's (a style's
 * own width is taken as it is, as tables always did). */
static sm_status req_width(struct sm_ctx *ctx, const struct sm_fig *f,
			   const struct sm_table_req *req, double *width)
{
	if (req->width_pt > 0) {
		*width = req->width_pt;
		return SM_OK;
	}
	*width = f->style->width;
	return req->width && !req->bare ? sm_style_width(ctx, req->width, 40, width) : SM_OK;
}

struct sm_fig *sm_table_measurer(struct sm_ctx *ctx, const char *style)
{
	return sm_fig_new(ctx, style);
}

sm_status sm_table_lay_out(struct sm_ctx *ctx, const struct sm_table *t,
			   const struct sm_table_req *req, struct sm_fig **fig,
			   struct sm_table_layout **geometry)
{
	*fig = NULL;
	if (geometry)
		*geometry = NULL;
	struct sm_fig *f = req->into ? req->into : sm_fig_new(ctx, req->style);
	if (!f)
		return sm_ctx_status(ctx, SM_EINPUT);
	int only = req->into && req->measure_only;
	if (req->bare)
		f->style->margin = 0;
	double width = 0;
	struct sm_table_layout *l = NULL;
	sm_status s = req_width(ctx, f, req, &width);
	struct sm_table_geom geom = {
		.width = width, .font_size = req->font_size,
		.page_h = req->page_h < 0 ? f->style->page_height : req->page_h,
		.first_h = req->first_page_h, .fit_width = req->fit_width,
		.min_size = req->min_size,
		/* a bare table with notes is as wide as they are, centred under them */
		.centre = req->bare && (t->title || t->footnote)
	};
	if (s == SM_OK)
		s = sm_table_layout_build(ctx, f->text, t, f->style, &geom, &l);
	if (s == SM_OK) {
		/* a bare table (a report page) is as wide as it is, so that the
		 * page centres the table and not the room it was given; with a
		 * title or footnote as wide as those, the table centred under
		 * them */
		f->width = !req->bare ? l->page_w : geom.centre ? l->text_w : l->table_w;
		f->height = l->page_h;
		if (!only)
			s = fill(ctx, f, l, t);
	}
	if (s == SM_OK && !only) {
		sm_fig_set_page(f, l->npages - 1);
		s = sm_fig_finish(ctx, f);
	}
	for (int p = 0; s == SM_OK && !only && p < l->npages; p++)
		s = sm_fig_set_page_used(ctx, f, p, sm_table_layout_used(l, p));
	if (s != SM_OK) {
		sm_table_layout_free(l);
		if (!req->into)
			sm_fig_free(f);
		return s;
	}
	*fig = only ? NULL : f;
	if (geometry)
		*geometry = l;
	else
		sm_table_layout_free(l);
	return SM_OK;
}

/* ---- the figure kind ---------------------------------------------------- */

static const struct sm_fopt table_opts[] = {
	{ "table", SM_FOPT_STRING, offsetof(struct sm_table_fopts, table), "NAME",
	  "domains | characteristics | sensitivity | rare_events | sof | check\n"
	  "| a review table id", NULL, 0, 0 },
};

static void kind_opts_init(void *opts)
{
	*(struct sm_table_fopts *)opts = (struct sm_table_fopts){ .common = { .dpi = 300 } };
}

/* The title option: NULL keeps the table's own, "" drops it, anything
 * else replaces it. */
static sm_status retitle(struct sm_ctx *ctx, struct sm_table *t, const char *title)
{
	if (!title)
		return SM_OK;
	char *copy = *title ? strdup(title) : NULL;
	if (*title && !copy)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(t->title);
	t->title = copy;
	return SM_OK;
}

static sm_status kind_layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			     const struct sm_figure_env *env, struct sm_fig **out)
{
	const struct sm_table_fopts *o = opts;
	*out = NULL;
	struct sm_table *t = o->table ? sm_table_from_res(ctx, res, o->table) : NULL;
	if (!o->table)
		return sm_table_unknown(ctx, res, NULL);
	if (!t)
		return sm_ctx_status(ctx, SM_EINPUT);
	struct sm_table_req req = { .style = o->common.style, .width = o->common.width };
	if (env->max_width > 0) {
		req.bare = 1;
		req.width_pt = env->max_width;
	}
	if (env->format == SM_CANVAS_PDF) {
		req.page_h = env->page_height > 0 ? env->page_height : -1;
		req.first_page_h = env->first_page_height;
	}
	sm_status s = retitle(ctx, t, o->common.title);
	if (s == SM_OK)
		s = sm_table_lay_out(ctx, t, &req, out, NULL);
	sm_table_free(t);
	return s;
}

/* Rows of the named table, without building it. */
static size_t table_rows(const struct sm_res *res, const char *name)
{
	if (!name)
		return 0;
	if (!strcmp(name, "domains"))
		return res->domain_table.rows.n;
	if (!strcmp(name, "characteristics"))
		return res->review.studies.n;
	for (size_t i = 0; i < res->review.tables.n; i++)
		if (res->review.tables.v[i].id && !strcmp(res->review.tables.v[i].id, name))
			return res->review.tables.v[i].rows.n;
	return 0;
}

/* A table is quick to draw: a few ms, and some more for a long one. */
static double kind_cost(const struct sm_res *res, const void *opts)
{
	const struct sm_table_fopts *o = opts;
	return 5 + 0.1 * (double)table_rows(res, o->table);
}

const struct sm_figure_kind sm_figure_table = {
	.name = "table",
	.summary = "a table of the results: the safety domains, the study characteristics "
		   "or one of the review's own tables",
	.positional = "table",
	.paged = 1,
	.opts = table_opts,
	.nopts = sizeof table_opts / sizeof table_opts[0],
	.opts_size = sizeof(struct sm_table_fopts),
	.opts_init = kind_opts_init,
	.layout = kind_layout,
	.plan = NULL,
	.cost = kind_cost,
};
