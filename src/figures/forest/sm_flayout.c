#include "sm_flayout_int.h"

#include "sm_buf.h"
#include "sm_faxis.h"
#include "sm_fig_pipe.h"
#include "sm_fmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sm_flayout_free(struct sm_flayout *l)
{
	if (!l)
		return;
	sm_fig_free(l->fig);
	sm_fplot_free(l->plot);
	free(l->rob);
	free(l);
}

struct sm_fig *sm_flayout_take_fig(struct sm_flayout *l)
{
	struct sm_fig *f = l->fig;
	l->fig = NULL;
	return f;
}

void sm_fl_oom(struct lay *L)
{
	if (L->status == SM_OK)
		L->status = SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
}

/* Measure; an error is remembered and later calls are skipped. */
struct sm_extent sm_fl_measure(struct lay *L, enum sm_role role, const char *s,
			       double wrap)
{
	struct sm_extent e = { 0, 0, 0, 0, 0 };
	if (!s || L->status != SM_OK)
		return e;
	struct sm_tstyle ts = L->l->role[role];
	ts.wrap = wrap;
	L->status = sm_fig_measure(L->ctx, L->f, &ts, s, &e);
	return e;
}

double sm_fl_width(struct lay *L, enum sm_role role, const char *s)
{
	return sm_fl_measure(L, role, s, 0).width;
}

struct sm_fig_text *sm_fl_put(struct lay *L, enum sm_role role, const char *s, double x,
			      double y, enum sm_align al, double wrap, int tag, int ref)
{
	if (!s || !*s || L->status != SM_OK)
		return NULL;
	/* Wrapped lines align as the role says; the box as `al` says: put at x
	 * and moved by its measured width (one measurement per text). */
	struct sm_tstyle ts = L->l->role[role];
	ts.wrap = wrap;
	struct sm_fig_text *t = NULL;
	L->status = sm_fig_put_text(L->ctx, L->f, &ts, s, x, y, L->st->c_text, tag, ref, &t);
	if (L->status != SM_OK)
		return NULL;
	double w = t->box.x1 - t->box.x0;
	double dx = al == SM_ALIGN_RIGHT ? -w : al == SM_ALIGN_CENTER ? -w / 2 : 0;
	t->ox += dx;
	t->box.x0 += dx;
	t->box.x1 += dx;
	return t;
}

/* The batch of a layer: one per layer, but one for the outlines of every
 * level, which are stroked as one path. */
static int batch_of(int layer)
{
	if (layer >= SM_FL_ROB_OUTLINE && layer < SM_FL_ROB_OUTLINE + SM_ROB_NLEVELS)
		return SM_FL_ROB_OUTLINE + 1;
	return layer + 1;
}

struct sm_fig_item *sm_fl_item(struct lay *L, enum sm_fig_kind kind, int tag, int layer,
			       int alone)
{
	if (L->status != SM_OK)
		return NULL;
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, kind);
	if (!it) {
		L->status = SM_EINTERNAL;
		return NULL;
	}
	it->tag = tag;
	it->ref = -1;
	it->layer = layer;
	it->batch = alone ? 0 : batch_of(layer);
	return it;
}

void sm_fl_reach(struct lay *L, double y)
{
	L->bottom = fmax(L->bottom, y);
}

static void set_roles(struct lay *L, double size)
{
	const struct sm_style *st = L->st;
	double k = size / st->size;
	double small = L->req->dense ? fmax(fmin(size, st->small), st->min_size)
				     : fmax(st->small * k, st->min_size);
	for (int r = 0; r < SM_NROLES; r++) {
		struct sm_tstyle *ts = &L->l->role[r];
		memset(ts, 0, sizeof *ts);
		ts->family = L->f->style->family;
		ts->size = r == SM_ROLE_SMALL ? small : r == SM_ROLE_TITLE
						      ? fmax(st->title * k, size) : size;
		if (r == SM_ROLE_SYMBOL) /* fills most of a circle 0.72 rows high */
			ts->size = size * st->row_height * 0.58;
		ts->bold = r == SM_ROLE_BOLD || r == SM_ROLE_TITLE || r == SM_ROLE_SYMBOL;
		ts->italic = r == SM_ROLE_ITALIC;
		ts->tabular = 1;
	}
	L->l->size_used = size;
	L->gap = st->col_gap * k;
	L->pitch = size * st->row_height;
}

enum sm_role sm_fl_row_role(const struct sm_frow *r)
{
	return r->bold ? SM_ROLE_BOLD : r->italic ? SM_ROLE_ITALIC : SM_ROLE_BODY;
}

int sm_fl_is_cell_row(const struct sm_frow *r)
{
	return r->kind != SM_ROW_HEADING && r->kind != SM_ROW_NOTE && r->kind != SM_ROW_GAP;
}

/* Columns of words (left-aligned, may wrap); the others hold numbers. */
static int is_text_col(int c)
{
	return c == SM_COL_LABEL || c == SM_COL_LABEL2;
}

/* A study label beside an empty label2 cell (pooled rows, totals, the
 * prediction interval) runs on over that cell. */
static int spans_label2(struct lay *L, const struct sm_frow *r, int c)
{
	return c == SM_COL_LABEL && L->vis[SM_COL_LABEL2] && !r->cell[SM_COL_LABEL2];
}

/* Width of the widest word of `s` (words end at spaces). */
static double longest_word(struct lay *L, enum sm_role role, const char *s)
{
	if (s && !strchr(s, ' '))
		return sm_fl_width(L, role, s); /* one word (no copy) */
	char *copy = s ? strdup(s) : NULL;
	if (!copy) {
		if (s)
			sm_fl_oom(L);
		return 0;
	}
	double w = 0;
	for (char *p = copy; *p;) {
		size_t n = strcspn(p, " ");
		char keep = p[n];
		p[n] = 0;
		if (n)
			w = fmax(w, sm_fl_width(L, role, p));
		p[n] = keep;
		p += n + (keep != 0);
	}
	free(copy);
	return w;
}

/* A text column may narrow to its header or its widest word. */
static double min_width(struct lay *L, int c)
{
	const struct sm_fplot *p = L->p;
	if (!L->vis[c])
		return 0;
	double w = sm_fl_width(L, SM_ROLE_BOLD, p->head[c]);
	for (size_t i = 0; i < p->nrows; i++)
		if (sm_fl_is_cell_row(&p->rows[i]) && !spans_label2(L, &p->rows[i], c))
			w = fmax(w, longest_word(L, sm_fl_row_role(&p->rows[i]), p->rows[i].cell[c]));
	return fmin(w, L->colw[c]);
}

/* The next visible column after c, or SM_NCOLS. */
static int next_visible(struct lay *L, int c)
{
	for (int i = c + 1; i < SM_NCOLS; i++)
		if (L->vis[i])
			return i;
	return SM_NCOLS;
}

/* A space inside the effect cells, half a gap between the number columns
 * of one group (an arm's events and total, the two weights), else a gap. */
static double gap_after(struct lay *L, int c)
{
	if ((c == SM_COL_EST && L->vis[SM_COL_LB]) || (c == SM_COL_LB && L->vis[SM_COL_UB]))
		return L->space;
	int n = next_visible(L, c);
	if ((c == SM_COL_EV1 && n == SM_COL_N1) || (c == SM_COL_EV2 && n == SM_COL_N2) ||
	    (c == SM_COL_WEIGHT && n == SM_COL_WEIGHT2))
		return L->gap / 2;
	return L->gap;
}

