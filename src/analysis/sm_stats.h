/*
 * sm_stats.h -- small numeric helpers shared by the analysis modules:
 * compensated sums, R-compatible rounding, distribution wrappers over GSL,
 * and a weighted-least-squares engine for a k x p design that never forms
 * a k x k matrix (all traces are computed from p x p cross-products; in
 * sm_wls.c).
 *
 * Ownership: struct sm_wls owns its work arrays (sm_wls_init/release);
 * it borrows the design matrix, which must outlive it.
 */
#ifndef SM_STATS_H
#define SM_STATS_H

#include "sm_ctx.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Neumaier-compensated running sum: exact enough that sums over k = 10^6
 * terms spanning orders of magnitude keep full double precision. */
struct sm_ksum {
	double s, c;
};

/* The rounding error of s + x is taken with Knuth's branch-free TwoSum,
 * which gives exactly the error Neumaier's |s| >= |x| branch gives (both
 * are exact), so sums are bit-for-bit the same, but without a branch the
 * processor mispredicts: three to four times faster in the O(k) passes. */
static inline void sm_ksum_add(struct sm_ksum *a, double x)
{
	double t = a->s + x;
	double z = t - a->s;
	a->c += (a->s - (t - z)) + (x - z);
	a->s = t;
}

static inline double sm_ksum_get(const struct sm_ksum *a)
{
	return a->s + a->c;
}

/* Two compensated sums side by side in one SSE2 register pair: each lane
 * does exactly sm_ksum_add's operations on its own terms (IEEE lane-wise,
 * no contraction under -std=c17), so every lane ends bit for bit where a
 * scalar sum of the same terms ends, in half the instructions. */
typedef double sm_v2d __attribute__((vector_size(16)));

/* Four lanes of the same (sm_pseries.c, sm_wls.c): one AVX instruction
 * each in the functions built for AVX2 too (target_clones), two SSE2 ones
 * otherwise; never passed by value across functions (that would change
 * with the build's ABI), only loaded and stored with memcpy. */
typedef double sm_v4d __attribute__((vector_size(32)));

/* Marks a function built twice, for AVX2 and for the baseline, the loader
 * choosing by the processor (GCC's target_clones, an x86-64 ELF feature);
 * elsewhere the generic vectors above are built once for the target. */
#if defined(__x86_64__) && defined(__ELF__)
#define SM_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SM_AVX2_CLONES
#endif

struct sm_ksum2 {
	sm_v2d s, c;
};

