#include "sm_rob.h"

#include "sm_buf.h"
#include "sm_rob_int.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lay {
	struct sm_ctx *ctx;
	struct sm_fig *f;
	const struct sm_rob_options *o;
	const struct sm_res *res;
	struct sm_rob_data d;
	double *share;        /* [column * SM_ROB_NLEVELS + level]: share 0..1 */
	double radius;        /* of the plot's circles (0 before the plot) */
	int used[SM_ROB_NLEVELS];
	struct sm_tstyle body, bold, small;
	double pitch, width, y;
	double label_cap;     /* widest study label column: 40% of the style width */
};

const char *const sm_rob_plot_choices[] = { "both", "traffic", "summary", NULL };

static sm_status put(struct lay *L, const struct sm_tstyle *st, const char *s, double x,
		     double y, struct sm_rgb c, int tag, int ref, struct sm_fig_text **out)
{
	return sm_fig_put_text(L->ctx, L->f, st, s, x, y, c, tag, ref, out);
}

/* A judgement circle with its symbol centred on (cx, cy). */
static sm_status circle(struct lay *L, enum sm_rob_level lv, double cx, double cy, double r,
			int ref)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_CIRCLE);
	if (!it)
		return SM_EINTERNAL;
	it->tag = SM_RT_CELL, it->ref = ref, it->x0 = cx, it->y0 = cy, it->r = r;
	if (lv == SM_ROB_NONE) {
		/* Not assessed: an empty ring, no symbol. */
		it->sc = L->f->style->c_muted, it->lw = 0.5;
		return SM_OK;
	}
	it->fill = 1, it->fc = sm_rob_fill(L->f->style, lv), it->sc = L->f->style->c_text;
	it->lw = 0.3;
	struct sm_tstyle st = L->bold;
	st.size = r * 1.6;
	struct sm_extent e;
	const char *sym = sm_rob_symbol(lv);
	sm_status s = sm_fig_measure(L->ctx, L->f, &st, sym, &e);
	if (s != SM_OK)
		return s;
	/* Centre the logical box; these glyphs sit about mid-height in it. */
	return put(L, &st, sym, cx - e.width / 2, cy - e.height / 2, sm_rob_ink(L->f->style, lv),
		   SM_RT_SYMBOL, ref, NULL);
}

static double text_w(struct lay *L, const struct sm_tstyle *st, const char *s, sm_status *err)
{
	struct sm_extent e = { 0 };
	if (*err == SM_OK)
		*err = sm_fig_measure(L->ctx, L->f, st, s, &e);
	return e.width;
}

/* Where the columns go: from x0 (right of the study labels), each domain
 * column `col` wide, the overall one (when shown) `ocol`. */
struct grid {
	double label_w, x0, col, ocol;
};

/* The study label column (cut with an ellipsis beyond label_cap); domain
 * columns as wide as their widest head ("D7") or a circle, the overall
 * column as wide as its head. */
static sm_status grid(struct lay *L, struct grid *g)
{
	const struct sm_rob_data *rb = &L->d;
	sm_status s = SM_OK;
	double lw = 0, head_w = 0, min = 2 * L->pitch * 0.42 + 5;
	for (int i = 0; i < rb->nstudies; i++)
		lw = fmax(lw, text_w(L, &L->body, rb->labels[i], &s));
	g->label_w = fmin(lw, L->label_cap);
	g->x0 = L->f->style->margin + g->label_w + 8;
	char key[16];
	for (int d = 0; d < rb->ncols - rb->overall_shown; d++) {
		snprintf(key, sizeof key, "D%d", d + 1);
		head_w = fmax(head_w, text_w(L, &L->bold, key, &s));
	}
	g->col = fmax(min, head_w + 4);
	g->ocol = rb->overall_shown ? fmax(min, text_w(L, &L->bold, "Overall", &s) + 4) : 0;
	return s;
}

/* Centre of column d, and the right end of the last column. */
static double grid_x(const struct lay *L, const struct grid *g, int d)
{
	int nd = L->d.ncols - L->d.overall_shown;
	if (d < nd)
		return g->x0 + g->col * (d + 0.5);
	return g->x0 + g->col * nd + g->ocol / 2;
}

static double grid_end(const struct lay *L, const struct grid *g)
{
	return g->x0 + g->col * (L->d.ncols - L->d.overall_shown) + g->ocol;
}

/* The legend's word for level k (-1: not assessed), or NULL when the
 * figure does not show it. */
