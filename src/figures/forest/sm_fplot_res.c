/* sm_fplot_res.c -- the typed results read into forest rows (sm_fplot.h):
 * which analysis, studies, pooled rows with their weight columns, totals,
 * the summary across analyses and the title.
 *
 * Numbers are taken as the results hold them: display values from
 * "transformed" (never back-transformed here; under --scale log the
 * analysis-scale values, which are the log ratios), years from "year", arm
 * totals from "totals", weights from the model whose column shows them. */
#include "sm_fplot_int.h"

#include "sm_fmt.h"
#include "sm_method.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

char *sm_fb_dup(struct build *b, const char *s)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		b->failed = 1;
	return d;
}

char *sm_fb_take(struct build *b, struct sm_buf *buf)
{
	if (buf->failed) {
		sm_buf_release(buf);
		b->failed = 1;
		return NULL;
	}
	return sm_buf_take(buf);
}

char *sm_fb_num(struct build *b, double x, int dec)
{
	if (!isfinite(x))
		return NULL;
	char *s = sm_fmt_num_str(x, dec);
	if (!s)
		b->failed = 1;
	return s;
}

/* Counts are whole numbers in the input; anything else is shown as is. */
char *sm_fb_count(struct build *b, double x)
{
	return sm_fb_num(b, x, x == floor(x) ? 0 : 1);
}

char *sm_fb_pct(struct build *b, double w)
{
	if (!isfinite(w))
		return NULL;
	struct sm_buf buf;
	sm_buf_init(&buf);
	sm_fmt_num(&buf, w, b->st->d_weight);
	sm_buf_putc(&buf, '%');
	return sm_fb_take(b, &buf);
}

struct sm_frow *sm_fb_add(struct build *b, enum sm_frow_kind kind)
{
	struct sm_frow *r = sm_fplot_add(b->p, kind);
	if (!r)
		b->failed = 1;
	return r;
}

void sm_fb_effect_cells(struct build *b, struct sm_frow *r)
{
	int dec = b->p->dec;
	if (isfinite(r->est))
		r->cell[SM_COL_EST] = sm_fb_num(b, r->est, dec);
	if (!isfinite(r->lb) || !isfinite(r->ub))
		return;
	struct sm_buf lb, ub;
	sm_buf_init(&lb);
	sm_buf_init(&ub);
	sm_buf_putc(&lb, '[');
	sm_fmt_num(&lb, r->lb, dec);
	sm_buf_putc(&lb, ',');
	sm_fmt_num(&ub, r->ub, dec);
	sm_buf_putc(&ub, ']');
	r->cell[SM_COL_LB] = sm_fb_take(b, &lb);
	r->cell[SM_COL_UB] = sm_fb_take(b, &ub);
}

void sm_fb_note(struct build *b, struct sm_buf *t, int trailing)
{
	struct sm_frow *r = sm_fb_add(b, SM_ROW_NOTE);
	if (!r) {
		sm_buf_release(t);
		return;
	}
	r->note = sm_fb_take(b, t);
	r->trailing = trailing;
}

char *sm_fb_expand(struct build *b, const char *tmpl)
{
	const char *m = b->p->log_scale ? NULL : sm_measure_short(b->p->measure);
	char *log_m = b->p->log_scale ? sm_asprintf("log %s", sm_measure_short(b->p->measure))
				      : NULL;
	char *s = sm_style_expand(tmpl, b->p->arm1, b->p->arm2, log_m ? log_m : m,
				  b->p->level);
	free(log_m);
	if (!s)
		b->failed = 1;
	return s;
}

/* ---- studies ------------------------------------------------------------ */

/* Two-arm counts (ai/n1i, ci/n2i), or the one group of a proportion
 * (xi/ni) in the first arm. */
