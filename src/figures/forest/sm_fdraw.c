/* sm_fdraw.c -- painting one page of a forest layout.
 *
 * Marks of a kind are painted together (squares aside, see solids()): their
 * outlines are gathered into one path, stroked or filled once.  Cairo does
 * work for every drawing operation of a vector page, and a page of a long
 * forest holds hundreds of intervals.  The kinds go in the order the layout
 * emits them (rules, intervals, null line, axis; then squares, diamonds,
 * circles; text last), and marks of one kind never overlap, so the picture
 * is the one painting them one by one would give. */
#include "sm_fdraw.h"

#include "sm_rob_int.h"

#include <math.h>

/* The marks of the page being drawn. */
struct pg {
	cairo_t *cr;
	const struct sm_fmark *m;
	size_t n;
	double pitch;
};

/* What of a mark goes into the path. */
enum part {
	PART_HLINE,   /* x0..x1 at cy */
	PART_VLINE,   /* x0 from y0 to y1 */
	PART_BAR,     /* an interval's line, stopping short of its arrow heads */
	PART_ARROWS,  /* an interval's arrow heads (filled) */
	PART_CAPS,    /* an interval's end caps where it has no arrow */
	PART_SQUARE,
	PART_DIAMOND,
	PART_CIRCLE
};

/* Arrow heads grow with the width of the interval's line. */
static double arrow_len(double lw)
{
	return 3 * lw + 2;
}

static void segment(cairo_t *cr, double x0, double y0, double x1, double y1)
{
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
}

/* An arrow head with its tip at (x, y), pointing left (dir -1) or right
 * (+1). */
static void arrow(cairo_t *cr, double x, double y, int dir, double len)
{
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x - dir * len, y - len * 0.5);
	cairo_line_to(cr, x - dir * len, y + len * 0.5);
	cairo_close_path(cr);
}

static void interval_part(cairo_t *cr, const struct sm_fmark *m, enum part part, double lw,
			  double cap)
{
	double alen = arrow_len(lw);
	if (part == PART_BAR) {
		segment(cr, m->x0 + (m->arrow_lo ? alen * 0.8 : 0), m->cy,
			m->x1 - (m->arrow_hi ? alen * 0.8 : 0), m->cy);
	} else if (part == PART_ARROWS) {
		if (m->arrow_lo)
			arrow(cr, m->x0, m->cy, -1, alen);
		if (m->arrow_hi)
			arrow(cr, m->x1, m->cy, 1, alen);
	} else {
		if (!m->arrow_lo)
			segment(cr, m->x0, m->cy - cap / 2, m->x0, m->cy + cap / 2);
		if (!m->arrow_hi)
			segment(cr, m->x1, m->cy - cap / 2, m->x1, m->cy + cap / 2);
	}
}

/* Add one part of a mark to the path as its own subpaths; lw is the width
 * of the interval's line, cap the height of its end caps. */
static void add_part(cairo_t *cr, const struct sm_fmark *m, enum part part, double lw,
		     double cap)
{
	switch (part) {
	case PART_HLINE:
		segment(cr, m->x0, m->cy, m->x1, m->cy);
		break;
	case PART_VLINE:
		segment(cr, m->x0, m->y0, m->x0, m->y1);
		break;
	case PART_BAR:
	case PART_ARROWS:
	case PART_CAPS:
		interval_part(cr, m, part, lw, cap);
		break;
	case PART_SQUARE:
		cairo_rectangle(cr, m->cx - m->size / 2, m->cy - m->size / 2, m->size, m->size);
		break;
	case PART_DIAMOND:
		cairo_move_to(cr, m->x0, m->cy);
		cairo_line_to(cr, m->cx, m->cy - m->size / 2);
		cairo_line_to(cr, m->x1, m->cy);
		cairo_line_to(cr, m->cx, m->cy + m->size / 2);
		cairo_close_path(cr);
		break;
	case PART_CIRCLE:
		cairo_new_sub_path(cr);
		cairo_arc(cr, m->cx, m->cy, m->size / 2, 0, 2 * M_PI);
		cairo_close_path(cr);
		break;
	}
}

/* Add `part` of every mark of `kind` on the page; risk-of-bias circles
 * only of judgement `level` (-1: not judged). */
static void add(const struct pg *p, enum sm_mark_kind kind, int level, enum part part,
		double lw, double cap)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct sm_fmark *m = &p->m[i];
		if (m->kind == kind && (kind != SM_MARK_ROB || m->level == level))
			add_part(p->cr, m, part, lw, cap);
	}
}

