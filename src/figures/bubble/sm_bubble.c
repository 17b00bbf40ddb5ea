/* sm_bubble.c -- the bubble plot of a meta-regression (sm_bubble.h):
 * options, layout, the bundle's figures, cost. */
#include "sm_bubble.h"

#include "sm_axis.h"
#include "sm_buf.h"
#include "sm_fmt.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The largest bubble's radius (pt); others scale with the square root of
 * their weight so that areas are proportional to weights, as regplot. */
#define BUBBLE_RMAX 7.0

struct lay {
	struct sm_ctx *ctx;
	struct sm_fig *f;
	const struct sm_res_analysis *a;
	const struct sm_res_metareg *mr;
	const struct sm_res_bubble *b;
	int ratio;              /* y labelled with the back-transformed values */
	struct sm_tstyle body, tick;
	struct sm_axis ax, ay;  /* ay maps display values to page y */
	double px0, px1, py0, py1; /* plot area, py0 top */
};

static void options_init(void *opts)
{
	*(struct sm_bubble_options *)opts = (struct sm_bubble_options){ .common.dpi = 300 };
}

/* The analysis the figure is of: the named one, else the first with a
 * meta-regression. */
static const struct sm_res_analysis *analysis_of(const struct sm_res *res, const char *name)
{
	if (name)
		return sm_res_analysis_named(res, name);
	for (size_t i = 0; i < res->analyses.n; i++)
		if (res->analyses.v[i].meta_regression.present)
			return &res->analyses.v[i];
	return NULL;
}

static const struct sm_res_bubble *bubble_of(const struct sm_res_metareg *mr, const char *mod)
{
	for (size_t i = 0; i < mr->bubble.n; i++)
		if (mr->bubble.v[i].present && mr->bubble.v[i].line.present &&
		    (!mod || (mr->bubble.v[i].moderator && !strcmp(mr->bubble.v[i].moderator, mod))))
			return &mr->bubble.v[i];
	return NULL;
}

static sm_status pick(struct lay *L, const struct sm_res *res, const struct sm_bubble_options *o)
{
	const char *name = o->common.analysis;
	L->a = analysis_of(res, name);
	if (!L->a)
		return name ? SM_FAIL(L->ctx, SM_EINPUT, "no analysis named \"%s\"; expected one of "
				      "the results' analyses", name)
			    : SM_FAIL(L->ctx, SM_EINPUT, "no analysis has a meta-regression; "
				      "expected results of `analyze --mods NAME`");
	L->mr = &L->a->meta_regression;
	if (!L->mr->present)
		return SM_FAIL(L->ctx, SM_EINPUT, "analysis \"%s\" has no meta-regression; expected "
			       "results of `analyze --mods NAME`", L->a->name);
	L->b = bubble_of(L->mr, o->moderator);
	if (!L->b)
		return o->moderator
			       ? SM_FAIL(L->ctx, SM_EINPUT, "analysis \"%s\" has no bubble line for "
					 "moderator \"%s\"; expected a numeric moderator of its "
					 "meta-regression", L->a->name, o->moderator)
			       : SM_FAIL(L->ctx, SM_EINPUT, "analysis \"%s\" has no numeric moderator "
					 "to plot; expected `analyze --mods` with a numeric one",
					 L->a->name);
	const struct sm_res_line *ln = &L->b->line;
	L->ratio = ln->transformed.present && ln->transformed.function &&
		   !strcmp(ln->transformed.function, "exp");
	if (ln->x.n < 2 || ln->estimate.n != ln->x.n || ln->ci_lb.n != ln->x.n ||
	    ln->ci_ub.n != ln->x.n ||
	    (L->ratio && (ln->transformed.estimate.n != ln->x.n ||
			  ln->transformed.ci_lb.n != ln->x.n || ln->transformed.ci_ub.n != ln->x.n)))
		return SM_FAIL(L->ctx, SM_EINPUT, "analysis \"%s\": the bubble line of \"%s\" has "
			       "lists of different lengths; expected x, estimate, ci_lb, ci_ub "
			       "alike", L->a->name, L->b->moderator);
	return SM_OK;
}

/* The study's value of the moderator, NAN when it has none. */
static double study_x(const struct sm_res_mr_study *st, const char *mod)
{
	for (size_t j = 0; j < st->moderators.n; j++)
		if (st->moderators.v[j].key && !strcmp(st->moderators.v[j].key, mod) &&
		    st->moderators.v[j].value.kind == SM_CELL_NUMBER)
			return st->moderators.v[j].value.v;
	return NAN;
}