static void count_cells(struct build *b, struct sm_frow *r, const struct sm_res_study *s)
{
	int one = b->p->single_arm;
	r->cell[SM_COL_EV1] = sm_fb_count(b, one ? s->xi : s->ai);
	r->cell[SM_COL_N1] = sm_fb_count(b, one ? s->ni : s->n1i);
	if (one)
		return;
	r->cell[SM_COL_EV2] = sm_fb_count(b, s->ci);
	r->cell[SM_COL_N2] = sm_fb_count(b, s->n2i);
}

/* The weight of study `index` of the analysis in what column c shows. */
static double weight_in(const struct build *b, int c, const struct sm_res_study *s,
			size_t index)
{
	if (b->wcol[c] == SM_W_MODEL)
		return s->weight;
	if (b->wcol[c] == SM_W_FIT && index < b->wfit->weights.n)
		return b->wfit->weights.v[index];
	return NAN;
}

static void weight_cells(struct build *b, struct sm_frow *r, const struct sm_res_study *s,
			 size_t index)
{
	for (int c = 0; c < 2; c++)
		r->cell[SM_COL_WEIGHT + c] = sm_fb_pct(b, weight_in(b, c, s, index));
	r->weight = s->weight; /* squares: the pooled model's weights */
}

void sm_fb_study(struct build *b, const struct sm_res_analysis *a, const struct sm_res_study *s,
		 size_t index)
{
	struct sm_frow *r = sm_fb_add(b, SM_ROW_STUDY);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = sm_fb_dup(b, s->label ? s->label : "?");
	r->study_id = sm_fb_dup(b, s->study_id);
	r->cell[SM_COL_LABEL2] = sm_fb_dup(b, s->event);
	count_cells(b, r, s);
	weight_cells(b, r, s, index);
	/* Absent, the values are NaN: the row says "not estimable". */
	if (b->p->per > 0) {
		sm_fb_prop_study(b, r, s);
	} else if (b->p->log_scale) {
		if (sm_res_study_pooled(s)) {
			r->est = s->yi;
			r->lb = s->ci_lb;
			r->ub = s->ci_ub;
		}
	} else {
		r->est = s->transformed.yi;
		r->lb = s->transformed.ci_lb;
		r->ub = s->transformed.ci_ub;
	}
	sm_fb_effect_cells(b, r);
	if (!isfinite(r->est))
		r->span = sm_fb_dup(b, b->st->l_excluded);
	r->year = s->year;
	(void)a;
}

/* A row outside "studies": left out of the pooled estimate, or (its
 * table pooled by Mantel-Haenszel or Peto) in it without an effect size
 * of its own, drawn as a study that is not estimable, with its weight. */
void sm_fb_excluded(struct build *b, const struct sm_res_study *e)
{
	int in_pool = e->pooled_table == 1;
	struct sm_frow *r = sm_fb_add(b, in_pool ? SM_ROW_STUDY : SM_ROW_EXCLUDED);
	if (!r)
		return;
	const char *label = e->label ? e->label : "?";
	r->cell[SM_COL_LABEL] = sm_fb_dup(b, label);
	r->study_id = sm_fb_dup(b, e->study_id);
	r->cell[SM_COL_LABEL2] = sm_fb_dup(b, e->event);
	count_cells(b, r, e);
	r->span = sm_fb_dup(b, b->st->l_excluded);
	r->year = e->year;
	if (in_pool) {
		/* its weight is the model's; a fit's weights list studies only */
		if (b->wcol[0] == SM_W_MODEL)
			r->cell[SM_COL_WEIGHT] = sm_fb_pct(b, e->weight);
		else if (b->wcol[1] == SM_W_MODEL)
			r->cell[SM_COL_WEIGHT2] = sm_fb_pct(b, e->weight);
		r->weight = e->weight;
		return;
	}
	r->italic = r->muted = 1;
	sm_buf_printf(&b->excluded, "%s%s", b->excluded.len ? "; " : "", label);
	if (e->reason)
		sm_buf_printf(&b->excluded, " (%s)", e->reason);
}