static void colour(cairo_t *cr, struct sm_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* Paint the path gathered so far, if any (an empty one would still cost an
 * operation). */
static void stroke(cairo_t *cr, struct sm_rgb c, double lw)
{
	if (!cairo_has_current_point(cr))
		return;
	colour(cr, c);
	cairo_set_line_width(cr, lw);
	cairo_stroke(cr);
}

static void fill(cairo_t *cr, struct sm_rgb c)
{
	if (!cairo_has_current_point(cr))
		return;
	colour(cr, c);
	cairo_fill(cr);
}

static void intervals(const struct pg *p, enum sm_mark_kind kind, struct sm_rgb c, double lw,
		      double cap)
{
	add(p, kind, 0, PART_BAR, lw, 0);
	stroke(p->cr, c, lw);
	add(p, kind, 0, PART_ARROWS, lw, 0);
	fill(p->cr, c);
	if (cap > 0) {
		add(p, kind, 0, PART_CAPS, lw, cap);
		stroke(p->cr, c, lw * 0.6);
	}
}

static void lines(const struct pg *p, const struct sm_style *st)
{
	add(p, SM_MARK_RULE, 0, PART_HLINE, 0, 0);
	stroke(p->cr, st->c_rule, st->lw_rule);
	intervals(p, SM_MARK_CI, st->c_ci, st->lw_ci, 0);
	intervals(p, SM_MARK_PI, st->c_pi, st->lw_pi, p->pitch * 0.35);
	add(p, SM_MARK_NULL, 0, PART_VLINE, 0, 0);
	stroke(p->cr, st->c_null, st->lw_null);
	add(p, SM_MARK_AXIS, 0, PART_HLINE, 0, 0);
	add(p, SM_MARK_TICK, 0, PART_VLINE, 0, 0);
	stroke(p->cr, st->c_text, st->lw_axis);
}

/* Judgement circles filled in their level's colour and outlined in the
 * text colour; not judged: an empty ring in the muted colour. */
static void rob_circles(const struct pg *p, const struct sm_style *st)
{
	for (int lv = 0; lv < SM_ROB_NLEVELS; lv++) {
		add(p, SM_MARK_ROB, lv, PART_CIRCLE, 0, 0);
		fill(p->cr, sm_rob_colour((enum sm_rob_level)lv, 0));
	}
	for (int lv = 0; lv < SM_ROB_NLEVELS; lv++)
		add(p, SM_MARK_ROB, lv, PART_CIRCLE, 0, 0);
	stroke(p->cr, st->c_text, 0.3);
	add(p, SM_MARK_ROB, SM_ROB_NONE, PART_CIRCLE, 0, 0);
	stroke(p->cr, st->c_muted, 0.5);
}

static void solids(const struct pg *p, const struct sm_style *st)
{
	/* One fill a square: cairo writes a lone rectangle to a PDF as a
	 * rectangle, which viewers draw with sharp edges, but several in one
	 * path as outlines (blurred edges, a larger file, slower to write). */
	colour(p->cr, st->c_square);
	for (size_t i = 0; i < p->n; i++)
		if (p->m[i].kind == SM_MARK_SQUARE) {
			add_part(p->cr, &p->m[i], PART_SQUARE, 0, 0);
			cairo_fill(p->cr);
		}
	add(p, SM_MARK_DIAMOND, 0, PART_DIAMOND, 0, 0);
	if (cairo_has_current_point(p->cr)) {
		colour(p->cr, st->c_diamond);
		cairo_fill_preserve(p->cr);
		stroke(p->cr, st->c_diamond_line, st->lw_diamond);
	}
	rob_circles(p, st);
}

static int same_rgb(struct sm_rgb a, struct sm_rgb b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void texts(struct sm_text *text, cairo_t *cr, const struct sm_flayout *l, int page)
{
	struct sm_rgb last = { -1, -1, -1 };
	for (size_t i = l->page_text[page]; i < l->page_text[page + 1]; i++) {
		const struct sm_ftext *t = &l->texts[i];
		struct sm_tstyle ts = l->role[t->role];
		ts.wrap = t->wrap;
		ts.align = t->align;
		struct sm_rgb c = t->coloured ? t->colour : t->muted ? l->c_muted : l->c_text;
		/* Setting the colour again would make cairo build a new source. */
		if (!same_rgb(c, last))
			colour(cr, c);
		last = c;
		sm_text_draw(text, cr, &ts, t->text, t->ox, t->box.y0);
	}
}

void sm_fdraw_page(struct sm_text *text, cairo_t *cr, const struct sm_flayout *l,
		   const struct sm_style *style, int page)
{
	size_t first = l->page_mark[page];
	struct pg p = { cr, l->marks + first, l->page_mark[page + 1] - first,
			l->size_used * style->row_height };
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	lines(&p, style);
	solids(&p, style);
	texts(text, cr, l, page);
	cairo_restore(cr);
}
