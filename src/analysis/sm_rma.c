#include "sm_rma.h"

#include "sm_buf.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* knha: a weighted RSS at or below machine epsilon counts as exactly 0
 * (metafor's .Machine$double.eps check). */
#define SM_KNHA_RSS_EPS DBL_EPSILON

struct sm_rma_opts sm_rma_defaults(enum sm_method method, enum sm_test test)
{
	struct sm_rma_opts o = {method, test, 95, sm_tau2_ctl_default()};
	return o;
}

struct sm_rma_opts sm_rma_tight(enum sm_method method, enum sm_test test)
{
	struct sm_rma_opts o = sm_rma_defaults(method, test);
	o.ctl.threshold = 0; /* full precision: sm_tau2_scoring_done */
	o.ctl.maxiter = 10000;
	o.ctl.tol = 1e-12;
	o.ctl.root_tol = 0;
	return o;
}

/* Coefficient arrays of one result; p entries each. */
struct coefs {
	double *b, *se, *stat, *pval, *ci_lb, *ci_ub, *vb;
};

/* Results the intercept and moderator fits share. */
struct core_out {
	enum sm_test test;
	double df, QM, QM_df1, QM_df2, QMp;
	double tau2, se_tau2, I2, H2, QE, QE_df, QEp, vt, s2w, sum_w;
	double ll_ml, ll_reml;
	int iterations;
};

/* Wald statistic of coefficients [from, p) : b' V^-1 b via Cholesky. */
static sm_status wald(struct sm_ctx *ctx, const double *b, const double *vb, size_t p,
		      size_t from, double *qm)
{
	size_t m = p - from;
	double *a = sm_alloc_array(m * m + m, sizeof *a);
	if (!a)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	double *x = a + m * m;
	for (size_t i = 0; i < m; i++) {
		x[i] = b[from + i];
		for (size_t j = 0; j < m; j++)
			a[i * m + j] = vb[(from + i) * p + from + j];
	}
	gsl_matrix_view av = gsl_matrix_view_array(a, m, m);
	gsl_vector_view xv = gsl_vector_view_array(x, m);
	double q = NAN;
	if (gsl_linalg_cholesky_decomp1(&av.matrix) == GSL_SUCCESS &&
	    gsl_linalg_cholesky_svx(&av.matrix, &xv.vector) == GSL_SUCCESS) {
		q = 0;
		for (size_t i = 0; i < m; i++)
			q += b[from + i] * x[i];
	}
	free(a);
	*qm = q;
	return SM_OK;
}

/* metafor's REML log-likelihood keeps the + 1/2 log det(X'X) term. */
static sm_status loglik_at(struct sm_wls *m, const double *vi, double tau2, double rss,
			   double logdet_xx, struct core_out *o)
{
	size_t k = m->d.k, p = m->d.p;
	struct sm_ksum ls = {0, 0};
	for (size_t i = 0; i < k; i++)
		sm_ksum_add(&ls, log(vi[i] + tau2));
	double l2pi = log(2 * M_PI);
	o->ll_ml = -0.5 * (double)k * l2pi - 0.5 * sm_ksum_get(&ls) - 0.5 * rss;
	o->ll_reml = -0.5 * (double)(k - p) * l2pi - 0.5 * sm_ksum_get(&ls) -
		     0.5 * m->logdet - 0.5 * rss + 0.5 * logdet_xx;
	return SM_OK;
}

/* Heterogeneity statistics from the fixed-effect weights. */
static sm_status heterogeneity(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			       const double *yi, const double *vi, enum sm_method method,
			       struct core_out *o)
{
	size_t k = m->d.k, p = m->d.p;
	for (size_t i = 0; i < k; i++)
		w[i] = 1 / vi[i];
	sm_status st = sm_wls_solve(ctx, m, yi, w);
	if (st)
		return st;
	o->QE_df = (double)(k - p);
	if (k <= p) {
		o->QE = 0;
		o->QEp = 1;
		o->vt = NAN;
		o->I2 = 0;
		o->H2 = 1;
		return SM_OK;
	}
	double kp = (double)(k - p);
	o->QE = m->rss;
	o->QEp = sm_pchisq_upper(o->QE, kp);
	o->vt = kp / sm_wls_tr_pd(m, w, NULL);
	if (method == SM_FE) {
		o->I2 = o->QE > 0 ? fmax(0, 100 * (o->QE - kp) / o->QE) : 0;
		o->H2 = o->QE / kp;
	} else {
		o->I2 = 100 * o->tau2 / (o->vt + o->tau2);
		o->H2 = 1 + o->tau2 / o->vt;
	}
	return SM_OK;
}

/* The shared fit: tau2 (estimated unless `fixed_tau2` is a number),
 * coefficients and tests.  m and w are workspace for the design. */
static sm_status rma_core(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			  const double *yi, const double *vi,
			  const struct sm_rma_opts *opts, double fixed_tau2,
			  struct coefs *c, struct core_out *o)
{
	size_t k = m->d.k, p = m->d.p;
	memset(o, 0, sizeof *o);
	if (k == 0)
		return SM_FAIL(ctx, SM_EINPUT, "no studies; expected k >= 1");
	for (size_t i = 0; i < k; i++)
		if (!isfinite(yi[i]) || !isfinite(vi[i]) || vi[i] < 0)
			return SM_FAIL(ctx, SM_EINPUT, "study %zu has a missing or invalid "
				       "effect or variance; expected finite yi and vi >= 0",
				       i + 1);
	o->test = opts->test;
	struct sm_tau2_result tr = {0, NAN, 0, 0};
	sm_status st;
	if (!isnan(fixed_tau2)) {
		tr.tau2 = fixed_tau2;
	} else if (k == 1 && p == 1) {
		/* metafor: a single study has tau2 = 0 and a z test. */
		o->test = SM_TEST_Z;
	} else if ((st = sm_tau2_estimate_ws(ctx, m, w, yi, vi, opts->method,
					     &opts->ctl, &tr))) {
		return st;
	}
	if (k < p)
		return SM_FAIL(ctx, SM_EINPUT, "too few studies (k = %zu) to estimate %zu "
			       "coefficients; expected at least %zu studies", k, p, p);
	o->tau2 = tr.tau2;
	o->se_tau2 = opts->method == SM_FE || (k == 1 && p == 1) ? NAN : tr.se_tau2;
	o->iterations = tr.iterations;

	if ((st = heterogeneity(ctx, m, w, yi, vi, opts->method, o)))
		return st;
	if ((st = sm_wls_solve(ctx, m, yi, NULL)))
		return st;
	double logdet_xx = m->logdet;
	for (size_t i = 0; i < k; i++)
		w[i] = 1 / (vi[i] + o->tau2);
	if ((st = sm_wls_solve(ctx, m, yi, w)))
		return st;
	o->sum_w = m->sum_w;
	loglik_at(m, vi, o->tau2, m->rss, logdet_xx, o);

	double kp = (double)(k - p);
	o->s2w = 1;
	o->df = NAN;
	double crit;
	double alpha = 1 - opts->level / 100;
	if (o->test == SM_TEST_KNHA) {
		o->s2w = m->rss <= SM_KNHA_RSS_EPS ? 0 : m->rss / kp;
		o->df = kp;
		crit = sm_qt_upper(alpha / 2, kp);
	} else {
		crit = sm_qnorm_upper(alpha / 2);
	}
	for (size_t a = 0; a < p * p; a++)
		c->vb[a] = m->vb[a] * o->s2w;
	for (size_t a = 0; a < p; a++) {
		c->b[a] = m->b[a];
		c->se[a] = sqrt(c->vb[a * p + a]);
		c->stat[a] = c->b[a] / c->se[a];
		c->pval[a] = o->test == SM_TEST_KNHA ? sm_p2_t(c->stat[a], kp)
						     : sm_p2_norm(c->stat[a]);
		c->ci_lb[a] = c->b[a] - crit * c->se[a];
		c->ci_ub[a] = c->b[a] + crit * c->se[a];
	}
	size_t from = p > 1 ? 1 : 0;
	if ((st = wald(ctx, c->b, c->vb, p, from, &o->QM)))
		return st;
	o->QM_df1 = (double)(p - from);
	if (o->test == SM_TEST_KNHA) {
		o->QM /= o->QM_df1;
		o->QM_df2 = kp;
		o->QMp = sm_pf_upper(o->QM, o->QM_df1, kp);
	} else {
		o->QM_df2 = NAN;
		o->QMp = sm_pchisq_upper(o->QM, o->QM_df1);
	}
	return SM_OK;
}

static void fill_fit(struct sm_rma_fit *out, size_t k, const struct sm_rma_opts *opts,
		     const struct coefs *c, const struct core_out *o)
{
	out->k = k;
	out->p = 1;
	out->method = opts->method;
	out->test = o->test;
	out->b = c->b[0];
	out->se = c->se[0];
	out->stat = c->stat[0];
	out->df = o->df;
	out->pval = c->pval[0];
	out->ci_lb = c->ci_lb[0];
	out->ci_ub = c->ci_ub[0];
	out->tau2 = o->tau2;
	out->se_tau2 = o->se_tau2;
	out->I2 = o->I2;
	out->H2 = o->H2;
	out->QE = o->QE;
	out->QE_df = o->QE_df;
	out->QEp = o->QEp;
	out->vt = o->vt;
	out->s2w = o->s2w;
	out->sum_w = o->sum_w;
	out->ll_ml = o->ll_ml;
	out->ll_reml = o->ll_reml;
	out->iterations = o->iterations;
	double alpha = 1 - opts->level / 100;
	double crit = o->test == SM_TEST_KNHA ? sm_qt_upper(alpha / 2, o->df)
					      : sm_qnorm_upper(alpha / 2);
	double sp = sqrt(out->se * out->se + out->tau2);
	out->pi_lb = out->b - crit * sp;
	out->pi_ub = out->b + crit * sp;
}

static sm_status fit_intercept(struct sm_ctx *ctx, const double *yi, const double *vi,
			       size_t k, const struct sm_rma_opts *opts, double fixed_tau2,
			       struct sm_rma_fit *out)
{
	memset(out, 0, sizeof *out);
	if (k == 0)
		return SM_FAIL(ctx, SM_EINPUT, "no studies; expected k >= 1");
	struct sm_design d = {NULL, k, 1};
	struct sm_wls m;
	sm_status st = sm_wls_init(ctx, &m, &d);
	if (st)
		return st;
	double *w = sm_alloc_array(k, sizeof *w);
	if (!w) {
		sm_wls_release(&m);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	double b, se, stat, pval, lb, ub, vb;
	struct coefs c = {&b, &se, &stat, &pval, &lb, &ub, &vb};
	struct core_out o;
	st = rma_core(ctx, &m, w, yi, vi, opts, fixed_tau2, &c, &o);
	if (!st)
		fill_fit(out, k, opts, &c, &o);
	free(w);
	sm_wls_release(&m);
	return st;
}

sm_status sm_rma_fit(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		     const struct sm_rma_opts *opts, struct sm_rma_fit *out)
{
	return fit_intercept(ctx, yi, vi, k, opts, NAN, out);
}

sm_status sm_rma_fit_fixed_tau2(struct sm_ctx *ctx, const double *yi, const double *vi,
				size_t k, const struct sm_rma_opts *opts, double tau2,
				struct sm_rma_fit *out)
{
	if (!(tau2 >= 0))
		return SM_FAIL(ctx, SM_EINPUT, "tau2 is %g; expected tau2 >= 0", tau2);
	return fit_intercept(ctx, yi, vi, k, opts, tau2, out);
}

sm_status sm_rma_weights(struct sm_ctx *ctx, const struct sm_rma_fit *fit,
			 const double *vi, size_t k, double *weight_pct)
{
	if (k != fit->k)
		return SM_FAIL(ctx, SM_EINTERNAL, "weights for %zu studies of a fit with "
			       "%zu; expected equal counts", k, fit->k);
	struct sm_ksum s = {0, 0};
	for (size_t i = 0; i < k; i++)
		sm_ksum_add(&s, 1 / (vi[i] + fit->tau2));
	double sw = sm_ksum_get(&s);
	for (size_t i = 0; i < k; i++)
		weight_pct[i] = 100 * (1 / (vi[i] + fit->tau2)) / sw;
	return SM_OK;
}

void sm_rma_predict_df(const struct sm_rma_fit *fit, double df, double *pi_lb,
		       double *pi_ub)
{
	/* metafor floors the riley df at 1 (k = 2 gives pi.df 0, t with 1 df). */
	double crit = isnan(df) ? sm_qnorm_upper(0.025) : sm_qt_upper(0.025, fmax(df, 1));
	double sp = sqrt(fit->se * fit->se + fit->tau2);
	*pi_lb = fit->b - crit * sp;
	*pi_ub = fit->b + crit * sp;
}

void sm_rma_mods_release(struct sm_rma_mods *m)
{
	if (!m)
		return;
	free(m->b);
	memset(m, 0, sizeof *m);
}

sm_status sm_rma_mods_fit(struct sm_ctx *ctx, const struct sm_design *d,
			  const double *yi, const double *vi,
			  const struct sm_rma_opts *opts, struct sm_rma_mods *out)
{
	memset(out, 0, sizeof *out);
	size_t k = d->k, p = d->p;
	if (k == 0)
		return SM_FAIL(ctx, SM_EINPUT, "no studies; expected k >= 1");
	double *arr = sm_alloc_array(6 * p + p * p, sizeof *arr);
	double *w = sm_alloc_array(k, sizeof *w);
	struct sm_wls m;
	sm_status st = arr && w ? sm_wls_init(ctx, &m, d)
				: SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st) {
		free(arr);
		free(w);
		return st;
	}
	struct coefs c = {arr, arr + p, arr + 2 * p, arr + 3 * p, arr + 4 * p,
			  arr + 5 * p, arr + 6 * p};
	struct core_out o;
	st = rma_core(ctx, &m, w, yi, vi, opts, NAN, &c, &o);
	free(w);
	sm_wls_release(&m);
	if (st) {
		free(arr);
		return st;
	}
	*out = (struct sm_rma_mods){
		.k = k, .p = p, .method = opts->method, .test = o.test,
		.b = c.b, .se = c.se, .stat = c.stat, .pval = c.pval,
		.ci_lb = c.ci_lb, .ci_ub = c.ci_ub, .vb = c.vb, .df = o.df,
		.QM = o.QM, .QM_df1 = o.QM_df1, .QM_df2 = o.QM_df2, .QMp = o.QMp,
		.tau2 = o.tau2, .se_tau2 = o.se_tau2, .I2 = o.I2, .H2 = o.H2,
		.QE = o.QE, .QE_df = o.QE_df, .QEp = o.QEp, .vt = o.vt, .s2w = o.s2w,
		.sum_w = o.sum_w, .ll_ml = o.ll_ml, .ll_reml = o.ll_reml,
		.iterations = o.iterations,
	};
	return SM_OK;
}
