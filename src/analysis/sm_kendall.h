/*
 * sm_kendall.h -- Kendall's rank correlation: tau-b in O(n log n) (Knight's
 * algorithm: the pairs ordered by x with a radix sort, then the exchanges of
 * a merge sort of y counted) and the exact null distribution of the number
 * of concordant pairs, as used by R's cor.test(method = "kendall").
 *
 * Ownership: struct sm_kendall is a plain value filled by the caller's
 * storage; nothing here allocates memory the caller must free.
 */
#ifndef SM_KENDALL_H
#define SM_KENDALL_H

#include "sm_ctx.h"

#include <stddef.h>
#include <stdint.h>

/* Largest n for which sm_kendall_exact_cdf() is used by the rank test.  The
 * long double recurrence matched exact integer arithmetic to ~1e-16
 * (relative) at every n tried up to 700 and a 113-bit version of itself at
 * n = 1000 (the tests check n <= 300 against big-integer values).  The
 * bound is set by running time: about n^3/12 steps, ~0.4 s at n = 1000
 * when q is central, much less for small p-values. */
#define SM_KENDALL_EXACT_MAX_N 1000

/* Pair counts and tie structure of two samples (x, y), n >= 2. */
struct sm_kendall {
	size_t n;
	int64_t n0;         /* all pairs, n(n-1)/2 */
	int64_t n1;         /* pairs tied in x */
	int64_t n2;         /* pairs tied in y */
	int64_t n3;         /* pairs tied in both x and y */
	int64_t discordant; /* pairs ordered oppositely (no tie in either) */
	int64_t concordant; /* pairs ordered alike (no tie in either) */
	int64_t s;          /* concordant - discordant (Kendall's S) */
	double tau_b;       /* S / sqrt((n0-n1)(n0-n2)); NAN when x or y is constant */
	/* Tie-group sums over groups of size t (t >= 2), as in cor.test, for the
	 * variance of S under independence.  cor.test's groups: exact ties whose
	 * values print alike to 15 significant digits are one group (its
	 * table() of the duplicated values); for exact ties alone they are the
	 * tie groups of tau_b. */
	double x_t1, y_t1; /* sum t(t-1) */
	double x_t2, y_t2; /* sum t(t-1)(t-2) */
	double x_t5, y_t5; /* sum t(t-1)(2t+5) */
	double var_s;      /* tie-corrected variance of S (cor.test's var_S) */
	double s_cortest;  /* cor.test's S = tau_b sqrt((n0 - T1)(n0 - T2)), its
			      tie groups in T1, T2; equals s without near ties */
};

/* Kendall's tau-b of x and y (both length n >= 2, finite values) in
 * O(n log n) time and O(n) memory.  SM_EINPUT for n < 2 or non-finite
 * values, SM_EINTERNAL when memory runs out. */
sm_status sm_kendall_tau_b(struct sm_ctx *ctx, const double *x, const double *y,
			   size_t n, struct sm_kendall *out);

/* P(T <= q) where T is the number of concordant pairs among n untied
 * observations under independence (equivalently the number of inversions
 * of a uniformly random permutation).  1 <= n <= SM_KENDALL_EXACT_MAX_N.
 * Uses the symmetry of T so that only a lower tail is ever summed, which
 * keeps the relative accuracy of small p-values. */
sm_status sm_kendall_exact_cdf(struct sm_ctx *ctx, size_t n, int64_t q, double *p);

/* Two-sided exact p-value for q concordant pairs among n, computed the way
 * cor.test does: min(1, 2 P(T <= q)) if q <= n(n-1)/4, else
 * min(1, 2 P(T >= q)). */
sm_status sm_kendall_exact_pval(struct sm_ctx *ctx, size_t n, int64_t q, double *p);

#endif
