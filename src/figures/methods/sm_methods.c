/* sm_methods.c -- the method forest's layout (sm_methods.h): a label
 * column, the plot and a numbers column, one row per method, the axis and
 * the footnote under them. */
#include "sm_methods.h"

#include "sm_axis.h"
#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_measure.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MT_SQUARE 3.0 /* half side of every square (pt): equal sizes */
#define MT_TICK 3.0

struct lay {
	struct sm_ctx *ctx;
	struct sm_fig *f;
	const struct sm_res_analysis *a;
	const char *measure;
	struct sm_tstyle body, bold, small;
	struct sm_axis ax;
};

static const struct sm_res_analysis *find_analysis(struct sm_ctx *ctx, const struct sm_res *res,
						   const char *name)
{
	if (!name) {
		for (size_t i = 0; i < res->analyses.n; i++)
			if (res->analyses.v[i].rare_events.present)
				return &res->analyses.v[i];
		SM_FAIL(ctx, SM_EINPUT, "no analysis of these results compares rare-event methods; "
			"expected results of `safemeta analyze` of a binary outcome");
		return NULL;
	}
	const struct sm_res_analysis *a = sm_res_analysis_named(res, name);
	if (!a)
		SM_FAIL(ctx, SM_EINPUT, "no analysis named '%s'; expected the name of an analysis "
			"of the results", name);
	else if (!a->rare_events.present || a->rare_events.methods.n == 0)
		SM_FAIL(ctx, SM_EINPUT, "analysis '%s' has no rare_events block; expected an "
			"analysis of a binary outcome", name);
	else
		return a;
	return NULL;
}

static int drawn(const struct lay *L, const struct sm_res_rare_method *m)
{
	return m->measure && !strcmp(m->measure, L->measure);
}

static sm_status put(struct lay *L, const struct sm_tstyle *st, const char *s, double x,
		     double y, int right, int tag, int ref, struct sm_rgb c, double *h)
{
	struct sm_extent e = { 0 };
	sm_status r = sm_fig_measure(L->ctx, L->f, st, s, &e);
	if (r == SM_OK)
		r = sm_fig_put_text(L->ctx, L->f, st, s, right ? x - e.width : x, y, c, tag, ref,
				    NULL);
	if (h)
		*h = e.height;
	return r;
}

static char *label(const struct sm_res_rare_method *m)
{
	if (m->glmm)
		return sm_asprintf("GLMM %s", m->glmm);
	return sm_asprintf("%s", !strcmp(m->method, "PETO") ? "Peto" : m->method);
}

