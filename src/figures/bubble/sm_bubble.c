/* sm_bubble.c -- the bubble plot's layout (sm_bubble.h): one plot area,
 * axes fitted to the points and the band, the caption under it. */
#include "sm_bubble.h"

#include "sm_axis.h"
#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_measure.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define BB_RMAX 7.0   /* radius of the heaviest study's circle (pt) */
#define BB_RMIN 1.2   /* no circle smaller than this (pt) */
#define BB_TICK 3.0   /* tick length (pt) */

struct pt {
	double x, y, w;
	size_t study;
};

struct lay {
	struct sm_ctx *ctx;
	struct sm_fig *f;
	const struct sm_res_analysis *a;
	const struct sm_res_bubble *b;
	int log;         /* ratio measure: the line's transformed values on a log axis */
	struct pt *pts;
	size_t npts;
	struct sm_tstyle body, tick;
	struct sm_axis xa, ya;
};

static const struct sm_res_analysis *find_analysis(struct sm_ctx *ctx, const struct sm_res *res,
						   const char *name)
{
	if (!name) {
		for (size_t i = 0; i < res->analyses.n; i++)
			if (res->analyses.v[i].meta_regression.present)
				return &res->analyses.v[i];
		SM_FAIL(ctx, SM_EINPUT, "no analysis of these results has a meta-regression; "
			"expected results of `safemeta analyze --mods COLUMN`");
		return NULL;
	}
	const struct sm_res_analysis *a = sm_res_analysis_named(res, name);
	if (!a)
		SM_FAIL(ctx, SM_EINPUT, "no analysis named '%s'; expected the name of an analysis "
			"of the results", name);
	else if (!a->meta_regression.present)
		SM_FAIL(ctx, SM_EINPUT, "analysis '%s' has no meta-regression; expected results "
			"of `safemeta analyze --mods COLUMN`", name);
	else
		return a;
	return NULL;
}

static const struct sm_res_bubble *find_bubble(struct sm_ctx *ctx,
					       const struct sm_res_analysis *a, const char *mod)
{
	const struct sm_res_metareg *m = &a->meta_regression;
	for (size_t i = 0; i < m->bubble.n; i++)
		if (m->bubble.v[i].line.present && (!mod || !strcmp(m->bubble.v[i].moderator, mod)))
			return &m->bubble.v[i];
	if (mod)
		SM_FAIL(ctx, SM_EINPUT, "analysis '%s' has no bubble plot for moderator '%s'; "
			"expected a numeric moderator of its meta-regression", a->name, mod);
	else
		SM_FAIL(ctx, SM_EINPUT, "analysis '%s' has no numeric moderator to plot; expected "
			"a meta-regression on a numeric column (`analyze --mods`)", a->name);
	return NULL;
}

/* The line's value `i` of one of its series on the axis's scale. */
static double line_y(const struct lay *L, const sm_res_numbers *raw, const sm_res_numbers *tr,
		     size_t i)
{
	const sm_res_numbers *v = L->log ? tr : raw;
	return i < v->n ? v->v[i] : NAN;
}

static sm_status read_points(struct lay *L)
{
	const struct sm_res_metareg *m = &L->a->meta_regression;
	L->pts = calloc(m->studies.n ? m->studies.n : 1, sizeof *L->pts);
	if (!L->pts)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	for (size_t i = 0; i < m->studies.n; i++) {
		const struct sm_res_mr_study *s = &m->studies.v[i];
		double y = L->log ? (s->transformed.present ? s->transformed.yi : NAN) : s->yi;
		for (size_t j = 0; j < s->moderators.n; j++) {
			const struct sm_res_char *c = &s->moderators.v[j];
			if (strcmp(c->key, L->b->moderator) || c->value.kind != SM_CELL_NUMBER)
				continue;
			if (isfinite(c->value.v) && isfinite(y) && isfinite(s->weight))
				L->pts[L->npts++] = (struct pt){ c->value.v, y, s->weight, i };
		}
	}
	return SM_OK;
}