static void add_studies(struct build *b, const struct sm_res_analysis *a)
{
	size_t from = b->p->nrows;
	for (size_t i = 0; i < a->studies.n; i++)
		sm_fb_study(b, a, &a->studies.v[i], i);
	for (size_t i = 0; i < a->excluded.n; i++)
		if (a->excluded.v[i].pooled_table == 1)
			sm_fb_excluded(b, &a->excluded.v[i]);
	sm_fplot_sort(b->p, from, b->p->nrows, b->req->sort);
	from = b->p->nrows;
	for (size_t i = 0; i < a->excluded.n; i++)
		if (a->excluded.v[i].pooled_table != 1)
			sm_fb_excluded(b, &a->excluded.v[i]);
	sm_fplot_sort(b->p, from, b->p->nrows,
		      b->req->sort == SM_SORT_YEAR ? SM_SORT_YEAR : SM_SORT_INPUT);
}

/* ---- pooled rows -------------------------------------------------------- */

const char *sm_fb_model_words(int kind)
{
	return kind == SM_POOL_COMMON ? "common effect"
	       : kind == SM_POOL_RANDOM ? "random effects" : "multilevel model";
}

double sm_fb_k(const struct sm_res_analysis *a)
{
	if (a->method && !strcmp(a->method, "MH") && a->mh.present && isfinite(a->mh.k))
		return a->mh.k;
	if (a->method && !strcmp(a->method, "PETO") && a->peto.present && isfinite(a->peto.k))
		return a->peto.k;
	return a->k;
}

int sm_fb_shows_test(const struct build *b)
{
	return b->p->per == 0 || b->req->overall_test;
}

static int analysis_kind(const struct sm_res_analysis *a)
{
	if (a->model && !strcmp(a->model, "multilevel"))
		return SM_POOL_MULTILEVEL;
	if (a->tau2_estimator)
		return strcmp(a->tau2_estimator, "none") ? SM_POOL_RANDOM : SM_POOL_COMMON;
	return sm_method_label_is_random(a->method) ? SM_POOL_RANDOM : SM_POOL_COMMON;
}

static int fit_kind(const struct sm_res_fit *f)
{
	if (f->model && !strcmp(f->model, "multilevel"))
		return SM_POOL_MULTILEVEL;
	return sm_method_label_is_random(f->method) ? SM_POOL_RANDOM : SM_POOL_COMMON;
}

/* The values drawn: display scale, or the analysis scale under --scale log
 * (fits and the multilevel model hold both; prediction intervals too). */
static struct pooled own_pooled(const struct build *b, const struct sm_res_analysis *a)
{
	struct pooled v = { a->method, analysis_kind(a), NAN, NAN, NAN, NAN, NAN,
			    a->stat, a->p, a->df, a->test, NULL, 1 };
	if (b->p->log_scale) {
		v.est = a->estimate, v.lb = a->ci_lb, v.ub = a->ci_ub;
		v.pi_lb = a->pi_lb, v.pi_ub = a->pi_ub;
	} else if (a->transformed.present) {
		const struct sm_res_transformed *t = &a->transformed;
		v.est = t->estimate, v.lb = t->ci_lb, v.ub = t->ci_ub;
		v.pi_lb = t->pi_lb, v.pi_ub = t->pi_ub;
	}
	return v;
}

static struct pooled fit_pooled(const struct build *b, const struct sm_res_fit *f)
{
	struct pooled v = { f->method, fit_kind(f), NAN, NAN, NAN, NAN, NAN,
			    f->stat, f->p, NAN, f->test, f, 0 };
	if (b->p->log_scale) {
		v.est = f->estimate, v.lb = f->ci_lb, v.ub = f->ci_ub;
	} else if (f->transformed.present) {
		v.est = f->transformed.estimate;
		v.lb = f->transformed.ci_lb;
		v.ub = f->transformed.ci_ub;
	}
	return v;
}

/* The three-level model beside a row-level analysis (several rows from
 * one study): its own pooled row, labelled as such. */