static const char *legend_word(const struct lay *L, int k)
{
	if (k >= 0)
		return L->used[k] ? sm_rob_label(L->d.tool, (enum sm_rob_level)k) : NULL;
	for (size_t c = 0; c < (size_t)L->d.nstudies * (size_t)L->d.ncols; c++)
		if (L->d.level[c] == SM_ROB_NONE)
			return sm_rob_label(L->d.tool, SM_ROB_NONE);
	return NULL;
}

/* A traffic-light plot alone is no wider than its content: the grid, the
 * domain keys and the legend each on one line, and the title; any of them
 * wider than the style's width wraps at it as before. */
static sm_status shrink_to_content(struct lay *L)
{
	const struct sm_rob_data *rb = &L->d;
	double margin = L->f->style->margin, inner = L->width - 2 * margin;
	double r = L->pitch * 0.42;
	struct grid g;
	sm_status s = grid(L, &g);
	double need = grid_end(L, &g) - margin, legend = 0;
	for (int d = 0; d < rb->ncols - rb->overall_shown && s == SM_OK; d++) {
		char *t = sm_asprintf("D%d: %s", d + 1, rb->domains[d]);
		if (!t)
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		need = fmax(need, fmin(text_w(L, &L->small, t, &s), inner));
		free(t);
	}
	for (int k = -1; k < SM_ROB_NLEVELS; k++) {
		const char *t = legend_word(L, k);
		if (t)
			legend += (legend > 0 ? 12 : 0) + 2 * r + 3 + text_w(L, &L->body, t, &s);
	}
	need = fmax(need, fmin(legend, inner));
	if (L->o->common.title && *L->o->common.title) {
		struct sm_tstyle tt = sm_fig_role(L->f, SM_FR_TITLE);
		need = fmax(need, fmin(text_w(L, &tt, L->o->common.title, &s), inner));
	}
	/* A point of slack: a text exactly as wide as its wrap width may wrap. */
	if (s == SM_OK)
		L->width = fmin(L->width, need + 1 + 2 * margin);
	return s;
}

static sm_status traffic(struct lay *L)
{
	const struct sm_rob_data *rb = &L->d;
	double margin = L->f->style->margin;
	double r = L->pitch * 0.42;
	struct grid g;
	sm_status s = grid(L, &g);
	char key[16];
	L->radius = r;
	if (s == SM_OK && grid_end(L, &g) > L->width - margin)
		return SM_FAIL(L->ctx, SM_EINPUT, "figure too narrow for %d risk-of-bias columns; "
			       "expected a wider --width", rb->ncols);
	struct sm_tstyle lab = L->body;
	lab.ellipsize = g.label_w;
	double y = L->y;
	for (int d = 0; d < rb->ncols && s == SM_OK; d++) {
		snprintf(key, sizeof key, "D%d", d + 1);
		int overall = rb->overall_shown && d == rb->ncols - 1;
		const char *h = overall ? "Overall" : key;
		double w = text_w(L, &L->bold, h, &s);
		if (s == SM_OK)
			s = put(L, &L->bold, h, grid_x(L, &g, d) - w / 2, y, L->f->style->c_text,
				SM_RT_HEADER, d, NULL);
	}
	y += L->pitch * 1.1;
	for (int i = 0; i < rb->nstudies && s == SM_OK; i++) {
		double cy = y + L->pitch * (i + 0.5);
		struct sm_extent e;
		s = sm_fig_measure(L->ctx, L->f, &lab, rb->labels[i], &e);
		if (s == SM_OK)
			s = put(L, &lab, rb->labels[i], margin, cy - e.height / 2, L->f->style->c_text,
				SM_RT_STUDY, i, NULL);
		for (int d = 0; d < rb->ncols && s == SM_OK; d++) {
			int c = i * rb->ncols + d;
			s = circle(L, rb->level[c], grid_x(L, &g, d), cy, r, c);
		}
	}
	y += L->pitch * rb->nstudies + 6;
	/* The domain keys, spelt out under the plot. */
	struct sm_tstyle ks = L->small;
	ks.wrap = L->width - 2 * margin;
	int nd = rb->ncols - rb->overall_shown;
	for (int d = 0; d < nd && s == SM_OK; d++) {
		char *t = sm_asprintf("D%d: %s", d + 1, rb->domains[d]);
		struct sm_fig_text *ft = NULL;
		s = t ? put(L, &ks, t, margin, y, L->f->style->c_text, SM_RT_DOMAIN_KEY, d, &ft)
		      : SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		free(t);
		if (s == SM_OK)
			y = ft->box.y1 + 1;
	}
	L->y = y + 8;
	return s;
}

