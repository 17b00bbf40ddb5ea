/*
 * sm_regtest.h -- Egger-type regression tests for funnel-plot asymmetry, as
 * metafor's regtest(): model "rma" (meta-regression yi ~ sqrt(vi) with the
 * fit's method, test and control) and model "lm" (classical Egger:
 * weighted least squares with weights 1/vi and a residual-variance
 * multiplier, t test on k - 2 df).
 *
 * Ownership: plain values; inputs borrowed.
 */
#ifndef SM_REGTEST_H
#define SM_REGTEST_H

#include "sm_ctx.h"
#include "sm_rma.h"

#include <stddef.h>

struct sm_regtest {
	double stat, df, pval;  /* test of the slope; df NAN for z */
	double est, ci_lb, ci_ub; /* intercept (limit estimate as se -> 0) and CI */
	double b[2], se[2];     /* intercept, slope */
	double tau2, QE, QEp;   /* rma model only (NAN for lm) */
	double sigma;           /* lm only: residual SD (NAN for rma) */
};

/* model "rma"; needs k >= 3 for random-effects methods (k >= 2 for FE),
 * else SM_EINPUT "too few studies (k = 2) to estimate 3 parameters ..."
 * (where metafor stops with "Number of parameters to be estimated is
 * larger than the number of observations"). */
sm_status sm_regtest(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		     const struct sm_rma_opts *opts, struct sm_regtest *out);

/* model "lm"; with k = 2 the test is undefined and stat/pval/se/sigma/CI
 * are NaN (a warning is recorded), as in R. */
sm_status sm_regtest_lm(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			double level, struct sm_regtest *out);

#endif