static struct pooled multilevel_pooled(const struct build *b, const struct sm_res_multilevel *m)
{
	struct pooled v = { m->method, SM_POOL_MULTILEVEL, NAN, NAN, NAN, NAN, NAN,
			    m->stat, m->p, m->df, m->test, NULL, 0 };
	if (b->p->log_scale) {
		v.est = m->estimate, v.lb = m->ci_lb, v.ub = m->ci_ub;
	} else if (m->transformed.present) {
		v.est = m->transformed.estimate;
		v.lb = m->transformed.ci_lb;
		v.ub = m->transformed.ci_ub;
	}
	return v;
}

size_t sm_fb_pooled(const struct build *b, const struct sm_res_analysis *a,
		    struct pooled *out, size_t max)
{
	size_t n = 0;
	out[n++] = own_pooled(b, a);
	for (size_t i = 0; i < a->fits.n && n < max; i++)
		out[n++] = fit_pooled(b, &a->fits.v[i]);
	/* common effect first, then random effects, then multilevel; stable */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[j - 1].kind > out[j].kind; j--) {
			struct pooled t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	if (a->multilevel.present && n < max && analysis_kind(a) != SM_POOL_MULTILEVEL)
		out[n++] = multilevel_pooled(b, &a->multilevel);
	return n;
}

/* Every study of the analysis has a weight in the column's model (and
 * there is one): the pooled row then shows the weights' total. */
static int all_weighted(const struct build *b, const struct sm_res_analysis *a, int c)
{
	if (b->wcol[c] == SM_W_FIT)
		return b->wfit->weights.n == a->studies.n && a->studies.n > 0;
	for (size_t i = 0; i < a->studies.n; i++)
		if (!isfinite(a->studies.v[i].weight))
			return 0;
	return a->studies.n > 0 && b->wcol[c] == SM_W_MODEL;
}

/* The weight column whose model is that of `v`, or -1. */
static int column_of(const struct build *b, const struct pooled *v)
{
	for (int c = 0; c < 2; c++) {
		if (b->wcol[c] == SM_W_MODEL && v->own)
			return c;
		if (b->wcol[c] == SM_W_FIT && v->fit && v->fit == b->wfit)
			return c;
	}
	return -1;
}

/* Short labels: the details are in the method line. */
static void pooled_label(struct build *b, struct sm_frow *r, const struct pooled *v, size_t n,
			 const char *total_label)
{
	const char *lab;
	/* Mantel-Haenszel and Peto rows say so: their numbers differ from the
	 * inverse-variance ones readers may compare with */
	if (v->kind == SM_POOL_COMMON && v->method && sm_method_label_is_mh_peto(v->method))
		lab = !strcmp(v->method, "MH") ? "Common effect model (MH)"
					       : "Common effect model (Peto)";
	else if (n == 1 && v->kind != SM_POOL_MULTILEVEL)
		lab = total_label;
	else
		lab = v->kind == SM_POOL_COMMON ? "Common effect model"
		      : v->kind == SM_POOL_RANDOM ? "Random effects model" : "Multilevel model";
	r->cell[SM_COL_LABEL] = sm_fb_dup(b, lab);
}

static void add_pi(struct build *b, double lb, double ub)
{
	struct sm_frow *r = sm_fb_add(b, SM_ROW_PI);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = sm_fb_dup(b, b->st->l_pi);
	r->lb = lb;
	r->ub = ub;
	sm_fb_effect_cells(b, r);
}

/* One pooled row per model, with its weight total: 100% for an analysis,
 * the subgroup's share of the total (the overall model's) for a subgroup. */
