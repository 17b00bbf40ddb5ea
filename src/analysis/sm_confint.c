#include "sm_confint.h"

#include "sm_buf.h"
#include "sm_stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void map_row(struct sm_confint *o, double vt)
{
	struct sm_confint_row t = o->tau2;
	o->tau = (struct sm_confint_row){sqrt(t.estimate), sqrt(t.ci_lb), sqrt(t.ci_ub)};
	o->I2.ci_lb = 100 * t.ci_lb / (vt + t.ci_lb);
	o->I2.ci_ub = 100 * t.ci_ub / (vt + t.ci_ub);
	o->H2.ci_lb = 1 + t.ci_lb / vt;
	o->H2.ci_ub = 1 + t.ci_ub / vt;
}

/* From this many studies on a full-precision bound is found by Newton's
 * method on one-pass evaluations of Q and its derivative (a handful of
 * passes) rather than by Brent's method on [0, max] (dozens of solves).
 * Both converge to the root to a few ulps; below it the reference path
 * is kept. */
#define CONFINT_NEWTON_K 1000
#define CONFINT_NEWTON_MAXIT 200
/* an offset that leaves less than this share of sum w z^2 cancels */
#define CONFINT_CANCEL (63.0 / 64.0)

/* The six sums of q_and_slope, sum w, w z, w z^2, w^2, w^2 z, w^2 z^2
 * (w = 1 / (v + t), z = y - c), as the lanes of two compensated sums
 * (sm_v4d; each lane sm_ksum_add's operations on its own terms, so the
 * bits of six scalar sums), four divisions at a time.  Built for AVX2 too
 * (target_clones): the same lane operations, the same bits. */
SM_AVX2_CLONES
void sm_confint_q_sums(const double *y, const double *v, size_t k, double c, double t,
		       double out[6])
{
	sm_v4d s0 = {0, 0, 0, 0}, c0 = s0, s1 = s0, c1 = s0;
	double wb[4];
	for (size_t i0 = 0; i0 < k; i0 += 4) {
		size_t n = k - i0 < 4 ? k - i0 : 4;
		if (n == 4) {
			sm_v4d vv, tt = {t, t, t, t}, one = {1, 1, 1, 1};
			memcpy(&vv, v + i0, sizeof vv);
			vv = one / (vv + tt);
			memcpy(wb, &vv, sizeof vv);
		} else {
			for (size_t l = 0; l < n; l++)
				wb[l] = 1 / (v[i0 + l] + t);
		}
		for (size_t l = 0; l < n; l++) {
			double w = wb[l], z = y[i0 + l] - c, w2 = w * w;
			sm_v4d x = {w, w * z, w * z * z, w2};
			sm_v4d x2 = {w2 * z, w2 * z * z, 0, 0};
			sm_v4d tsum = s0 + x, d = tsum - s0;
			c0 += (s0 - (tsum - d)) + (x - d);
			s0 = tsum;
			tsum = s1 + x2;
			d = tsum - s1;
			c1 += (s1 - (tsum - d)) + (x2 - d);
			s1 = tsum;
		}
	}
	for (int l = 0; l < 4; l++)
		out[l] = s0[l] + c0[l];
	out[4] = s1[0] + c1[0];
	out[5] = s1[1] + c1[1];
}

/* Q(t) = sum w (y - b)^2 and dQ/dt = -sum w^2 (y - b)^2, w = 1/(v + t), in
 * one pass from sums about the offset c; 0 when they would cancel. */
static int q_and_slope(const double *y, const double *v, size_t k, double c, double t,
		       double *q, double *dq)
{
	double s[6];
	sm_confint_q_sums(y, v, k, c, t, s);
	double d = s[1] / s[0], ex = s[1] * d;
	double ypp = s[5] - d * (2 * s[4] - d * s[3]);
	*q = s[2] - ex;
	*dq = -ypp;
	return isfinite(*q) && ex <= CONFINT_CANCEL * s[2] &&
	       ypp >= (1 - CONFINT_CANCEL) * s[5];
}

