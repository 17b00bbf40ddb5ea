/*
 * sm_ifit.h -- intercept-only fits of a subset of the studies from sums of
 * that subset, for the many fits of leave-one-out, cumulative analysis and
 * trim-and-fill: the tau2 estimators of sm_tau2 and the fit of sm_rma_fit
 * (p = 1), computed from sums the caller provides (from power series,
 * sm_pseries) in O(1) per evaluation instead of passes over the data.
 *
 * The estimators take sm_tau2's steps: the same start (HE for ML, REML and
 * EB), step, step halving, stopping rule and reset check, so they find the
 * same tau2 up to rounding.  PM is solved here only with full-precision
 * control (root_tol <= 0), whose root does not depend on the search path.
 * Whenever a sum cannot be had to full precision (no centre covers t, a
 * deletion would cancel) or the estimator would fail or warn, they return 0
 * and the caller refits the subset exactly, which reproduces sm_rma_fit's
 * result, warning or error.
 *
 * Ownership: plain values; the subset's callback state belongs to the caller.
 */
#ifndef SM_IFIT_H
#define SM_IFIT_H

#include "sm_rma.h"
#include "sm_stats.h"

#include <stddef.h>

/* Sums of the subset at tau2 = t, w = 1/(v + t), z = y - yc. */
struct sm_isums {
	double yc;
	double s1[3]; /* sum w z^a, a = 0..2 */
	double s2[3]; /* sum w^2 z^a */
	double s3;    /* sum w^3 */
	double lsum;  /* sum log(v + t), when asked for */
};

/* What `at` fills: s1 always, s2 and s3 with SM_ISUMS_Q23, lsum with
 * SM_ISUMS_LOG (flags or'ed). */
enum { SM_ISUMS_Q1 = 0, SM_ISUMS_Q23 = 1, SM_ISUMS_LOG = 2 };

/* A subset of studies: its sums at any t through `at`, and the exact sums
 * that need no tau2. */
struct sm_isubset {
	/* 1 and out filled, or 0 when the sums cannot be had accurately */
	int (*at)(void *arg, double t, int need, struct sm_isums *out);
	void *arg;
	double n;      /* studies (>= 2) */
	double W, W2;  /* sum 1/v, sum 1/v^2 */
	double QE;     /* sum (y - b_FE)^2 / v */
	double SS, Sv; /* sum (y - mean)^2, sum v */
	double lsum0;  /* sum log v */
};

/* tau2 of the subset by opts->method and control; 0 when the caller must
 * refit exactly.  `hint` is a tau2 near the expected one (the full data's,
 * the previous prefix's), where PM's bracket search starts. */
int sm_ifit_tau2(const struct sm_isubset *s, const struct sm_rma_opts *opts, double hint,
		 double *tau2);

/* What every fit of n studies with the same options shares: the CI
 * quantile and, optionally, a chi-square tail near the expected QE. */
struct sm_ifit_const {
	const struct sm_rma_opts *opts;
	double n, crit;
	const struct sm_chisq_near *qe; /* NULL: direct evaluation */
};
void sm_ifit_const_init(struct sm_ifit_const *c, const struct sm_rma_opts *opts, double n,
			const struct sm_chisq_near *qe);

/* The fit of the subset at tau2 (as sm_rma_fit gives it; ll_ml, ll_reml and
 * se_tau2 are left NAN).  0 when the residual sum of squares would cancel. */
int sm_ifit_fit(const struct sm_isubset *s, const struct sm_ifit_const *c, double tau2,
		struct sm_rma_fit *f);

#endif
