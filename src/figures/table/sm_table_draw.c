/* Drawing a laid-out table: booktabs-style rules, wrapped cells, the header
 * row on every page. */
#include "sm_table.h"

#include "sm_canvas.h"
#include "sm_fonts.h"
#include "sm_style.h"
#include "sm_table_layout.h"
#include "sm_text.h"

#include <stdlib.h>

void sm_table_opts_init(struct sm_table_opts *opts)
{
	*opts = (struct sm_table_opts){ .dpi = 300 };
}

static void colour(cairo_t *cr, struct sm_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static void rule(cairo_t *cr, const struct sm_table_layout *l, double y, double lw)
{
	cairo_set_line_width(cr, lw);
	cairo_move_to(cr, l->margin, y);
	cairo_line_to(cr, l->margin + l->table_w, y);
	cairo_stroke(cr);
}

static void draw_cells(struct sm_text *text, cairo_t *cr, const struct sm_table_layout *l,
		       const struct sm_table *t, long row, double y)
{
	for (size_t c = 0; c < t->ncols; c++) {
		struct sm_tstyle ts = row < 0 ? l->head : l->body;
		ts.wrap = l->col_w[c];
		ts.align = t->align[c];
		const char *s = row < 0 ? t->headers[c] : sm_table_cell(t, (size_t)row, c);
		if (*s)
			sm_text_draw(text, cr, &ts, s, l->col_x[c], y + l->pad);
	}
}

static void draw_page(struct sm_text *text, cairo_t *cr, const struct sm_table_layout *l,
		      const struct sm_table *t, const struct sm_style *st, int page)
{
	cairo_save(cr);
	colour(cr, st->c_text);
	if (page == 0 && l->title_h > 0) {
		struct sm_tstyle ts = l->title;
		ts.wrap = l->table_w;
		sm_text_draw(text, cr, &ts, t->title, l->margin, l->margin);
	}
	double y = sm_table_layout_head_y(l, page);
	int any = 0;
	double end = y + l->head_h;
	for (size_t r = 0; r < t->nrows; r++)
		if (l->row_page[r] == page) {
			any = 1;
			end = l->row_y[r] + l->row_h[r];
		}
	if (any || t->nrows == 0 || page == 0) {
		colour(cr, st->c_rule);
		rule(cr, l, y, st->lw_rule * 2);
		rule(cr, l, y + l->head_h, st->lw_rule);
		rule(cr, l, end, st->lw_rule * 2);
		colour(cr, st->c_text);
		draw_cells(text, cr, l, t, -1, y);
	}
	for (size_t r = 0; r < t->nrows; r++)
		if (l->row_page[r] == page)
			draw_cells(text, cr, l, t, (long)r, l->row_y[r]);
	if (page == l->foot_page && l->foot_h > 0) {
		struct sm_tstyle ts = l->foot;
		ts.wrap = l->table_w;
		colour(cr, st->c_muted);
		sm_text_draw(text, cr, &ts, t->footnote, l->margin, l->foot_y);
	}
	cairo_restore(cr);
}

struct env {
	struct sm_style *style;
	struct sm_fonts *fonts;
	struct sm_text *text;
	struct sm_table_layout *layout;
};

static void env_release(struct env *e)
{
	sm_table_layout_free(e->layout);
	sm_text_free(e->text);
	sm_fonts_free(e->fonts);
	sm_style_free(e->style);
}

/* page_h < 0: the style's page height; width > 0 overrides the options
 * (0: the options' or, for a bare table, the style's width); a bare table
 * (one kept for a report page) has no page margin. */
static sm_status prepare(struct sm_ctx *ctx, struct env *e, const struct sm_table *t,
			 const struct sm_table_opts *o, double width, double page_h, int bare)
{
	if (!(e->style = sm_style_load(ctx, o->style)))
		return SM_EINPUT;
	if (bare)
		e->style->margin = 0;
	if (width <= 0) {
		width = e->style->width;
		if (!bare && o->width && sm_style_width(ctx, o->width, 40, &width) != SM_OK)
			return SM_EINPUT;
	}
	if (!(e->fonts = sm_fonts_new_home(ctx)))
		return SM_EINPUT;
	sm_status s = sm_fonts_require(ctx, e->fonts, e->style->family, 0, 0);
	if (s == SM_OK)
		s = sm_fonts_require(ctx, e->fonts, e->style->family, 1, 0);
	if (s != SM_OK)
		return s;
	if (!(e->text = sm_text_new(ctx, e->fonts)))
		return SM_EINTERNAL;
	return sm_table_layout_build(ctx, e->text, t, e->style, width, o->font_size,
				     page_h < 0 ? e->style->page_height : page_h, &e->layout);
}

sm_status sm_table_render(struct sm_ctx *ctx, const struct sm_table *t,
			  const struct sm_table_opts *opts, const char *out_path)
{
	enum sm_canvas_format fmt;
	sm_status s = sm_canvas_format_of(ctx, out_path, &fmt);
	if (s != SM_OK)
		return s;
	struct env e = { 0 };
	s = prepare(ctx, &e, t, opts, 0, fmt == SM_CANVAS_PDF ? -1 : 0, 0);
	struct sm_canvas *c = NULL;
	if (s == SM_OK) {
		const struct sm_table_layout *l = e.layout;
		c = sm_canvas_open(ctx, out_path, l->page_w, l->page_h,
				   opts->dpi > 0 ? opts->dpi : 300);
		if (!c)
			s = sm_ctx_error(ctx) ? sm_ctx_error(ctx)->code : SM_EOUTPUT;
	}
	for (int page = 0; s == SM_OK && page < e.layout->npages; page++) {
		if (page > 0)
			s = sm_canvas_next_page(ctx, c);
		if (s == SM_OK)
			draw_page(e.text, sm_canvas_cr(c), e.layout, t, e.style, page);
	}
	if (c)
		s = s == SM_OK ? sm_canvas_close(ctx, c) : (sm_canvas_abort(c), s);
	env_release(&e);
	return s;
}

struct sm_table_fig {
	struct env env;
	const struct sm_table *table;
};

struct sm_table_fig *sm_table_fig_new(struct sm_ctx *ctx, const struct sm_table *t,
				      const struct sm_table_opts *opts, double width,
				      double page_h)
{
	struct sm_table_fig *tf = calloc(1, sizeof *tf);
	if (!tf) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	tf->table = t;
	if (prepare(ctx, &tf->env, t, opts, width, page_h > 0 ? page_h : 0, 1) != SM_OK) {
		sm_table_fig_free(tf);
		return NULL;
	}
	return tf;
}

void sm_table_fig_free(struct sm_table_fig *tf)
{
	if (!tf)
		return;
	env_release(&tf->env);
	free(tf);
}

int sm_table_fig_pages(const struct sm_table_fig *tf)
{
	return tf->env.layout->npages;
}

double sm_table_fig_width(const struct sm_table_fig *tf)
{
	return tf->env.layout->table_w;
}

double sm_table_fig_height(const struct sm_table_fig *tf, int page)
{
	const struct sm_table_layout *l = tf->env.layout;
	double end = sm_table_layout_head_y(l, page) + l->head_h;
	for (size_t r = 0; r < l->nrows; r++)
		if (l->row_page[r] == page)
			end = l->row_y[r] + l->row_h[r];
	if (page == l->foot_page && l->foot_h > 0)
		end = l->foot_y + l->foot_h;
	return end;
}

sm_status sm_table_fig_draw_on(struct sm_ctx *ctx, struct sm_canvas *c,
			       const struct sm_table_fig *tf, int page, double x, double y)
{
	if (page < 0 || page >= tf->env.layout->npages)
		return SM_FAIL(ctx, SM_EINTERNAL, "table page %d does not exist", page);
	cairo_t *cr = sm_canvas_cr(c);
	cairo_save(cr);
	cairo_translate(cr, x, y);
	draw_page(tf->env.text, cr, tf->env.layout, tf->table, tf->env.style, page);
	cairo_restore(cr);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot draw the table: %s",
			       cairo_status_to_string(cairo_status(cr)));
	return SM_OK;
}