static void fit_axes(struct lay *L)
{
	const struct sm_res_line *ln = &L->b->line;
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	for (size_t i = 0; i < L->npts; i++) {
		xlo = fmin(xlo, L->pts[i].x);
		xhi = fmax(xhi, L->pts[i].x);
		ylo = fmin(ylo, L->pts[i].y);
		yhi = fmax(yhi, L->pts[i].y);
	}
	for (size_t i = 0; i < ln->x.n; i++) {
		xlo = fmin(xlo, ln->x.v[i]);
		xhi = fmax(xhi, ln->x.v[i]);
		double lb = line_y(L, &ln->ci_lb, &ln->transformed.ci_lb, i);
		double ub = line_y(L, &ln->ci_ub, &ln->transformed.ci_ub, i);
		if (isfinite(lb))
			ylo = fmin(ylo, lb);
		if (isfinite(ub))
			yhi = fmax(yhi, ub);
	}
	if (!(xhi >= xlo))
		xlo = xhi = 0;
	if (!(yhi >= ylo))
		ylo = yhi = L->log ? 1 : 0;
	sm_axis_fit_range(&L->xa, 0, xlo, xhi);
	sm_axis_fit_range(&L->ya, L->log, ylo, yhi);
}

static sm_status measure(struct lay *L, const struct sm_tstyle *st, const char *s,
			 struct sm_extent *e)
{
	*e = (struct sm_extent){ 0 };
	return sm_fig_measure(L->ctx, L->f, st, s, e);
}

/* Put text with its box's left/centre/right (align -1/0/1) at x and its
 * vertical centre (vmid) or top at y. */
static sm_status put(struct lay *L, const struct sm_tstyle *st, const char *s, double x,
		     double y, int align, int vmid, int tag)
{
	unsigned at = vmid ? SM_FIG_AT_VMID : 0u;
	return sm_fig_put_aligned(L->ctx, L->f, st, s, x, y, align, at, tag, -1);
}

static sm_status put_tick_label(struct lay *L, double v, double x, double y, int align,
				int vmid)
{
	char *t = sm_fmt_short_str(v);
	if (!t)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	sm_status s = put(L, &L->tick, t, x, y, align, vmid, SM_BB_TICK);
	free(t);
	return s;
}

static sm_status widest_tick(struct lay *L, const struct sm_axis *ax, double *w)
{
	*w = 0;
	for (int i = 0; i < ax->nticks; i++) {
		char *t = sm_fmt_short_str(ax->ticks[i]);
		if (!t)
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		struct sm_extent e;
		sm_status s = measure(L, &L->tick, t, &e);
		free(t);
		if (s != SM_OK)
			return s;
		*w = fmax(*w, e.width);
	}
	return SM_OK;
}

/* Drop x ticks until neighbouring labels keep a gap of 3 pt. */
static sm_status thin_x(struct lay *L)
{
	for (;;) {
		int ok = 1;
		double prev = -INFINITY;
		for (int i = 0; i < L->xa.nticks && ok; i++) {
			char *t = sm_fmt_short_str(L->xa.ticks[i]);
			if (!t)
				return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
			struct sm_extent e;
			sm_status s = measure(L, &L->tick, t, &e);
			free(t);
			if (s != SM_OK)
				return s;
			double c = sm_axis_map(&L->xa, L->xa.ticks[i]);
			ok = c - e.width / 2 >= prev + 3;
			prev = c + e.width / 2;
		}
		if (ok || !sm_axis_thin(&L->xa))
			return SM_OK;
	}
}

static struct sm_fig_item *line_item(struct lay *L, double x0, double y0, double x1, double y1,
				     int tag)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_LINE);
	if (it) {
		*it = (struct sm_fig_item){ .kind = SM_FIG_LINE, .tag = tag, .ref = -1,
					    .page = it->page, .x0 = x0, .y0 = y0, .x1 = x1,
					    .y1 = y1, .stroke = 1, .sc = L->f->style->c_text,
					    .lw = L->f->style->lw_axis };
	}
	return it;
}

