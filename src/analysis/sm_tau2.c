#include "sm_tau2.h"

#include "sm_buf.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* metafor's default `tol` and uniroot tolerance: .Machine$double.eps^0.25 */
#define SM_EPS_QUARTER 1.220703125e-4
/* Full-precision scoring: a step of at most this many ulps of tau2 ends it,
 * and so does a step that no longer shrinks once within this share of tau2. */
#define SM_SCORING_ULPS 4
#define SM_SCORING_NOISE 1e-10

struct sm_tau2_ctl sm_tau2_ctl_default(void)
{
	struct sm_tau2_ctl c = {1e-5, 100, 1, SM_EPS_QUARTER, SM_EPS_QUARTER};
	return c;
}

static void set_weights(double *w, const double *vi, size_t k, double tau2)
{
	for (size_t i = 0; i < k; i++)
		w[i] = 1 / (vi[i] + tau2);
}

sm_status sm_tau2_q(struct sm_ctx *ctx, struct sm_wls *m, double *w, const double *yi,
		    const double *vi, double tau2, double *q)
{
	sm_status st = sm_wls_solve_tau2(ctx, m, yi, w, vi, tau2);
	*q = m->rss;
	return st;
}

/* HE: OLS residual sum of squares minus tr(P0 V), over k - p. */
static sm_status est_he(struct sm_ctx *ctx, struct sm_wls *m, const double *yi,
			const double *vi, struct sm_tau2_result *out)
{
	sm_status st = sm_wls_solve(ctx, m, yi, NULL);
	if (st)
		return st;
	double kp = (double)(m->d.k - m->d.p);
	double trpv = sm_wls_tr_pd(m, NULL, vi);
	double t = (m->rss - trpv) / kp;
	double tp = fmax(t, 0);
	double trpvpv = sm_wls_tr_pdpd(m, NULL, vi, vi);
	out->tau2 = tp;
	out->se_tau2 = sqrt(2 * trpvpv + 4 * tp * trpv + 2 * tp * tp * kp) / kp;
	return SM_OK;
}

/* DL and HS share the FE-weighted P. */
static sm_status est_dl_hs(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			   const double *yi, const double *vi, int hs,
			   struct sm_tau2_result *out)
{
	size_t k = m->d.k;
	double kp = (double)(k - m->d.p);
	set_weights(w, vi, k, 0);
	sm_status st = sm_wls_solve(ctx, m, yi, w);
	if (st)
		return st;
	double trp = sm_wls_tr_pd(m, w, NULL);
	double trpp = sm_wls_tr_pdpd(m, w, NULL, NULL);
	double t = hs ? (m->rss - (double)k) / m->sum_w : (m->rss - kp) / trp;
	double tp = fmax(t, 0);
	double num = 2 * kp + 4 * tp * trp + 2 * tp * tp * trpp;
	out->tau2 = tp;
	out->se_tau2 = hs ? sqrt(num) / m->sum_w : sqrt(num / (trp * trp));
	return SM_OK;
}

static sm_status est_sj(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			const double *yi, const double *vi, struct sm_tau2_result *out)
{
	size_t k = m->d.k;
	double kp = (double)(k - m->d.p);
	double mean = sm_sum(yi, k) / (double)k;
	struct sm_ksum ss = {0, 0};
	for (size_t i = 0; i < k; i++)
		sm_ksum_add(&ss, (yi[i] - mean) * (yi[i] - mean));
	double t0 = sm_ksum_get(&ss) / (double)k;
	set_weights(w, vi, k, t0);
	sm_status st = sm_wls_solve(ctx, m, yi, w);
	if (st)
		return st;
	double t = t0 * m->rss / kp;
	double tp = fmax(t, 0);
	double a = sm_wls_tr_pdpd(m, w, vi, vi);
	double b = sm_wls_tr_pdpd(m, w, vi, NULL);
	double c = sm_wls_tr_pdpd(m, w, NULL, NULL);
	out->tau2 = tp;
	out->se_tau2 = t0 / kp * sqrt(2 * a + 4 * tp * b + 2 * tp * tp * c);
	return SM_OK;
}

/* Log-likelihood (ML or REML, constants kept) at tau2; used to check
 * whether tau2 = 0 beats the scoring solution, as metafor does. */
