#include "sm_ifit.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <string.h>

/* A difference that removes more than this share of its first term loses
 * more than 6 bits: such a subset is refitted exactly. */
#define IFIT_CANCEL (63.0 / 64.0)

/* PM's bracket search: steps and the largest tau2 (metafor's tau2.max is at
 * least 100, so a root below it is the root the exact search finds). */
#define IFIT_BRACKET_STEPS 80
#define IFIT_TAU2_MAX 100.0

/* What a scoring step needs from the sums at one tau2 (sm_tau2's
 * quantities for p = 1: vb = (1/sqrt(sum w))^2 as the Cholesky inverse). */
struct at_t {
	double sw, d, rss, ypp, sw2, trp, trpp;
};

/* The rss at t (and with q23 the other scoring quantities); 0 when the
 * sums are not to be had or a difference would cancel. */
static int quantities(const struct sm_isubset *s, double t, int q23, struct at_t *q)
{
	struct sm_isums m;
	if (!s->at(s->arg, t, q23 ? SM_ISUMS_Q23 : SM_ISUMS_Q1, &m))
		return 0;
	q->sw = m.s1[0];
	q->d = m.s1[1] / m.s1[0];
	double explained = m.s1[1] * q->d;
	q->rss = m.s1[2] - explained;
	if (explained > IFIT_CANCEL * m.s1[2])
		return 0;
	if (!q23)
		return 1;
	double ir = 1 / sqrt(q->sw), vb = ir * ir;
	q->ypp = m.s2[2] - q->d * (2 * m.s2[1] - q->d * m.s2[0]);
	q->sw2 = m.s2[0];
	q->trp = q->sw - vb * q->sw2;
	q->trpp = q->sw2 - 2 * vb * m.s3 + (vb * q->sw2) * (vb * q->sw2);
	return q->ypp >= (1 - IFIT_CANCEL) * m.s2[2] && vb * q->sw2 <= IFIT_CANCEL * q->sw &&
	       q->trpp >= (1 - IFIT_CANCEL) * q->sw2;
}

static double tau2_he(const struct sm_isubset *s)
{
	double ir = 1 / sqrt(s->n), vb = ir * ir;
	return fmax(0, (s->SS - (s->Sv - vb * s->Sv)) / (s->n - 1));
}

static int tau2_closed(const struct sm_isubset *s, enum sm_method m, double *tau2)
{
	double n = s->n, trp = s->W - s->W2 / s->W;
	switch (m) {
	case SM_FE: *tau2 = 0; return 1;
	case SM_DL: *tau2 = fmax(0, (s->QE - (n - 1)) / trp); return 1;
	case SM_HS: *tau2 = fmax(0, (s->QE - n) / s->W); return 1;
	case SM_HE: *tau2 = tau2_he(s); return 1;
	case SM_SJ: {
		double t0 = s->SS / n;
		struct at_t q;
		if (!quantities(s, t0, 0, &q))
			return 0;
		*tau2 = fmax(0, t0 * q.rss / (n - 1));
		return 1;
	}
	default: return 0;
	}
}

/* sm_tau2's log-likelihood (ML or REML, constants kept). */
static double loglik(double n, double lsum, double rss, double sw, int reml)
{
	double v = -0.5 * (reml ? n - 1 : n) * log(2 * M_PI) - 0.5 * lsum - 0.5 * rss;
	return reml ? v - 0.5 * log(sw) : v;
}

/* sm_tau2's scoring step at tau2 from the sums; 0 when they cannot be had. */
static int scoring_step(const struct sm_isubset *s, enum sm_method m, double tau2, double *adj)
{
	struct at_t q;
	if (!quantities(s, tau2, 1, &q))
		return 0;
	double n = s->n, kp = n - 1;
	if (m == SM_EB)
		*adj = (q.rss * n / kp - n) / q.sw;
	else if (m == SM_ML)
		*adj = (q.ypp - q.sw) / q.sw2;
	else
		*adj = (q.ypp - q.trp) / q.trpp;
	return 1;
}

/* Fisher scoring for ML, REML and EB, step for step as sm_tau2, from the
 * HE estimate.  (Not from a neighbouring fit's tau2: where scoring converges
 * slowly, where it stops depends on where it starts, by more than 1e-9
 * relative in metafor's tight-control results.) */