static sm_status draw_axes(struct lay *L, double top, double bottom)
{
	const struct sm_style *st = L->f->style;
	double left = L->xa.x0, right = L->xa.x1;
	if (!line_item(L, left, bottom, right, bottom, SM_BB_AXIS) ||
	    !line_item(L, left, top, left, bottom, SM_BB_AXIS))
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	sm_status s = SM_OK;
	for (int i = 0; i < L->xa.nticks && s == SM_OK; i++) {
		double x = sm_axis_map(&L->xa, L->xa.ticks[i]);
		if (!line_item(L, x, bottom, x, bottom + BB_TICK, SM_BB_AXIS))
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		s = put_tick_label(L, L->xa.ticks[i], x, bottom + BB_TICK + 1, 0, 0);
	}
	for (int i = 0; i < L->ya.nticks && s == SM_OK; i++) {
		double y = sm_axis_map(&L->ya, L->ya.ticks[i]);
		if (!line_item(L, left - BB_TICK, y, left, y, SM_BB_AXIS))
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		s = put_tick_label(L, L->ya.ticks[i], left - BB_TICK - 2, y, 1, 1);
	}
	/* the null line, when no effect lies inside the axis */
	double nv = L->log ? 1 : 0;
	if (s == SM_OK && sm_measure_axis(L->a->measure) != SM_AXIS_PROP &&
	    nv > L->ya.lo && nv < L->ya.hi) {
		double y = sm_axis_map(&L->ya, nv);
		struct sm_fig_item *it = line_item(L, left, y, right, y, SM_BB_NULL);
		if (!it)
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		it->sc = st->c_null;
		it->lw = st->lw_null;
		it->dash = 2;
	}
	return s;
}

static int by_weight_desc(const void *a, const void *b)
{
	const struct pt *p = a, *q = b;
	return p->w > q->w ? -1 : p->w < q->w ? 1 : (p->study > q->study) - (p->study < q->study);
}

/* The band (layer 0), the circles (1, heaviest first so small ones stay
 * visible) and the fitted line (2). */
static sm_status draw_data(struct lay *L)
{
	const struct sm_res_line *ln = &L->b->line;
	const struct sm_style *st = L->f->style;
	size_t n = ln->x.n;
	double *xy = calloc(4 * (n ? n : 1), sizeof *xy);
	if (!xy)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		double ub = line_y(L, &ln->ci_ub, &ln->transformed.ci_ub, i);
		if (isfinite(ub)) {
			xy[2 * m] = sm_axis_map(&L->xa, ln->x.v[i]);
			xy[2 * m++ + 1] = sm_axis_map(&L->ya, ub);
		}
	}
	for (size_t i = n; i-- > 0;) {
		double lb = line_y(L, &ln->ci_lb, &ln->transformed.ci_lb, i);
		if (isfinite(lb)) {
			xy[2 * m] = sm_axis_map(&L->xa, ln->x.v[i]);
			xy[2 * m++ + 1] = sm_axis_map(&L->ya, lb);
		}
	}
	struct sm_fig_item *it = m >= 3 ? sm_fig_add_poly(L->ctx, L->f, SM_FIG_POLY, xy, m) : NULL;
	if (it) {
		it->tag = SM_BB_BAND;
		it->ref = -1;
		it->fill = 1;
		it->stroke = 0;
		/* the lightest contour grey: a band under the circles and the line */
		it->fc = st->c_contour[SM_STYLE_NCONTOUR - 1];
		it->layer = 0;
	}
	m = 0;
	for (size_t i = 0; i < n; i++) {
		double e = line_y(L, &ln->estimate, &ln->transformed.estimate, i);
		if (isfinite(e)) {
			xy[2 * m] = sm_axis_map(&L->xa, ln->x.v[i]);
			xy[2 * m++ + 1] = sm_axis_map(&L->ya, e);
		}
	}
	it = m >= 2 ? sm_fig_add_poly(L->ctx, L->f, SM_FIG_PATH, xy, m) : NULL;
	free(xy);
	if (it) {
		it->tag = SM_BB_LINE;
		it->ref = -1;
		it->stroke = 1;
		it->sc = st->c_diamond_line;
		it->lw = st->lw_diamond * 2;
		it->layer = 2;
	}
	/* heaviest first, so the lighter circles stay visible on top */
	qsort(L->pts, L->npts, sizeof *L->pts, by_weight_desc);
	double wmax = 0;
	for (size_t i = 0; i < L->npts; i++)
		wmax = fmax(wmax, L->pts[i].w);
	for (size_t i = 0; i < L->npts; i++) {
		struct pt *p = &L->pts[i];
		struct sm_fig_item *c = sm_fig_add(L->ctx, L->f, SM_FIG_CIRCLE);
		if (!c)
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		c->tag = SM_BB_POINT;
		c->ref = (int)p->study;
		c->x0 = sm_axis_map(&L->xa, p->x);
		c->y0 = sm_axis_map(&L->ya, p->y);
		/* area proportional to weight, as regplot */
		c->r = fmax(BB_RMIN, wmax > 0 ? BB_RMAX * sqrt(p->w / wmax) : BB_RMIN);
		c->layer = 1;
		c->fill = 1;
		c->stroke = 1;
		c->fc = st->c_square;
		/* a white rim keeps overlapping circles apart, also in greyscale
		 * where the fill is as dark as the text */
		c->sc = sm_fig_rgb(0xFFFFFF);
		c->lw = st->lw_marker;
	}
	return SM_OK;
}