static sm_status loglik(struct sm_ctx *ctx, struct sm_wls *m, double *w, const double *yi,
			const double *vi, double tau2, int reml, double *ll)
{
	size_t k = m->d.k;
	double q;
	sm_status st = sm_tau2_q(ctx, m, w, yi, vi, tau2, &q);
	if (st)
		return st;
	struct sm_ksum ls = {0, 0};
	for (size_t i = 0; i < k; i++)
		sm_ksum_add(&ls, log(vi[i] + tau2));
	double n = reml ? (double)(k - m->d.p) : (double)k;
	double v = -0.5 * n * log(2 * M_PI) - 0.5 * sm_ksum_get(&ls) - 0.5 * m->rss;
	if (reml)
		v -= 0.5 * m->logdet;
	*ll = v;
	return SM_OK;
}

/* Scoring step for the current weights (solve already done). */
static double score_step(struct sm_wls *m, const double *w, const double *yi,
			 enum sm_method method)
{
	size_t k = m->d.k;
	double kp = (double)(k - m->d.p);
	if (method == SM_EB)
		return (m->rss * (double)k / kp - (double)k) / m->sum_w;
	double ypp = sm_wls_ypp_y(m, yi, w);
	if (method == SM_ML) {
		struct sm_ksum s2 = {0, 0};
		for (size_t i = 0; i < k; i++)
			sm_ksum_add(&s2, w[i] * w[i]);
		return (ypp - m->sum_w) / sm_ksum_get(&s2);
	}
	double trp = sm_wls_tr_pd(m, w, NULL);
	double trpp = sm_wls_tr_pdpd(m, w, NULL, NULL);
	return (ypp - trp) / trpp;
}

static sm_status se_iterative(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			      const double *yi, const double *vi, enum sm_method method,
			      struct sm_tau2_result *out)
{
	size_t k = m->d.k;
	double kp = (double)(k - m->d.p);
	double q;
	sm_status st = sm_tau2_q(ctx, m, w, yi, vi, out->tau2, &q);
	if (st)
		return st;
	if (method == SM_ML) {
		struct sm_ksum s2 = {0, 0};
		for (size_t i = 0; i < k; i++)
			sm_ksum_add(&s2, w[i] * w[i]);
		out->se_tau2 = sqrt(2 / sm_ksum_get(&s2));
	} else if (method == SM_REML) {
		out->se_tau2 = sqrt(2 / sm_wls_tr_pdpd(m, w, NULL, NULL));
	} else {
		out->se_tau2 = sqrt(2 * (double)k * (double)k / kp) / m->sum_w;
	}
	return SM_OK;
}

int sm_tau2_scoring_done(const struct sm_tau2_ctl *ctl, double tau2, double change,
			 double prev_change)
{
	double scale = fmax(fabs(tau2), DBL_MIN), ulps = SM_SCORING_ULPS * DBL_EPSILON * scale;
	if (ctl->threshold > 0)
		return !(change > fmax(ctl->threshold, ulps));
	if (!(change > ulps))
		return 1;
	return change <= SM_SCORING_NOISE * scale && change >= prev_change;
}

int sm_tau2_stop_at_zero(const struct sm_tau2_ctl *ctl, double tau2, double adj, double adj0)
{
	return ctl->threshold <= 0 && tau2 + adj < 0 && !(adj0 > 0);
}

/* The scoring step at tau2 (one solve). */
static sm_status step_at(struct sm_ctx *ctx, struct sm_wls *m, double *w, const double *yi,
			 const double *vi, enum sm_method method, double tau2, double *adj)
{
	double q;
	sm_status st = sm_tau2_q(ctx, m, w, yi, vi, tau2, &q);
	*adj = st ? NAN : score_step(m, w, yi, method);
	return st;
}

