#include "sm_flayout_int.h"

#include "sm_buf.h"
#include "sm_fmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sm_flayout_free(struct sm_flayout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->ntexts; i++)
		free(l->texts[i].text);
	free(l->texts);
	free(l->marks);
	free(l->page_text);
	free(l->page_mark);
	free(l->family);
	free(l);
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
	L->status = sm_text_measure(L->ctx, L->text, &ts, s, &e);
	return e;
}

double sm_fl_width(struct lay *L, enum sm_role role, const char *s)
{
	return sm_fl_measure(L, role, s, 0).width;
}

struct sm_ftext *sm_fl_put(struct lay *L, int page, enum sm_role role, const char *s,
			   double x, double y, enum sm_align al, double wrap)
{
	if (!s || !*s || L->status != SM_OK)
		return NULL;
	struct sm_extent e = sm_fl_measure(L, role, s, wrap);
	struct sm_flayout *l = L->l;
	if (l->ntexts == l->cap_texts) {
		size_t cap = l->cap_texts ? 2 * l->cap_texts : 256;
		struct sm_ftext *t = sm_realloc_array(l->texts, cap, sizeof *t);
		if (!t) {
			sm_fl_oom(L);
			return NULL;
		}
		l->texts = t;
		l->cap_texts = cap;
	}
	struct sm_ftext *t = &l->texts[l->ntexts];
	memset(t, 0, sizeof *t);
	if (!(t->text = strdup(s))) {
		sm_fl_oom(L);
		return NULL;
	}
	l->ntexts++;
	double x0 = al == SM_ALIGN_RIGHT ? x - e.width : al == SM_ALIGN_CENTER
						     ? x - e.width / 2 : x;
	t->page = page;
	t->role = role;
	t->wrap = wrap;
	t->align = L->l->role[role].align;
	t->ox = x0;
	t->box = (struct sm_box){ x0 + e.left, y, x0 + e.left + e.width, y + e.height };
	return t;
}

struct sm_fmark *sm_fl_mark(struct lay *L, int page, enum sm_mark_kind kind)
{
	struct sm_flayout *l = L->l;
	if (l->nmarks == l->cap_marks) {
		size_t cap = l->cap_marks ? 2 * l->cap_marks : 256;
		struct sm_fmark *m = sm_realloc_array(l->marks, cap, sizeof *m);
		if (!m) {
			sm_fl_oom(L);
			return NULL;
		}
		l->marks = m;
		l->cap_marks = cap;
	}
	struct sm_fmark *m = &l->marks[l->nmarks++];
	memset(m, 0, sizeof *m);
	m->page = page;
	m->kind = kind;
	m->est = m->lb = m->ub = m->weight = NAN;
	m->row = m->col = m->level = -1;
	return m;
}