static char *caption(struct lay *L)
{
	const struct sm_res_metareg *m = &L->a->meta_regression;
	const struct sm_style *st = L->f->style;
	struct sm_buf b;
	sm_buf_init(&b);
	/* QM tests all the moderators of the model, not only the plotted one */
	sm_buf_puts(&b, "Meta-regression, test of all moderators: ");
	int f = m->QM_distribution && !strcmp(m->QM_distribution, "F");
	sm_buf_puts(&b, f ? "F = " : "QM = ");
	sm_fmt_num(&b, m->QM, st->d_stat);
	sm_buf_puts(&b, " (df = ");
	sm_fmt_short(&b, m->QM_df);
	if (f && isfinite(m->QM_df2)) {
		sm_buf_puts(&b, ", ");
		sm_fmt_short(&b, m->QM_df2);
	}
	sm_buf_puts(&b, "), ");
	sm_fmt_p(&b, m->QM_p, st->d_p);
	if (isfinite(m->R2)) {
		sm_buf_puts(&b, "; R\xc2\xb2 = ");
		sm_fmt_num(&b, m->R2, 1);
		sm_buf_puts(&b, "%");
	}
	sm_buf_printf(&b, ". Other moderators held at: %s. Circles: studies, area proportional "
		      "to weight; line: fitted values with their ",
		      L->b->others ? L->b->others : "none");
	sm_fmt_short(&b, isfinite(L->a->level) ? L->a->level : 95);
	sm_buf_puts(&b, "% confidence band.");
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

static char *y_title(const struct lay *L)
{
	if (L->log)
		return sm_asprintf("%s (log scale)", sm_measure_title(L->a->measure));
	return sm_asprintf("%s", sm_measure_scale_title(L->a->measure));
}

static char *x_title(const struct lay *L)
{
	return sm_asprintf("%s", L->b->axis_label ? L->b->axis_label : L->b->moderator);
}

/* Title, y title, plot, x ticks and title, caption, top to bottom. */
static sm_status lay_out(struct lay *L, const char *title, double width)
{
	const struct sm_style *st = L->f->style;
	double margin = st->margin, y = margin;
	struct sm_tstyle bold = sm_fig_role(L->f, SM_FR_BOLD);
	struct sm_extent e;
	sm_status s = SM_OK;
	if (title && *title) {
		bold.wrap = width - 2 * margin;
		s = measure(L, &bold, title, &e);
		if (s == SM_OK)
			s = sm_fig_put_text(L->ctx, L->f, &bold, title, margin, y, st->c_text,
					    SM_BB_TITLE, -1, NULL);
		y += e.height + 4;
	}
	char *yt = y_title(L), *xt = x_title(L), *cap = caption(L);
	if (!yt || !xt || !cap)
		s = SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	double gutter = 0, last = 0;
	if (s == SM_OK)
		s = widest_tick(L, &L->ya, &gutter);
	if (s == SM_OK && L->xa.nticks > 0) {
		char *t = sm_fmt_short_str(L->xa.ticks[L->xa.nticks - 1]);
		s = t ? measure(L, &L->tick, t, &e) : SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		last = t && s == SM_OK ? e.width / 2 : 0;
		free(t);
	}
	double left = margin + gutter + BB_TICK + 2, right = width - margin - fmax(last, 2);
	if (s == SM_OK && right - left < 60)
		s = SM_FAIL(L->ctx, SM_EINPUT, "figure too narrow for a bubble plot; expected a "
			    "wider --width");
	if (s == SM_OK)
		s = put(L, &L->tick, yt, margin, y, -1, 0, SM_BB_YTITLE);
	if (s == SM_OK)
		s = measure(L, &L->tick, yt, &e);
	y += e.height + 4;
	double top = y, plot_h = fmin((right - left) * 0.7, 110 * SM_PT_PER_MM);
	double bottom = top + plot_h;
	L->xa.x0 = left;
	L->xa.x1 = right;
	L->ya.x0 = bottom;
	L->ya.x1 = top;
	if (s == SM_OK)
		s = thin_x(L);
	while (s == SM_OK && L->ya.nticks > 2 && plot_h / L->ya.nticks < L->tick.size * 1.6 &&
	       sm_axis_thin(&L->ya))
		;
	if (s == SM_OK)
		s = draw_data(L);
	if (s == SM_OK)
		s = draw_axes(L, top, bottom);
	y = bottom + BB_TICK + 1;
	if (s == SM_OK)
		s = measure(L, &L->tick, "0", &e);
	y += e.height + 3;
	if (s == SM_OK)
		s = put(L, &L->body, xt, (left + right) / 2, y, 0, 0, SM_BB_XTITLE);
	if (s == SM_OK)
		s = measure(L, &L->body, xt, &e);
	y += e.height + 6;
	struct sm_tstyle cs = L->tick;
	cs.wrap = width - 2 * margin;
	if (s == SM_OK)
		s = measure(L, &cs, cap, &e);
	if (s == SM_OK)
		s = sm_fig_put_text(L->ctx, L->f, &cs, cap, margin, y, st->c_text, SM_BB_CAPTION,
				    -1, NULL);
	y += e.height + margin;
	free(yt);
	free(xt);
	free(cap);
	L->f->width = width;
	L->f->height = y;
	return s;
}

static sm_status build(struct lay *L, const struct sm_res *res, const struct sm_bubble_options *o)
{
	if (!(L->a = find_analysis(L->ctx, res, o->common.analysis)))
		return SM_EINPUT;
	if (!(L->b = find_bubble(L->ctx, L->a, o->moderator)))
		return SM_EINPUT;
	const struct sm_res_line_display *t = &L->b->line.transformed;
	L->log = t->present && t->function && !strcmp(t->function, "exp");
	sm_status s = read_points(L);
	if (s != SM_OK)
		return s;
	double width;
	if (sm_fig_width(L->ctx, L->f, o->common.width ? o->common.width : "120mm", 60,
			 &width) != SM_OK)
		return SM_EINPUT;
	L->body = sm_fig_role(L->f, SM_FR_BODY);
	L->tick = sm_fig_role(L->f, SM_FR_SMALL);
	fit_axes(L);
	s = lay_out(L, o->common.title, width);
	return s == SM_OK ? sm_fig_finish(L->ctx, L->f) : s;
}

static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	(void)env;
	*out = NULL;
	struct lay L = { .ctx = ctx };
	sm_status s = (L.f = sm_fig_new(ctx, sm_figure_common_of(opts)->style))
		? build(&L, res, opts) : sm_ctx_status(ctx, SM_EINPUT);
	free(L.pts);
	if (s != SM_OK) {
		sm_fig_free(L.f);
		return s;
	}
	*out = L.f;
	return SM_OK;
}

