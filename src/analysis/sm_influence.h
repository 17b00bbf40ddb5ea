/*
 * sm_influence.h -- case diagnostics of an intercept-only fit, as metafor's
 * influence(), leave1out() and cumul(): every deletion or cumulative fit
 * uses the full fit's method, test and control.
 *
 * Cost: each deletion refits on k - 1 studies (O(k) per refit, O(k^2) in
 * all): a random-effects b(-i) needs sum_j 1/(vj + tau2(-i)) with a new
 * tau2(-i), so no running-sum shortcut exists for any RE method.
 *
 * A refit that fails with an input error (e.g. Fisher scoring does not
 * converge on that subset) yields a row of NaN and a warning in ctx, as
 * metafor's NA rows.
 *
 * Ownership: struct sm_influence owns its arrays (sm_influence_release);
 * sm_cumul fills a caller-provided array of k rows.
 */
#ifndef SM_INFLUENCE_H
#define SM_INFLUENCE_H

#include "sm_ctx.h"
#include "sm_rma.h"

#include <stddef.h>

/* One refit (leave-one-out or cumulative). */
struct sm_loo_row {
	double estimate, se, stat, df; /* df NAN for z */
	double pval, ci_lb, ci_ub;
	double QE, QEp, tau2, I2, H2;
	double vt; /* typical variance of the refit (maps tau2 to I2/H2) */
};

struct sm_influence {
	size_t k;
	double *rstudent, *resid, *resid_se, *dffits, *cook_d, *cov_r;
	double *tau2_del, *QE_del, *hat, *weight, *dfbs;
	int *inf;               /* metafor's "influential" flag */
	struct sm_loo_row *loo; /* fit without study i */
	double rstudent_crit;   /* Bonferroni bound qnorm(1 - 0.05/(2k)) */
};

/* `full` must be the fit of yi/vi with opts.  Needs k >= 2. */
sm_status sm_influence(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		       const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
		       struct sm_influence *out);
void sm_influence_release(struct sm_influence *inf);

/* Entry i is the fit of studies 0..i (in the given order). */
sm_status sm_cumul(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		   const struct sm_rma_opts *opts, struct sm_loo_row *out);

#endif
