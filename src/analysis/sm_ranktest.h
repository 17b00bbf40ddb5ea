/*
 * sm_ranktest.h -- Begg & Mazumdar rank correlation test for funnel plot
 * asymmetry, as metafor's ranktest(yi, vi) (3.8-1).
 *
 * yi* = (yi - bFE) / sqrt(vi - vb) with the fixed-effect estimate bFE and
 * its variance vb = 1/sum(1/vi); Kendall's tau-b between yi* and vi.
 * Without ties the p-value is the exact permutation p-value (as R's
 * cor.test(exact = TRUE)) for k <= SM_KENDALL_EXACT_MAX_N; beyond that, and
 * whenever yi* or vi has ties, the normal approximation with tie-corrected
 * variance is used.  metafor's exact p-value is NaN from k = 171 on (its
 * counts overflow); here it stays exact and finite up to the limit.
 *
 * Ownership: sm_ranktest_run() allocates the result; sm_ranktest_free()
 * releases it and its yi_star array.  The string fields point to static
 * storage.
 */
#ifndef SM_RANKTEST_H
#define SM_RANKTEST_H

#include "sm_ctx.h"

#include <stddef.h>

enum sm_pval_method {
	SM_PVAL_EXACT,       /* exact permutation distribution, no ties */
	SM_PVAL_NORMAL,      /* normal approximation: no ties, k too large for exact */
	SM_PVAL_NORMAL_TIES  /* normal approximation because of ties (as metafor) */
};

struct sm_ranktest {
	size_t k;
	double tau;  /* Kendall's tau-b; NAN when yi* or vi is constant */
	double pval; /* two-sided p-value by pval_method; NAN when tau is NAN */
	enum sm_pval_method pval_method;
	const char *pval_method_name; /* "exact", "normal" or "normal (ties)" */
	int ties_yi_star;             /* 1 when two yi* are exactly equal */
	int ties_vi;                  /* 1 when two vi are exactly equal */
	const char *statistic_name;   /* "T" (exact) or "z" (normal) */
	/* T = number of concordant pairs (exact), or z (normal); NAN with tau */
	double statistic;
	/* Normal approximation, always computed (also when exact is used):
	 * z = S / sqrt(var S) without continuity correction, two-sided p.  For
	 * k = 2 both are NaN, as in R (the tie term of var S is 0/0). */
	double normal_z;
	double normal_pval;
	double s;     /* Kendall's S = concordant - discordant pairs */
	double var_s; /* tie-corrected variance of S */
	double b_fe;  /* fixed-effect estimate used to standardise */
	double vb_fe; /* its variance 1/sum(1/vi) */
	double *yi_star; /* k standardised effects, in input order */
};

/* yi, vi: k >= 2 finite effects and positive sampling variances.
 * SM_EINPUT for invalid input, SM_EINTERNAL when memory runs out. */
sm_status sm_ranktest_run(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			  struct sm_ranktest **out);
void sm_ranktest_free(struct sm_ranktest *r);

#endif