static void options_init(void *opts)
{
	*(struct sm_bubble_options *)opts = (struct sm_bubble_options){ .common.dpi = 300 };
}

static int has_bubble(const struct sm_res_analysis *a, const void *arg)
{
	(void)arg;
	for (size_t j = 0; a->meta_regression.present && j < a->meta_regression.bubble.n; j++)
		if (a->meta_regression.bubble.v[j].line.present)
			return 1;
	return 0;
}

/* bubble-<analysis> for every analysis with a bubble entry, of its first
 * moderator: a bundle job carries the analysis only (sm_figure_job), so
 * the other moderators are drawn with `render bubble --moderator`. */
static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	return sm_figure_plan_per_analysis(ctx, res, p, &sm_figure_bubble, has_bubble, NULL);
}

static double cost(const struct sm_res *res, const void *opts)
{
	(void)res;
	(void)opts;
	return 10;
}

#define OPT(m) offsetof(struct sm_bubble_options, m)

static const struct sm_fopt bubble_opts[] = {
	{ "moderator", SM_FOPT_STRING, OPT(moderator), "NAME",
	  "the numeric moderator to plot (default: the first)", NULL, 0, 0 },
};

const struct sm_figure_kind sm_figure_bubble = {
	.name = "bubble",
	.summary = "meta-regression bubble plot of an analysis (metafor regplot)",
	.positional = "analysis",
	.opts = bubble_opts,
	.nopts = sizeof bubble_opts / sizeof bubble_opts[0],
	.opts_size = sizeof(struct sm_bubble_options),
	.opts_init = options_init,
	.layout = layout,
	.plan = plan,
	.cost = cost,
};