static inline sm_v2d sm_v2d_load(const double *p)
{
	sm_v2d v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline void sm_v2d_store(double *p, sm_v2d v)
{
	memcpy(p, &v, sizeof v);
}

static inline void sm_ksum2_add(struct sm_ksum2 *a, sm_v2d x)
{
	sm_v2d t = a->s + x;
	sm_v2d z = t - a->s;
	a->c += (a->s - (t - z)) + (x - z);
	a->s = t;
}

/* Lane l of the pair as the scalar sum it equals. */
static inline struct sm_ksum sm_ksum2_lane(const struct sm_ksum2 *a, int l)
{
	struct sm_ksum r = {a->s[l], a->c[l]};
	return r;
}

double sm_sum(const double *x, size_t n);

/* R's round(): half to even (IEEE), as used by trimfill's k0. */
double sm_round_half_even(double x);

/* Median of n values (by selection in a copy, O(n) on average; NAN when
 * n == 0 or out of memory). */
double sm_median(const double *x, size_t n);
/* R's mad(): 1.4826 * median(|x - median(x)|). */
double sm_mad(const double *x, size_t n);

/* Distributions.  df may be non-integer. */
double sm_qnorm_upper(double alpha);          /* z with P(Z > z) = alpha */
double sm_qt_upper(double alpha, double df);  /* t with P(T > t) = alpha */
double sm_qchisq(double p, double df);        /* lower-tail quantile */
double sm_p2_norm(double z);                  /* 2 P(Z > |z|) */
double sm_p2_t(double t, double df);          /* 2 P(T > |t|) */
double sm_pchisq_upper(double x, double df);  /* P(X > x) */
double sm_pchisq(double x, double df);        /* P(X <= x) */
double sm_pf_upper(double x, double df1, double df2);

/* The regularised incomplete beta function I_p(a, b) (*lower) and its
 * complement (*upper), each to near full relative precision also for
 * parameters of 10^6 and more (a continued fraction on the smaller tail with
 * a saddle-point prefactor; GSL's loses digits there and its quantile does
 * not terminate).  Time O(sqrt(a + b)), capped; 0 when it cannot be
 * computed (a, b <= 0, p outside [0, 1], or the cap reached). */
int sm_beta_tails(double p, double a, double b, double *lower, double *upper);
/* The p with I_p(a, b) = t (upper = 0) or 1 - I_p(a, b) = t (upper = 1),
 * 0 < t < 1: Newton's method inside a shrinking bracket, at most
 * SM_QBETA_MAXIT steps; closed forms for a = 1 or b = 1.  0 on failure. */
#define SM_QBETA_MAXIT 400
int sm_qbeta(double t, int upper, double a, double b, double *out);

/* A design matrix: k rows, p columns, column-major x[j * k + i].
 * x == NULL means the intercept-only model (p must be 1). */
struct sm_design {
	const double *x;
	size_t k, p;
};

static inline double sm_design_at(const struct sm_design *d, size_t i, size_t j)
{
	return d->x ? d->x[j * d->k + i] : 1.0;
}

/* Weighted least squares y = X b, weights w (NULL = all 1).
 * A solve also keeps sums the traces and Y'PPY of the same weights need
 * (sum w^2, sum w^3, sum (w r)^2 for the intercept-only model), so that a
 * scoring step costs two passes over the data instead of a dozen. */
struct sm_wls {
	struct sm_design d;
	double *vb;   /* (X'WX)^-1, p x p, row-major */
	double *b;    /* p coefficients */
	double *m1, *m2, *m3; /* p x p scratch */
	double rss;   /* sum w (y - Xb)^2 */
	double sum_w;
	double logdet; /* log det(X'WX) */
	/* the last solve's y and w (compared by address) and its cached sums */
	const double *last_y, *last_w;
	double sw2, sw3, ypp;
	int cached;
	/* p > 1: X'W^2X, X'W^3X and sum w^2 of the last solve's weights, kept by
	 * tr_pd for the tr_pdpd that follows it in a scoring step */
	double *cw2, *cw3, csw2;
	int pdpd_ready;
	struct sm_ksum *acc; /* one-pass accumulators (sm_wls_init sizes them) */
};

sm_status sm_wls_init(struct sm_ctx *ctx, struct sm_wls *m, const struct sm_design *d);
void sm_wls_release(struct sm_wls *m);
/* Solve; fails with SM_EINPUT when X'WX is not positive definite. */
sm_status sm_wls_solve(struct sm_ctx *ctx, struct sm_wls *m, const double *y,
		       const double *w);
/* The same with the weights w_i = 1 / (vi_i + tau2) written into w first
 * (for the intercept-only model in the solve's own first pass). */
sm_status sm_wls_solve_tau2(struct sm_ctx *ctx, struct sm_wls *m, const double *y,
			    double *w, const double *vi, double tau2);
/* y_i - x_i'b after a solve. */
double sm_wls_resid(const struct sm_wls *m, const double *y, size_t i);
/* Traces of P = W - W X (X'WX)^-1 X'W with the weights of the last solve
 * (w NULL = identity weights); d, d1, d2 are diagonal matrices given as
 * vectors, NULL = identity.  O(k p^2), one pass; O(1) when the intercept-only
 * model's w is the last solve's array and d = d1 = d2 = NULL (the arrays
 * must not have been changed since that solve). */
double sm_wls_tr_pd(struct sm_wls *m, const double *w, const double *d);
double sm_wls_tr_pdpd(struct sm_wls *m, const double *w, const double *d1,
		      const double *d2);
/* sum_i (w_i r_i)^2 = Y'PPY; O(1) for the last solve's y and w when p = 1. */
double sm_wls_ypp_y(const struct sm_wls *m, const double *y, const double *w);

/* Upper chi-square tail for many x near a fixed x0 with the same df:
 * Q(x) = Q(x0) + integral_x^x0 f, the density's Taylor series at x0 (from
 * log f, accurate without the cancellation of log f's large terms).
 * Valid for x <= x0 with x0 - x <= width; otherwise sm_chisq_near falls back
 * to the direct evaluation. */
#define SM_CHISQ_NEAR_TERMS 40
struct sm_chisq_near {
	double x0, df, q0, f0, width;
	double e[SM_CHISQ_NEAR_TERMS]; /* Taylor coefficients of f/f0 */
	int usable;
};
void sm_chisq_near_init(struct sm_chisq_near *cn, double x0, double df);
double sm_chisq_near(const struct sm_chisq_near *cn, double x);
/* The chi-square density, accurate for large df (saddle-point form). */
double sm_dchisq(double x, double df);

/* Sort key of a double whose unsigned order is the numeric order (-0 is
 * taken as +0, so the two tie as they compare equal), and the digits of
 * the LSD radix sorts built on it (11-bit digits keep the counts in cache). */
static inline uint64_t sm_order_key(double x)
{
	uint64_t u;
	x = x == 0 ? 0 : x;
	memcpy(&u, &x, sizeof u);
	return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

#define SM_RADIX_BITS 11
#define SM_RADIX_SIZE (1u << SM_RADIX_BITS)
#define SM_RADIX_PASSES ((64 + SM_RADIX_BITS - 1) / SM_RADIX_BITS)

#endif