static void add_pooled(struct build *b, const struct sm_res_analysis *a, const char *total_label,
		       double share)
{
	struct pooled v[18];
	size_t n = sm_fb_pooled(b, a, v, 18);
	double k = b->p->per > 0 ? b->p->per : 1;
	for (size_t i = 0; i < n; i++) {
		struct sm_frow *r = sm_fb_add(b, SM_ROW_POOLED);
		if (!r)
			return;
		r->bold = 1;
		pooled_label(b, r, &v[i], n, total_label);
		int unreadable = b->p->per > 0 && sm_fb_prop_unreadable(b, a, v[i].est, v[i].lb);
		if (unreadable) {
			r->span = sm_fb_dup(b, "not interpretable");
		} else {
			r->est = v[i].est * k;
			r->lb = v[i].lb * k;
			r->ub = v[i].ub * k;
			sm_fb_effect_cells(b, r);
		}
		if (i == 0 && b->p->per == 0) {
			r->cell[SM_COL_N1] = sm_fb_count(b, a->totals.n_t);
			r->cell[SM_COL_N2] = sm_fb_count(b, a->totals.n_c);
		}
		int c = column_of(b, &v[i]);
		if (c >= 0 && (isfinite(share) || all_weighted(b, a, c)))
			r->cell[SM_COL_WEIGHT + c] = sm_fb_pct(b, isfinite(share) ? share : 100.0);
		int pi = v[i].kind == SM_POOL_RANDOM && !v[i].fit && sm_fb_k(a) > 1 &&
			 isfinite(v[i].pi_lb) && isfinite(v[i].pi_ub) && !unreadable;
		if (pi)
			add_pi(b, v[i].pi_lb * k, v[i].pi_ub * k);
	}
}

static void add_totals(struct build *b, const struct sm_res_analysis *a)
{
	double e1 = a->totals.events_t, e2 = a->totals.events_c;
	if ((!isfinite(e1) && !isfinite(e2)) || !b->p->show[SM_COL_EV1] ||
	    (b->p->per > 0 && a->crude.present))
		return;
	struct sm_frow *r = sm_fb_add(b, SM_ROW_TOTALS);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = sm_fb_dup(b, b->st->l_total_events);
	r->cell[SM_COL_EV1] = sm_fb_count(b, e1);
	r->cell[SM_COL_EV2] = sm_fb_count(b, e2);
}

void sm_fb_pooled_block(struct build *b, const struct sm_res_analysis *a, int subtotal,
			double share)
{
	char *label = sm_fb_expand(b, subtotal ? b->st->l_subtotal : b->st->l_total);
	if (label)
		add_pooled(b, a, label, share);
	free(label);
	if (b->p->per > 0)
		sm_fb_prop_pooled(b, a);
	if (!b->req->summary_only)
		add_totals(b, a);
	sm_fb_heterogeneity(b, a, !subtotal);
	sm_fb_tests(b, a, !subtotal);
}

/* A second weight column tells something when a study's weight differs by
 * a percentage point between the two models; otherwise (τ² = 0, or so many
 * studies that none weighs 1%) the columns would read alike, and the
 * pooled model's alone is shown. */
static int weights_differ(const struct sm_res_analysis *a, const struct sm_res_fit *f)
{
	for (size_t i = 0; i < a->studies.n && i < f->weights.n; i++)
		if (fabs(f->weights.v[i] - a->studies.v[i].weight) >= 1)
			return 1;
	return 0;
}

/* What the weight columns of analysis `a` show: two when its pooled rows
 * are of two models, both have weights and they differ (weights_differ),
 * else the model's (one_only: always; pooled rows alone show just their
 * 100%). */
static void weight_columns(struct build *b, const struct sm_res_analysis *a, int one_only)
{
	struct pooled v[18];
	size_t n = sm_fb_pooled(b, a, v, 18);
	int own = analysis_kind(a), other = -1;
	b->wcol[0] = SM_W_MODEL;
	b->wcol[1] = SM_W_NONE;
	b->wfit = NULL;
	for (size_t i = 0; i < n; i++)
		if (v[i].kind != own && other < 0)
			other = (int)i;
	if (other < 0)
		return;
	const struct sm_res_fit *f = v[other].fit;
	if (!one_only && f && v[other].kind == SM_POOL_COMMON && f->weights.n == a->studies.n &&
	    a->studies.n > 0 && weights_differ(a, f)) {
		b->wcol[0] = SM_W_FIT;
		b->wcol[1] = SM_W_MODEL;
		b->wfit = f;
	}
	/* the heads name the model of each column */
	static const char *const heads[] = { "Common", "Random", "Multilevel" };
	struct sm_fplot *p = b->p;
	free(p->weight_group);
	free(p->head[SM_COL_WEIGHT]);
	free(p->head[SM_COL_WEIGHT2]);
	p->weight_group = sm_fb_dup(b, b->st->h_weight);
	p->head[SM_COL_WEIGHT] = sm_fb_dup(b, heads[b->wfit ? SM_POOL_COMMON : own]);
	p->head[SM_COL_WEIGHT2] = b->wfit ? sm_fb_dup(b, heads[own]) : NULL;
}

