/*
 * sm_fsn.h -- fail-safe N (file drawer analysis) as metafor's fsn(yi, vi)
 * (3.8-1): Rosenthal, Orwin (unweighted and weighted) and Rosenberg.
 *
 * Every N is rounded up (ceiling) unless it lies within sqrt(DBL_EPSILON)
 * of an integer, in which case it is rounded to that integer, so that
 * Orwin's N = k is not turned into k + 1 by rounding noise.
 *
 * Ownership: plain value structs filled in caller storage; the type strings
 * are static.
 */
#ifndef SM_FSN_H
#define SM_FSN_H

#include "sm_ctx.h"

#include <stddef.h>

struct sm_fsn {
	const char *type; /* "Rosenthal", "Orwin" or "Rosenberg" (metafor's name) */
	double fsnum;     /* fail-safe N; INFINITY for Orwin when target is 0 or
			   * of the other sign than the mean effect */
	double alpha;     /* significance level used (Rosenthal, Rosenberg) */
	double pval;      /* Rosenthal: one-sided Stouffer p; Rosenberg: two-sided
			   * z-test p of the FE estimate; NAN for Orwin */
	double meanes;    /* mean effect: Orwin mean(yi), Orwin weighted and
			   * Rosenberg the FE estimate; NAN for Rosenthal */
	double target;    /* Orwin's target effect (meanes/2); NAN otherwise */
};

struct sm_fsn_all {
	struct sm_fsn rosenthal;
	struct sm_fsn orwin;          /* unweighted mean */
	struct sm_fsn orwin_weighted; /* inverse-variance weighted mean */
	struct sm_fsn rosenberg;
};

/* yi, vi: k >= 1 finite effects with vi > 0; 0 < alpha < 1 (metafor default
 * 0.05).  Orwin's target is metafor's default, half the mean effect. */
sm_status sm_fsn_run(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		     double alpha, struct sm_fsn_all *out);

/* The rounding rule above (exposed for the tests).  Negative values give 0. */
double sm_fsn_round(double n);

#endif