static void set_roles(struct lay *L, double size)
{
	const struct sm_style *st = L->st;
	double k = size / st->size;
	double small = fmax(st->small * k, st->min_size);
	for (int r = 0; r < SM_NROLES; r++) {
		struct sm_tstyle *ts = &L->l->role[r];
		memset(ts, 0, sizeof *ts);
		ts->family = L->l->family;
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

static enum sm_role row_role(const struct sm_frow *r)
{
	return r->bold ? SM_ROLE_BOLD : r->italic ? SM_ROLE_ITALIC : SM_ROLE_BODY;
}

static int is_cell_row(const struct sm_frow *r)
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
		if (is_cell_row(&p->rows[i]) && !spans_label2(L, &p->rows[i], c))
			w = fmax(w, longest_word(L, row_role(&p->rows[i]), p->rows[i].cell[c]));
	return fmin(w, L->colw[c]);
}

static double gap_after(struct lay *L, int c)
{
	if ((c == SM_COL_EST && L->vis[SM_COL_LB]) || (c == SM_COL_LB && L->vis[SM_COL_UB]))
		return L->space;
	return L->gap;
}

/* Wrap width of a cell: 0 when it is set on one line (numbers always). */
static double cell_wrap(struct lay *L, const struct sm_frow *r, int c)
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
	for (size_t i = 0; i < p->nrows; i++) {
		const struct sm_frow *r = &p->rows[i];
		for (int c = 0; c < SM_NCOLS && is_cell_row(r); c++)
			if (L->vis[c] && !spans_label2(L, r, c))
				L->colw[c] = fmax(L->colw[c],
						  sm_fl_width(L, row_role(r), r->cell[c]));
	}
	for (int c = 0; c < SM_NCOLS; c++)
		if (L->vis[c] && c != SM_COL_EST)
			L->colw[c] = fmax(L->colw[c], sm_fl_width(L, SM_ROLE_BOLD, p->head[c]));
	for (size_t i = 0; i < p->nrows; i++)
		if (is_cell_row(&p->rows[i]) && spans_label2(L, &p->rows[i], SM_COL_LABEL))
			fit_span(L, SM_COL_LABEL, SM_COL_LABEL2,
				 sm_fl_width(L, row_role(&p->rows[i]),
					     p->rows[i].cell[SM_COL_LABEL]));
	for (int c = 0; c < SM_NCOLS; c++)
		L->minw[c] = is_text_col(c) ? min_width(L, c) : L->colw[c];
	for (size_t i = 0; i < p->nrows; i++)
		if (p->rows[i].span && L->vis[SM_COL_EST])
			fit_span(L, SM_COL_EST, SM_COL_UB,
				 sm_fl_width(L, row_role(&p->rows[i]), p->rows[i].span));
	if (L->vis[SM_COL_EST])
		fit_span(L, SM_COL_EST, SM_COL_UB,
			 sm_fl_width(L, SM_ROLE_BOLD, p->head[SM_COL_EST]));
	L->has_arms = !p->single_arm && (L->vis[SM_COL_EV1] || L->vis[SM_COL_N1] ||
					 L->vis[SM_COL_EV2] || L->vis[SM_COL_N2]);
	L->has_group = L->has_arms || p->nrob > 0;
	if (L->has_arms) {
		fit_span(L, SM_COL_EV1, SM_COL_N1, sm_fl_width(L, SM_ROLE_BOLD, p->arm1));
		fit_span(L, SM_COL_EV2, SM_COL_N2, sm_fl_width(L, SM_ROLE_BOLD, p->arm2));
	}
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
	L->graph_x1 = L->l->width - L->st->margin - L->rob_w;
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

/* Map the axis into the graph column, leaving room for the end labels,
 * then drop tick levels until labels keep a space between them. */
static void place_axis(struct lay *L)
{
	struct sm_axis *a = &L->l->axis;
	double half_lo = tick_width(L, a->lo) / 2, half_hi = tick_width(L, a->hi) / 2;
	a->x0 = L->graph_x0 + half_lo;
	a->x1 = L->graph_x1 - half_hi;
	for (;;) {
		int crowded = a->nticks > 9;
		for (int i = 1; i < a->nticks && !crowded; i++) {
			double r = sm_axis_map(a, a->ticks[i - 1]) + tick_width(L, a->ticks[i - 1]) / 2;
			double l = sm_axis_map(a, a->ticks[i]) - tick_width(L, a->ticks[i]) / 2;
			crowded = l - r < L->space * 1.5;
		}
		if (!crowded || !sm_axis_thin(a))
			break;
	}
}

/* Proportions: from 0 to the first tick above the data (at most 1), ticks
 * a 1-2-5 step apart, at most five intervals; every other tick may go. */
static void fit_prop(struct sm_axis *a, double hi)
{
	hi = isfinite(hi) && hi > 0 ? fmin(hi, 1) : 1;
	static const double mult[] = { 1, 2, 5 };
	double step = 0.2; /* five steps cover [0, 1] */
	int done = 0;
	for (int k = -4; k <= -1 && !done; k++)
		for (int m = 0; m < 3 && !done; m++) {
			double s = pow(10, k) * mult[m];
			if (hi / s <= 5 + 1e-9) {
				step = s;
				done = 1;
			}
		}
	int n = (int)ceil(hi / step - 1e-9);
	a->log = 0;
	a->lo = 0;
	a->hi = fmin(n * step, 1);
	a->nticks = 0;
	for (int i = 0; i <= n && i < SM_AXIS_MAX_TICKS; i++) {
		a->ticks[a->nticks] = fmin(i * step, 1);
		a->rank[a->nticks++] = i == 0 || i == n ? 0 : i % 2 ? 2 : 1;
	}
}

/* Data range of the graph: pooled intervals in full, study intervals and
 * prediction intervals up to a factor of 100 (beyond: arrows). */
static void fit_axis(struct lay *L)
{
	const struct sm_fplot *p = L->p;
	int log_scale = p->axis == SM_AXIS_RATIO;
	double lo = log_scale ? 1 : 0, hi = lo;
	double cap_lo = log_scale ? 0.01 : -INFINITY, cap_hi = log_scale ? 100 : INFINITY;
	for (size_t i = 0; i < p->nrows; i++) {
		const struct sm_frow *r = &p->rows[i];
		double vals[3] = { r->est, r->lb, r->ub };
		for (int j = 0; j < 3; j++) {
			double v = vals[j];
			if (!isfinite(v) || (log_scale && !(v > 0)))
				continue;
			if (r->kind != SM_ROW_POOLED && j > 0)
				v = fmin(fmax(v, cap_lo), cap_hi);
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
	}
	if (p->axis == SM_AXIS_PROP) {
		fit_prop(&L->l->axis, hi);
		return;
	}
	sm_axis_fit(&L->l->axis, log_scale, lo, hi);
}

static double inner_width(struct lay *L)
{
	return L->l->width - 2 * L->st->margin;
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
				if (L->vis[c] && cell_wrap(L, r, c) > 0 && r->cell[c])
					h = fmax(h, sm_fl_measure(L, row_role(r), r->cell[c],
								  cell_wrap(L, r, c)).height +
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

static void emit_header(struct lay *L, int page, double *y)
{
	const struct sm_fplot *p = L->p;
	double ty = *y + (L->pitch - L->line_h) / 2, group_ty = ty;
	if (L->has_group) {
		double l1 = L->colx[SM_COL_EV1], r1 = span_right(L, SM_COL_EV1, SM_COL_N1);
		double l2 = L->colx[SM_COL_EV2], r2 = span_right(L, SM_COL_EV2, SM_COL_N2);
		if (L->has_arms && (L->vis[SM_COL_EV1] || L->vis[SM_COL_N1]))
			sm_fl_put(L, page, SM_ROLE_BOLD, p->arm1, (l1 + r1) / 2, ty,
				  SM_ALIGN_CENTER, 0);
		if (L->has_arms && (L->vis[SM_COL_EV2] || L->vis[SM_COL_N2]))
			sm_fl_put(L, page, SM_ROLE_BOLD, p->arm2, (l2 + r2) / 2, ty,
				  SM_ALIGN_CENTER, 0);
		ty += L->pitch;
		*y += L->pitch;
	}
	for (int c = 0; c < SM_NCOLS; c++) {
		if (!L->vis[c] || c == SM_COL_LB || c == SM_COL_UB)
			continue;
		if (is_text_col(c))
			sm_fl_put(L, page, SM_ROLE_BOLD, p->head[c], L->colx[c], ty,
				  SM_ALIGN_LEFT, 0);
		else
			sm_fl_put(L, page, SM_ROLE_BOLD, p->head[c],
				  span_right(L, c, c == SM_COL_EST ? SM_COL_UB : c), ty,
				  SM_ALIGN_RIGHT, 0);
	}
	double gw = L->graph_x1 - L->graph_x0;
	if (sm_fl_width(L, SM_ROLE_BOLD, p->graph_head) <= gw)
		sm_fl_put(L, page, SM_ROLE_BOLD, p->graph_head, (L->l->axis.x0 + L->l->axis.x1) / 2,
			  ty, SM_ALIGN_CENTER, 0);
	sm_fl_rob_header(L, page, ty, group_ty);
	*y += L->pitch + L->pitch * 0.15;
	struct sm_fmark *m = sm_fl_mark(L, page, SM_MARK_RULE);
	if (m) {
		m->x0 = L->st->margin;
		m->x1 = L->l->width - L->st->margin;
		m->cy = *y;
	}
	*y += L->pitch * 0.25;
}

static void emit_cells(struct lay *L, int page, const struct sm_frow *r, double y)
{
	double ty = y + (L->pitch - L->line_h) / 2;
	enum sm_role role = row_role(r);
	for (int c = 0; c < SM_NCOLS; c++) {
		if (!L->vis[c] || !r->cell[c] || (r->span && c >= SM_COL_EST))
			continue;
		struct sm_ftext *t;
		if (is_text_col(c))
			t = sm_fl_put(L, page, role, r->cell[c], L->colx[c], ty, SM_ALIGN_LEFT,
				      cell_wrap(L, r, c));
		else
			t = sm_fl_put(L, page, role, r->cell[c], L->colx[c] + L->colw[c], ty,
				      SM_ALIGN_RIGHT, 0);
		if (t)
			t->muted = r->muted;
	}
	if (r->span && L->vis[SM_COL_EST]) {
		struct sm_ftext *t = sm_fl_put(L, page, role, r->span,
					       span_right(L, SM_COL_EST, SM_COL_UB), ty,
					       SM_ALIGN_RIGHT, 0);
		if (t)
			t->muted = 1;
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

static void emit_interval(struct lay *L, int page, const struct sm_frow *r, double cy,
			  enum sm_mark_kind kind)
{
	if (!isfinite(r->lb) || !isfinite(r->ub))
		return;
	struct sm_fmark *m = sm_fl_mark(L, page, kind);
	if (!m)
		return;
	m->x0 = clamp_x(L, r->lb, &m->arrow_lo);
	m->x1 = clamp_x(L, r->ub, &m->arrow_hi);
	m->cy = cy;
	m->est = r->est;
	m->lb = r->lb;
	m->ub = r->ub;
}

static void emit_graph(struct lay *L, int page, const struct sm_frow *r, double cy)
{
	const struct sm_axis *a = &L->l->axis;
	int in = isfinite(r->est) && r->est >= a->lo && r->est <= a->hi;
	if (r->kind == SM_ROW_STUDY && isfinite(r->est)) {
		emit_interval(L, page, r, cy, SM_MARK_CI);
		struct sm_fmark *m = in ? sm_fl_mark(L, page, SM_MARK_SQUARE) : NULL;
		if (!m)
			return;
		double max_side = L->pitch * L->st->square_max;
		double frac = isfinite(r->weight) && L->wmax > 0 ? r->weight / L->wmax : 0.25;
		m->size = fmax(max_side * sqrt(frac), fmin(1.5, max_side));
		m->cx = sm_axis_map(a, r->est);
		m->cy = cy;
		m->est = r->est;
		m->weight = r->weight;
	} else if (r->kind == SM_ROW_POOLED && isfinite(r->est) && isfinite(r->lb) &&
		   isfinite(r->ub)) {
		struct sm_fmark *m = sm_fl_mark(L, page, SM_MARK_DIAMOND);
		if (!m)
			return;
		int clo, chi;
		m->x0 = clamp_x(L, r->lb, &clo);
		m->x1 = clamp_x(L, r->ub, &chi);
		m->cx = clamp_x(L, r->est, &clo);
		m->cy = cy;
		m->size = L->pitch * 0.6;
		m->est = r->est;
		m->lb = r->lb;
		m->ub = r->ub;
	} else if (r->kind == SM_ROW_PI) {
		emit_interval(L, page, r, cy, SM_MARK_PI);
	}
}

/* The graph's marks and the risk-of-bias circles of one row, all
 * centred on the row's first line and tagged with the row. */
static void emit_marks(struct lay *L, int page, size_t row, double y)
{
	double cy = y + L->pitch / 2;
	size_t first = L->l->nmarks;
	emit_graph(L, page, &L->p->rows[row], cy);
	sm_fl_rob_row(L, page, row, cy);
	for (size_t i = first; i < L->l->nmarks; i++)
		L->l->marks[i].row = (int)row;
}

/* A favours label beside the null line, wrapped only when it is wider
 * than the room on its side. */
static double emit_favours(struct lay *L, int page, const char *s, double x, double y,
			   double room, enum sm_align al)
{
	if (!s || !*s || room <= 0)
		return 0;
	double w = sm_fl_width(L, SM_ROLE_SMALL, s);
	double wrap = w > room ? room : 0;
	if (wrap > 0) {
		struct sm_tstyle *ts = &L->l->role[SM_ROLE_SMALL];
		ts->align = al;
		x = al == SM_ALIGN_RIGHT ? x - room : x;
		al = SM_ALIGN_LEFT;
	}
	struct sm_ftext *t = sm_fl_put(L, page, SM_ROLE_SMALL, s, x, y, al, wrap);
	L->l->role[SM_ROLE_SMALL].align = SM_ALIGN_LEFT;
	return t ? t->box.y1 - t->box.y0 : 0;
}

/* Null line over the rows, axis, ticks, labels, favours; returns bottom y. */
static double emit_axis(struct lay *L, int page, double rows_top, double y_axis)
{
	const struct sm_axis *a = &L->l->axis;
	struct sm_fmark *m;
	if (L->p->axis != SM_AXIS_PROP && (m = sm_fl_mark(L, page, SM_MARK_NULL))) {
		m->x0 = m->x1 = sm_axis_map(a, sm_axis_null(a));
		m->y0 = rows_top;
		m->y1 = y_axis;
	}
	if ((m = sm_fl_mark(L, page, SM_MARK_AXIS))) {
		m->x0 = a->x0;
		m->x1 = a->x1;
		m->cy = y_axis;
	}
	double ly = y_axis + tick_len(L) + 0.5;
	for (int i = 0; i < a->nticks; i++) {
		double x = sm_axis_map(a, a->ticks[i]);
		if ((m = sm_fl_mark(L, page, SM_MARK_TICK))) {
			m->x0 = m->x1 = x;
			m->y0 = y_axis;
			m->y1 = y_axis + tick_len(L);
		}
		char *s = tick_label(a->ticks[i]);
		if (!s) {
			sm_fl_oom(L);
			return ly;
		}
		sm_fl_put(L, page, SM_ROLE_SMALL, s, x, ly, SM_ALIGN_CENTER, 0);
		free(s);
	}
	double fy = ly + L->small_h + 1;
	if (L->p->axis == SM_AXIS_PROP)
		return fy;
	double nx = sm_axis_map(a, sm_axis_null(a));
	/* Under the graph only: risk-of-bias columns may stand to its right. */
	double m_l = L->st->margin, m_r = L->graph_x1;
	double hl = emit_favours(L, page, L->p->favours_left, nx - L->space, fy,
				 nx - L->space - m_l, SM_ALIGN_RIGHT);
	double hr = emit_favours(L, page, L->p->favours_right, nx + L->space, fy,
				 m_r - nx - L->space, SM_ALIGN_LEFT);
	return fy + fmax(hl, hr);
}

/* Notes after the last graph row and the method line, full width. */
static double emit_trailing(struct lay *L, int page, double y)
{
	const struct sm_fplot *p = L->p;
	y += L->pitch * 0.4;
	for (size_t i = L->graph_end; i < p->nrows; i++) {
		const struct sm_frow *r = &p->rows[i];
		if (r->kind != SM_ROW_NOTE || !r->trailing)
			continue;
		struct sm_ftext *t = sm_fl_put(L, page, SM_ROLE_SMALL, r->note, L->st->margin, y,
					       SM_ALIGN_LEFT, inner_width(L));
		if (t)
			y = t->box.y1 + 0.15 * L->pitch;
	}
	y = sm_fl_rob_key(L, page, y);
	if (L->req->show_method && p->method) {
		struct sm_ftext *t = sm_fl_put(L, page, SM_ROLE_SMALL, p->method, L->st->margin,
					       y + 0.3 * L->pitch, SM_ALIGN_LEFT, inner_width(L));
		if (t) {
			t->muted = 1;
			y = t->box.y1;
		}
	}
	return y;
}

static double emit_title(struct lay *L, int page, double y)
{
	if (!L->p->title)
		return y;
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, L->p->title);
	if (page > 0)
		sm_buf_puts(&b, " (continued)");
	if (b.failed) {
		sm_buf_release(&b);
		sm_fl_oom(L);
		return y;
	}
	struct sm_ftext *t = sm_fl_put(L, page, SM_ROLE_TITLE, b.data, L->st->margin, y,
				       SM_ALIGN_LEFT, inner_width(L));
	sm_buf_release(&b);
	return t ? t->box.y1 + 0.4 * L->pitch : y;
}

/* Rows [from, to) on one page, with title, header and axis. */
static double emit_page(struct lay *L, int page, size_t from, size_t to, int last)
{
	double y = emit_title(L, page, L->st->margin);
	emit_header(L, page, &y);
	double top = y;
	for (size_t i = from; i < to; i++) {
		const struct sm_frow *r = &L->p->rows[i];
		double ty = y + (L->pitch - L->line_h) / 2;
		if (r->kind == SM_ROW_HEADING)
			sm_fl_put(L, page, SM_ROLE_BOLD, r->note, L->st->margin, ty, SM_ALIGN_LEFT,
				  note_width(L));
		else if (r->kind == SM_ROW_NOTE)
			sm_fl_put(L, page, SM_ROLE_SMALL, r->note, L->st->margin,
				  y + 0.1 * L->pitch, SM_ALIGN_LEFT, note_width(L));
		else if (r->kind != SM_ROW_GAP) {
			emit_cells(L, page, r, y);
			emit_marks(L, page, i, y);
		}
		y += L->row_h[i];
	}
	y = emit_axis(L, page, top, y + 0.3 * L->pitch);
	if (last)
		y = emit_trailing(L, page, y);
	return y + L->st->margin;
}

/* Forget what a dry run emitted. */
static void truncate_to(struct lay *L, size_t ntexts, size_t nmarks)
{
	for (size_t i = ntexts; i < L->l->ntexts; i++)
		free(L->l->texts[i].text);
	L->l->ntexts = ntexts;
	L->l->nmarks = nmarks;
}

/* Page starts: rows [starts[i], starts[i+1]) go on page i. */
static size_t paginate(struct lay *L, size_t *starts)
{
	double over = emit_page(L, 0, 0, 0, 0);
	double trail = emit_page(L, 0, 0, 0, 1) - over;
	truncate_to(L, 0, 0);
	double rows = 0;
	for (size_t i = 0; i < L->graph_end; i++)
		rows += L->row_h[i];
	size_t n = 0;
	starts[n++] = 0;
	double budget = fmax(L->st->page_height - over - trail, 3 * L->pitch);
	if (!L->req->paginate || over + trail + rows <= L->st->page_height) {
		starts[n] = L->graph_end;
		return n;
	}
	double acc = 0;
	for (size_t i = 0; i < L->graph_end; i++) {
		if (acc + L->row_h[i] > budget && i > starts[n - 1]) {
			size_t cut = i;
			/* Keep a subgroup heading with its first study. */
			if (L->p->rows[i - 1].kind == SM_ROW_HEADING && i - 1 > starts[n - 1])
				cut = i - 1;
			starts[n++] = cut;
			acc = 0;
			for (size_t j = cut; j < i; j++)
				acc += L->row_h[j];
		}
		acc += L->row_h[i];
	}
	starts[n] = L->graph_end;
	return n;
}

/* Narrow the text columns by `need` points in all, the widest first, none
 * below its minimum; 0 when they cannot give that much. */
static int narrow_text(struct lay *L, double need)
{
	double give = 0, top = 0;
	for (int c = 0; c < SM_NCOLS; c++)
		if (L->vis[c] && is_text_col(c)) {
			give += L->colw[c] - L->minw[c];
			top = fmax(top, L->colw[c]);
		}
	L->lack = need - give;
	if (give < need)
		return 0;
	/* The common width t to which the wider columns come down. */
	double lo = 0, hi = top;
	for (int it = 0; it < 60; it++) {
		double t = (lo + hi) / 2, got = 0;
		for (int c = 0; c < SM_NCOLS; c++)
			if (L->vis[c] && is_text_col(c))
				got += fmax(0, L->colw[c] - fmax(t, L->minw[c]));
		if (got >= need)
			lo = t;
		else
			hi = t;
	}
	for (int c = 0; c < SM_NCOLS; c++)
		if (L->vis[c] && is_text_col(c) && L->colw[c] > fmax(lo, L->minw[c]))
			L->wrapw[c] = L->colw[c] = fmax(lo, L->minw[c]);
	return 1;
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
			if (is_cell_row(r) && r->cell[c] && !spans_label2(L, r, c))
				w = fmax(w, sm_fl_measure(L, row_role(r), r->cell[c],
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

/* Try one font size; 1 when the graph column keeps its minimum width,
 * wrapping the text columns when they would leave it too little. */
static int try_size(struct lay *L, double size)
{
	set_roles(L, size);
	L->line_h = sm_fl_measure(L, SM_ROLE_BODY, "Ag", 0).height;
	L->small_h = sm_fl_measure(L, SM_ROLE_SMALL, "0", 0).height;
	L->space = sm_fl_width(L, SM_ROLE_BODY, " ");
	sm_fl_rob_measure(L);
	measure_columns(L);
	for (int c = 0; c < SM_NCOLS; c++)
		L->wrapw[c] = 0;
	double cap = 0.3 * inner_width(L);
	for (int c = 0; c < SM_NCOLS && L->req->wrap_labels; c++)
		if (L->vis[c] && is_text_col(c) && L->colw[c] > fmax(cap, L->minw[c]))
			L->wrapw[c] = L->colw[c] = fmax(cap, L->minw[c]);
	L->lack = 0;
	double gw = graph_width(L), min = L->st->graph_min;
	if (gw < min) {
		if (!narrow_text(L, min - gw))
			return 0;
		graph_width(L);
	}
	tighten_wrapped(L);
	return graph_width(L) >= L->st->graph_min - 1e-6;
}

static sm_status fit_width(struct lay *L)
{
	const struct sm_style *st = L->st;
	for (double size = st->size; size >= st->min_size - 1e-9; size -= 0.5) {
		int ok = try_size(L, size);
		if (L->status != SM_OK)
			return L->status;
		if (ok) {
			if (size < st->size)
				sm_ctx_warn(L->ctx, "forest plot text set at %.1f pt instead of "
					    "%.1f pt to fit %.0f mm", size, st->size,
					    L->l->width / (72 / 25.4));
			return SM_OK;
		}
	}
	double need = L->l->width + L->lack;
	return SM_FAIL(L->ctx, SM_EINPUT, "forest plot does not fit in %.0f mm (needs "
		       "%.0f mm at %.1f pt with labels wrapped word by word); expected a "
		       "wider --width or fewer --columns", L->l->width / (72 / 25.4),
		       need / (72 / 25.4), st->min_size);
}

static sm_status run(struct lay *L)
{
	sm_status s = fit_width(L);
	if (s != SM_OK)
		return s;
	for (size_t i = 0; i < L->p->nrows; i++)
		if (L->p->rows[i].kind == SM_ROW_STUDY && isfinite(L->p->rows[i].weight))
			L->wmax = fmax(L->wmax, L->p->rows[i].weight);
	row_heights(L);
	size_t *starts = sm_alloc_array(L->p->nrows + 2, sizeof *starts);
	if (!starts) {
		sm_fl_oom(L);
		return L->status;
	}
	size_t n = paginate(L, starts);
	struct sm_flayout *l = L->l;
	l->npages = (int)n;
	l->height = 0;
	l->page_text = sm_alloc_array(n + 1, sizeof *l->page_text);
	l->page_mark = sm_alloc_array(n + 1, sizeof *l->page_mark);
	if (!l->page_text || !l->page_mark)
		sm_fl_oom(L);
	/* Pages are emitted one after the other, so each page's texts and
	 * marks are the run added while it was emitted. */
	for (size_t pg = 0; pg < n && L->status == SM_OK; pg++) {
		l->page_text[pg] = l->ntexts;
		l->page_mark[pg] = l->nmarks;
		l->height = fmax(l->height, emit_page(L, (int)pg, starts[pg], starts[pg + 1],
						      pg + 1 == n));
	}
	if (L->status == SM_OK) {
		l->page_text[n] = l->ntexts;
		l->page_mark[n] = l->nmarks;
	}
	free(starts);
	return L->status;
}

struct sm_flayout *sm_flayout_build(struct sm_ctx *ctx, struct sm_text *text,
				    const struct sm_fplot *plot,
				    const struct sm_style *style,
				    const struct sm_flayout_req *req)
{
	struct lay L = { .ctx = ctx, .text = text, .p = plot, .st = style, .req = req };
	L.l = calloc(1, sizeof *L.l);
	L.row_h = sm_alloc_array(plot->nrows + 1, sizeof *L.row_h);
	if (L.l)
		L.l->family = sm_asprintf("%s, %s", style->family, style->fallback);
	if (!L.l || !L.row_h || !L.l->family) {
		free(L.row_h);
		sm_flayout_free(L.l);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	L.l->width = req->width;
	L.l->c_text = style->c_text;
	L.l->c_muted = style->c_muted;
	sm_status s = run(&L);
	free(L.row_h);
	if (s != SM_OK) {
		sm_flayout_free(L.l);
		return NULL;
	}
	return L.l;
}
