/*
 * sm_tau2.h -- between-study variance (tau^2) estimators of metafor's
 * rma.uni for a general k x p design: FE (tau2 = 0), DL, HE, HS, SJ, ML,
 * REML, EB, PM, each with its standard error.
 *
 * All computations use p x p cross-products (sm_wls); none forms a k x k
 * matrix, so the intercept-only model costs O(k) per evaluation.
 *
 * Ownership: inputs are borrowed; results are returned by value.
 */
#ifndef SM_TAU2_H
#define SM_TAU2_H

#include "sm_ctx.h"
#include "sm_method.h"
#include "sm_stats.h"

#include <stddef.h>

/* Iteration and root-finding control, as metafor's `control` list. */
struct sm_tau2_ctl {
	double threshold; /* Fisher scoring stops when |change| <= threshold
			     (metafor's absolute rule); <= 0: full precision,
			     see sm_tau2_scoring_done */
	int maxiter;      /* scoring iterations (metafor: 100) */
	double stepadj;   /* step multiplier (metafor: 1) */
	double tol;       /* ML/REML log-likelihood-at-zero check (eps^0.25) */
	double root_tol;  /* PM absolute root tolerance; <= 0: full precision */
};

struct sm_tau2_result {
	double tau2;
	double se_tau2;  /* NAN for FE */
	int iterations;  /* Fisher scoring steps or root-finder steps */
	int reset_to_zero; /* ML/REML: likelihood larger at 0, tau2 set to 0 */
};

/* Full-precision stopping rule of Fisher scoring (threshold <= 0): the
 * step |change| from tau2 is a few ulps of tau2 (relative, so the rule
 * holds at every scale: an absolute 1e-12 is below the spacing of doubles
 * from tau2 = 8192 on, where scoring would alternate between two
 * neighbours forever), with DBL_MIN as the absolute floor; or, within
 * 1e-10 of tau2, the step stopped shrinking (prev_change is the step
 * before; rounding in the score, not the iteration, sets the size then).
 * With threshold > 0 metafor's rule |change| <= threshold, the threshold
 * raised to those few ulps where it is below them (metafor's absolute rule
 * alone cannot be met above tau2 = 8192 for a threshold of 1e-12). */
int sm_tau2_scoring_done(const struct sm_tau2_ctl *ctl, double tau2, double change,
			 double prev_change);

/* The full-precision boundary check: a step from tau2 that would go below 0,
 * where the step at tau2 = 0 (adj0) does not point up, ends scoring at
 * exactly 0, the maximum on [0, inf).  (metafor halves the step instead and
 * stops at a tau2 of the order of its threshold.) */
int sm_tau2_stop_at_zero(const struct sm_tau2_ctl *ctl, double tau2, double adj, double adj0);

/* metafor's default control (threshold 1e-5, maxiter 100, eps^0.25). */
struct sm_tau2_ctl sm_tau2_ctl_default(void);

/* Estimate tau2 for yi = X b + u + e, var(e) = vi.  Needs k > p for all
 * methods but FE ("Number of parameters ..." error otherwise, SM_EINPUT).
 * Non-convergence of Fisher scoring is SM_EINPUT. */
sm_status sm_tau2_estimate(struct sm_ctx *ctx, const struct sm_design *d,
			   const double *yi, const double *vi, enum sm_method method,
			   const struct sm_tau2_ctl *ctl, struct sm_tau2_result *out);

/* The same with caller-owned workspace: m initialised for d, w of k. */
sm_status sm_tau2_estimate_ws(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			      const double *yi, const double *vi, enum sm_method method,
			      const struct sm_tau2_ctl *ctl, struct sm_tau2_result *out);

/* Generalised Q statistic Y'P(tau2)Y (the weighted RSS with weights
 * 1/(vi + tau2)); the PM and Q-profile equations are Q(tau2) = target. */
sm_status sm_tau2_q(struct sm_ctx *ctx, struct sm_wls *m, double *w, const double *yi,
		    const double *vi, double tau2, double *q);

/* Find tau2 in [lo, hi] with Q(tau2) = target (Q decreasing); requires
 * Q(lo) >= target >= Q(hi).  tol <= 0: full precision. */
sm_status sm_tau2_q_root(struct sm_ctx *ctx, struct sm_wls *m, double *w,
			 const double *yi, const double *vi, double target, double lo,
			 double hi, double tol, int maxiter, double *root);

#endif