/* Studies, pooled rows, totals and notes of one analysis. */
static void add_analysis(struct build *b, const struct sm_res_analysis *a)
{
	if (a->subgroups.present && a->subgroups.groups.n > 0) {
		weight_columns(b, a, 1);
		sm_fb_subgroups(b, a);
		return;
	}
	weight_columns(b, a, b->req->summary_only);
	if (!b->req->summary_only)
		add_studies(b, a);
	sm_fb_pooled_block(b, a, 0, NAN);
}

/* ---- analyses as separate outcomes, the summary ----------------------- */

static int is_all(const struct sm_res_analysis *a)
{
	return a->name && !strcmp(a->name, "all");
}

static void summary_row(struct build *b, const struct sm_res_analysis *a)
{
	struct sm_frow *r = sm_fb_add(b, SM_ROW_POOLED);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = sm_fb_dup(b, a->name ? a->name : "?");
	r->bold = is_all(a);
	r->cell[SM_COL_K] = sm_fb_count(b, sm_fb_k(a));
	r->cell[SM_COL_EV1] = sm_fb_count(b, a->totals.events_t);
	r->cell[SM_COL_N1] = sm_fb_count(b, a->totals.n_t);
	r->cell[SM_COL_EV2] = sm_fb_count(b, a->totals.events_c);
	r->cell[SM_COL_N2] = sm_fb_count(b, a->totals.n_c);
	if (isfinite(a->I2) && sm_fb_k(a) > 1) {
		struct sm_buf t;
		sm_buf_init(&t);
		sm_fmt_num(&t, a->I2, b->st->d_i2);
		sm_buf_putc(&t, '%');
		r->cell[SM_COL_I2] = sm_fb_take(b, &t);
	}
	struct pooled v = own_pooled(b, a);
	double k = b->p->per > 0 ? b->p->per : 1;
	if (b->p->per > 0 && sm_fb_prop_unreadable(b, a, v.est, v.lb)) {
		r->span = sm_fb_dup(b, "not interpretable");
	} else {
		r->est = v.est * k;
		r->lb = v.lb * k;
		r->ub = v.ub * k;
	}
	sm_fb_effect_cells(b, r);
	r->weight = sm_fb_k(a); /* "weight" order of a summary: most studies first */
}

static void build_summary(struct build *b, const struct sm_res *res)
{
	const struct sm_res_analysis *all = NULL;
	size_t from = b->p->nrows;
	for (size_t i = 0; i < res->analyses.n; i++) {
		const struct sm_res_analysis *a = &res->analyses.v[i];
		if (is_all(a))
			all = a;
		else
			summary_row(b, a);
	}
	sm_fplot_sort(b->p, from, b->p->nrows, b->req->sort);
	if (all)
		summary_row(b, all);
}

/* Separate outcomes stacked on one plot, each with its own pooled rows:
 * not subgroups of one analysis, so no test between them (the patients
 * are the same). */
static void build_outcomes(struct build *b, const struct sm_res *res)
{
	const struct sm_res_analysis *all = NULL;
	for (size_t i = 0; i < res->analyses.n; i++) {
		const struct sm_res_analysis *a = &res->analyses.v[i];
		if (is_all(a)) {
			all = a;
			continue;
		}
		struct sm_frow *h = sm_fb_add(b, SM_ROW_HEADING);
		if (h) {
			h->note = sm_fb_dup(b, a->name ? a->name : "?");
			h->bold = 1;
		}
		weight_columns(b, a, 1);
		if (!b->req->summary_only)
			add_studies(b, a);
		sm_fb_pooled_block(b, a, 1, NAN);
		sm_fb_add(b, SM_ROW_GAP);
	}
	if (all) {
		weight_columns(b, all, 1);
		sm_fb_pooled_block(b, all, 0, NAN);
	}
}