static sm_status est_scoring(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			     const double *yi, const double *vi, enum sm_method method,
			     const struct sm_tau2_ctl *ctl, struct sm_tau2_result *out)
{
	struct sm_tau2_result he;
	sm_status st = est_he(ctx, m, yi, vi, &he);
	if (st)
		return st;
	double tau2 = he.tau2;
	double change = INFINITY, prev = INFINITY;
	int iter = 0;
	while (!sm_tau2_scoring_done(ctl, tau2, change, prev)) {
		iter++;
		double old = tau2, adj;
		if ((st = step_at(ctx, m, w, yi, vi, method, tau2, &adj)))
			return st;
		adj *= ctl->stepadj;
		if (!isfinite(adj))
			return SM_FAIL(ctx, SM_EINPUT, "fisher scoring produced a non-finite "
				       "step; expected finite effect sizes and variances");
		if (tau2 + adj < 0 && ctl->threshold <= 0) {
			/* weights that cannot be had at 0 (a vi of 0) leave the
			 * halving below to decide */
			double adj0;
			if (step_at(ctx, m, w, yi, vi, method, 0, &adj0) != SM_OK)
				sm_ctx_clear_error(ctx);
			else if (sm_tau2_stop_at_zero(ctl, tau2, adj, adj0)) {
				tau2 = 0;
				break;
			}
		}
		while (tau2 + adj < 0)
			adj /= 2;
		tau2 += adj;
		prev = change;
		change = fabs(old - tau2);
		if (iter > ctl->maxiter)
			return SM_FAIL(ctx, SM_EINPUT, "fisher scoring algorithm did not "
				       "converge; expected convergence within %d iterations "
				       "(retry with shorter steps: --stepadj 0.5; or pick a "
				       "non-iterative estimator: --method DL, or \"method\": "
				       "\"DL\" in the review's settings)", ctl->maxiter);
	}
	out->tau2 = tau2;
	out->iterations = iter;
	if ((method == SM_ML || method == SM_REML) && tau2 > 0) {
		double ll0, ll;
		int reml = method == SM_REML;
		if ((st = loglik(ctx, m, w, yi, vi, 0, reml, &ll0)) ||
		    (st = loglik(ctx, m, w, yi, vi, tau2, reml, &ll)))
			return st;
		/* as metafor: only a tau2 above the convergence threshold is reset */
		if (ll0 - ll > ctl->tol && tau2 > ctl->threshold) {
			out->tau2 = 0;
			out->reset_to_zero = 1;
			sm_ctx_warn(ctx, "fisher scoring may have stopped at a local maximum; "
				    "tau2 set to 0");
		}
	}
	return se_iterative(ctx, m, w, yi, vi, method, out);
}

struct q_params {
	struct sm_wls *m;
	double *w;
	const double *yi, *vi;
	double target;
	int failed;
};

static double q_minus_target(double tau2, void *vp)
{
	struct q_params *qp = vp;
	set_weights(qp->w, qp->vi, qp->m->d.k, tau2);
	/* The design is full rank (checked before the search), so a failed
	 * solve only means non-finite weights; flag it. */
	if (sm_wls_solve(NULL, qp->m, qp->yi, qp->w) != SM_OK) {
		qp->failed = 1;
		return NAN;
	}
	return qp->m->rss - qp->target;
}

sm_status sm_tau2_q_root(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			 const double *yi, const double *vi, double target, double lo,
			 double hi, double tol, int maxiter, double *root)
{
	struct q_params qp = {m, w, yi, vi, target, 0};
	gsl_function f = {q_minus_target, &qp};
	double flo = q_minus_target(lo, &qp), fhi = q_minus_target(hi, &qp);
	if (qp.failed)
		return SM_FAIL(ctx, SM_EINPUT, "cannot evaluate Q(tau2); expected finite data");
	if (flo == 0 || fhi == 0) {
		*root = flo == 0 ? lo : hi;
		return SM_OK;
	}
	if ((flo > 0) == (fhi > 0))
		return SM_FAIL(ctx, SM_EINPUT, "Q(tau2) does not cross its target on "
			       "[%g, %g]; expected a sign change", lo, hi);
	gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!s)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (gsl_root_fsolver_set(s, &f, lo, hi) != GSL_SUCCESS) {
		gsl_root_fsolver_free(s);
		return SM_FAIL(ctx, SM_EINPUT, "cannot start root search for tau2");
	}
	int status = GSL_CONTINUE;
	for (int it = 0; it < maxiter && status == GSL_CONTINUE; it++) {
		if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS || qp.failed)
			break;
		double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
		if (tol > 0)
			status = gsl_root_test_interval(a, b, tol, 0);
		else
			status = (b - a) <= 4 * DBL_EPSILON * fmax(fabs(a), fabs(b)) ||
				 (b - a) < DBL_MIN ? GSL_SUCCESS : GSL_CONTINUE;
		if (status == GSL_CONTINUE && tol <= 0 &&
		    q_minus_target(gsl_root_fsolver_root(s), &qp) == 0)
			status = GSL_SUCCESS;
	}
	*root = gsl_root_fsolver_root(s);
	gsl_root_fsolver_free(s);
	if (qp.failed)
		return SM_FAIL(ctx, SM_EINPUT, "cannot evaluate Q(tau2); expected finite data");
	if (status != GSL_SUCCESS && tol > 0)
		return SM_FAIL(ctx, SM_EINPUT, "root search for tau2 did not converge; "
			       "expected convergence within %d iterations", maxiter);
	return SM_OK;
}

