/*
 * sm_exact2x2.h -- exact and score inference for one 2x2 table: where a
 * Wald interval degenerates (a zero cell, counts reported only in total).
 *
 * Fisher's exact test, as R's fisher.test(matrix(c(a, c, n1 - a, n2 - c),
 * 2)): the treated-arm events X given all margins follow Fisher's
 * noncentral hypergeometric distribution with the odds ratio psi
 * (sm_nchg.h).  The two-sided P value sums the null probabilities that are
 * at most the observed one (times 1 + 1e-7, R's allowance for rounding);
 * the estimate is the conditional maximum-likelihood odds ratio, the root
 * of E[X | psi] = a (0 when a is at the lower end of the support, +Inf at
 * the upper end); the interval is R's: the lower bound solves
 * P(X >= a | psi) = alpha / 2, the upper P(X <= a | psi) = alpha / 2 (0
 * and +Inf at the ends).  R finds these roots with uniroot's default
 * tolerance (about 1e-4 on the odds-ratio scale); here they are solved on
 * the log scale by bisection to the last bit (the functions are monotone).
 *
 * The Miettinen-Nurminen score interval for the risk difference
 * p1 - p2 (Miettinen O, Nurminen M. Comparative analysis of two rates.
 * Stat Med 1985;4:213-26): the set of d whose score statistic
 *   Z(d) = (p1^ - p2^ - d) / sqrt((p1~(1-p1~)/n1 + p2~(1-p2~)/n2) N/(N-1))
 * is within +-z, with p1~ = p2~ + d the maximum-likelihood risks under the
 * constraint p1 - p2 = d (the root of a cubic, in closed form as given by
 * Farrington CP, Manning G. Stat Med 1990;9:1447-54) and N = n1 + n2.
 * Z is decreasing in d, so each bound is a bisection on (-1, 1).  The
 * interval exists for every table, zero cells included.
 *
 * Cost: O(support) per evaluation, about 60 evaluations per root.
 * Ownership: plain values; nothing is kept.
 */
#ifndef SM_EXACT2X2_H
#define SM_EXACT2X2_H

#include "sm_ctx.h"

struct sm_fisher {
	double p;            /* two-sided P value */
	double estimate;     /* conditional MLE of the odds ratio (0 .. +Inf) */
	double ci_lb, ci_ub; /* exact interval at the level (0 .. +Inf) */
};

/* a of n1 treated, c of n2 controls have the event (non-negative integers,
 * a <= n1, c <= n2, n1, n2 >= 1); level in percent.  SM_EINPUT for
 * counts outside that or a support above SM_NCHG_MAX_SUPPORT. */
sm_status sm_fisher_exact(struct sm_ctx *ctx, double a, double n1, double c, double n2,
			  double level, struct sm_fisher *out);

/* The two-sided P value alone (no root to solve: O(support)), for the
 * P value of every row of an analysis. */
sm_status sm_fisher_exact_p(struct sm_ctx *ctx, double a, double n1, double c, double n2,
			    double *p);

/* The risk difference's score statistic Z(d) above, for -1 < d < 1. */
double sm_mn_score(double a, double n1, double c, double n2, double d);

/* The Miettinen-Nurminen interval: the d with Z(d) = z (lower) and
 * Z(d) = -z (upper), z > 0; a two-sided level-% interval takes
 * z = z(1 - (1 - level/100)/2), a one-sided upper bound z(level/100).
 * Counts as for sm_fisher_exact. */
sm_status sm_mn_interval(struct sm_ctx *ctx, double a, double n1, double c, double n2,
			 double z, double *lb, double *ub);

#endif
