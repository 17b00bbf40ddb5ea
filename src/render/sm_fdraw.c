#include "sm_fdraw.h"

#include "sm_rob_int.h"

#include <math.h>

static void colour(cairo_t *cr, struct sm_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static void hline(cairo_t *cr, double x0, double x1, double y, double lw)
{
	cairo_set_line_width(cr, lw);
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x1, y);
	cairo_stroke(cr);
}

static void vline(cairo_t *cr, double x, double y0, double y1, double lw)
{
	cairo_set_line_width(cr, lw);
	cairo_move_to(cr, x, y0);
	cairo_line_to(cr, x, y1);
	cairo_stroke(cr);
}

/* A filled arrow head with its tip at (x, y), pointing left (dir -1) or
 * right (+1). */
static void arrow(cairo_t *cr, double x, double y, int dir, double len)
{
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x - dir * len, y - len * 0.5);
	cairo_line_to(cr, x - dir * len, y + len * 0.5);
	cairo_close_path(cr);
	cairo_fill(cr);
}

static void interval(cairo_t *cr, const struct sm_fmark *m, double lw, double cap)
{
	double alen = 3 * lw + 2;
	double x0 = m->x0 + (m->arrow_lo ? alen * 0.8 : 0);
	double x1 = m->x1 - (m->arrow_hi ? alen * 0.8 : 0);
	hline(cr, x0, x1, m->cy, lw);
	if (m->arrow_lo)
		arrow(cr, m->x0, m->cy, -1, alen);
	if (m->arrow_hi)
		arrow(cr, m->x1, m->cy, 1, alen);
	if (cap > 0 && !m->arrow_lo)
		vline(cr, m->x0, m->cy - cap / 2, m->cy + cap / 2, lw * 0.6);
	if (cap > 0 && !m->arrow_hi)
		vline(cr, m->x1, m->cy - cap / 2, m->cy + cap / 2, lw * 0.6);
}

static void diamond(cairo_t *cr, const struct sm_fmark *m, const struct sm_style *st)
{
	cairo_move_to(cr, m->x0, m->cy);
	cairo_line_to(cr, m->cx, m->cy - m->size / 2);
	cairo_line_to(cr, m->x1, m->cy);
	cairo_line_to(cr, m->cx, m->cy + m->size / 2);
	cairo_close_path(cr);
	colour(cr, st->c_diamond);
	cairo_fill_preserve(cr);
	colour(cr, st->c_diamond_line);
	cairo_set_line_width(cr, st->lw_diamond);
	cairo_stroke(cr);
}

/* A judgement circle outlined in the text colour; not judged: an empty
 * ring in the muted colour. */
static void rob_circle(cairo_t *cr, const struct sm_fmark *m, const struct sm_style *st)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, m->cx, m->cy, m->size / 2, 0, 2 * M_PI);
	cairo_close_path(cr);
	if (m->level < 0) {
		colour(cr, st->c_muted);
		cairo_set_line_width(cr, 0.5);
		cairo_stroke(cr);
		return;
	}
	colour(cr, sm_rob_colour((enum sm_rob_level)m->level, 0));
	cairo_fill_preserve(cr);
	colour(cr, st->c_text);
	cairo_set_line_width(cr, 0.3);
	cairo_stroke(cr);
}

static void draw_mark(cairo_t *cr, const struct sm_fmark *m, const struct sm_style *st,
		      double pitch)
{
	switch (m->kind) {
	case SM_MARK_RULE:
		colour(cr, st->c_rule);
		hline(cr, m->x0, m->x1, m->cy, st->lw_rule);
		break;
	case SM_MARK_NULL:
		colour(cr, st->c_null);
		vline(cr, m->x0, m->y0, m->y1, st->lw_null);
		break;
	case SM_MARK_AXIS:
		colour(cr, st->c_text);
		hline(cr, m->x0, m->x1, m->cy, st->lw_axis);
		break;
	case SM_MARK_TICK:
		colour(cr, st->c_text);
		vline(cr, m->x0, m->y0, m->y1, st->lw_axis);
		break;
	case SM_MARK_CI:
		colour(cr, st->c_ci);
		interval(cr, m, st->lw_ci, 0);
		break;
	case SM_MARK_PI:
		colour(cr, st->c_pi);
		interval(cr, m, st->lw_pi, pitch * 0.35);
		break;
	case SM_MARK_SQUARE:
		colour(cr, st->c_square);
		cairo_rectangle(cr, m->cx - m->size / 2, m->cy - m->size / 2, m->size, m->size);
		cairo_fill(cr);
		break;
	case SM_MARK_DIAMOND:
		diamond(cr, m, st);
		break;
	case SM_MARK_ROB:
		rob_circle(cr, m, st);
		break;
	}
}

void sm_fdraw_page(struct sm_text *text, cairo_t *cr, const struct sm_flayout *l,
		   const struct sm_style *style, int page)
{
	double pitch = l->size_used * style->row_height;
	cairo_save(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	/* Lines first, then squares and diamonds over them, text last. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l->nmarks; i++) {
			const struct sm_fmark *m = &l->marks[i];
			int solid = m->kind == SM_MARK_SQUARE || m->kind == SM_MARK_DIAMOND ||
				    m->kind == SM_MARK_ROB;
			if (m->page == page && solid == pass)
				draw_mark(cr, m, style, pitch);
		}
	for (size_t i = 0; i < l->ntexts; i++) {
		const struct sm_ftext *t = &l->texts[i];
		if (t->page != page)
			continue;
		struct sm_tstyle ts = l->role[t->role];
		ts.wrap = t->wrap;
		ts.align = t->align;
		colour(cr, t->coloured ? t->colour : t->muted ? l->c_muted : l->c_text);
		sm_text_draw(text, cr, &ts, t->text, t->ox, t->box.y0);
	}
	cairo_restore(cr);
}
