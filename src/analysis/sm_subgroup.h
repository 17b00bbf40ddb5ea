/*
 * sm_subgroup.h -- test of subgroup differences, as the goldens' subgroup
 * object: (1) the moderator model rma.uni(yi, vi, mods = group dummies)
 * with one common residual tau2 (QM, R2, per-level coefficients), and
 * (2) separate fits per group followed by a fixed-effect meta-analysis of
 * the group estimates (fe_between / re_between_separate_tau2).
 *
 * Groups are 0-based codes < G; level 0 is the reference (intercept).
 *
 * Ownership: struct sm_rma_mods as in sm_rma.h; struct sm_subgroup_between
 * owns its arrays (sm_subgroup_between_release).
 */
#ifndef SM_SUBGROUP_H
#define SM_SUBGROUP_H

#include "sm_ctx.h"
#include "sm_rma.h"

#include <stddef.h>

/* Moderator model; R2 in percent: random effects max(0, 100 (tau2_0 -
 * tau2)/tau2_0) with tau2_0 of the intercept-only fit (0 when tau2_0 = 0);
 * FE: 100 x the adjusted R^2 of the weighted least-squares fit, at least 0. */
sm_status sm_subgroup_mods(struct sm_ctx *ctx, const double *yi, const double *vi,
			   const size_t *group, size_t k, size_t G,
			   const struct sm_rma_opts *opts, struct sm_rma_mods *out,
			   double *R2);

struct sm_subgroup_between {
	size_t G;
	size_t *k_group;
	double *group_b, *group_se, *group_tau2, *group_QE;
	double Q, df, pval;      /* FE meta-analysis of the group estimates */
	double b_between;        /* its pooled estimate */
	double Q_total;          /* FE Q of all studies */
	double Q_within_sum;     /* sum of the groups' QE */
};

/* opts gives each group's method (FE for fe_between). */
sm_status sm_subgroup_between(struct sm_ctx *ctx, const double *yi, const double *vi,
			      const size_t *group, size_t k, size_t G,
			      const struct sm_rma_opts *opts,
			      struct sm_subgroup_between *out);
void sm_subgroup_between_release(struct sm_subgroup_between *b);

#endif