/* The y values on the axis's scale: back-transformed for ratio measures. */
static double study_y(const struct lay *L, const struct sm_res_mr_study *st)
{
	return L->ratio ? (st->transformed.present ? st->transformed.yi : NAN) : st->yi;
}

static const sm_res_numbers *line_of(const struct lay *L, int which)
{
	const struct sm_res_line *ln = &L->b->line;
	if (L->ratio)
		return which == 0 ? &ln->transformed.estimate
		       : which < 0 ? &ln->transformed.ci_lb : &ln->transformed.ci_ub;
	return which == 0 ? &ln->estimate : which < 0 ? &ln->ci_lb : &ln->ci_ub;
}

static void fit_axes(struct lay *L)
{
	const struct sm_res_line *ln = &L->b->line;
	double xlo = ln->x.v[0], xhi = ln->x.v[ln->x.n - 1], ylo = INFINITY, yhi = -INFINITY;
	const sm_res_numbers *lb = line_of(L, -1), *ub = line_of(L, 1);
	for (size_t i = 0; i < ln->x.n; i++) {
		ylo = fmin(ylo, lb->v[i]);
		yhi = fmax(yhi, ub->v[i]);
	}
	for (size_t i = 0; i < L->mr->studies.n; i++) {
		double x = study_x(&L->mr->studies.v[i], L->b->moderator);
		double y = study_y(L, &L->mr->studies.v[i]);
		if (isfinite(x) && isfinite(y)) {
			xlo = fmin(xlo, x), xhi = fmax(xhi, x);
			ylo = fmin(ylo, y), yhi = fmax(yhi, y);
		}
	}
	sm_axis_fit_range(&L->ax, 0, xlo, xhi);
	sm_axis_fit_range(&L->ay, L->ratio, ylo, yhi);
}

static char *tick_label(double v)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_fmt_short(&b, v);
	return sm_buf_take(&b);
}

static sm_status put(struct lay *L, const struct sm_tstyle *st, const char *s, double x, double y,
		     int halign, int tag, int ref)
{
	struct sm_extent e;
	sm_status r = sm_fig_measure(L->ctx, L->f, st, s, &e);
	if (r != SM_OK)
		return r;
	double ox = halign < 0 ? x : halign == 0 ? x - e.width / 2 : x - e.width;
	return sm_fig_put_text(L->ctx, L->f, st, s, ox, y, L->f->style->c_text, tag, ref, NULL);
}

static sm_status put_line(struct lay *L, double x0, double y0, double x1, double y1, double lw,
			  int tag)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_LINE);
	if (!it)
		return SM_EINTERNAL;
	it->x0 = x0, it->y0 = y0, it->x1 = x1, it->y1 = y1, it->lw = lw, it->stroke = 1;
	it->sc = L->f->style->c_text, it->tag = tag, it->layer = 2;
	return SM_OK;
}

static sm_status lay_ticks(struct lay *L, double tick_h)
{
	const struct sm_style *sy = L->f->style;
	sm_status s = SM_OK;
	for (int i = 0; s == SM_OK && i < L->ax.nticks; i++) {
		double x = sm_axis_map(&L->ax, L->ax.ticks[i]);
		char *t = tick_label(L->ax.ticks[i]);
		s = t ? put_line(L, x, L->py1, x, L->py1 + 3, sy->lw_axis, SM_BUBBLE_AXIS) : SM_EINTERNAL;
		if (s == SM_OK)
			s = put(L, &L->tick, t, x, L->py1 + 4, 0, SM_BUBBLE_TICK, 0);
		free(t);
	}
	for (int i = 0; s == SM_OK && i < L->ay.nticks; i++) {
		double y = sm_axis_map(&L->ay, L->ay.ticks[i]);
		char *t = tick_label(L->ay.ticks[i]);
		s = t ? put_line(L, L->px0 - 3, y, L->px0, y, sy->lw_axis, SM_BUBBLE_AXIS) : SM_EINTERNAL;
		if (s == SM_OK)
			s = put(L, &L->tick, t, L->px0 - 4, y - tick_h / 2, 1, SM_BUBBLE_TICK, 1);
		free(t);
	}
	if (s == SM_OK)
		s = put_line(L, L->px0, L->py1, L->px1, L->py1, sy->lw_axis, SM_BUBBLE_AXIS);
	if (s == SM_OK)
		s = put_line(L, L->px0, L->py0, L->px0, L->py1, sy->lw_axis, SM_BUBBLE_AXIS);
	return s;
}

