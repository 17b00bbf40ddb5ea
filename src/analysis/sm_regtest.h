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

/* Whether the design [1, sqrt(vi)] has full rank, decided as metafor does
 * before it fits yi ~ sqrt(vi) (regtest, and trimfill's side): R's QR of lm
 * (tolerance 1e-7 on the column scale: sqrt(vi) is redundant when its
 * spread about its mean is below 1e-7 of its norm, e.g. all sei equal, or
 * k = 1), then rma.uni's check that no eigenvalue of X'X is <= 1e-7.
 * SM_EINPUT with the reason when not; scale-aware, so the answer does not
 * depend on rounding. */
sm_status sm_regtest_check_design(struct sm_ctx *ctx, const double *vi, size_t k);

/* model "lm"; with k = 2 the test is undefined and stat/pval/se/sigma/CI
 * are NaN (a warning is recorded), as in R. */
sm_status sm_regtest_lm(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			double level, struct sm_regtest *out);

#endif
