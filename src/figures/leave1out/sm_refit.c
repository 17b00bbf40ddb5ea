/* sm_refit.c -- leave-one-out and cumulative forests (sm_refit.h): the
 * refits of the results read into forest rows (sm_fplot.h) and laid out
 * by the forest's layout, with the full estimate as reference line. */
#include "sm_refit.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_faxis.h"
#include "sm_flayout.h"
#include "sm_fmt.h"
#include "sm_fplot.h"
#include "sm_measure.h"
#include "sm_method.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void sm_refit_options_init(void *opts)
{
	*(struct sm_refit_options *)opts = (struct sm_refit_options){
		.common = { .dpi = 300 }, .show_method_line = 1 };
}

struct rb {
	struct sm_ctx *ctx;
	struct sm_fplot *p;
	const struct sm_style *st;
	const struct sm_res_analysis *a;
	enum sm_refit_kind kind;
	int narrow; /* without the tau² and I² columns */
	int failed;
};

static char *dup(struct rb *b, const char *s)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		b->failed = 1;
	return d;
}

static char *take(struct rb *b, struct sm_buf *t)
{
	if (t->failed) {
		sm_buf_release(t);
		b->failed = 1;
		return NULL;
	}
	return sm_buf_take(t);
}

static char *num(struct rb *b, double x, int dec)
{
	if (!isfinite(x))
		return NULL;
	char *s = sm_fmt_num_str(x, dec);
	if (!s)
		b->failed = 1;
	return s;
}

static char *pct(struct rb *b, double x)
{
	if (!isfinite(x))
		return NULL;
	struct sm_buf t;
	sm_buf_init(&t);
	sm_fmt_num(&t, x, b->st->d_i2);
	sm_buf_putc(&t, '%');
	return take(b, &t);
}

static char *expand(struct rb *b, const char *tmpl)
{
	const char *m = sm_measure_short(b->p->measure);
	char *log_m = b->p->log_scale ? sm_asprintf("log %s", m) : NULL;
	char *s = sm_style_expand(tmpl, b->p->arm1, b->p->arm2, log_m ? log_m : m, b->p->level);
	free(log_m);
	if (!s)
		b->failed = 1;
	return s;
}

static int is_random(const struct sm_res_analysis *a)
{
	if (a->tau2_estimator)
		return strcmp(a->tau2_estimator, "none") != 0;
	return sm_method_label_is_random(a->method);
}

/* The refit drawn in a study's row. */
static const struct sm_res_refit *refit_of(const struct sm_res_study *s, enum sm_refit_kind k)
{
	return k == SM_REFIT_LOO ? &s->loo : &s->cumul;
}

/* The values drawn: display scale (proportions per display_per), or the
 * analysis scale under --scale log. */
static void put_values(struct rb *b, struct sm_frow *r, double est, double lb, double ub)
{
	double k = b->p->per > 0 ? b->p->per : 1;
	r->est = est * k;
	r->lb = lb * k;
	r->ub = ub * k;
	int dec = b->p->dec;
	r->cell[SM_COL_EST] = num(b, r->est, dec);
	if (!isfinite(r->lb) || !isfinite(r->ub))
		return;
	struct sm_buf lo, hi;
	sm_buf_init(&lo);
	sm_buf_init(&hi);
	sm_buf_putc(&lo, '[');
	sm_fmt_num(&lo, r->lb, dec);
	sm_buf_putc(&lo, ',');
	sm_fmt_num(&hi, r->ub, dec);
	sm_buf_putc(&hi, ']');
	r->cell[SM_COL_LB] = take(b, &lo);
	r->cell[SM_COL_UB] = take(b, &hi);
}

static void refit_values(struct rb *b, struct sm_frow *r, const struct sm_res_refit *f)
{
	if (b->p->log_scale)
		put_values(b, r, f->estimate, f->ci_lb, f->ci_ub);
	else
		put_values(b, r, f->transformed.estimate, f->transformed.ci_lb,
			   f->transformed.ci_ub);
	if (!isfinite(r->est))
		r->span = dup(b, "not estimable");
	if (is_random(b->a))
		r->cell[SM_COL_WEIGHT] = num(b, f->tau2, b->st->d_tau2);
	r->cell[SM_COL_I2] = pct(b, f->I2);
}

