/*
 * sm_fdr.h -- false discovery rate adjustments for many safety outcomes.
 *
 * Benjamini-Hochberg (Benjamini Y, Hochberg Y. J R Stat Soc B 1995;57:
 * 289-300) as R's p.adjust(p, method = "BH"): with the m finite P values
 * in decreasing order, p~(i) = min over j >= i of m p(j) / j, capped at 1;
 * NaN entries (no P value) stay NaN and do not count in m.
 *
 * The double FDR of Mehrotra DV, Heyse JF (Use of the false discovery rate
 * for evaluating clinical safety data. Stat Methods Med Res 2004;13:
 * 227-38), for adverse-event terms grouped in body systems:
 *   step 1  each body system b is represented by the smallest of its terms'
 *           BH-adjusted P values within b (p*_b, Simes' P of b); the p*_b
 *           are BH-adjusted across body systems (p~_b) and b is flagged
 *           when p~_b <= alpha1;
 *   step 2  a term j of a flagged body system b is flagged when its
 *           BH-adjusted P value within b is <= alpha2.
 * (The R package c212's c212.DFDR follows the later variant of Mehrotra &
 * Adewale 2012, whose second step adjusts the terms of all flagged body
 * systems together; that is not this function.)
 *
 * Cost: O(n log n) (sorting).  Ownership: sm_dfdr_run fills arrays that
 * sm_dfdr_release frees.
 */
#ifndef SM_FDR_H
#define SM_FDR_H

#include "sm_ctx.h"

#include <stddef.h>

/* out[i] = BH-adjusted p[i] (out may not alias p).  SM_EINTERNAL on out of
 * memory. */
sm_status sm_bh_adjust(struct sm_ctx *ctx, const double *p, size_t n, double *out);

struct sm_dfdr {
	size_t n_groups, n;
	double *group_p;   /* p*_b: smallest within-group adjusted P (NaN: none) */
	double *group_adj; /* p~_b */
	int *group_flag;   /* p~_b <= alpha1 */
	double *term_adj;  /* each term's BH-adjusted P within its group */
	int *term_flag;    /* group flagged and term_adj <= alpha2 */
};

/* p[i] is the P value of term i (NaN: none), group[i] < n_groups its body
 * system. */
sm_status sm_dfdr_run(struct sm_ctx *ctx, const double *p, const size_t *group, size_t n,
		      size_t n_groups, double alpha1, double alpha2, struct sm_dfdr *out);
void sm_dfdr_release(struct sm_dfdr *d);

#endif