static char *numbers(const struct lay *L, const struct sm_res_rare_method *m)
{
	const struct sm_style *st = L->f->style;
	struct sm_buf b;
	sm_buf_init(&b);
	sm_fmt_num(&b, m->estimate, st->d_effect);
	sm_buf_puts(&b, " [");
	sm_fmt_num(&b, m->ci_lb, st->d_effect);
	sm_buf_puts(&b, ", ");
	sm_fmt_num(&b, m->ci_ub, st->d_effect);
	sm_buf_puts(&b, "]");
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

static char *p_and_k(const struct lay *L, const struct sm_res_rare_method *m)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_fmt_p(&b, m->p, L->f->style->d_p);
	sm_buf_puts(&b, "; k = ");
	sm_fmt_short(&b, m->k_used);
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

static sm_status widest(struct lay *L, const struct sm_tstyle *st,
			char *(*text)(const struct lay *, const struct sm_res_rare_method *),
			double *w)
{
	const struct sm_res_rare *r = &L->a->rare_events;
	*w = 0;
	for (size_t i = 0; i < r->methods.n; i++) {
		if (!drawn(L, &r->methods.v[i]))
			continue;
		char *t = text(L, &r->methods.v[i]);
		struct sm_extent e = { 0 };
		sm_status s = t ? sm_fig_measure(L->ctx, L->f, st, t, &e)
				: SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		free(t);
		if (s != SM_OK)
			return s;
		*w = fmax(*w, e.width);
	}
	return SM_OK;
}

static struct sm_fig_item *line_item(struct lay *L, double x0, double y0, double x1, double y1,
				     int tag, int ref)
{
	struct sm_fig_item *it = sm_fig_add(L->ctx, L->f, SM_FIG_LINE);
	if (it) {
		it->tag = tag;
		it->ref = ref;
		it->x0 = x0, it->y0 = y0, it->x1 = x1, it->y1 = y1;
		it->stroke = 1;
		it->sc = L->f->style->c_ci;
		it->lw = L->f->style->lw_ci;
	}
	return it;
}

static sm_status row(struct lay *L, size_t i, double lx, double lw, double nx, double *y)
{
	const struct sm_res_rare_method *m = &L->a->rare_events.methods.v[i];
	const struct sm_style *st = L->f->style;
	char *lab = label(m), *num = numbers(L, m), *pk = p_and_k(L, m);
	sm_status s = lab && num && pk ? SM_OK : SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	double h1 = 0, h2 = 0, n1 = 0, n2 = 0;
	struct sm_tstyle model = L->small;
	model.wrap = lw;
	if (s == SM_OK)
		s = put(L, &L->bold, lab, lx, *y, 0, SM_MT_LABEL, (int)i, st->c_text, &h1);
	if (s == SM_OK && m->model)
		s = put(L, &model, m->model, lx, *y + h1, 0, SM_MT_MODEL, (int)i, st->c_muted, &h2);
	if (s == SM_OK)
		s = put(L, &L->body, num, nx, *y, 1, SM_MT_NUMBERS, (int)i, st->c_text, &n1);
	if (s == SM_OK)
		s = put(L, &L->small, pk, nx, *y + n1, 1, SM_MT_NUMBERS, (int)i, st->c_text, &n2);
	/* the square and its interval on the label's line */
	double cy = *y + h1 / 2;
	if (s == SM_OK && isfinite(m->ci_lb) && isfinite(m->ci_ub) &&
	    !line_item(L, sm_axis_map(&L->ax, m->ci_lb), cy, sm_axis_map(&L->ax, m->ci_ub), cy,
		       SM_MT_CI, (int)i))
		s = SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	if (s == SM_OK && isfinite(m->estimate)) {
		double cx = sm_axis_map(&L->ax, m->estimate);
		struct sm_fig_item *sq = sm_fig_add(L->ctx, L->f, SM_FIG_RECT);
		if (!sq)
			s = SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		else {
			sq->tag = SM_MT_SQUARE;
			sq->ref = (int)i;
			sq->x0 = cx - MT_SQUARE, sq->x1 = cx + MT_SQUARE;
			sq->y0 = cy - MT_SQUARE, sq->y1 = cy + MT_SQUARE;
			sq->fill = 1;
			sq->fc = st->c_square;
			sq->layer = 1;
		}
	}
	free(lab);
	free(num);
	free(pk);
	*y += fmax(h1 + h2, n1 + n2) + 5;
	return s;
}

static sm_status axis(struct lay *L, double top, double y, double *bottom)
{
	const struct sm_style *st = L->f->style;
	sm_status s = SM_OK;
	if (!line_item(L, L->ax.x0, y, L->ax.x1, y, SM_MT_AXIS, -1))
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	double th = 0;
	for (int i = 0; i < L->ax.nticks && s == SM_OK; i++) {
		double x = sm_axis_map(&L->ax, L->ax.ticks[i]);
		if (!line_item(L, x, y, x, y + MT_TICK, SM_MT_AXIS, -1))
			return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		struct sm_buf b;
		sm_buf_init(&b);
		sm_fmt_short(&b, L->ax.ticks[i]);
		char *t = b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
		struct sm_extent e = { 0 };
		s = t ? sm_fig_measure(L->ctx, L->f, &L->small, t, &e)
		      : SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
		if (s == SM_OK)
			s = sm_fig_put_text(L->ctx, L->f, &L->small, t, x - e.width / 2,
					    y + MT_TICK + 1, st->c_text, SM_MT_TICK, -1, NULL);
		th = e.height;
		free(t);
	}
	double nv = sm_axis_null(&L->ax), nx = sm_axis_map(&L->ax, nv);
	struct sm_fig_item *n = line_item(L, nx, top, nx, y, SM_MT_NULL, -1);
	if (!n)
		return SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	n->sc = st->c_null;
	n->lw = st->lw_null;
	*bottom = y + MT_TICK + 1 + th;
	return s;
}

static sm_status thin(struct lay *L)
{
	for (;;) {
		int ok = 1;
		double prev = -INFINITY;
		for (int i = 0; i < L->ax.nticks && ok; i++) {
			struct sm_buf b;
			sm_buf_init(&b);
			sm_fmt_short(&b, L->ax.ticks[i]);
			char *t = b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
			struct sm_extent e = { 0 };
			sm_status s = t ? sm_fig_measure(L->ctx, L->f, &L->small, t, &e)
					: SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
			free(t);
			if (s != SM_OK)
				return s;
			double c = sm_axis_map(&L->ax, L->ax.ticks[i]);
			ok = c - e.width / 2 >= prev + 3;
			prev = c + e.width / 2;
		}
		if (ok || !sm_axis_thin(&L->ax))
			return SM_OK;
	}
}

static char *footnote(const struct lay *L)
{
	const struct sm_res_rare *r = &L->a->rare_events;
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "k = ");
	sm_fmt_short(&b, r->k);
	sm_buf_puts(&b, " studies, ");
	sm_fmt_short(&b, r->k_double_zero);
	sm_buf_puts(&b, " with no event in either arm (double-zero) and ");
	sm_fmt_short(&b, r->k_zero_cell);
	sm_buf_puts(&b, " with a zero cell; k per row: the studies the method uses. ");
	sm_fmt_short(&b, isfinite(r->level) ? r->level : 95);
	sm_buf_puts(&b, "% confidence intervals.");
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

static sm_status build(struct lay *L, const struct sm_res *res,
		       const struct sm_methods_options *o)
{
	if (!(L->a = find_analysis(L->ctx, res, o->common.analysis)))
		return SM_EINPUT;
	const struct sm_res_rare *r = &L->a->rare_events;
	L->measure = L->a->measure;
	int any = 0;
	for (size_t i = 0; i < r->methods.n; i++)
		any |= drawn(L, &r->methods.v[i]);
	if (!any)
		L->measure = r->methods.v[0].measure ? r->methods.v[0].measure : "";
	double width;
	if (sm_fig_width(L->ctx, L->f, o->common.width ? o->common.width : "175mm", 80,
			 &width) != SM_OK)
		return SM_EINPUT;
	L->body = sm_fig_role(L->f, SM_FR_BODY);
	L->bold = sm_fig_role(L->f, SM_FR_BOLD);
	L->small = sm_fig_role(L->f, SM_FR_SMALL);
	int log = sm_measure_axis(L->measure) == SM_AXIS_RATIO;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < r->methods.n; i++)
		if (drawn(L, &r->methods.v[i])) {
			lo = fmin(lo, r->methods.v[i].ci_lb);
			hi = fmax(hi, r->methods.v[i].ci_ub);
		}
	sm_axis_fit(&L->ax, log, lo, hi);
	double margin = L->f->style->margin, nw = 0, pw = 0;
	sm_status s = widest(L, &L->body, numbers, &nw);
	if (s == SM_OK)
		s = widest(L, &L->small, p_and_k, &pw);
	double numw = fmax(nw, pw), inner = width - 2 * margin;
	double lw = inner * 0.42, plot = inner - lw - numw - 16;
	if (s == SM_OK && plot < 50)
		return SM_FAIL(L->ctx, SM_EINPUT, "figure too narrow for the method forest; "
			       "expected a wider --width");
	L->ax.x0 = margin + lw + 8;
	L->ax.x1 = L->ax.x0 + plot;
	if (s == SM_OK)
		s = thin(L);
	double y = margin, h = 0;
	const char *title = o->common.title;
	char *t = title ? NULL : sm_asprintf("%s: %s by pooling method", L->a->name,
					     sm_measure_title(L->measure));
	struct sm_tstyle ts = L->bold;
	ts.wrap = inner;
	if (s == SM_OK && (title ? *title : t != NULL))
		s = put(L, &ts, title ? title : t, margin, y, 0, SM_MT_TITLE, -1,
			L->f->style->c_text, &h), y += h + 6;
	free(t);
	double top = y - 2;
	for (size_t i = 0; i < r->methods.n && s == SM_OK; i++)
		if (drawn(L, &r->methods.v[i]))
			s = row(L, i, margin, lw, width - margin, &y);
	double bottom = y;
	if (s == SM_OK)
		s = axis(L, top, y, &bottom);
	y = bottom + 6;
	char *fn = footnote(L);
	struct sm_tstyle fs = L->small;
	fs.wrap = inner;
	if (s == SM_OK)
		s = fn ? put(L, &fs, fn, margin, y, 0, SM_MT_FOOT, -1, L->f->style->c_text, &h)
		       : SM_FAIL(L->ctx, SM_EINTERNAL, "out of memory");
	free(fn);
	L->f->width = width;
	L->f->height = y + h + margin;
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
	if (s != SM_OK) {
		sm_fig_free(L.f);
		return s;
	}
	*out = L.f;
	return SM_OK;
}

static void options_init(void *opts)
{
	*(struct sm_methods_options *)opts = (struct sm_methods_options){ .common.dpi = 300 };
}

static int has_rare(const struct sm_res_analysis *a, const void *arg)
{
	(void)arg;
	return a->rare_events.present && a->rare_events.methods.n > 0;
}

static sm_status plan(struct sm_ctx *ctx, const struct sm_res *res, struct sm_figure_plan *p)
{
	return sm_figure_plan_per_analysis(ctx, res, p, &sm_figure_methods, has_rare, NULL);
}

static double cost(const struct sm_res *res, const void *opts)
{
	(void)res;
	(void)opts;
	return 10;
}

const struct sm_figure_kind sm_figure_methods = {
	.name = "methods",
	.summary = "method forest: an analysis pooled by each rare-event method",
	.positional = "analysis",
	.opts = NULL,
	.nopts = 0,
	.opts_size = sizeof(struct sm_methods_options),
	.opts_init = options_init,
	.layout = layout,
	.plan = plan,
	.cost = cost,
};
