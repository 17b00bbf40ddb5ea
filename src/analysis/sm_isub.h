/*
 * sm_isub.h -- the subsets whose fits sm_ifit computes: every prefix of a
 * sequence of studies (cumulative analysis, trim-and-fill's trimmed data)
 * and every leave-one-out set.  Each gives sm_ifit its exact sums (those at
 * tau2 = 0 and the unweighted ones) and, at any tau2, sums from a bank of
 * power-series centres (sm_pseries), O(n + B) for a prefix and O(n) for a
 * deletion whatever k.
 *
 * A subset whose sums would cancel (a deletion of a study that dominates a
 * sum, a prefix whose mean is far from the offset of its sums) is refused
 * (0), and the caller refits it exactly.
 *
 * Ownership: init allocates, release frees; y and v are borrowed and must
 * outlive the structure.  A subset filled by *_subset points into the
 * structure and is valid until the next *_subset call.
 */
#ifndef SM_ISUB_H
#define SM_ISUB_H

#include "sm_ifit.h"
#include "sm_pseries.h"

#include <stddef.h>

/* Exact sums per study: 1/v, 1/v^2, z/v, z^2/v, u, u^2, v, log v with
 * z = y - (weighted mean), u = y - (mean). */
enum { SM_IX_W, SM_IX_W2, SM_IX_WZ, SM_IX_WZZ, SM_IX_U, SM_IX_UU, SM_IX_V, SM_IX_LV,
       SM_IX_N };

struct sm_iprefix {
	struct sm_pbank bank;
	const double *y, *v;
	size_t k, block, nb; /* block of the exact sums (the series' is the bank's) */
	double zoff, uoff;
	double *tab;   /* (nb + 1) x SM_IX_N sums of the first j block studies */
	size_t len;    /* the subset's length */
	const double *ye, *ve; /* the subset's studies beyond the prefix */
	size_t ne;
	int logs;      /* sums of logs are kept */
};

/* block >= 1: the series' prefix block; series centres are added on demand
 * with radius ratio rho;
 * logs: keep the sums of logs (the ML and REML estimators need them). */
sm_status sm_iprefix_init(struct sm_ctx *ctx, struct sm_iprefix *p, const double *y,
			  const double *v, size_t k, size_t block, int logs, double rho);
void sm_iprefix_release(struct sm_iprefix *p);
/* The first len studies (len >= 2). */
int sm_iprefix_subset(struct sm_iprefix *p, size_t len, struct sm_isubset *s);
/* The first len studies and ne more (ye, ve; borrowed, vi > 0), summed
 * directly: O(ne) per evaluation (trim-and-fill's filled data). */
int sm_iprefix_subset_plus(struct sm_iprefix *p, size_t len, const double *ye,
			   const double *ve, size_t ne, struct sm_isubset *s);

struct sm_idelete {
	struct sm_pbank bank;
	const double *y, *v;
	size_t k;
	double full[SM_IX_N];
	double zoff, uoff, bfe, ubar, QE, SS;
	int logs;
	size_t i;      /* the study left out */
};

/* rho: radius ratio of centres added on demand (0: none, the caller adds
 * them with sm_pbank_add). */
sm_status sm_idelete_init(struct sm_ctx *ctx, struct sm_idelete *d, const double *y,
			  const double *v, size_t k, int logs, double rho);
void sm_idelete_release(struct sm_idelete *d);
/* All studies but i; 0 when leaving it out would cancel a sum. */
int sm_idelete_subset(struct sm_idelete *d, size_t i, struct sm_isubset *s);

#endif