static void study_row(struct rb *b, const struct sm_res_study *s, size_t step)
{
	struct sm_frow *r = sm_fplot_add(b->p, SM_ROW_STUDY);
	if (!r) {
		b->failed = 1;
		return;
	}
	const char *label = s->label ? s->label : "?";
	/* "Omitting" says again what the column head says: left out where
	 * the width is short */
	if (b->kind == SM_REFIT_LOO && !b->narrow) {
		r->cell[SM_COL_LABEL] = sm_asprintf("Omitting %s", label);
		if (!r->cell[SM_COL_LABEL])
			b->failed = 1;
	} else {
		r->cell[SM_COL_LABEL] = dup(b, label);
	}
	if (b->kind == SM_REFIT_CUMUL)
		r->cell[SM_COL_K] = num(b, (double)step, 0);
	r->study_id = dup(b, s->study_id);
	r->year = s->year;
	refit_values(b, r, refit_of(s, b->kind));
}

/* The analysis' own estimate: the reference line, and the bottom row of a
 * leave-one-out forest. */
static void full_estimate(struct rb *b)
{
	const struct sm_res_analysis *a = b->a;
	double est = b->p->log_scale ? a->estimate : a->transformed.estimate;
	double lb = b->p->log_scale ? a->ci_lb : a->transformed.ci_lb;
	double ub = b->p->log_scale ? a->ci_ub : a->transformed.ci_ub;
	b->p->has_ref = isfinite(est);
	b->p->ref = est * (b->p->per > 0 ? b->p->per : 1);
	if (b->kind != SM_REFIT_LOO)
		return;
	struct sm_frow *r = sm_fplot_add(b->p, SM_ROW_POOLED);
	if (!r) {
		b->failed = 1;
		return;
	}
	r->bold = 1;
	r->cell[SM_COL_LABEL] = sm_asprintf("All %.0f studies", a->k);
	if (!r->cell[SM_COL_LABEL])
		b->failed = 1;
	put_values(b, r, est, lb, ub);
	if (is_random(a))
		r->cell[SM_COL_WEIGHT] = num(b, a->tau2, b->st->d_tau2);
	r->cell[SM_COL_I2] = pct(b, a->I2);
}

/* The studies of a cumulative forest in the order the analysis added
 * them: analyses[].cumul_order when the results say, else input order. */
static size_t cumul_index(const struct sm_res_analysis *a, size_t i)
{
	const sm_res_numbers *o = &a->cumul_order.studies;
	if (o->n == a->studies.n && isfinite(o->v[i]))
		return (size_t)o->v[i];
	return i;
}

static void add_rows(struct rb *b)
{
	const struct sm_res_analysis *a = b->a;
	for (size_t i = 0; i < a->studies.n && !b->failed; i++) {
		size_t j = b->kind == SM_REFIT_CUMUL ? cumul_index(a, i) : i;
		study_row(b, &a->studies.v[j], i + 1);
	}
	full_estimate(b);
}

/* "Leave-one-out: random effects (REML) refitted without each study", and
 * what the refits are when the analysis pooled otherwise. */
static void method_line(struct rb *b)
{
	const struct sm_res_analysis *a = b->a;
	struct sm_buf t;
	sm_buf_init(&t);
	const char *est = a->tau2_estimator && strcmp(a->tau2_estimator, "none")
				  ? a->tau2_estimator : NULL;
	int iv = !sm_method_label_is_mh_peto(a->method) && !a->glmm.present &&
		 !(a->model && !strcmp(a->model, "multilevel"));
	sm_buf_printf(&t, "%s: the %s%s model", b->kind == SM_REFIT_LOO ? "Leave-one-out"
									     : "Cumulative",
		      iv ? "" : "inverse-variance ",
		      is_random(a) ? "random-effects" : "common-effect");
	if (est)
		sm_buf_printf(&t, " (%s)", est);
	const char *by = a->cumul_order.by;
	if (b->kind == SM_REFIT_LOO)
		sm_buf_puts(&t, " refitted without each study");
	else if (by && strcmp(by, "input"))
		sm_buf_printf(&t, " of the first 1, 2, ... studies by %s", by);
	else
		sm_buf_puts(&t, " of the first 1, 2, ... studies in input order");
	sm_buf_puts(&t, "; dashed line: ");
	if (!iv)
		sm_buf_printf(&t, "the analysis' %s estimate", a->method ? a->method : "pooled");
	else
		sm_buf_puts(&t, "the estimate of all studies");
	if (!iv)
		sm_buf_puts(&t, " (the refits treat rows as independent studies)");
	if (b->narrow)
		sm_buf_puts(&t, "; \xcf\x84\xc2\xb2 and I\xc2\xb2 left out to fit the width");
	b->p->method = take(b, &t);
}

