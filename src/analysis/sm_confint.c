#include "sm_confint.h"

#include "sm_buf.h"

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

/* One bound: the tau2 where Q(tau2) = target on [0, max]. */
static sm_status bound(struct sm_ctx *ctx, struct sm_wls *m, double *w, const double *yi,
		       const double *vi, double target, double q0, double qmax, double max,
		       double tol, double *out, char *sign)
{
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
		if ((st = bound(ctx, &m, w, yi, vi, crit_u, q0, qmax, max, root_tol,
				&out->tau2.ci_lb, &out->lb_sign)) ||
		    (st = bound(ctx, &m, w, yi, vi, crit_l, q0, qmax, max, root_tol,
				&out->tau2.ci_ub, &out->ub_sign)))
			goto done;
	}
	map_row(out, fit->vt);
done:
	free(w);
	sm_wls_release(&m);
	return st;
}