/* The band (polygon along ci_ub, back along ci_lb) and the fitted line. */
static sm_status lay_line(struct lay *L)
{
	const struct sm_res_line *ln = &L->b->line;
	size_t n = ln->x.n;
	const sm_res_numbers *est = line_of(L, 0), *lb = line_of(L, -1), *ub = line_of(L, 1);
	double *band = sm_alloc_array(4 * n, sizeof *band), *mid = sm_alloc_array(2 * n, sizeof *mid);
	sm_status s = band && mid ? SM_OK : SM_EINTERNAL;
	for (size_t i = 0; s == SM_OK && i < n; i++) {
		double x = sm_axis_map(&L->ax, ln->x.v[i]);
		band[2 * i] = x, band[2 * i + 1] = sm_axis_map(&L->ay, ub->v[i]);
		band[4 * n - 2 * i - 2] = x, band[4 * n - 2 * i - 1] = sm_axis_map(&L->ay, lb->v[i]);
		mid[2 * i] = x, mid[2 * i + 1] = sm_axis_map(&L->ay, est->v[i]);
	}
	struct sm_fig_item *it = s == SM_OK ? sm_fig_add_poly(L->ctx, L->f, SM_FIG_POLY, band, 2 * n)
					    : NULL;
	if (it) {
		it->fill = 1, it->fc = sm_fig_rgb(0xdcdcdc), it->tag = SM_BUBBLE_BAND, it->layer = 0;
		it = sm_fig_add_poly(L->ctx, L->f, SM_FIG_PATH, mid, n);
	}
	if (it)
		it->stroke = 1, it->sc = L->f->style->c_text, it->lw = 2 * L->f->style->lw_ci,
		it->tag = SM_BUBBLE_LINE, it->layer = 3;
	free(band);
	free(mid);
	return s == SM_OK && !it ? SM_EINTERNAL : s;
}

static sm_status lay_points(struct lay *L)
{
	double wmax = 0;
	for (size_t i = 0; i < L->mr->studies.n; i++)
		if (isfinite(L->mr->studies.v[i].weight))
			wmax = fmax(wmax, L->mr->studies.v[i].weight);
	for (size_t i = 0; i < L->mr->studies.n; i++) {
		const struct sm_res_mr_study *st = &L->mr->studies.v[i];
		double x = study_x(st, L->b->moderator), y = study_y(L, st);
		if (!isfinite(x) || !isfinite(y) || !(wmax > 0) || !isfinite(st->weight))
			continue;
		struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_CIRCLE);
		if (!it)
			return SM_EINTERNAL;
		it->x0 = sm_axis_map(&L->ax, x), it->y0 = sm_axis_map(&L->ay, y);
		it->r = fmax(1.0, BUBBLE_RMAX * sqrt(st->weight / wmax));
		it->fill = 1, it->fc = L->f->style->c_square, it->stroke = 1,
		it->sc = L->f->style->c_text, it->lw = L->f->style->lw_ci;
		it->tag = SM_BUBBLE_POINT, it->ref = (int)i, it->layer = 1;
	}
	return SM_OK;
}

/* "Meta-regression (REML): QM = 16.36, df = 1, P < 0.001; R² = 75.6%;
 * other moderators held at ...". */
static char *caption(const struct lay *L)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_printf(&b, "Meta-regression%s%s%s: Q", L->mr->method ? " (" : "",
		      L->mr->method ? L->mr->method : "", L->mr->method ? ")" : "");
	sm_buf_puts(&b, "M = ");
	sm_fmt_num(&b, L->mr->QM, 2);
	sm_buf_puts(&b, ", df = ");
	sm_fmt_short(&b, L->mr->QM_df);
	sm_buf_puts(&b, ", ");
	sm_fmt_p(&b, L->mr->QM_p, L->f->style->d_p);
	if (isfinite(L->mr->R2)) {
		sm_buf_puts(&b, "; R\xc2\xb2 = ");
		sm_fmt_num(&b, L->mr->R2, 1);
		sm_buf_puts(&b, "%");
	}
	if (L->b->others && strcmp(L->b->others, "none"))
		sm_buf_printf(&b, "; other moderators held at %s", L->b->others);
	sm_buf_puts(&b, ".");
	return sm_buf_take(&b);
}

static char *x_title(const struct lay *L)
{
	const char *t = L->b->axis_label ? L->b->axis_label : L->b->moderator;
	return L->b->unit && !strstr(t, L->b->unit) ? sm_asprintf("%s (%s)", t, L->b->unit)
						    : sm_asprintf("%s", t);
}