static int tau2_scoring(const struct sm_isubset *s, const struct sm_rma_opts *o,
			double *out)
{
	const struct sm_tau2_ctl *ctl = &o->ctl;
	double n = s->n, tau2 = tau2_he(s), change = INFINITY, prev = INFINITY;
	for (int iter = 0; !sm_tau2_scoring_done(ctl, tau2, change, prev);) {
		iter++;
		double old = tau2, adj, adj0;
		if (!scoring_step(s, o->method, tau2, &adj))
			return 0;
		adj *= ctl->stepadj;
		if (!isfinite(adj))
			return 0;
		if (tau2 + adj < 0 && ctl->threshold <= 0) {
			if (!scoring_step(s, o->method, 0, &adj0))
				return 0;
			if (sm_tau2_stop_at_zero(ctl, tau2, adj, adj0)) {
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
			return 0;
	}
	if ((o->method == SM_ML || o->method == SM_REML) && tau2 > 0) {
		/* the exact refit resets tau2 to 0 with a warning: leave it to it */
		int reml = o->method == SM_REML;
		struct sm_isums m;
		if (!s->at(s->arg, tau2, SM_ISUMS_LOG, &m))
			return 0;
		double d = m.s1[1] / m.s1[0];
		double ll0 = loglik(n, s->lsum0, s->QE, s->W, reml);
		double ll = loglik(n, m.lsum, m.s1[2] - m.s1[1] * d, m.s1[0], reml);
		if (ll0 - ll > ctl->tol && tau2 > ctl->threshold)
			return 0;
	}
	*out = tau2;
	return 1;
}

struct q_arg {
	const struct sm_isubset *s;
	double target;
	int failed;
};

static double q_minus_target(double t, void *vp)
{
	struct q_arg *a = vp;
	struct at_t q;
	if (!quantities(a->s, t, 0, &q)) {
		a->failed = 1;
		return NAN;
	}
	return q.rss - a->target;
}

/* Q(t) - target; Q(0) is the exact QE. */
static double q_at(struct q_arg *a, double t)
{
	return t == 0 ? a->s->QE - a->target : q_minus_target(t, a);
}

static double q_gsl(double t, void *vp)
{
	return q_at(vp, t);
}

/* [lo, hi] with Q(lo) >= target >= Q(hi), searched outwards from the hint
 * in doubling steps; 0 when none below IFIT_TAU2_MAX is found (Q falls with
 * tau2, and Q(0) >= target is known). */
static int bracket(struct q_arg *a, double hint, double *lo, double *hi)
{
	double h = fmax(hint, 0), step = fmax(h, 1e-8) / 64, f = q_at(a, h);
	*lo = *hi = h;
	for (int i = 0; !a->failed && f > 0 && i < IFIT_BRACKET_STEPS; i++, step *= 2) {
		*lo = *hi;
		*hi += step;
		if (*hi > IFIT_TAU2_MAX)
			return 0;
		f = q_at(a, *hi);
	}
	if (a->failed || f > 0)
		return 0;
	f = q_at(a, *lo);
	for (int i = 0; !a->failed && f < 0 && i < IFIT_BRACKET_STEPS; i++, step *= 2) {
		*hi = *lo;
		*lo = fmax(0, *lo - step);
		f = q_at(a, *lo);
	}
	return !a->failed && f >= 0;
}

/* Paule-Mandel to full precision: the root of Q(tau2) = n - 1, which does
 * not depend on where the search starts. */
static int tau2_pm(const struct sm_isubset *s, const struct sm_rma_opts *o, double hint,
		   double *out)
{
	double kp = s->n - 1;
	if (o->ctl.root_tol > 0)
		return 0;
	if (s->QE < kp) {
		*out = 0;
		return 1;
	}
	struct q_arg a = {s, kp, 0};
	double lo, hi;
	if (!bracket(&a, hint, &lo, &hi))
		return 0;
	double flo = q_at(&a, lo), fhi = q_at(&a, hi);
	if (a.failed || flo < 0 || fhi > 0)
		return 0;
	if (flo == 0 || fhi == 0) {
		*out = fmax(flo == 0 ? lo : hi, 0);
		return 1;
	}
	gsl_function f = {q_gsl, &a};
	gsl_root_fsolver *rs = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!rs || gsl_root_fsolver_set(rs, &f, lo, hi) != GSL_SUCCESS) {
		gsl_root_fsolver_free(rs);
		return 0;
	}
	int done = 0;
	for (int it = 0; it < 1000 && !done && !a.failed; it++) {
		if (gsl_root_fsolver_iterate(rs) != GSL_SUCCESS)
			break;
		double x0 = gsl_root_fsolver_x_lower(rs), x1 = gsl_root_fsolver_x_upper(rs);
		done = (x1 - x0) <= 4 * DBL_EPSILON * fmax(fabs(x0), fabs(x1)) ||
		       (x1 - x0) < DBL_MIN || q_at(&a, gsl_root_fsolver_root(rs)) == 0;
	}
	double root = gsl_root_fsolver_root(rs);
	gsl_root_fsolver_free(rs);
	if (!done || a.failed)
		return 0;
	*out = fmax(root, 0);
	return 1;
}

int sm_ifit_tau2(const struct sm_isubset *s, const struct sm_rma_opts *opts, double hint,
		 double *tau2)
{
	if (!(s->n >= 2))
		return 0;
	switch (opts->method) {
	case SM_ML:
	case SM_REML:
	case SM_EB: return tau2_scoring(s, opts, tau2);
	case SM_PM: return tau2_pm(s, opts, hint, tau2);
	default: return tau2_closed(s, opts->method, tau2);
	}
}

void sm_ifit_const_init(struct sm_ifit_const *c, const struct sm_rma_opts *opts, double n,
			const struct sm_chisq_near *qe)
{
	double alpha = 1 - opts->level / 100;
	c->opts = opts;
	c->n = n;
	c->qe = qe;
	c->crit = opts->test == SM_TEST_KNHA ? sm_qt_upper(alpha / 2, n - 1)
					     : sm_qnorm_upper(alpha / 2);
}

int sm_ifit_fit(const struct sm_isubset *s, const struct sm_ifit_const *c, double tau2,
		struct sm_rma_fit *f)
{
	struct sm_isums m;
	if (!s->at(s->arg, tau2, SM_ISUMS_Q1, &m))
		return 0;
	double explained = m.s1[1] * m.s1[1] / m.s1[0];
	if (explained > IFIT_CANCEL * m.s1[2])
		return 0;
	double rss = m.s1[2] - explained, n = s->n, ir = 1 / sqrt(m.s1[0]);
	int knha = c->opts->test == SM_TEST_KNHA;
	memset(f, 0, sizeof *f);
	f->k = (size_t)n;
	f->p = 1;
	f->method = c->opts->method;
	f->test = c->opts->test;
	f->b = m.yc + m.s1[1] / m.s1[0];
	f->s2w = knha ? (rss <= DBL_EPSILON ? 0 : rss / (n - 1)) : 1;
	f->df = knha ? n - 1 : NAN;
	f->se = sqrt(ir * ir * f->s2w);
	f->stat = f->b / f->se;
	f->pval = knha ? sm_p2_t(f->stat, n - 1) : sm_p2_norm(f->stat);
	f->ci_lb = f->b - c->crit * f->se;
	f->ci_ub = f->b + c->crit * f->se;
	double sp = sqrt(f->se * f->se + tau2);
	f->pi_lb = f->b - c->crit * sp;
	f->pi_ub = f->b + c->crit * sp;
	f->tau2 = tau2;
	f->se_tau2 = NAN;
	f->QE = s->QE;
	f->QE_df = n - 1;
	f->QEp = c->qe ? sm_chisq_near(c->qe, s->QE) : sm_pchisq_upper(s->QE, n - 1);
	f->vt = (n - 1) / (s->W - s->W2 / s->W);
	if (c->opts->method == SM_FE) {
		f->I2 = s->QE > 0 ? fmax(0, 100 * (s->QE - (n - 1)) / s->QE) : 0;
		f->H2 = s->QE / (n - 1);
	} else {
		f->I2 = 100 * tau2 / (f->vt + tau2);
		f->H2 = 1 + tau2 / f->vt;
	}
	f->sum_w = m.s1[0];
	f->ll_ml = f->ll_reml = NAN;
	return 1;
}