static void excluded_note(struct build *b)
{
	if (!b->excluded.len)
		return;
	struct sm_buf t;
	sm_buf_init(&t);
	sm_buf_printf(&t, "Not pooled: %s", b->excluded.data);
	sm_fb_note(b, &t, 1);
}

static sm_status no_analysis(struct sm_ctx *ctx, const struct sm_res *res, const char *name)
{
	struct sm_buf names;
	sm_buf_init(&names);
	for (size_t i = 0; i < res->analyses.n; i++) {
		const char *n = res->analyses.v[i].name;
		sm_buf_printf(&names, "%s\"%s\"", names.len ? ", " : "", n ? n : "?");
	}
	sm_status s = SM_FAIL(ctx, SM_EINPUT, "no analysis named \"%s\"; expected all, "
			      "summary or one of %s", name, names.data ? names.data : "");
	sm_buf_release(&names);
	return s;
}

static void arm_labels(struct build *b, const struct sm_res *res)
{
	const sm_res_strings *arms = &res->review.settings.arm_labels;
	int given = arms->n >= 2 && arms->v[0] && arms->v[1];
	b->p->arm1 = sm_fb_dup(b, given ? arms->v[0] : b->st->arm1);
	b->p->arm2 = sm_fb_dup(b, given ? arms->v[1] : b->st->arm2);
}

static void headers(struct build *b, int summary)
{
	struct sm_fplot *p = b->p;
	const struct sm_style *st = b->st;
	p->head[SM_COL_LABEL] = sm_fb_expand(b, summary ? st->h_domain : st->h_study);
	/* Not a style key yet (templates/ belongs to the shared layer). */
	p->head[SM_COL_LABEL2] = sm_fb_dup(b, "Outcome");
	p->head[SM_COL_K] = sm_fb_expand(b, st->h_k);
	p->head[SM_COL_EV1] = sm_fb_expand(b, st->h_events);
	p->head[SM_COL_EV2] = sm_fb_expand(b, st->h_events);
	p->head[SM_COL_N1] = sm_fb_expand(b, st->h_total);
	p->head[SM_COL_N2] = sm_fb_expand(b, st->h_total);
	p->head[SM_COL_WEIGHT] = sm_fb_expand(b, st->h_weight);
	p->head[SM_COL_I2] = sm_fb_expand(b, st->h_i2);
	if (p->per > 0) {
		p->head[SM_COL_EST] = p->per == 1 ? sm_asprintf("Proportion [%d%% CI]", p->level)
					: sm_asprintf("Per %.0f [%d%% CI]", p->per, p->level);
		p->graph_head = p->per == 1 ? sm_fb_dup(b, "Proportion")
					    : sm_asprintf("Events per %.0f patients", p->per);
		if (!p->head[SM_COL_EST] || !p->graph_head)
			b->failed = 1;
		return;
	}
	p->head[SM_COL_EST] = sm_fb_expand(b, st->h_effect);
	p->favours_left = sm_fb_expand(b, st->favours_left);
	p->favours_right = sm_fb_expand(b, st->favours_right);
	p->graph_head = sm_fb_dup(b, p->log_scale ? sm_measure_scale_title(p->measure)
						  : sm_measure_title(p->measure));
}

/* The review's title unless it is only the input's file name (a bare
 * CSV is titled after its file). */
static const char *review_title(const struct sm_res *res)
{
	const char *t = res->review.title, *in = res->input;
	if (!t || !*t)
		return NULL;
	if (in) {
		const char *base = strrchr(in, '/');
		base = base ? base + 1 : in;
		size_t n = strlen(t);
		if (!strncmp(base, t, n) && (base[n] == '.' || base[n] == 0))
			return NULL;
	}
	return t;
}