static sm_status build(struct lay *L, const struct sm_res *res, const struct sm_bubble_options *o)
{
	sm_status s = pick(L, res, o);
	if (s != SM_OK)
		return s;
	double width;
	if (sm_fig_width(L->ctx, L->f, o->common.width ? o->common.width : "120mm", 60, &width) !=
	    SM_OK)
		return SM_EINPUT;
	const struct sm_style *sy = L->f->style;
	L->body = sm_fig_role(L->f, SM_FR_BODY);
	L->tick = sm_fig_role(L->f, SM_FR_SMALL);
	struct sm_extent e;
	if ((s = sm_fig_measure(L->ctx, L->f, &L->tick, "0.00", &e)) != SM_OK)
		return s;
	double tick_h = e.height, tick_w = e.width, m = sy->margin;
	char *ylab = sm_asprintf("%s%s", L->a->measure ? L->a->measure : "Effect",
				 L->ratio ? " (log scale)" : "");
	char *xlab = x_title(L), *cap = caption(L);
	struct sm_tstyle capst = L->tick;
	capst.wrap = width - 2 * m;
	s = ylab && xlab && cap ? sm_fig_measure(L->ctx, L->f, &L->body, ylab, &e) : SM_EINTERNAL;
	double title_h = e.height;
	L->px0 = m + tick_w + 6;
	L->px1 = width - m - BUBBLE_RMAX;
	L->py0 = m + tick_h + 4 + BUBBLE_RMAX;
	L->py1 = L->py0 + (L->px1 - L->px0) * 0.62;
	fit_axes(L);
	L->ax.x0 = L->px0 + BUBBLE_RMAX, L->ax.x1 = L->px1;
	L->ay.x0 = L->py1 - BUBBLE_RMAX, L->ay.x1 = L->py0;
	if (s == SM_OK)
		s = lay_line(L);
	if (s == SM_OK)
		s = lay_points(L);
	if (s == SM_OK)
		s = lay_ticks(L, tick_h);
	double y = L->py1 + 4 + tick_h + 4;
	if (s == SM_OK)
		s = put(L, &L->body, xlab, (L->px0 + L->px1) / 2, y, 0, SM_BUBBLE_TITLE_X, 0);
	y += title_h + 6;
	if (s == SM_OK)
		s = sm_fig_put_text(L->ctx, L->f, &capst, cap, m, y, sy->c_text, SM_BUBBLE_CAPTION,
				    0, NULL);
	if (s == SM_OK) {
		const struct sm_fig_text *t = &L->f->texts[L->f->ntexts - 1];
		L->f->width = width;
		L->f->height = t->box.y1 + m;
		/* texts are not rotated: the y title heads its axis */
		s = put(L, &L->tick, ylab, m, m, -1, SM_BUBBLE_TITLE_Y, 0);
	}
	free(ylab);
	free(xlab);
	free(cap);
	return s == SM_OK ? sm_fig_finish(L->ctx, L->f) : s;
}

static sm_status layout(struct sm_ctx *ctx, const struct sm_res *res, const void *opts,
			const struct sm_figure_env *env, struct sm_fig **out)
{
	(void)env;
	*out = NULL;
	struct lay L = { .ctx = ctx };
	const struct sm_bubble_options *o = opts;
	sm_status s = (L.f = sm_fig_new(ctx, o->common.style)) ? build(&L, res, o) : SM_EINPUT;
	if (s != SM_OK) {
		sm_fig_free(L.f);
		return s;
	}
	*out = L.f;
	return SM_OK;
}

static int has_bubble(const struct sm_res_analysis *a, const void *arg)
{
	(void)arg;
	return a->meta_regression.present && bubble_of(&a->meta_regression, NULL) != NULL;
}

static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	return sm_figure_plan_per_analysis(ctx, res, p, &sm_figure_bubble, has_bubble, NULL);
}

static double cost(const struct sm_res *res, const void *opts)
{
	(void)res, (void)opts;
	return 10;
}

#define OPT(m) offsetof(struct sm_bubble_options, m)

static const struct sm_fopt bubble_opts[] = {
	{ "moderator", SM_FOPT_STRING, OPT(moderator), "NAME",
	  "the numeric moderator on the x axis\n(default: the first)", NULL, 0, 0 },
};

const struct sm_figure_kind sm_figure_bubble = {
	.name = "bubble",
	.summary = "bubble plot of a meta-regression on a numeric moderator",
	.positional = "analysis",
	.opts = bubble_opts,
	.nopts = sizeof bubble_opts / sizeof bubble_opts[0],
	.opts_size = sizeof(struct sm_bubble_options),
	.opts_init = options_init,
	.layout = layout,
	.plan = plan,
	.cost = cost,
};