static void headers(struct rb *b)
{
	struct sm_fplot *p = b->p;
	const struct sm_style *st = b->st;
	p->head[SM_COL_LABEL] = dup(b, b->kind == SM_REFIT_LOO ? "Study omitted" : "Study added");
	p->head[SM_COL_K] = expand(b, st->h_k);
	p->head[SM_COL_WEIGHT] = dup(b, "\xcf\x84\xc2\xb2"); /* τ² */
	p->head[SM_COL_I2] = expand(b, st->h_i2);
	if (p->per > 0) {
		p->head[SM_COL_EST] = p->per == 1 ? sm_asprintf("Proportion [%d%% CI]", p->level)
					: sm_asprintf("Per %.0f [%d%% CI]", p->per, p->level);
		p->graph_head = p->per == 1 ? dup(b, "Proportion")
					    : sm_asprintf("Events per %.0f patients", p->per);
		if (!p->head[SM_COL_EST] || !p->graph_head)
			b->failed = 1;
		return;
	}
	p->head[SM_COL_EST] = expand(b, st->h_effect);
	p->favours_left = expand(b, st->favours_left);
	p->favours_right = expand(b, st->favours_right);
	p->graph_head = dup(b, p->log_scale ? sm_measure_scale_title(p->measure)
					    : sm_measure_title(p->measure));
}

static void arm_labels(struct rb *b, const struct sm_res *res)
{
	const sm_res_strings *arms = &res->review.settings.arm_labels;
	int given = arms->n >= 2 && arms->v[0] && arms->v[1];
	b->p->arm1 = dup(b, given ? arms->v[0] : b->st->arm1);
	b->p->arm2 = dup(b, given ? arms->v[1] : b->st->arm2);
}

static sm_status scale_of(struct rb *b, int log_scale)
{
	struct sm_fplot *p = b->p;
	const struct sm_res_analysis *a = b->a;
	p->measure = dup(b, a->measure ? a->measure : "GEN");
	p->level = isfinite(a->level) ? (int)lround(a->level) : 95;
	p->axis = sm_measure_axis(p->measure);
	p->dec = b->st->d_effect;
	if (log_scale && p->axis != SM_AXIS_RATIO)
		return SM_FAIL(b->ctx, SM_EINPUT, "--scale log: the measure %s is not a ratio; "
			       "expected OR, RR or PETO (a difference or proportion has one scale)",
			       p->measure ? p->measure : "?");
	if (log_scale) {
		p->log_scale = 1;
		p->axis = SM_AXIS_DIFF;
	}
	if (p->axis == SM_AXIS_PROP) {
		/* the unit the analysis chose for its proportions (display_per) */
		p->single_arm = 1;
		p->per = isfinite(a->display_per) && a->display_per > 0 ? a->display_per : 1;
		double v = a->transformed.estimate * p->per;
		int dec = p->per == 1 ? b->st->d_effect : 1;
		if (isfinite(v) && v > 0)
			dec = (int)fmax(dec, ceil(-log10(v) - 1e-9) + 1);
		p->dec = dec > 4 ? 4 : dec;
	}
	return SM_OK;
}

static sm_status names_error(struct sm_ctx *ctx, const struct sm_res *res, const char *what)
{
	struct sm_buf names;
	sm_buf_init(&names);
	for (size_t i = 0; i < res->analyses.n; i++) {
		const char *n = res->analyses.v[i].name;
		sm_buf_printf(&names, "%s\"%s\"", names.len ? ", " : "", n ? n : "?");
	}
	sm_status s = SM_FAIL(ctx, SM_EINPUT, "%s; expected --analysis with one of %s", what,
			      names.data ? names.data : "(none)");
	sm_buf_release(&names);
	return s;
}

static const char *kind_words(enum sm_refit_kind k)
{
	return k == SM_REFIT_LOO ? "leave-one-out" : "cumulative";
}

