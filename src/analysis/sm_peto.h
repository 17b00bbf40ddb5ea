/*
 * sm_peto.h -- Peto's one-step odds ratio for 2x2 tables, as metafor's
 * rma.peto() (3.8-1, default arguments).
 *
 * Raw counts: Ei = (ai+ci) n1i/Ni, Vi = xt yt n1i n2i/(Ni^2 (Ni-1)),
 * b = sum(ai - Ei)/sum(Vi), se = 1/sqrt(sum(Vi)), z test.  The
 * heterogeneity Q uses tables with Vi > 0; its df is k_yi - 1.  The listed
 * yi/vi are escalc's PETO values (add = 1/2, to = "only0", drop00 = TRUE);
 * they are reported, not used for the estimate.
 *
 * Ownership: sm_peto_run() allocates the result; sm_peto_result_free()
 * frees it with its yi/vi arrays.
 */
#ifndef SM_PETO_H
#define SM_PETO_H

#include "sm_ctx.h"

#include <stddef.h>

struct sm_peto_result {
	size_t k;     /* tables given */
	size_t k_yi;  /* tables with an escalc PETO yi (double-zero dropped) */
	size_t k_pos; /* tables with Vi > 0 */
	double b;     /* pooled log odds ratio */
	double b_exp; /* exp(b) */
	double se;
	double zval;
	double pval;  /* two-sided normal p-value */
	double ci_lb; /* b -/+ qnorm(1 - alpha/2) se, alpha = 1 - level/100 */
	double ci_ub;
	double QE;    /* sum((ai-Ei)^2/Vi) - sum(ai-Ei)^2/sum(Vi), at least 0 */
	double QEdf;  /* k_yi - 1 */
	double QEp;   /* chi-square p; 1 when k_pos <= 1 */
	double I2;    /* max(0, 100 (QE - df)/QE) percent; 0 when k_pos <= 1 */
	double H2;    /* QE/df; 1 when k_pos <= 1 */
	double *yi;   /* k escalc PETO values, NAN where dropped */
	double *vi;
};

/* Counts as for sm_mh_run(); level in percent (0, 100).  SM_EINPUT also
 * when one of the two outcomes occurs in no table (sum Vi = 0: metafor
 * stops with "Peto's method cannot be used"). */
sm_status sm_peto_run(struct sm_ctx *ctx, const double *ai, const double *n1i,
		      const double *ci, const double *n2i, size_t k, double level,
		      struct sm_peto_result **out);
void sm_peto_result_free(struct sm_peto_result *r);

#endif