/* A title says what the plot shows: the analysis' name (an outcome or
 * domain), else the review's outcome label, else its title; never "all"
 * or a file name. */
static const char *default_title(const struct sm_res *res, const struct sm_res_analysis *one,
				 int summary)
{
	const char *label = res->review.settings.outcome_label;
	if (label && !*label)
		label = NULL;
	if (one && one->name && !is_all(one))
		return one->name;
	if (summary)
		return review_title(res) ? review_title(res) : label;
	return label ? label : review_title(res);
}

/* Pick the analyses and the kind of plot; fills title and measure. */
static sm_status build_rows(struct build *b, const struct sm_res *res)
{
	const char *want = b->req->analysis;
	const struct sm_res_analysis *one = sm_res_analysis_named(res, want);
	int summary = !one && want && !strcmp(want, "summary");
	if (!one && !want && res->analyses.n == 1)
		one = &res->analyses.v[0];
	if (!one && want && !summary && strcmp(want, "all"))
		return no_analysis(b->ctx, res, want);
	const struct sm_res_analysis *first = one ? one : &res->analyses.v[0];
	struct sm_fplot *p = b->p;
	p->measure = sm_fb_dup(b, first->measure ? first->measure : "GEN");
	p->level = isfinite(first->level) ? (int)lround(first->level) : 95;
	p->axis = sm_measure_axis(p->measure);
	p->single_arm = p->axis == SM_AXIS_PROP;
	p->dec = b->st->d_effect;
	if (b->req->log_scale && p->axis != SM_AXIS_RATIO)
		return SM_FAIL(b->ctx, SM_EINPUT, "--scale log: the measure %s is not a ratio; "
			       "expected OR, RR or PETO (a difference or proportion has one scale)",
			       p->measure ? p->measure : "?");
	if (b->req->log_scale) {
		p->log_scale = 1;
		p->axis = SM_AXIS_DIFF; /* linear in the log ratio, null at 0 */
	}
	if (p->axis == SM_AXIS_PROP)
		sm_fb_prop_scale(b, first);
	arm_labels(b, res);
	headers(b, summary);
	const char *title = b->req->title;
	int made = !title;
	if (!title)
		title = default_title(res, one, summary);
	p->title = title && *title ? sm_fb_dup(b, title) : NULL;
	/* a label written for a sentence ("serious adverse events") opens the
	 * figure with a capital */
	if (made && p->title && p->title[0] >= 'a' && p->title[0] <= 'z')
		p->title[0] = (char)(p->title[0] - 'a' + 'A');
	if (summary)
		build_summary(b, res);
	else if (one)
		add_analysis(b, one);
	else
		build_outcomes(b, res);
	excluded_note(b);
	if (one && !summary)
		sm_fb_unit_note(b, one);
	sm_fb_method_line(b, first, summary);
	return SM_OK;
}

struct sm_fplot *sm_fplot_build(struct sm_ctx *ctx, const struct sm_res *res,
				const struct sm_fplot_req *req,
				const struct sm_style *style)
{
	if (res->analyses.n == 0) {
		SM_FAIL(ctx, SM_EINPUT, "results hold no analyses; expected the JSON "
			"written by safemeta analyze");
		return NULL;
	}
	struct build b = { .ctx = ctx, .p = calloc(1, sizeof *b.p), .st = style, .req = req,
			   .res = res };
	sm_buf_init(&b.excluded);
	if (!b.p) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	sm_status s = sm_fplot_columns(ctx, req->columns, b.p->show);
	if (s == SM_OK)
		s = build_rows(&b, res);
	if (s == SM_OK && req->rob && !b.failed)
		s = sm_fplot_rob(ctx, b.p, res);
	if (s == SM_OK && (b.failed || b.excluded.failed))
		s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_buf_release(&b.excluded);
	if (s != SM_OK) {
		sm_fplot_free(b.p);
		return NULL;
	}
	return b.p;
}