/* Wrap width of a cell: 0 when it is set on one line (numbers always). */
double sm_fl_cell_wrap(struct lay *L, const struct sm_frow *r, int c)
{
	if (!is_text_col(c))
		return 0;
	if (spans_label2(L, r, c))
		return L->colw[c] + gap_after(L, c) + L->colw[SM_COL_LABEL2];
	return L->wrapw[c];
}

/* Widen column `c` so that a text spanning [c, last] fits. */
static void fit_span(struct lay *L, int c, int last, double need)
{
	double have = 0;
	for (int i = c; i <= last; i++)
		if (L->vis[i])
			have += L->colw[i] + (i < last ? gap_after(L, i) : 0);
	int first = c;
	while (first <= last && !L->vis[first])
		first++;
	if (first <= last && need > have)
		L->colw[first] += need - have;
}

static void measure_columns(struct lay *L)
{
	const struct sm_fplot *p = L->p;
	for (int c = 0; c < SM_NCOLS; c++) {
		L->vis[c] = 0;
		L->colw[c] = 0;
		for (size_t i = 0; i < p->nrows && p->show[c]; i++)
			L->vis[c] |= p->rows[i].cell[c] != NULL;
	}
	L->vis[SM_COL_LABEL] = 1;
	if (L->one_weight && L->vis[SM_COL_WEIGHT2])
		L->vis[SM_COL_WEIGHT] = 0; /* the common-effect column goes first */
	for (size_t i = 0; i < p->nrows; i++) {
		const struct sm_frow *r = &p->rows[i];
		for (int c = 0; c < SM_NCOLS && sm_fl_is_cell_row(r); c++)
			if (L->vis[c] && !spans_label2(L, r, c))
				L->colw[c] = fmax(L->colw[c],
						  sm_fl_width(L, sm_fl_row_role(r), r->cell[c]));
	}
	for (int c = 0; c < SM_NCOLS; c++)
		if (L->vis[c] && c != SM_COL_EST)
			L->colw[c] = fmax(L->colw[c], sm_fl_width(L, SM_ROLE_BOLD, p->head[c]));
	for (size_t i = 0; i < p->nrows; i++)
		if (sm_fl_is_cell_row(&p->rows[i]) && spans_label2(L, &p->rows[i], SM_COL_LABEL))
			fit_span(L, SM_COL_LABEL, SM_COL_LABEL2,
				 sm_fl_width(L, sm_fl_row_role(&p->rows[i]),
					     p->rows[i].cell[SM_COL_LABEL]));
	for (int c = 0; c < SM_NCOLS; c++)
		L->minw[c] = is_text_col(c) ? min_width(L, c) : L->colw[c];
	for (size_t i = 0; i < p->nrows; i++)
		if (p->rows[i].span && L->vis[SM_COL_EST])
			fit_span(L, SM_COL_EST, SM_COL_UB,
				 sm_fl_width(L, sm_fl_row_role(&p->rows[i]), p->rows[i].span));
	if (L->vis[SM_COL_EST])
		fit_span(L, SM_COL_EST, SM_COL_UB,
			 sm_fl_width(L, SM_ROLE_BOLD, p->head[SM_COL_EST]));
	L->has_arms = !p->single_arm && (L->vis[SM_COL_EV1] || L->vis[SM_COL_N1] ||
					 L->vis[SM_COL_EV2] || L->vis[SM_COL_N2]);
	L->has_weight_group = p->weight_group && (L->vis[SM_COL_WEIGHT] || L->vis[SM_COL_WEIGHT2]);
	L->has_group = L->has_arms || p->nrob > 0 || L->has_weight_group;
	if (L->has_arms) {
		fit_span(L, SM_COL_EV1, SM_COL_N1, sm_fl_width(L, SM_ROLE_BOLD, p->arm1));
		fit_span(L, SM_COL_EV2, SM_COL_N2, sm_fl_width(L, SM_ROLE_BOLD, p->arm2));
	}
	if (L->has_weight_group)
		fit_span(L, SM_COL_WEIGHT, SM_COL_WEIGHT2,
			 sm_fl_width(L, SM_ROLE_BOLD, p->weight_group));
}

static void place_columns(struct lay *L)
{
	double x = L->st->margin, last_gap = 0;
	for (int c = 0; c < SM_NCOLS; c++) {
		if (!L->vis[c])
			continue;
		L->colx[c] = x;
		last_gap = gap_after(L, c);
		x += L->colw[c] + last_gap;
	}
	L->text_right = x - last_gap;
	L->graph_x0 = L->text_right + L->gap;
	L->graph_x1 = L->req->width - L->st->margin - L->rob_w;
}

/* Tick labels as printed. */
static char *tick_label(double v)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_fmt_short(&b, v);
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

static double tick_width(struct lay *L, double v)
{
	char *s = tick_label(v);
	if (!s) {
		sm_fl_oom(L);
		return 0;
	}
	double w = sm_fl_width(L, SM_ROLE_SMALL, s);
	free(s);
	return w;
}

/* Map the axis into the graph column, leaving room for the end labels. */
static void map_axis(struct lay *L, struct sm_axis *a)
{
	double half_lo = a->nticks ? tick_width(L, a->ticks[0]) / 2 : 0;
	double half_hi = a->nticks ? tick_width(L, a->ticks[a->nticks - 1]) / 2 : 0;
	a->x0 = L->graph_x0 + half_lo;
	a->x1 = L->graph_x1 - half_hi;
}

static int crowded(struct lay *L, const struct sm_axis *a)
{
	for (int i = 1; i < a->nticks; i++) {
		double r = sm_axis_map(a, a->ticks[i - 1]) + tick_width(L, a->ticks[i - 1]) / 2;
		double l = sm_axis_map(a, a->ticks[i]) - tick_width(L, a->ticks[i]) / 2;
		if (l - r < L->space * 1.5)
			return 1;
	}
	return 0;
}

/* The span of an axis in its own units (log units on the ratio scale). */
static double span_of(const struct sm_axis *a)
{
	return a->log ? log(a->hi / a->lo) : a->hi - a->lo;
}

/* The axis with its end ticks and the null only. */
static void ends_and_null(struct sm_axis *a)
{
	double null_v = sm_axis_null(a), lo = a->lo, hi = a->hi;
	a->nticks = 0;
	a->ticks[a->nticks++] = lo;
	if (null_v > lo && null_v < hi)
		a->ticks[a->nticks++] = null_v;
	a->ticks[a->nticks++] = hi;
	for (int i = 0; i < a->nticks; i++)
		a->rank[i] = 0;
}

/* The densest tick level whose labels keep a space and a half between
 * them (sm_faxis.h), mapped into the graph column.  Coarser levels may
 * widen the limits, but not beyond twice the first level's span (the data
 * would shrink to nothing); when no level fits, the first level's limits
 * keep only their ends and the null. */
static void place_axis(struct lay *L)
{
	struct sm_axis *a = &L->l->axis, first = *a;
	double prop_max = L->p->per > 0 ? L->p->per : 1;
	if (!sm_faxis_fit(&first, L->axis_kind, L->req->axis, L->data_lo, L->data_hi, prop_max,
			  0))
		return;
	for (int level = 0;; level++) {
		struct sm_axis next = first;
		if (level > 0 && (!sm_faxis_fit(&next, L->axis_kind, L->req->axis, L->data_lo,
						L->data_hi, prop_max, level) ||
				  span_of(&next) > 2 * span_of(&first) + 1e-9))
			break;
		map_axis(L, &next);
		if (!crowded(L, &next)) {
			*a = next;
			return;
		}
	}
	*a = first;
	if (!(L->req->axis && L->req->axis->nat > 0))
		ends_and_null(a);
	map_axis(L, a);
}