/* The analysis to draw, with the data the forest needs. */
static sm_status pick(struct sm_ctx *ctx, const struct sm_res *res, const char *want,
		      enum sm_refit_kind kind, const struct sm_res_analysis **out)
{
	const struct sm_res_analysis *a = want ? sm_res_analysis_named(res, want) : NULL;
	if (!want && res->analyses.n == 1)
		a = &res->analyses.v[0];
	if (!a && want) {
		char *what = sm_asprintf("no analysis named \"%s\"", want);
		sm_status s = names_error(ctx, res, what ? what : "no such analysis");
		free(what);
		return s;
	}
	if (!a)
		return names_error(ctx, res, res->analyses.n ? "the results hold several analyses"
						       : "the results hold no analyses");
	double min = kind == SM_REFIT_LOO ? SM_REFIT_LOO_MIN_K : SM_REFIT_CUMUL_MIN_K;
	if (!(a->k >= min))
		return SM_FAIL(ctx, SM_EINPUT, "analysis \"%s\" has k = %g studies; expected at "
			       "least %g for a %s forest", a->name ? a->name : "?", a->k, min,
			       kind_words(kind));
	if (!sm_refit_has_data(a, kind))
		return SM_FAIL(ctx, SM_EINPUT, "analysis \"%s\" has no %s results with "
			       "display-scale values (analyses[].studies[].%s.transformed); "
			       "expected results of this safemeta's analyze (run it again)",
			       a->name ? a->name : "?", kind_words(kind),
			       kind == SM_REFIT_LOO ? "loo" : "cumul");
	*out = a;
	return SM_OK;
}

int sm_refit_has_data(const struct sm_res_analysis *a, enum sm_refit_kind kind)
{
	double min = kind == SM_REFIT_LOO ? SM_REFIT_LOO_MIN_K : SM_REFIT_CUMUL_MIN_K;
	if (!(a->k >= min) || a->studies.n == 0)
		return 0;
	for (size_t i = 0; i < a->studies.n; i++)
		if (!refit_of(&a->studies.v[i], kind)->transformed.present)
			return 0;
	return 1;
}

/* The analysis' name, or for the one analysis of a review ("all") the
 * review's outcome label or title. */
static const char *default_title(const struct sm_res *res, const struct sm_res_analysis *a)
{
	if (a->name && strcmp(a->name, "all"))
		return a->name;
	const char *label = res->review.settings.outcome_label;
	if (label && *label)
		return label;
	/* not a title that is only the input's file name (a bare CSV) */
	const char *t = res->review.title, *in = res->input;
	if (!t || !*t || !in)
		return t;
	const char *base = strrchr(in, '/');
	base = base ? base + 1 : in;
	size_t n = strlen(t);
	return !strncmp(base, t, n) && (base[n] == '.' || base[n] == 0) ? NULL : t;
}