static void shares(struct lay *L)
{
	const struct sm_rob_data *rb = &L->d;
	for (int d = 0; d < rb->ncols; d++) {
		double total = 0;
		for (int i = 0; i < rb->nstudies; i++) {
			enum sm_rob_level lv = rb->level[i * rb->ncols + d];
			if (lv == SM_ROB_NONE)
				continue;
			L->share[d * SM_ROB_NLEVELS + lv] += rb->weight[i];
			total += rb->weight[i];
		}
		for (int k = 0; k < SM_ROB_NLEVELS && total > 0; k++)
			L->share[d * SM_ROB_NLEVELS + k] /= total;
	}
}

/* Lines across the box x0,y0..x1,y1 (clipped to it), rising at 45 degrees
 * (and falling too when crossed), `gap` apart. */
static sm_status hatch(struct lay *L, double x0, double y0, double x1, double y1, int crossed,
		       struct sm_rgb colour, int ref)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_CLIP);
	if (!it)
		return SM_EINTERNAL;
	it->tag = SM_RT_HATCH, it->ref = ref, it->x0 = x0, it->y0 = y0, it->x1 = x1, it->y1 = y1;
	double h = y1 - y0, gap = 2.6;
	for (int dir = 0; dir <= crossed; dir++)
		for (double x = x0 - h; x < x1; x += gap) {
			if (!(it = sm_fig_add(L->ctx, L->f, SM_FIG_LINE)))
				return SM_EINTERNAL;
			it->tag = SM_RT_HATCH, it->ref = ref, it->sc = colour, it->lw = 0.35;
			it->x0 = x, it->x1 = x + h;
			it->y0 = dir ? y0 : y1, it->y1 = dir ? y1 : y0;
		}
	if (!(it = sm_fig_add(L->ctx, L->f, SM_FIG_UNCLIP)))
		return SM_EINTERNAL;
	it->tag = SM_RT_HATCH, it->ref = ref;
	return SM_OK;
}

/* A segment's symbol and percentage, centred together; the symbol alone
 * when both do not fit, nothing when not even the symbol does. */
static sm_status segment_marks(struct lay *L, int lv, int ref, double share, double x,
			       double w, double y, double h)
{
	struct sm_tstyle sym_st = L->small;
	sym_st.bold = 1;
	const char *sym = sm_rob_symbol((enum sm_rob_level)lv);
	char pct[16];
	snprintf(pct, sizeof pct, "%.0f%%", share * 100);
	struct sm_extent se, pe;
	sm_status s = sm_fig_measure(L->ctx, L->f, &sym_st, sym, &se);
	if (s == SM_OK)
		s = sm_fig_measure(L->ctx, L->f, &L->small, pct, &pe);
	if (s != SM_OK || se.width + 3 > w || se.height > h)
		return s;
	int both = se.width + 2 + pe.width + 4 <= w && pe.height <= h;
	double total = se.width + (both ? 2 + pe.width : 0), tx = x + (w - total) / 2;
	struct sm_rgb ink = sm_rob_ink(L->f->style, (enum sm_rob_level)lv);
	if (sm_rob_hatch((enum sm_rob_level)lv)) {
		/* The hatching stops short of the marks, which stay legible. */
		struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_RECT);
		if (!it)
			return SM_EINTERNAL;
		it->tag = SM_RT_HATCH, it->ref = ref, it->fill = 1, it->stroke = 0;
		it->fc = sm_rob_fill(L->f->style, (enum sm_rob_level)lv);
		it->x0 = fmax(x + 0.5, tx - 1.5), it->x1 = fmin(x + w - 0.5, tx + total + 1.5);
		it->y0 = y + 0.5, it->y1 = y + h - 0.5;
	}
	s = put(L, &sym_st, sym, tx, y + (h - se.height) / 2, ink, SM_RT_BAR_SYMBOL, ref, NULL);
	if (s == SM_OK && both)
		s = put(L, &L->small, pct, tx + se.width + 2, y + (h - pe.height) / 2, ink,
			SM_RT_BAR_LABEL, ref, NULL);
	return s;
}

/* A box drawn like a bar segment of level lv: fill, hatching, outline. */
static sm_status segment_box(struct lay *L, int lv, int tag, int ref, double x, double w,
			     double y, double h)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_RECT);
	if (!it)
		return SM_EINTERNAL;
	it->tag = tag, it->ref = ref;
	it->x0 = x, it->x1 = x + w, it->y0 = y, it->y1 = y + h;
	it->fill = 1, it->stroke = 0, it->fc = sm_rob_fill(L->f->style, (enum sm_rob_level)lv);
	int kind = sm_rob_hatch((enum sm_rob_level)lv);
	sm_status s = SM_OK;
	if (kind)
		s = hatch(L, x, y, x + w, y + h, kind == 2,
			  sm_rob_ink(L->f->style, (enum sm_rob_level)lv), ref);
	if (s == SM_OK && !(it = sm_fig_add(L->ctx, L->f, SM_FIG_RECT)))
		return SM_EINTERNAL;
	if (s == SM_OK) {
		it->tag = tag == SM_RT_BAR ? SM_RT_HATCH : tag, it->ref = ref;
		it->x0 = x, it->x1 = x + w, it->y0 = y, it->y1 = y + h;
		it->sc = L->f->style->c_text, it->lw = 0.3;
	}
	return s;
}