/* Data range of the graph: pooled intervals in full; study estimates and
 * intervals and prediction intervals within a factor of 100 of the null
 * (ratios; 4.6 on the log scale), or for proportions within ten times
 * the largest pooled upper bound: beyond, arrows (one off-scale study
 * must not crush the others). */
static void fit_axis(struct lay *L)
{
	const struct sm_fplot *p = L->p;
	int ratio = p->axis == SM_AXIS_RATIO, prop = p->axis == SM_AXIS_PROP;
	L->axis_kind = ratio ? SM_FAXIS_RATIO : prop ? SM_FAXIS_PROP : SM_FAXIS_LINEAR;
	double lo = ratio ? 1 : 0, hi = lo;
	double cap_lo = ratio ? 0.01 : p->log_scale ? -log(100) : -INFINITY;
	double cap_hi = ratio ? 100 : p->log_scale ? log(100) : INFINITY;
	if (prop) {
		double top = 0;
		for (size_t i = 0; i < p->nrows; i++)
			if (p->rows[i].kind == SM_ROW_POOLED && isfinite(p->rows[i].ub))
				top = fmax(top, p->rows[i].ub);
		if (top > 0)
			cap_hi = 10 * top;
	}
	for (size_t i = 0; i < p->nrows; i++) {
		const struct sm_frow *r = &p->rows[i];
		double vals[3] = { r->est, r->lb, r->ub };
		for (int j = 0; j < 3; j++) {
			double v = vals[j];
			if (!isfinite(v) || (ratio && !(v > 0)))
				continue;
			if (r->kind != SM_ROW_POOLED)
				v = fmin(fmax(v, cap_lo), cap_hi);
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
	}
	L->data_lo = lo;
	L->data_hi = hi;
}

static double inner_width(struct lay *L)
{
	return L->req->width - 2 * L->st->margin;
}

static double note_width(struct lay *L)
{
	return L->text_right - L->st->margin;
}

static double tick_len(struct lay *L)
{
	return L->pitch * 0.25;
}

static void row_heights(struct lay *L)
{
	const struct sm_fplot *p = L->p;
	L->graph_end = 0;
	for (size_t i = 0; i < p->nrows; i++) {
		const struct sm_frow *r = &p->rows[i];
		double h = L->pitch;
		if (r->kind == SM_ROW_GAP)
			h = L->pitch / 2;
		else if (r->kind == SM_ROW_HEADING)
			h = sm_fl_measure(L, SM_ROLE_BOLD, r->note, note_width(L)).height +
			    L->pitch - L->line_h;
		else if (r->kind == SM_ROW_NOTE)
			h = sm_fl_measure(L, SM_ROLE_SMALL, r->note, note_width(L)).height +
			    0.3 * L->pitch;
		else
			for (int c = 0; c < SM_NCOLS; c++)
				if (L->vis[c] && sm_fl_cell_wrap(L, r, c) > 0 && r->cell[c])
					h = fmax(h, sm_fl_measure(L, sm_fl_row_role(r), r->cell[c],
								  sm_fl_cell_wrap(L, r, c)).height +
						    L->pitch - L->line_h);
		L->row_h[i] = h;
		if (!r->trailing)
			L->graph_end = i + 1;
	}
}

/* Text right end of columns [c, last] (for right-aligned spans). */
static double span_right(struct lay *L, int c, int last)
{
	for (int i = last; i >= c; i--)
		if (L->vis[i])
			return L->colx[i] + L->colw[i];
	return L->colx[c];
}

/* Left end of the first visible column of [c, last]. */
static double span_left(struct lay *L, int c, int last)
{
	for (int i = c; i <= last; i++)
		if (L->vis[i])
			return L->colx[i];
	return L->colx[c];
}

/* A group head centred over the visible columns of [c, last]. */
static void group_head(struct lay *L, const char *s, int c, int last, double ty)
{
	int any = 0;
	for (int i = c; i <= last; i++)
		any |= L->vis[i];
	if (any)
		sm_fl_put(L, SM_ROLE_BOLD, s, (span_left(L, c, last) + span_right(L, c, last)) / 2,
			  ty, SM_ALIGN_CENTER, 0, SM_FOREST_HEAD, -1);
}

static void emit_header(struct lay *L, double *y)
{
	const struct sm_fplot *p = L->p;
	double ty = *y + (L->pitch - L->line_h) / 2, group_ty = ty;
	if (L->has_group) {
		if (L->has_arms) {
			group_head(L, p->arm1, SM_COL_EV1, SM_COL_N1, ty);
			group_head(L, p->arm2, SM_COL_EV2, SM_COL_N2, ty);
		}
		if (L->has_weight_group)
			group_head(L, p->weight_group, SM_COL_WEIGHT, SM_COL_WEIGHT2, ty);
		ty += L->pitch;
		*y += L->pitch;
	}
	for (int c = 0; c < SM_NCOLS; c++) {
		if (!L->vis[c] || c == SM_COL_LB || c == SM_COL_UB)
			continue;
		if (is_text_col(c))
			sm_fl_put(L, SM_ROLE_BOLD, p->head[c], L->colx[c], ty, SM_ALIGN_LEFT, 0,
				  SM_FOREST_HEAD, -1);
		else
			sm_fl_put(L, SM_ROLE_BOLD, p->head[c],
				  span_right(L, c, c == SM_COL_EST ? SM_COL_UB : c), ty,
				  SM_ALIGN_RIGHT, 0, SM_FOREST_HEAD, -1);
	}
	double gw = L->graph_x1 - L->graph_x0;
	if (sm_fl_width(L, SM_ROLE_BOLD, p->graph_head) <= gw)
		sm_fl_put(L, SM_ROLE_BOLD, p->graph_head, (L->l->axis.x0 + L->l->axis.x1) / 2,
			  ty, SM_ALIGN_CENTER, 0, SM_FOREST_HEAD, -1);
	sm_fl_rob_header(L, ty, group_ty);
	*y += L->pitch + L->pitch * 0.15;
	struct sm_fig_item *m = sm_fl_item(L, SM_FIG_LINE, SM_FOREST_RULE, SM_FL_RULE, 0);
	if (m) {
		m->x0 = L->st->margin;
		m->x1 = L->req->width - L->st->margin;
		m->y0 = m->y1 = *y;
		m->sc = L->st->c_rule;
		m->lw = L->st->lw_rule;
		sm_fl_reach(L, *y);
	}
	*y += L->pitch * 0.25;
}

static void emit_cells(struct lay *L, size_t row, double y)
{
	const struct sm_frow *r = &L->p->rows[row];
	double ty = y + (L->pitch - L->line_h) / 2;
	enum sm_role role = sm_fl_row_role(r);
	for (int c = 0; c < SM_NCOLS; c++) {
		if (!L->vis[c] || !r->cell[c] || (r->span && c >= SM_COL_EST))
			continue;
		struct sm_fig_text *t;
		if (is_text_col(c))
			t = sm_fl_put(L, role, r->cell[c], L->colx[c], ty, SM_ALIGN_LEFT,
				      sm_fl_cell_wrap(L, r, c), SM_FOREST_CELL, (int)row);
		else
			t = sm_fl_put(L, role, r->cell[c], L->colx[c] + L->colw[c], ty,
				      SM_ALIGN_RIGHT, 0, SM_FOREST_CELL, (int)row);
		if (t && r->muted)
			t->colour = L->st->c_muted;
	}
	if (r->span && L->vis[SM_COL_EST]) {
		struct sm_fig_text *t = sm_fl_put(L, role, r->span,
						  span_right(L, SM_COL_EST, SM_COL_UB), ty,
						  SM_ALIGN_RIGHT, 0, SM_FOREST_CELL, (int)row);
		if (t)
			t->colour = L->st->c_muted;
	}
}

/* x of a value clamped into the axis, and whether it was clamped. */
static double clamp_x(struct lay *L, double v, int *out)
{
	const struct sm_axis *a = &L->l->axis;
	*out = 0;
	if (v < a->lo || (a->log && !(v > 0))) {
		*out = 1;
		return a->x0;
	}
	if (v > a->hi) {
		*out = 1;
		return a->x1;
	}
	return sm_axis_map(a, v);
}

/* Arrow heads grow with the width of the interval's line. */
static double arrow_len(double lw)
{
	return 3 * lw + 2;
}

/* An arrow head with its tip at (x, y), pointing left (dir -1) or right
 * (+1): a filled triangle. */
static void arrow(struct lay *L, int tag, int layer, double x, double y, int dir, double len,
		  struct sm_rgb c)
{
	const double xy[6] = { x, y, x - dir * len, y - len * 0.5, x - dir * len, y + len * 0.5 };
	if (L->status != SM_OK)
		return;
	struct sm_fig_item *it = sm_fig_add_poly(L->ctx, L->f, SM_FIG_POLY, xy, 3);
	if (!it) {
		L->status = SM_EINTERNAL;
		return;
	}
	it->tag = tag;
	it->ref = -1;
	it->layer = layer;
	it->batch = layer + 1;
	it->fill = 1;
	it->stroke = 0;
	it->fc = c;
}

static struct sm_fig_item *line(struct lay *L, int tag, int layer, double x0, double y0,
				double x1, double y1, struct sm_rgb c, double lw)
{
	struct sm_fig_item *m = sm_fl_item(L, SM_FIG_LINE, tag, layer, 0);
	if (m) {
		m->x0 = x0, m->y0 = y0, m->x1 = x1, m->y1 = y1;
		m->sc = c;
		m->lw = lw;
	}
	return m;
}

/* A confidence or prediction interval: its line, stopping short of the
 * arrow heads where it leaves the axis, the heads, and (prediction
 * intervals) end caps where it has none. */
static void emit_interval(struct lay *L, const struct sm_frow *r, double cy, int pi)
{
	if (!isfinite(r->lb) || !isfinite(r->ub))
		return;
	const struct sm_axis *a = &L->l->axis;
	const struct sm_style *st = L->st;
	struct sm_rgb c = pi ? st->c_pi : st->c_ci;
	double lw = pi ? st->lw_pi : st->lw_ci, alen = arrow_len(lw), cap = L->pitch * 0.35;
	int atag = pi ? SM_FOREST_PI_ARROW : SM_FOREST_CI_ARROW;
	int alayer = pi ? SM_FL_PI_ARROW : SM_FL_CI_ARROW;
	/* wholly beyond one end: only the arrow there says where it lies */
	int beyond_hi = r->lb > a->hi, beyond_lo = r->ub < a->lo || (a->log && !(r->ub > 0));
	if (beyond_hi || beyond_lo) {
		arrow(L, atag, alayer, beyond_hi ? a->x1 : a->x0, cy, beyond_hi ? 1 : -1, alen, c);
		sm_fl_reach(L, cy);
		return;
	}
	int lo, hi;
	double x0 = clamp_x(L, r->lb, &lo), x1 = clamp_x(L, r->ub, &hi);
	line(L, pi ? SM_FOREST_PI : SM_FOREST_CI, pi ? SM_FL_PI : SM_FL_CI,
	     x0 + (lo ? alen * 0.8 : 0), cy, x1 - (hi ? alen * 0.8 : 0), cy, c, lw);
	if (lo)
		arrow(L, atag, alayer, x0, cy, -1, alen, c);
	if (hi)
		arrow(L, atag, alayer, x1, cy, 1, alen, c);
	if (pi && !lo)
		line(L, SM_FOREST_PI_CAP, SM_FL_PI_CAP, x0, cy - cap / 2, x0, cy + cap / 2, c,
		     lw * 0.6);
	if (pi && !hi)
		line(L, SM_FOREST_PI_CAP, SM_FL_PI_CAP, x1, cy - cap / 2, x1, cy + cap / 2, c,
		     lw * 0.6);
	sm_fl_reach(L, cy);
}

static void emit_square(struct lay *L, const struct sm_frow *r, double cy)
{
	const struct sm_axis *a = &L->l->axis;
	struct sm_fig_item *m = sm_fl_item(L, SM_FIG_RECT, SM_FOREST_SQUARE, SM_FL_SQUARE, 1);
	if (!m)
		return;
	double max_side = L->pitch * L->st->square_max;
	double frac = isfinite(r->weight) && L->wmax > 0 ? r->weight / L->wmax : 0.25;
	double size = fmax(max_side * sqrt(frac), fmin(1.5, max_side));
	double cx = sm_axis_map(a, r->est);
	m->x0 = cx - size / 2;
	m->y0 = cy - size / 2;
	m->x1 = cx + size / 2;
	m->y1 = cy + size / 2;
	m->fill = 1;
	m->stroke = 0;
	m->fc = L->st->c_square;
	sm_fl_reach(L, cy + size);
}

static void emit_diamond(struct lay *L, const struct sm_frow *r, double cy)
{
	int clo, chi;
	double x0 = clamp_x(L, r->lb, &clo), x1 = clamp_x(L, r->ub, &chi);
	double cx = clamp_x(L, r->est, &clo), size = L->pitch * 0.6;
	const double xy[8] = { x0, cy, cx, cy - size / 2, x1, cy, cx, cy + size / 2 };
	if (L->status != SM_OK)
		return;
	struct sm_fig_item *m = sm_fig_add_poly(L->ctx, L->f, SM_FIG_POLY, xy, 4);
	if (!m) {
		L->status = SM_EINTERNAL;
		return;
	}
	m->tag = SM_FOREST_DIAMOND;
	m->ref = -1;
	m->layer = SM_FL_DIAMOND;
	/* the crude incidence: an outline alone (a batch is filled as one) */
	m->batch = r->hollow ? 0 : SM_FL_DIAMOND + 1;
	m->fill = !r->hollow;
	m->stroke = 1;
	m->fc = L->st->c_diamond;
	m->sc = r->hollow ? L->st->c_diamond : L->st->c_diamond_line;
	m->lw = r->hollow ? L->st->lw_ci : L->st->lw_diamond;
	sm_fl_reach(L, cy + size);
}

static void emit_graph(struct lay *L, const struct sm_frow *r, double cy)
{
	const struct sm_axis *a = &L->l->axis;
	int in = isfinite(r->est) && r->est >= a->lo && r->est <= a->hi;
	if (r->kind == SM_ROW_STUDY && isfinite(r->est)) {
		emit_interval(L, r, cy, 0);
		if (in)
			emit_square(L, r, cy);
	} else if (r->kind == SM_ROW_POOLED && isfinite(r->est) && isfinite(r->lb) &&
		   isfinite(r->ub)) {
		emit_diamond(L, r, cy);
	} else if (r->kind == SM_ROW_PI) {
		emit_interval(L, r, cy, 1);
	}
}

/* The graph's marks and the risk-of-bias circles of one row, all
 * centred on the row's first line and tagged with the row. */
static void emit_marks(struct lay *L, size_t row, double y)
{
	double cy = y + L->pitch / 2;
	size_t first = L->f->nitems;
	emit_graph(L, &L->p->rows[row], cy);
	sm_fl_rob_row(L, row, cy);
	for (size_t i = first; i < L->f->nitems; i++)
		L->f->items[i].ref = (int)row;
}

/* A favours label beside the null line, wrapped only when it is wider
 * than the room on its side. */
static double emit_favours(struct lay *L, const char *s, double x, double y, double room,
			   enum sm_align al, int split)
{
	if (!s || !*s || room <= 0)
		return 0;
	/* split: a line break after the first word, as the other side needs */
	char *text = strdup(s);
	if (!text) {
		sm_fl_oom(L);
		return 0;
	}
	char *sp = split ? strchr(text, ' ') : NULL;
	if (sp)
		*sp = '\n';
	double w = sm_fl_width(L, SM_ROLE_SMALL, text);
	double wrap = w > room || sp ? room : 0;
	if (wrap > 0) {
		struct sm_tstyle *ts = &L->l->role[SM_ROLE_SMALL];
		ts->align = al;
		x = al == SM_ALIGN_RIGHT ? x - room : x;
		al = SM_ALIGN_LEFT;
	}
	struct sm_fig_text *t = sm_fl_put(L, SM_ROLE_SMALL, text, x, y, al, wrap,
					  SM_FOREST_FAVOURS, -1);
	free(text);
	L->l->role[SM_ROLE_SMALL].align = SM_ALIGN_LEFT;
	return t ? t->box.y1 - t->box.y0 : 0;
}

/* Null line over the rows, axis, ticks, labels, favours; returns bottom y. */
static double emit_axis(struct lay *L, double rows_top, double y_axis)
{
	const struct sm_axis *a = &L->l->axis;
	const struct sm_style *st = L->st;
	double null_v = sm_axis_null(a);
	int null_in = null_v > a->lo && null_v < a->hi;
	if (L->p->axis != SM_AXIS_PROP && null_in) {
		double nx = sm_axis_map(a, null_v);
		if (line(L, SM_FOREST_NULL, SM_FL_NULL, nx, rows_top, nx, y_axis, st->c_null,
			 st->lw_null))
			sm_fl_reach(L, y_axis);
	}
	if (L->p->has_ref && L->p->ref >= a->lo && L->p->ref <= a->hi) {
		double rx = sm_axis_map(a, L->p->ref);
		struct sm_fig_item *m = line(L, SM_FOREST_REF, SM_FL_REF, rx, rows_top, rx,
					     y_axis, st->c_diamond_line, st->lw_null);
		if (m)
			m->dash = 2 * st->lw_null + 1;
	}
	if (line(L, SM_FOREST_AXIS, SM_FL_AXIS, a->x0, y_axis, a->x1, y_axis, st->c_text,
		 st->lw_axis))
		sm_fl_reach(L, y_axis);
	double ly = y_axis + tick_len(L) + 0.5;
	for (int i = 0; i < a->nticks; i++) {
		double x = sm_axis_map(a, a->ticks[i]);
		if (line(L, SM_FOREST_TICK, SM_FL_AXIS, x, y_axis, x, y_axis + tick_len(L),
			 st->c_text, st->lw_axis))
			sm_fl_reach(L, y_axis + tick_len(L));
		char *s = tick_label(a->ticks[i]);
		if (!s) {
			sm_fl_oom(L);
			return ly;
		}
		sm_fl_put(L, SM_ROLE_SMALL, s, x, ly, SM_ALIGN_CENTER, 0, SM_FOREST_TICK_LABEL, -1);
		free(s);
	}
	double fy = ly + L->small_h + 1;
	if (L->p->axis == SM_AXIS_PROP)
		return fy;
	/* Beside the null (or the axis' middle when the null is off it), under
	 * the graph only (risk-of-bias columns may stand to its right), both
	 * sides with the same room: wrapped alike or not at all. */
	double nx = null_in ? sm_axis_map(a, null_v) : (a->x0 + a->x1) / 2;
	double m_l = fmax(L->st->margin, L->graph_x0 - (L->graph_x1 - L->graph_x0) / 2);
	double room = fmin(nx - L->space - m_l, L->graph_x1 - nx - L->space);
	const char *fl = L->p->favours_left, *fr = L->p->favours_right;
	int split = (fl && sm_fl_width(L, SM_ROLE_SMALL, fl) > room) ||
		    (fr && sm_fl_width(L, SM_ROLE_SMALL, fr) > room);
	double hl = emit_favours(L, fl, nx - L->space, fy, room, SM_ALIGN_RIGHT, split);
	double hr = emit_favours(L, fr, nx + L->space, fy, room, SM_ALIGN_LEFT, split);
	return fy + fmax(hl, hr);
}

/* Notes after the last graph row and the method line, full width. */
static double emit_trailing(struct lay *L, double y)
{
	const struct sm_fplot *p = L->p;
	y += L->pitch * 0.4;
	for (size_t i = L->graph_end; i < p->nrows; i++) {
		const struct sm_frow *r = &p->rows[i];
		if (r->kind != SM_ROW_NOTE || !r->trailing)
			continue;
		struct sm_fig_text *t = sm_fl_put(L, SM_ROLE_SMALL, r->note, L->st->margin, y,
						  SM_ALIGN_LEFT, inner_width(L), SM_FOREST_NOTE,
						  (int)i);
		if (t)
			y = t->box.y1 + 0.15 * L->pitch;
	}
	y = sm_fl_rob_key(L, y);
	if (L->req->show_method && p->method) {
		struct sm_fig_text *t = sm_fl_put(L, SM_ROLE_SMALL, p->method, L->st->margin,
						  y + 0.3 * L->pitch, SM_ALIGN_LEFT,
						  inner_width(L), SM_FOREST_METHOD, -1);
		if (t) {
			t->colour = L->st->c_muted;
			y = t->box.y1;
		}
	}
	return y;
}

/* The title; on the pages after the first "(continued)" after it, or
 * alone when the figure has no title (a report's figure: its caption is
 * under the last page). */
static double emit_title(struct lay *L, int page, double y)
{
	if (!L->p->title && page == 0)
		return y;
	struct sm_buf b;
	sm_buf_init(&b);
	if (L->p->title)
		sm_buf_puts(&b, L->p->title);
	if (page > 0)
		sm_buf_puts(&b, L->p->title ? " (continued)" : "(continued)");
	if (b.failed) {
		sm_buf_release(&b);
		sm_fl_oom(L);
		return y;
	}
	struct sm_fig_text *t = sm_fl_put(L, SM_ROLE_TITLE, b.data, L->st->margin, y,
					  SM_ALIGN_LEFT, inner_width(L), SM_FOREST_TITLE, -1);
	sm_buf_release(&b);
	return t ? t->box.y1 + 0.4 * L->pitch : y;
}

/* A subgroup's heading again where its rows go on at the top of a page. */
static double emit_continued_heading(struct lay *L, size_t from, double y)
{
	size_t h = L->head_of ? L->head_of[from] : (size_t)-1;
	if (h == (size_t)-1 || L->p->rows[from].kind == SM_ROW_HEADING)
		return y;
	char *s = sm_asprintf("%s (continued)", L->p->rows[h].note);
	if (!s) {
		sm_fl_oom(L);
		return y;
	}
	sm_fl_put(L, SM_ROLE_BOLD, s, L->st->margin, y + (L->pitch - L->line_h) / 2,
		  SM_ALIGN_LEFT, note_width(L), SM_FOREST_HEADING, (int)h);
	double used = sm_fl_measure(L, SM_ROLE_BOLD, s, note_width(L)).height + L->pitch -
		      L->line_h;
	free(s);
	return y + used;
}

/* Under the axis of a page that continues. */
static double emit_continued_note(struct lay *L, double y)
{
	struct sm_fig_text *t = sm_fl_put(L, SM_ROLE_SMALL, "Continued on the next page",
					  L->st->margin, y + 0.2 * L->pitch, SM_ALIGN_LEFT, 0,
					  SM_FOREST_CONTINUED, -1);
	if (!t)
		return y;
	t->colour = L->st->c_muted;
	return t->box.y1;
}

/* Rows [from, to) on page `page`, with title, header and axis; `last`: the
 * last page (the notes and the method line follow), else one that goes
 * on (it says so).  A gap opening a page is left out. */
static double emit_page(struct lay *L, int page, size_t from, size_t to, int last)
{
	sm_fig_set_page(L->f, page);
	L->bottom = 0;
	double y = emit_title(L, page, L->st->margin);
	emit_header(L, &y);
	double top = y;
	while (from < to && page > 0 && L->p->rows[from].kind == SM_ROW_GAP)
		from++;
	if (from < to && page > 0)
		y = emit_continued_heading(L, from, y);
	for (size_t i = from; i < to; i++) {
		const struct sm_frow *r = &L->p->rows[i];
		double ty = y + (L->pitch - L->line_h) / 2;
		if (L->dry) /* measuring the page: a row adds only its height */
			;
		else if (r->kind == SM_ROW_HEADING)
			sm_fl_put(L, SM_ROLE_BOLD, r->note, L->st->margin, ty, SM_ALIGN_LEFT,
				  note_width(L), SM_FOREST_HEADING, (int)i);
		else if (r->kind == SM_ROW_NOTE)
			sm_fl_put(L, SM_ROLE_SMALL, r->note, L->st->margin, y + 0.1 * L->pitch,
				  SM_ALIGN_LEFT, note_width(L), SM_FOREST_NOTE, (int)i);
		else if (r->kind != SM_ROW_GAP) {
			emit_cells(L, i, y);
			emit_marks(L, i, y);
		}
		y += L->row_h[i];
	}
	y = emit_axis(L, top, y + 0.3 * L->pitch);
	if (last)
		y = emit_trailing(L, y);
	else
		y = emit_continued_note(L, y);
	return y + L->st->margin;
}

/* Forget what a dry run laid out. */
static void truncate_to(struct lay *L, size_t ntexts, size_t nitems, size_t nrob)
{
	struct sm_fig *f = L->f;
	for (size_t i = ntexts; i < f->ntexts; i++)
		sm_fig_text_release(&f->texts[i]);
	for (size_t i = nitems; i < f->nitems; i++)
		free(f->items[i].pts);
	f->ntexts = ntexts;
	f->nitems = nitems;
	L->l->nrob = nrob;
}

static int is_study_row(const struct sm_frow *r)
{
	return r->kind == SM_ROW_STUDY || r->kind == SM_ROW_EXCLUDED;
}

/* Where to start a page instead of row i (the first that does not fit),
 * not before page_start + 1: a pooled block (its pooled rows, totals and
 * notes) takes at least two of its studies along, and a subgroup heading
 * its first study. */
static size_t choose_cut(const struct lay *L, size_t i, size_t page_start)
{
	const struct sm_frow *rows = L->p->rows;
	/* the end of the run of studies the cut falls in, looked for only as far
	 * as two studies: with two the cut stays at i whatever follows (a scan
	 * to the run's end at every page made long forests quadratic) */
	size_t end = i;
	while (end < L->graph_end && end < i + 2 && is_study_row(&rows[end]))
		end++;
	size_t cut = i, studies = end - i;
	int pooled = end < L->graph_end && rows[end].kind != SM_ROW_HEADING &&
		     rows[end].kind != SM_ROW_GAP;
	if (pooled && studies < 2) {
		size_t j = i;
		while (j > page_start + 1 && studies < 2 && rows[j - 1].kind != SM_ROW_HEADING &&
		       rows[j - 1].kind != SM_ROW_GAP) {
			j--;
			studies += is_study_row(&rows[j]);
		}
		if (studies == 2 || (j > page_start + 1 && rows[j - 1].kind == SM_ROW_HEADING))
			cut = j;
	}
	if (rows[cut - 1].kind == SM_ROW_HEADING && cut - 1 > page_start)
		cut--;
	return cut;
}

/* Height the rows [from, i) take on a page of their own. */
static double page_rows(const struct lay *L, size_t from, size_t i)
{
	double acc = 0;
	size_t h = L->head_of[from];
	if (h != (size_t)-1 && L->p->rows[from].kind != SM_ROW_HEADING)
		acc += L->row_h[h] + L->pitch; /* its heading again, maybe longer */
	for (size_t j = from; j < i; j++)
		acc += L->row_h[j];
	return acc;
}

/* The rows after the last study (the pooled block): where a last page that
 * must take some rows along starts, at the latest. */
static size_t pooled_start(const struct lay *L)
{
	size_t i = L->graph_end;
	while (i > 0 && !is_study_row(&L->p->rows[i - 1]))
		i--;
	return i < L->graph_end ? i : L->graph_end - 1;
}

/* The latest row after `from` + 1 where a last page can start that takes
 * the pooled block with two of its studies (all when it has fewer), opens
 * with no heading left behind, and fits `room`; `from` when none does. */
static size_t last_cut(const struct lay *L, size_t from, double room)
{
	const struct sm_frow *rows = L->p->rows;
	size_t pooled = pooled_start(L), block = 0;
	for (size_t j = pooled; j-- > 0 && rows[j].kind != SM_ROW_HEADING &&
			       rows[j].kind != SM_ROW_GAP;)
		block += is_study_row(&rows[j]);
	size_t want = block < 2 ? block : 2, with = 0;
	for (size_t j = pooled; j > from + 1; j--) {
		with += is_study_row(&rows[j - 1]) && j - 1 < pooled;
		size_t cut = j - 1;
		if (cut <= from || page_rows(L, cut, L->graph_end) > room)
			break;
		if (with >= want && rows[cut - 1].kind != SM_ROW_HEADING)
			return cut;
	}
	return from;
}

/* A forest that fits a page whole but not the room left on the first page
 * starts there anyway (its header repeated over the rest) when that room
 * takes at least this many rows and this share of them. */
#define SPLIT_MIN_ROWS 6
#define SPLIT_MIN_SHARE 0.35

/* Page starts: rows [starts[i], starts[i+1]) go on page i.  Every page but
 * the last holds rows down to its axis and the "continued" note; only the
 * last keeps room for the notes under the plot.  A report's first page may
 * be shorter (first_page_h: the room left where the forest starts). */
static size_t paginate(struct lay *L, size_t *starts)
{
	double over = emit_page(L, 0, 0, 0, 0);
	double trail = emit_page(L, 0, 0, 0, 1) - over;
	truncate_to(L, 0, 0, 0);
	double rows = 0;
	for (size_t i = 0; i < L->graph_end; i++)
		rows += L->row_h[i];
	size_t n = 0;
	starts[n++] = 0;
	double page_h = L->st->page_height, first_h = L->req->first_page_h;
	int short_first = L->req->paginate && first_h > 0 && first_h < page_h;
	/* a page after the first may have a longer title ("(continued)") */
	double budget = fmax(page_h - over - L->pitch, 3 * L->pitch);
	double last_budget = fmax(page_h - over - trail - L->pitch, 3 * L->pitch);
	double first_budget = short_first ? fmax(first_h - over - L->pitch, 3 * L->pitch)
					  : budget;
	int whole = !L->req->paginate || rows <= last_budget;
	if (whole && short_first && rows > fmax(first_h - over - trail - L->pitch, 0))
		whole = first_budget < fmax(SPLIT_MIN_ROWS * L->pitch, SPLIT_MIN_SHARE * rows);
	if (whole || L->graph_end == 0) {
		starts[n] = L->graph_end;
		return n;
	}
	double acc = 0;
	for (size_t i = 0; i < L->graph_end; i++) {
		double page_budget = n == 1 ? first_budget : budget;
		if (acc + L->row_h[i] > page_budget && i > starts[n - 1]) {
			size_t cut = choose_cut(L, i, starts[n - 1]);
			starts[n++] = cut;
			acc = page_rows(L, cut, i);
		}
		acc += L->row_h[i];
	}
	/* the last page also holds the notes: when they do not fit under its
	 * rows, the pooled block moves on to a page of its own with the last
	 * studies it takes along, so the pages before stay full */
	double last = page_rows(L, starts[n - 1], L->graph_end);
	if (last > (n == 1 ? first_budget - trail : last_budget)) {
		size_t cut = last_cut(L, starts[n - 1], last_budget);
		if (cut > starts[n - 1])
			starts[n++] = cut;
	}
	starts[n] = L->graph_end;
	return n;
}

/* Each row's subgroup heading (the last heading before it, until a gap
 * closes the subgroup), or SIZE_MAX. */
static void find_headings(struct lay *L)
{
	size_t cur = (size_t)-1;
	for (size_t i = 0; i < L->p->nrows; i++) {
		const struct sm_frow *r = &L->p->rows[i];
		if (r->kind == SM_ROW_HEADING)
			cur = i;
		L->head_of[i] = cur;
		if (r->kind == SM_ROW_GAP)
			cur = (size_t)-1;
	}
}

/* Narrow the text columns by `need` points in all, the widest first, none
 * below floor[c]; as far as they can when they cannot give that much
 * (then 0, and L->lack says what is missing). */
static int narrow_text(struct lay *L, double need, const double *floor_w)
{
	double give = 0, top = 0;
	for (int c = 0; c < SM_NCOLS; c++)
		if (L->vis[c] && is_text_col(c)) {
			give += fmax(0, L->colw[c] - floor_w[c]);
			top = fmax(top, L->colw[c]);
		}
	L->lack = need - give;
	int enough = give >= need;
	need = fmin(need, give);
	if (!(need > 0))
		return enough;
	/* The common width t to which the wider columns come down. */
	double lo = 0, hi = top;
	for (int it = 0; it < 60; it++) {
		double t = (lo + hi) / 2, got = 0;
		for (int c = 0; c < SM_NCOLS; c++)
			if (L->vis[c] && is_text_col(c))
				got += fmax(0, L->colw[c] - fmax(t, floor_w[c]));
		if (got >= need)
			lo = t;
		else
			hi = t;
	}
	for (int c = 0; c < SM_NCOLS; c++)
		if (L->vis[c] && is_text_col(c) && L->colw[c] > fmax(lo, floor_w[c]))
			L->wrapw[c] = L->colw[c] = fmax(lo, floor_w[c]);
	return enough;
}

/* A wrapped column takes only the width its longest line needs. */
static void tighten_wrapped(struct lay *L)
{
	const struct sm_fplot *p = L->p;
	for (int c = 0; c < SM_NCOLS; c++) {
		if (!(L->wrapw[c] > 0))
			continue;
		double w = sm_fl_width(L, SM_ROLE_BOLD, p->head[c]);
		for (size_t i = 0; i < p->nrows; i++) {
			const struct sm_frow *r = &p->rows[i];
			if (sm_fl_is_cell_row(r) && r->cell[c] && !spans_label2(L, r, c))
				w = fmax(w, sm_fl_measure(L, sm_fl_row_role(r), r->cell[c],
							  L->wrapw[c]).width);
		}
		L->colw[c] = fmin(L->colw[c], w);
	}
}

static double graph_width(struct lay *L)
{
	place_columns(L);
	fit_axis(L);
	place_axis(L);
	return L->l->axis.x1 - L->l->axis.x0;
}

/* Try one font size; 0 when the graph column cannot keep its minimum
 * width, 2 when it does with the study labels at least at their kept
 * width (SM_FLAYOUT_TEXT_KEEP), 1 when they had to narrow further. */
static int try_size(struct lay *L, double size)
{
	set_roles(L, size);
	L->line_h = sm_fl_measure(L, SM_ROLE_BODY, "Ag", 0).height;
	L->small_h = sm_fl_measure(L, SM_ROLE_SMALL, "0", 0).height;
	L->space = sm_fl_width(L, SM_ROLE_BODY, " ");
	sm_fl_rob_measure(L);
	measure_columns(L);
	double keep_label = fmax(L->minw[SM_COL_LABEL],
				 fmin(L->colw[SM_COL_LABEL], SM_FLAYOUT_TEXT_KEEP * inner_width(L)));
	for (int c = 0; c < SM_NCOLS; c++)
		L->wrapw[c] = 0;
	double cap = 0.3 * inner_width(L);
	for (int c = 0; c < SM_NCOLS && L->req->wrap_labels; c++)
		if (L->vis[c] && is_text_col(c) && L->colw[c] > fmax(cap, L->minw[c]))
			L->wrapw[c] = L->colw[c] = fmax(cap, L->minw[c]);
	L->lack = 0;
	/* First the graph's share: text columns keep SM_FLAYOUT_TEXT_KEEP of
	 * the width (their header at least) unwrapped. */
	double gw = graph_width(L), min = L->st->graph_min;
	double share = L->req->wide_labels ? SM_FLAYOUT_WIDE_GRAPH_SHARE : SM_FLAYOUT_GRAPH_SHARE;
	double text2 = L->req->wide_labels ? SM_FLAYOUT_WIDE_TEXT2_KEEP : SM_FLAYOUT_TEXT2_KEEP;
	double target = fmax(min, share * inner_width(L));
	if (gw < target) {
		double soft[SM_NCOLS];
		for (int c = 0; c < SM_NCOLS; c++) {
			double keep = c == SM_COL_LABEL2 ? text2 : SM_FLAYOUT_TEXT_KEEP;
			soft[c] = fmax(L->minw[c], fmax(sm_fl_width(L, SM_ROLE_BOLD, L->p->head[c]),
						    fmin(L->colw[c], keep * inner_width(L))));
		}
		narrow_text(L, target - gw, soft);
		gw = graph_width(L);
	}
	/* Then the minimum: the second text column (long event names) down
	 * to its longest word first, the study labels only after it. */
	if (gw < min && L->vis[SM_COL_LABEL2]) {
		double floor_w[SM_NCOLS];
		memcpy(floor_w, L->minw, sizeof floor_w);
		floor_w[SM_COL_LABEL] = fmax(L->minw[SM_COL_LABEL],
					     fmin(L->colw[SM_COL_LABEL],
						  SM_FLAYOUT_TEXT_KEEP * inner_width(L)));
		narrow_text(L, min - gw, floor_w);
		gw = graph_width(L);
	}
	if (gw < min) {
		if (!narrow_text(L, min - gw, L->minw))
			return 0;
		graph_width(L);
	}
	tighten_wrapped(L);
	if (graph_width(L) < L->st->graph_min - 1e-6)
		return 0;
	return L->colw[SM_COL_LABEL] >= keep_label - 1e-6 || L->req->wrap_labels ? 2 : 1;
}

/* Try a font size with both weight columns, else with the pooled model's
 * alone where that keeps the study labels wider (or fits at all). */
static int try_weights(struct lay *L, double size)
{
	/* wide labels: the room of a second weight column goes to the text */
	L->one_weight = L->two_weights && L->req->wide_labels;
	if (L->one_weight)
		return try_size(L, size);
	int both = try_size(L, size);
	if (both == 2 || !L->two_weights || L->status != SM_OK)
		return both;
	L->one_weight = 1;
	int one = try_size(L, size);
	if (one == 2 || (one && !both) || L->status != SM_OK)
		return one;
	L->one_weight = 0;
	return try_size(L, size);
}

static sm_status fit_width(struct lay *L)
{
	const struct sm_style *st = L->st;
	L->two_weights = L->p->weight_group && L->p->head[SM_COL_WEIGHT2] &&
			 L->p->show[SM_COL_WEIGHT2];
	double top = L->req->dense ? fmin(st->size, st->small) : st->size;
	for (double size = top; size >= st->min_size - 1e-9; size -= 0.5) {
		int ok = try_weights(L, size);
		if (L->status != SM_OK)
			return L->status;
		if (ok) {
			if (size < top)
				sm_ctx_warn(L->ctx, "forest plot text set at %.1f pt instead of "
					    "%.1f pt to fit %.0f mm", size, st->size,
					    L->req->width / (72 / 25.4));
			return SM_OK;
		}
	}
	double need = L->req->width + L->lack;
	return SM_FAIL(L->ctx, SM_EINPUT, "forest plot does not fit in %.0f mm (needs "
		       "%.0f mm at %.1f pt with labels wrapped word by word); expected a "
		       "wider --width or fewer --columns", L->req->width / (72 / 25.4),
		       need / (72 / 25.4), st->min_size);
}

/* What a page uses for a report to place it: its lowest text or mark
 * plus the style's margin, at most the page. */
static double page_used(const struct lay *L, int page, double mark_bottom)
{
	const struct sm_fig *f = L->f;
	double bottom = mark_bottom;
	for (size_t i = f->page_text[page]; i < f->page_text[page + 1]; i++)
		bottom = fmax(bottom, f->texts[i].box.y1);
	return fmin(f->height, bottom + L->st->margin);
}

/* Pages [0, n) measured, then laid out and written one by one through a
 * pipe to the PDF.  A page's height does not depend on its rows' content
 * (only on their heights, known), so a dry run of each page without its
 * rows gives the page size the PDF needs before its first page; each page
 * laid out is checked against it, so that the file is the one the figure
 * laid out whole would give. */
static sm_status stream_pages(struct lay *L, const size_t *starts, size_t n)
{
	struct sm_fig *f = L->f;
	double *h = sm_alloc_array(n ? n : 1, sizeof *h);
	if (!h) {
		sm_fl_oom(L);
		return L->status;
	}
	L->dry = 1;
	for (size_t pg = 0; pg < n && L->status == SM_OK; pg++) {
		h[pg] = emit_page(L, (int)pg, starts[pg], starts[pg + 1], pg + 1 == n);
		truncate_to(L, 0, 0, 0);
		f->height = fmax(f->height, h[pg]);
	}
	L->dry = 0;
	struct sm_fig_pipe *pipe = NULL;
	if (L->status == SM_OK &&
	    !(pipe = sm_fig_pipe_open(L->ctx, f, L->stream->path, f->height,
				      L->stream->threaded)))
		L->status = sm_ctx_status(L->ctx, SM_EOUTPUT);
	for (size_t pg = 0; pg < n && L->status == SM_OK; pg++) {
		double used = emit_page(L, (int)pg, starts[pg], starts[pg + 1], pg + 1 == n);
		if (L->status != SM_OK)
			break;
		if (used != h[pg]) {
			L->status = SM_FAIL(L->ctx, SM_EINTERNAL, "forest page %zu laid out %g pt "
					    "tall; measured %g pt", pg + 1, used, h[pg]);
			break;
		}
		struct sm_fig_page *page = sm_fig_take_page(L->ctx, f);
		L->status = page ? sm_fig_pipe_put(L->ctx, pipe, page) : SM_EINTERNAL;
	}
	free(h);
	if (L->status != SM_OK) {
		sm_fig_pipe_abort(pipe);
		return L->status;
	}
	return L->status = sm_fig_pipe_close(L->ctx, pipe);
}

static sm_status run(struct lay *L)
{
	sm_status s = fit_width(L);
	if (s != SM_OK)
		return s;
	sm_fl_cut_cells(L);
	if (L->status != SM_OK)
		return L->status;
	for (size_t i = 0; i < L->p->nrows; i++)
		if (L->p->rows[i].kind == SM_ROW_STUDY && isfinite(L->p->rows[i].weight))
			L->wmax = fmax(L->wmax, L->p->rows[i].weight);
	row_heights(L);
	find_headings(L);
	size_t *starts = sm_alloc_array(L->p->nrows + 2, sizeof *starts);
	double *bottom = sm_alloc_array(L->p->nrows + 2, sizeof *bottom);
	if (!starts || !bottom) {
		free(starts);
		free(bottom);
		sm_fl_oom(L);
		return L->status;
	}
	size_t n = paginate(L, starts);
	struct sm_fig *f = L->f;
	f->width = L->req->width;
	f->height = 0;
	if (L->stream) {
		stream_pages(L, starts, n);
		free(starts);
		free(bottom);
		return L->status;
	}
	for (size_t pg = 0; pg < n && L->status == SM_OK; pg++) {
		f->height = fmax(f->height, emit_page(L, (int)pg, starts[pg], starts[pg + 1],
						      pg + 1 == n));
		bottom[pg] = L->bottom;
	}
	free(starts);
	if (L->status == SM_OK)
		L->status = sm_fig_finish(L->ctx, f);
	for (size_t pg = 0; pg < n && L->status == SM_OK; pg++)
		L->status = sm_fig_set_page_used(L->ctx, f, (int)pg, page_used(L, (int)pg, bottom[pg]));
	free(bottom);
	return L->status;
}

struct sm_flayout *sm_flayout_build(struct sm_ctx *ctx, struct sm_fig *fig,
				    struct sm_fplot *plot, const struct sm_flayout_req *req)
{
	return sm_flayout_build_to(ctx, fig, plot, req, NULL);
}

struct sm_flayout *sm_flayout_build_to(struct sm_ctx *ctx, struct sm_fig *fig,
				       struct sm_fplot *plot, const struct sm_flayout_req *req,
				       const struct sm_flayout_stream *to)
{
	struct sm_flayout *l = calloc(1, sizeof *l);
	if (!l) {
		sm_fig_free(fig);
		sm_fplot_free(plot);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	l->fig = fig;
	l->plot = plot;
	struct lay L = { .ctx = ctx, .f = fig, .p = plot, .st = fig->style, .req = req, .l = l,
			 .stream = to };
	L.row_h = sm_alloc_array(plot->nrows + 1, sizeof *L.row_h);
	L.head_of = sm_alloc_array(plot->nrows + 1, sizeof *L.head_of);
	if (!L.row_h || !L.head_of) {
		free(L.row_h);
		free(L.head_of);
		sm_flayout_free(l);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	fig->width = req->width;
	sm_status s = run(&L);
	free(L.row_h);
	free(L.head_of);
	if (s != SM_OK) {
		sm_flayout_free(l);
		return NULL;
	}
	return l;
}