static struct sm_fplot *build_plot(struct sm_ctx *ctx, const struct sm_res *res,
				   const struct sm_res_analysis *a,
				   const struct sm_refit_options *o, enum sm_refit_kind kind,
				   int narrow, const struct sm_style *st)
{
	struct rb b = { ctx, calloc(1, sizeof *b.p), st, a, kind, narrow, 0 };
	if (!b.p) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	sm_status s = scale_of(&b, o->scale == 1);
	for (int c = 0; c < SM_NCOLS; c++)
		b.p->show[c] = 1;
	b.p->show[SM_COL_WEIGHT] = b.p->show[SM_COL_I2] = !narrow;
	if (s == SM_OK) {
		arm_labels(&b, res);
		headers(&b);
		const char *title = o->common.title ? o->common.title : default_title(res, a);
		b.p->title = title && *title ? dup(&b, title) : NULL;
		add_rows(&b);
		method_line(&b);
		if (b.failed)
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	if (s != SM_OK) {
		sm_fplot_free(b.p);
		return NULL;
	}
	return b.p;
}

/* The forest's text is set in the style's family with its fallback (τ). */
static sm_status family_with_fallback(struct sm_ctx *ctx, struct sm_fig *f)
{
	char *both = sm_asprintf("%s, %s", f->style->family, f->style->fallback);
	if (!both)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	free(f->style->family);
	f->style->family = both;
	return SM_OK;
}

/* One try at laying the forest out, with or without the tau² and I²
 * columns. */
static sm_status lay_once(struct sm_ctx *ctx, const struct sm_res *res,
			  const struct sm_res_analysis *a, const struct sm_refit_options *opts,
			  const struct sm_figure_env *env, enum sm_refit_kind kind, int narrow,
			  struct sm_fig **out, double *size)
{
	struct sm_fig *fig = sm_fig_new(ctx, opts->common.style);
	if (!fig)
		return sm_ctx_status(ctx, SM_EINPUT);
	fig->opaque = 1;
	int paginate = env->format == SM_CANVAS_PDF;
	if (paginate && env->page_height > 0)
		fig->style->page_height = env->page_height;
	struct sm_faxis_spec axis;
	struct sm_flayout_req lr = { 0, paginate, 0, opts->show_method_line, &axis,
				     env->first_page_height, 0, 0 };
	sm_status s = sm_fig_width(ctx, fig, opts->common.width, 40, &lr.width);
	if (s == SM_OK && env->max_width > 0 && lr.width > env->max_width)
		lr.width = env->max_width;
	if (s == SM_OK)
		s = family_with_fallback(ctx, fig);
	struct sm_fplot *plot = NULL;
	if (s == SM_OK && !(plot = build_plot(ctx, res, a, opts, kind, narrow, fig->style)))
		s = sm_ctx_status(ctx, SM_EINPUT);
	if (s == SM_OK)
		s = sm_faxis_parse(ctx, opts->xlim, opts->at,
				   plot->axis == SM_AXIS_RATIO ? SM_FAXIS_RATIO
				   : plot->axis == SM_AXIS_PROP ? SM_FAXIS_PROP : SM_FAXIS_LINEAR,
				   &axis);
	if (s != SM_OK) {
		sm_fplot_free(plot);
		sm_fig_free(fig);
		return s;
	}
	struct sm_flayout *l = sm_flayout_build(ctx, fig, plot, &lr);
	if (!l)
		return sm_ctx_status(ctx, SM_EINPUT);
	*size = l->size_used;
	*out = sm_flayout_take_fig(l);
	sm_flayout_free(l);
	return SM_OK;
}

/* A forest that does not fit its width at the style's font size is tried
 * again without the tau² and I² columns, and that one is kept when its text
 * is larger (the warnings of the try not kept are dropped). */
sm_status sm_refit_lay(struct sm_ctx *ctx, const struct sm_res *res,
		       const struct sm_refit_options *opts, const struct sm_figure_env *env,
		       enum sm_refit_kind kind, struct sm_fig **out)
{
	*out = NULL;
	const struct sm_res_analysis *a = NULL;
	sm_status s = pick(ctx, res, opts->common.analysis, kind, &a);
	if (s != SM_OK)
		return s;
	size_t nwarn = sm_ctx_warning_count(ctx);
	double full = 0, slim = 0;
	struct sm_fig *wide = NULL;
	s = lay_once(ctx, res, a, opts, env, kind, 0, &wide, &full);
	double want = s == SM_OK ? wide->style->size : 0;
	if (s == SM_OK && full >= want - 1e-9) {
		*out = wide;
		return SM_OK;
	}
	if (s != SM_OK && (s != SM_EINPUT || !strstr(sm_ctx_error(ctx)->msg, "does not fit")))
		return s;
	size_t nwarn_full = sm_ctx_warning_count(ctx);
	sm_ctx_clear_error(ctx);
	sm_status s2 = lay_once(ctx, res, a, opts, env, kind, 1, out, &slim);
	if (s2 == SM_OK && (s != SM_OK || slim > full + 1e-9)) {
		sm_fig_free(wide);
		/* neither try's size warning: one of this figure's own */
		sm_ctx_truncate_warnings(ctx, nwarn);
		if (slim < (*out)->style->size - 1e-9)
			sm_ctx_warn(ctx, "%s forest text set at %.1f pt instead of %.1f pt to fit "
				    "the width", kind_words(kind), slim, (*out)->style->size);
		return SM_OK;
	}
	if (s2 == SM_OK) {
		sm_fig_free(*out);
		sm_ctx_truncate_warnings(ctx, nwarn_full);
		*out = wide;
		return SM_OK;
	}
	sm_fig_free(wide);
	return s2;
}

static int refit_wanted(const struct sm_res_analysis *a, const void *which)
{
	return sm_refit_has_data(a, *(const enum sm_refit_kind *)which);
}

/* Names are made unique over every analysis (sm_figure_plan_per_analysis), so an
 * analysis keeps the same suffix in forest-, leave1out- and cumulative-. */
sm_status sm_refit_plan(struct sm_ctx *ctx, const struct sm_res *res,
			const struct sm_figure_kind *kind, enum sm_refit_kind which,
			struct sm_figure_plan *plan)
{
	return sm_figure_plan_per_analysis(ctx, res, plan, kind, refit_wanted, &which);
}

double sm_refit_cost(const struct sm_res *res, const void *opts)
{
	const struct sm_res_analysis *a =
		sm_res_analysis_named(res, sm_figure_common_of(opts)->analysis);
	double rows = a && isfinite(a->k) ? a->k : 10;
	return 10 + 2 * rows;
}

const char *const sm_refit_scale_names[] = { "ratio", "log", NULL };
