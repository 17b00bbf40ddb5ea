/*
 * sm_robust.h -- cluster-robust (sandwich) inference for an intercept-only
 * meta-analytic model whose marginal covariance is block diagonal by
 * cluster, diag(vi + sigma2[1]) + sigma2[0] J per cluster: rma.uni fits
 * (sigma2 = {0, tau2}) and the three-level model of sm_multilevel.
 *
 *  - CR1, as metafor 3.8 robust(fit, cluster, adjust = TRUE): bread
 *    (1'W1)^-1 1'W with W = V^-1, meat the sum over clusters of the
 *    cluster's (1'W e)^2, times n / (n - 1) for n clusters; t test and
 *    interval with n - 1 df.  O(k).
 *  - CR2, as robust(fit, cluster, clubSandwich = TRUE) (clubSandwich 0.5:
 *    vcovCR type "CR2" with the model's inverse-variance weights as target,
 *    coef_test / conf_int with Satterthwaite df).  Each cluster's
 *    adjustment matrix needs a Cholesky factor and a symmetric
 *    eigendecomposition of its block: O(sum of m_j^3) for clusters of m_j
 *    rows; clusters above SM_ROBUST_CR2_MAX_ROWS rows are refused.
 *
 * The model-based variance inside the bread is (1'W1)^-1 without any
 * Knapp-Hartung factor.  (metafor's robust() on an rma.uni fit with
 * test = "knha" uses the fit's vb, which carries s2w, so its SEs are s2w
 * times these; the sandwich replaces the model variance, so safemeta does
 * not carry that factor over.)
 *
 * Ownership: inputs are borrowed; the result is a plain value.
 */
#ifndef SM_ROBUST_H
#define SM_ROBUST_H

#include "sm_ctx.h"

#include <stddef.h>

#define SM_ROBUST_CR2_MAX_ROWS 1000

enum sm_robust_type { SM_ROBUST_CR1, SM_ROBUST_CR2 };

struct sm_robust_model {
	const double *yi, *vi;
	const size_t *cluster; /* 0..n_clusters - 1 per row, any order */
	size_t k, n_clusters;
	double sigma2[2];      /* {between clusters, within}: rma.uni {0, tau2} */
	double b;              /* the fitted estimate */
	/* clubSandwich rescales rma.uni weights to mean 1 before its
	 * eigenvalue cut-off (1e-12); the mean weight here, 1 for rma.mv */
	double weight_scale;
};

struct sm_robust {
	enum sm_robust_type type;
	size_t n_clusters;
	double b, se, stat, df, pval, ci_lb, ci_ub;
};

const char *sm_robust_name(enum sm_robust_type t); /* "CR1", "CR2" */

/* SM_EINPUT when there are fewer than 2 clusters or (CR2) a cluster is too
 * large or its adjustment does not exist. */
sm_status sm_robust_fit(struct sm_ctx *ctx, const struct sm_robust_model *m,
			enum sm_robust_type type, double level, struct sm_robust *out);

#endif
