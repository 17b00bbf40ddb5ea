/*
 * sm_confint.h -- Q-profile confidence interval for tau2 (and tau, I2, H2
 * mapped through the fit's vt), as metafor's confint.rma.uni (type "QP").
 *
 * Ownership: plain values; inputs borrowed.
 */
#ifndef SM_CONFINT_H
#define SM_CONFINT_H

#include "sm_ctx.h"
#include "sm_rma.h"

#include <stddef.h>

struct sm_confint_row {
	double estimate, ci_lb, ci_ub;
};

struct sm_confint {
	struct sm_confint_row tau2, tau, I2, H2;
	char lb_sign, ub_sign; /* '<' or '>' when a bound is the search limit, else 0 */
	int ci_null;           /* Q(0) below both quantiles: CI is {0} */
	double tau2_max;       /* upper end of the search interval */
};

/* root_tol: absolute tolerance of the bound search (metafor default
 * eps^0.25); <= 0 converges to full precision.  `fit` is the intercept-only
 * random-effects fit of yi/vi. */
sm_status sm_confint_tau2(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			  const struct sm_rma_fit *fit, double level, double root_tol,
			  struct sm_confint *out);

/* The one-pass sums of the bound search at t (k >= 1000 studies): out =
 * sum w, w z, w z^2, w^2, w^2 z, w^2 z^2 with w = 1 / (v + t), z = y - c,
 * each a compensated sum in study order (exposed for the tests). */
void sm_confint_q_sums(const double *y, const double *v, size_t k, double c, double t,
		       double out[6]);

#endif