static sm_status bar_segment(struct lay *L, int d, int lv, double x, double w, double y,
			     double h)
{
	int ref = d * SM_ROB_NLEVELS + lv;
	sm_status s = segment_box(L, lv, SM_RT_BAR, ref, x, w, y, h);
	if (s != SM_OK)
		return s;
	return segment_marks(L, lv, ref, L->share[ref], x, w, y, h);
}

static sm_status summary(struct lay *L)
{
	const struct sm_rob_data *rb = &L->d;
	double margin = L->f->style->margin;
	shares(L);
	struct sm_tstyle lab = L->body;
	lab.wrap = L->width * 0.38;
	lab.align = SM_ALIGN_RIGHT;
	double bx0 = margin + lab.wrap + 8, bx1 = L->width - margin - 10;
	double y = L->y;
	sm_status s = SM_OK;
	for (int d = 0; d < rb->ncols && s == SM_OK; d++) {
		struct sm_extent e;
		s = sm_fig_measure(L->ctx, L->f, &lab, rb->domains[d], &e);
		double h = fmax(e.height, L->pitch) + 3, bh = L->pitch * 0.8;
		if (s == SM_OK)
			s = put(L, &lab, rb->domains[d], margin, y + (h - e.height) / 2,
				L->f->style->c_text, SM_RT_BAR_LABEL, -1, NULL);
		double by = y + (h - bh) / 2, x = bx0;
		for (int k = 0; k < SM_ROB_NLEVELS && s == SM_OK; k++) {
			double w = L->share[d * SM_ROB_NLEVELS + k] * (bx1 - bx0);
			if (w > 0)
				s = bar_segment(L, d, k, x, w, by, bh);
			x += w;
		}
		y += h;
	}
	/* The percentage axis. */
	for (int t = 0; t <= 4 && s == SM_OK; t++) {
		double x = bx0 + (bx1 - bx0) * t / 4;
		struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_LINE);
		if (!it)
			return SM_EINTERNAL;
		it->tag = SM_RT_AXIS, it->x0 = it->x1 = x, it->y0 = y + 1, it->y1 = y + 4;
		it->sc = L->f->style->c_text, it->lw = L->f->style->lw_axis;
		char pct[8];
		snprintf(pct, sizeof pct, "%d%%", t * 25);
		double w = text_w(L, &L->small, pct, &s);
		if (s == SM_OK)
			s = put(L, &L->small, pct, x - w / 2, y + 5, L->f->style->c_text,
				SM_RT_AXIS, t, NULL);
	}
	struct sm_fig_item *ax = sm_fig_add(L->ctx, L->f, SM_FIG_LINE);
	if (!ax)
		return SM_EINTERNAL;
	ax->tag = SM_RT_AXIS, ax->x0 = bx0, ax->x1 = bx1, ax->y0 = ax->y1 = y + 1;
	ax->sc = L->f->style->c_text, ax->lw = L->f->style->lw_axis;
	L->y = y + 5 + L->small.size * 1.3 + 8;
	return s;
}

/* A summary plot's legend swatch: a square drawn like its bar segments,
 * with the symbol on it. */
static sm_status legend_box(struct lay *L, int lv, double x, double y, double side)
{
	sm_status s = segment_box(L, lv, SM_RT_LEGEND, lv, x, side, y, side);
	struct sm_tstyle st = L->small;
	st.bold = 1;
	const char *sym = sm_rob_symbol((enum sm_rob_level)lv);
	struct sm_extent e;
	if (s == SM_OK)
		s = sm_fig_measure(L->ctx, L->f, &st, sym, &e);
	if (s == SM_OK)
		s = put(L, &st, sym, x + (side - e.width) / 2, y + (side - e.height) / 2,
			sm_rob_ink(L->f->style, (enum sm_rob_level)lv), SM_RT_LEGEND, lv, NULL);
	return s;
}

/* One entry per level the figure uses: circle (a bar-like square in a
 * summary plot alone), symbol, the tool's word. */