static sm_status est_pm(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			const double *yi, const double *vi, const struct sm_tau2_ctl *ctl,
			struct sm_tau2_result *out)
{
	size_t k = m->d.k;
	double kp = (double)(k - m->d.p);
	double q0;
	sm_status st = sm_tau2_q(ctx, m, w, yi, vi, 0, &q0);
	if (st)
		return st;
	double tau2 = 0;
	if (q0 >= kp) {
		double mad = sm_mad(yi, k);
		double hi = fmax(100, 10 * mad * mad);
		double qhi;
		if ((st = sm_tau2_q(ctx, m, w, yi, vi, hi, &qhi)))
			return st;
		if (qhi > kp)
			return SM_FAIL(ctx, SM_EINPUT, "value of tau2.max too low; "
				       "expected Q(tau2.max) <= k - p");
		if ((st = sm_tau2_q_root(ctx, m, w, yi, vi, kp, 0, hi, ctl->root_tol,
					 ctl->maxiter > 1000 ? ctl->maxiter : 1000, &tau2)))
			return st;
		tau2 = fmax(tau2, 0);
	}
	out->tau2 = tau2;
	return se_iterative(ctx, m, w, yi, vi, SM_EB, out);
}

/* Where metafor stops with "Number of parameters to be estimated is larger
 * than the number of observations": k studies cannot fit p coefficients
 * (plus tau2 for a random-effects model). */
static sm_status too_few(struct sm_ctx *ctx, size_t k, size_t p, int with_tau2)
{
	size_t n = p + (with_tau2 ? 1 : 0);
	char what[64] = "";
	if (with_tau2)
		snprintf(what, sizeof what, " (%zu coefficient%s and tau2)", p, p == 1 ? "" : "s");
	return SM_FAIL(ctx, SM_EINPUT, "too few studies (k = %zu) to estimate %zu parameter%s%s; "
		       "expected at least %zu studies", k, n, n == 1 ? "" : "s", what, n);
}

sm_status sm_tau2_estimate_ws(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			      const double *yi, const double *vi, enum sm_method method,
			      const struct sm_tau2_ctl *ctl, struct sm_tau2_result *out)
{
	memset(out, 0, sizeof *out);
	out->se_tau2 = NAN;
	size_t k = m->d.k, p = m->d.p;
	if (k == 0)
		return SM_FAIL(ctx, SM_EINPUT, "no studies; expected k >= 1");
	if (method == SM_FE)
		return p > k ? too_few(ctx, k, p, 0) : SM_OK;
	if (p + 1 > k)
		return too_few(ctx, k, p, 1);
	switch (method) {
	case SM_DL: return est_dl_hs(ctx, m, w, yi, vi, 0, out);
	case SM_HS: return est_dl_hs(ctx, m, w, yi, vi, 1, out);
	case SM_HE: return est_he(ctx, m, yi, vi, out);
	case SM_SJ: return est_sj(ctx, m, w, yi, vi, out);
	case SM_PM: return est_pm(ctx, m, w, yi, vi, ctl, out);
	case SM_ML:
	case SM_REML:
	case SM_EB: return est_scoring(ctx, m, w, yi, vi, method, ctl, out);
	default: break;
	}
	return SM_FAIL(ctx, SM_EINTERNAL, "unknown tau2 method %d", (int)method);
}

sm_status sm_tau2_estimate(struct sm_ctx *ctx, const struct sm_design *d,
			   const double *yi, const double *vi, enum sm_method method,
			   const struct sm_tau2_ctl *ctl, struct sm_tau2_result *out)
{
	struct sm_wls m;
	sm_status st = sm_wls_init(ctx, &m, d);
	if (st)
		return st;
	double *w = sm_alloc_array(d->k ? d->k : 1, sizeof *w);
	if (!w) {
		sm_wls_release(&m);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	st = sm_tau2_estimate_ws(ctx, &m, w, yi, vi, method, ctl, out);
	free(w);
	sm_wls_release(&m);
	return st;
}