/* The root of Q(t) = target in [lo, hi] (Q(lo) >= target >= Q(hi)), from
 * x: Newton steps kept inside the bracket, which every evaluation narrows.
 * 0 when an evaluation would cancel (the caller then uses Brent's). */
static int newton_root(const double *y, const double *v, size_t k, double c, double target,
		       double lo, double hi, double x, double *root)
{
	for (int it = 0; it < CONFINT_NEWTON_MAXIT; it++) {
		double q, dq;
		if (!q_and_slope(y, v, k, c, x, &q, &dq))
			return 0;
		double f = q - target;
		if (f == 0) {
			*root = x;
			return 1;
		}
		if (f > 0)
			lo = x;
		else
			hi = x;
		double nx = dq < 0 ? x - f / dq : NAN;
		if (!(nx > lo && nx < hi))
			nx = lo + (hi - lo) / 2;
		if (fabs(nx - x) <= 2 * DBL_EPSILON * fabs(x) ||
		    hi - lo <= 4 * DBL_EPSILON * fmax(fabs(lo), fabs(hi)) || hi - lo < DBL_MIN) {
			*root = nx;
			return 1;
		}
		x = nx;
	}
	return 0;
}

/* One bound: the tau2 where Q(tau2) = target on [0, max]. */
static sm_status bound(struct sm_ctx *ctx, struct sm_wls *m, double *w, const double *yi,
		       const double *vi, const struct sm_rma_fit *fit, double target,
		       double q0, double qmax, double max, double tol, double *out,
		       char *sign)
{
	size_t k = m->d.k;
	*sign = 0;
	if (q0 < target) {
		*out = 0;
		return SM_OK;
	}
	if (qmax > target) {
		*out = max;
		*sign = '>';
		return SM_OK;
	}
	if (tol <= 0 && k >= CONFINT_NEWTON_K &&
	    newton_root(yi, vi, k, fit->b, target, 0, max, fmin(fmax(fit->tau2, 0), max), out))
		return SM_OK;
	return sm_tau2_q_root(ctx, m, w, yi, vi, target, 0, max, tol, 10000, out);
}

sm_status sm_confint_tau2(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			  const struct sm_rma_fit *fit, double level, double root_tol,
			  struct sm_confint *out)
{
	memset(out, 0, sizeof *out);
	if (k < 2)
		return SM_FAIL(ctx, SM_EINPUT, "confidence interval for tau2 needs k >= 2; "
			       "got k = %zu", k);
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
	double df = (double)k - 1, alpha = 1 - level / 100;
	double crit_u = sm_qchisq(1 - alpha / 2, df), crit_l = sm_qchisq(alpha / 2, df);
	double max = fmax(100, 10 * fit->tau2);
	double q0, qmax;
	out->tau2_max = max;
	out->tau2.estimate = fit->tau2;
	out->I2.estimate = fit->I2;
	out->H2.estimate = fit->H2;
	if ((st = sm_tau2_q(ctx, &m, w, yi, vi, 0, &q0)) ||
	    (st = sm_tau2_q(ctx, &m, w, yi, vi, max, &qmax)))
		goto done;
	if (q0 < crit_l) {
		out->ci_null = 1;
		out->lb_sign = out->ub_sign = '<';
	} else {
		if ((st = bound(ctx, &m, w, yi, vi, fit, crit_u, q0, qmax, max, root_tol,
				&out->tau2.ci_lb, &out->lb_sign)) ||
		    (st = bound(ctx, &m, w, yi, vi, fit, crit_l, q0, qmax, max, root_tol,
				&out->tau2.ci_ub, &out->ub_sign)))
			goto done;
	}
	map_row(out, fit->vt);
done:
	free(w);
	sm_wls_release(&m);
	return st;
}