static sm_status legend(struct lay *L)
{
	double margin = L->f->style->margin, x = margin, y = L->y, r = L->radius;
	if (!(r > 0))
		r = L->pitch * 0.42;
	sm_status s = SM_OK;
	for (int k = -1; k < SM_ROB_NLEVELS && s == SM_OK; k++) {
		const char *t = legend_word(L, k);
		if (!t)
			continue;
		double w = text_w(L, &L->body, t, &s);
		if (x > margin && x + 2 * r + 3 + w > L->width - margin) {
			x = margin;
			y += L->pitch;
		}
		if (s == SM_OK && L->o->plot == SM_ROB_SUMMARY && k >= 0)
			s = legend_box(L, k, x, y + L->pitch / 2 - r, 2 * r);
		else if (s == SM_OK)
			s = circle(L, (enum sm_rob_level)k, x + r, y + L->pitch / 2, r, -1);
		struct sm_extent e;
		if (s == SM_OK)
			s = sm_fig_measure(L->ctx, L->f, &L->body, t, &e);
		if (s == SM_OK)
			s = put(L, &L->body, t, x + 2 * r + 3, y + (L->pitch - e.height) / 2,
				L->f->style->c_text, SM_RT_LEGEND, k, NULL);
		x += 2 * r + 3 + w + 12;
	}
	L->y = y + L->pitch;
	/* The legend's circles are not cells of the plot. */
	for (size_t i = 0; i < L->f->nitems; i++)
		if (L->f->items[i].ref == -1 && L->f->items[i].tag == SM_RT_CELL)
			L->f->items[i].tag = SM_RT_LEGEND;
	for (size_t i = 0; i < L->f->ntexts; i++)
		if (L->f->texts[i].ref == -1 && L->f->texts[i].tag == SM_RT_SYMBOL)
			L->f->texts[i].tag = SM_RT_LEGEND;
	return s;
}

static sm_status build(struct lay *L)
{
	sm_status s = sm_rob_read(L->ctx, L->res, L->o, &L->d);
	if (s != SM_OK)
		return s;
	size_t cells = (size_t)L->d.nstudies * (size_t)L->d.ncols;
	for (size_t c = 0; c < cells; c++)
		if (L->d.level[c] >= 0)
			L->used[L->d.level[c]] = 1;
	if (!(L->share = calloc((size_t)L->d.ncols * SM_ROB_NLEVELS, sizeof *L->share)))
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	if (sm_fig_width(L->ctx, L->f, L->o->common.width, 80, &L->width) != SM_OK)
		return SM_EINPUT;
	L->body = sm_fig_role(L->f, SM_FR_BODY);
	L->bold = sm_fig_role(L->f, SM_FR_BOLD);
	L->small = sm_fig_role(L->f, SM_FR_SMALL);
	L->pitch = L->body.size * L->f->style->row_height;
	L->label_cap = L->width * 0.4;
	if (L->o->plot == SM_ROB_TRAFFIC && (s = shrink_to_content(L)) != SM_OK)
		return s;
	L->y = L->f->style->margin;
	if (L->o->common.title && *L->o->common.title) {
		struct sm_tstyle tt = sm_fig_role(L->f, SM_FR_TITLE);
		tt.wrap = L->width - 2 * L->y;
		struct sm_fig_text *t = NULL;
		s = put(L, &tt, L->o->common.title, L->y, L->y, L->f->style->c_text, SM_RT_OTHER,
			-1, &t);
		if (s != SM_OK)
			return s;
		L->y = t->box.y1 + 6;
	}
	if (L->o->plot != SM_ROB_SUMMARY && (s = traffic(L)) != SM_OK)
		return s;
	if (L->o->plot != SM_ROB_TRAFFIC && (s = summary(L)) != SM_OK)
		return s;
	if ((s = legend(L)) != SM_OK)
		return s;
	L->f->width = L->width;
	L->f->height = L->y + L->f->style->margin;
	return sm_fig_finish(L->ctx, L->f);
}

sm_status sm_rob_lay(struct sm_ctx *ctx, const struct sm_res *res,
		     const struct sm_rob_options *o, struct sm_fig **out)
{
	*out = NULL;
	struct lay L = { .ctx = ctx, .o = o, .res = res };
	sm_status s = (L.f = sm_fig_new(ctx, o->common.style)) ? build(&L)
							     : sm_ctx_status(ctx, SM_EINPUT);
	sm_rob_data_release(&L.d);
	free(L.share);
	if (s != SM_OK) {
		sm_fig_free(L.f);
		return s;
	}
	*out = L.f;
	return SM_OK;
}
