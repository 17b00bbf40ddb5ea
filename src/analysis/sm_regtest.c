#include "sm_regtest.h"

#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Column-major [1, sqrt(vi)] design; caller frees. */
static double *sei_design(const double *vi, size_t k)
{
	double *x = sm_alloc_array(2 * k, sizeof *x);
	if (!x)
		return NULL;
	for (size_t i = 0; i < k; i++) {
		x[i] = 1;
		x[k + i] = sqrt(vi[i]);
	}
	return x;
}

/* R's lm() tolerance (qr tol) and metafor's evtol */
#define SM_QR_TOL 1e-7
#define SM_EVTOL 1e-7

sm_status sm_regtest_check_design(struct sm_ctx *ctx, const double *vi, size_t k)
{
	struct sm_ksum s1 = {0, 0}, s2 = {0, 0}, cs = {0, 0};
	for (size_t i = 0; i < k; i++) {
		double s = sqrt(vi[i]);
		sm_ksum_add(&s1, s);
		sm_ksum_add(&s2, s * s);
	}
	double mean = sm_ksum_get(&s1) / (double)k;
	for (size_t i = 0; i < k; i++) {
		double c = sqrt(vi[i]) - mean;
		sm_ksum_add(&cs, c * c);
	}
	/* the column's norm after the intercept is projected out, against its
	 * own norm (dqrdc2's limited pivoting); a single row leaves no room */
	double css = sm_ksum_get(&cs), ss = sm_ksum_get(&s2);
	if (k < 2 || !(css >= SM_QR_TOL * SM_QR_TOL * ss))
		return SM_FAIL(ctx, SM_EINPUT, "the regression on sqrt(vi) has a design of rank 1: "
			       "the standard errors of the %zu studies do not differ (their spread "
			       "is below 1e-7 of their size); expected studies with different "
			       "standard errors (metafor: model matrix no longer of full rank)", k);
	/* smallest eigenvalue of X'X = [k, S1; S1, S2]: det / largest */
	double a = (double)k, b = sm_ksum_get(&s1), tr = a + ss;
	double big = tr / 2 + hypot((a - ss) / 2, b), small = a * css / big;
	if (!(small > SM_EVTOL))
		return SM_FAIL(ctx, SM_EINPUT, "the regression on sqrt(vi) has a numerically "
			       "singular design (smallest eigenvalue of X'X %.3g <= 1e-7); "
			       "expected standard errors that differ more (metafor: model "
			       "matrix not of full rank)", small);
	return SM_OK;
}

sm_status sm_regtest(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		     const struct sm_rma_opts *opts, struct sm_regtest *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < k; i++)
		if (!isfinite(vi[i]) || vi[i] < 0)
			return SM_FAIL(ctx, SM_EINPUT, "study %zu has a missing or invalid "
				       "variance; expected finite vi >= 0", i + 1);
	/* one study: the fit below says that there are too few */
	sm_status rst = k >= 2 ? sm_regtest_check_design(ctx, vi, k) : SM_OK;
	if (rst)
		return rst;
	/* Every yi equal to c: the fit of yi - c = 0 has slope exactly 0 and the
	 * intercept is c.  A direct fit leaves rounding noise of 1e-16 in the
	 * slope, which over knha's standard error of 0 is an infinite statistic
	 * of random sign (metafor's p = 0 there); here 0/0 is NaN. */
	double shift = k > 0 && isfinite(yi[0]) ? yi[0] : 0;
	for (size_t i = 1; i < k && shift != 0; i++)
		if (yi[i] != shift)
			shift = 0;
	double *x = sei_design(vi, k);
	double *zero = shift != 0 ? sm_alloc_array(k, sizeof *zero) : NULL;
	if (!x || (shift != 0 && !zero)) {
		free(x);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	for (size_t i = 0; zero && i < k; i++)
		zero[i] = 0;
	struct sm_design d = {x, k, 2};
	struct sm_rma_mods m;
	sm_status st = sm_rma_mods_fit(ctx, &d, zero ? zero : yi, vi, opts, &m);
	free(x);
	free(zero);
	if (st)
		return st;
	*out = (struct sm_regtest){
		.stat = m.stat[1], .df = m.df, .pval = m.pval[1],
		.est = m.b[0] + shift, .ci_lb = m.ci_lb[0] + shift, .ci_ub = m.ci_ub[0] + shift,
		.b = {m.b[0] + shift, m.b[1]}, .se = {m.se[0], m.se[1]},
		.tau2 = m.tau2, .QE = m.QE, .QEp = m.QEp, .sigma = NAN,
	};
	sm_rma_mods_release(&m);
	return SM_OK;
}

sm_status sm_regtest_lm(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			double level, struct sm_regtest *out)
{
	memset(out, 0, sizeof *out);
	if (k < 2)
		return SM_FAIL(ctx, SM_EINPUT, "regression test needs k >= 2; got k = %zu", k);
	sm_status rst = sm_regtest_check_design(ctx, vi, k);
	if (rst)
		return rst;
	double *x = sei_design(vi, k);
	double *w = sm_alloc_array(k, sizeof *w);
	struct sm_design d = {x, k, 2};
	struct sm_wls m;
	sm_status st = x && w ? sm_wls_init(ctx, &m, &d)
			      : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (!st) {
		for (size_t i = 0; i < k; i++)
			w[i] = 1 / vi[i];
		st = sm_wls_solve(ctx, &m, yi, w);
		if (!st) {
			double df = (double)k - 2;
			/* R: residual variance rss/0 is NaN with k = 2 */
			double s2 = k > 2 ? m.rss / df : NAN;
			if (k == 2)
				sm_ctx_warn(ctx, "regression test with k = 2 has no residual "
					    "degrees of freedom; results are NaN");
			double crit = k > 2 ? sm_qt_upper((1 - level / 100) / 2, df) : NAN;
			for (int j = 0; j < 2; j++) {
				out->b[j] = m.b[j];
				out->se[j] = sqrt(s2 * m.vb[j * 2 + j]);
			}
			out->stat = out->b[1] / out->se[1];
			out->df = df;
			out->pval = k > 2 ? sm_p2_t(out->stat, df) : NAN;
			out->est = out->b[0];
			out->ci_lb = out->b[0] - crit * out->se[0];
			out->ci_ub = out->b[0] + crit * out->se[0];
			out->tau2 = out->QE = out->QEp = NAN;
			out->sigma = sqrt(s2);
		}
		sm_wls_release(&m);
	}
	free(x);
	free(w);
	return st;
}
