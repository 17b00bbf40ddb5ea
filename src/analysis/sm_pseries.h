/*
 * sm_pseries.h -- power-series sums of an intercept-only model at any tau2
 * near a centre, over all k studies or over any prefix of them.
 *
 * Deletion, cumulative and trim-and-fill fits need S(t) = sum_j z_j^a /
 * (v_j + t)^q (a = 0..2, q = 1..3) at many t near a centre c.  With
 * u_j = v_j + c and d = t - c, (u + d)^-q = sum_n C(n+q-1, q-1) (-d)^n
 * u^-(n+q), so the power sums M[a][s] = sum_j z_j^a u_j^-s, precomputed once
 * in O(k n), give every S(t) in O(n).  The series converges geometrically
 * with ratio r = |d| / min_j u_j; a centre serves |d| <= rho * min_j u_j and
 * n is chosen so that the truncated tail is below 2^-56 relative.  z = y - yc
 * with yc the inverse-variance mean at c, so sums with a = 1 are small and
 * residual sums of squares do not cancel.
 *
 * With a block size B > 0 the power sums of the first j B studies are kept
 * too (j = 1..k/B), so the sums over the first `len` studies cost O(n + B):
 * the series at the last boundary plus the few studies after it, directly.
 *
 * Ownership: sm_pseries_init_prefix allocates, sm_pseries_release frees; y and v
 * are borrowed and must outlive the series.
 */
#ifndef SM_PSERIES_H
#define SM_PSERIES_H

#include "sm_ctx.h"

#include <stddef.h>

struct sm_pseries {
	double c, yc, rho, umin; /* centre, y offset, radius ratio, min_j (v_j + c) */
	size_t n;                /* series terms n = 0..n-1 */
	double *m;               /* all k: m[a * (n + 3) + s - 1], s = 1..n + 3 */
	double lsum;             /* sum_j log(v_j + c) */
	double iscale[3];        /* umin^-q, q = 1..3 */
	int logs;                /* the sums of logs are kept */
	size_t k, block, nb;     /* block prefixes: nb = k / block (0 without) */
	double *pm;              /* nb tables laid out as m, of the first j B */
	double *plsum;           /* nb sums of log(v_j + c) */
	const double *y, *v;
};

/* rho in (0, 0.5]: the radius as a fraction of min_j (v_j + c).  Block
 * prefixes every `block` studies (0 = sums over all k only); when logs is 0
 * the sums of logs are not kept (one log per study less) and
 * sm_pseries_logsum* fail. */
sm_status sm_pseries_init_prefix(struct sm_ctx *ctx, struct sm_pseries *ps,
				 const double *y, const double *v, size_t k, double c,
				 double rho, size_t block, int logs);
void sm_pseries_release(struct sm_pseries *ps);
/* Terms a centre of radius ratio rho needs. */
size_t sm_pseries_terms(double rho);
/* 1 when t lies inside the centre's radius. */
int sm_pseries_covers(const struct sm_pseries *ps, double t);
/* sum_j log(v_j + t) over all k studies; 0 when outside the radius. */
int sm_pseries_logsum(const struct sm_pseries *ps, double t, double *out);
/* The same over the first len studies (len <= k; a series built without
 * blocks serves only len = k). */
int sm_pseries_logsum_prefix(const struct sm_pseries *ps, size_t len, double t,
			     double *out);
/* out[q - 1][a] = sum_j z_j^a (v_j + t)^-q over the first len studies, for
 * q = 1..qmax (<= 3) at once (the studies after the last boundary in one
 * pass); 0 (out untouched) when t is outside the radius. */
int sm_pseries_sums(const struct sm_pseries *ps, size_t len, double t, int qmax,
		    double out[3][3]);

/* A bank of centres over the same studies: an evaluation uses the first
 * centre that covers its t; sm_pbank_get adds a centre at an uncovered t
 * (radius ratio rho_new; none when rho_new is 0) while the bank has room,
 * so that the few places an estimator looks at are all served after the
 * first deletion or prefix.
 * Ownership: the bank owns its centres (sm_pbank_release). */
#define SM_PBANK_MAX 16
struct sm_pbank {
	struct sm_pseries c[SM_PBANK_MAX];
	size_t n;
	const double *y, *v;
	size_t k, block; /* block 0: sums over all k only */
	int logs;        /* centres keep sums of logs */
	double rho_new;
	int failed;      /* a centre could not be built (out of memory) */
};

void sm_pbank_init(struct sm_pbank *b, const double *y, const double *v, size_t k,
		   size_t block, int logs, double rho_new);
void sm_pbank_release(struct sm_pbank *b);
/* Add a centre (none when the bank is full). */
sm_status sm_pbank_add(struct sm_ctx *ctx, struct sm_pbank *b, double c, double rho);
/* The first centre covering t, or NULL. */
const struct sm_pseries *sm_pbank_find(const struct sm_pbank *b, double t);
/* The same, adding a centre at t when none covers it; NULL when the bank is
 * full or the centre cannot be built. */
const struct sm_pseries *sm_pbank_get(struct sm_pbank *b, double t);
/* SM_OK, or SM_EINTERNAL recorded when a centre could not be built: the
 * callers' exact refits would then take O(k^2) and give other last bits
 * than the series, so out of memory is not a slower path but a failure. */
sm_status sm_pbank_status(struct sm_ctx *ctx, const struct sm_pbank *b);

#endif
