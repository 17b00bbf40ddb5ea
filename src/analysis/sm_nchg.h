/*
 * sm_nchg.h -- Fisher's noncentral hypergeometric distribution of a 2x2
 * table's treated-arm events given its margins: the exact conditional
 * likelihood of metafor's rma.glmm(model = "CM.EL"), which metafor takes
 * from BiasedUrn's dFNCHypergeo.
 *
 * With ai events of n1 treated, ci of n2 controls and m = ai + ci events,
 * P(X = y | psi) = C(n1, y) C(n2, m - y) psi^y / sum_z C(n1, z) C(n2, m - z) psi^z
 * over y = max(0, m - n2) .. min(n1, m), psi the odds ratio.  sm_nchg_eval
 * gives, at theta = log(psi), log P(X = ai) and the mean and variance of X
 * (the score of theta is ai - E X, its information Var X).
 *
 * The log coefficients are kept relative to the observed ai and built by
 * the ratio recurrence, so no lgamma of a large count enters (their rounding
 * would cost up to 1e-10 in log P for a trial of 50 000 patients).  Terms
 * are summed outward from the mode until they fall 50 nats below it: the
 * distribution is log-concave, so what is left is below 1e-20 relative.
 *
 * Ownership: sm_nchg_init() allocates the coefficient table (support size
 * doubles); sm_nchg_release() frees it.
 */
#ifndef SM_NCHG_H
#define SM_NCHG_H

#include "sm_ctx.h"

#include <stddef.h>

struct sm_nchg {
	long x;       /* observed treated-arm events */
	long lo, hi;  /* support */
	double *lc;   /* log(C(n1,y) C(n2,m-y)) - log(C(n1,x) C(n2,m-x)), y = lo..hi */
};

/* Largest support accepted (memory: 8 bytes a point). */
#define SM_NCHG_MAX_SUPPORT 10000000L

/* Counts are non-negative integers with ai <= n1, ci <= n2.  SM_EINPUT
 * when the support is larger than SM_NCHG_MAX_SUPPORT, SM_EINTERNAL when
 * memory runs out. */
sm_status sm_nchg_init(struct sm_ctx *ctx, struct sm_nchg *h, double ai, double n1, double ci,
		       double n2);
void sm_nchg_release(struct sm_nchg *h);

/* 1 when the observed count is at an end of the support (a zero cell): the
 * conditional likelihood then increases monotonically towards theta = -inf
 * or +inf and has no finite maximum. */
int sm_nchg_at_bound(const struct sm_nchg *h);

/* log P(X = x | theta), E[X | theta], Var[X | theta]; mean and var may be
 * NULL. */
double sm_nchg_eval(const struct sm_nchg *h, double theta, double *mean, double *var);

#endif
