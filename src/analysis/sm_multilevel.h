/*
 * sm_multilevel.h -- the three-level random-effects model of R metafor 3.8
 * rma.mv(yi, vi, random = ~ 1 | cluster/row): rows nested in clusters
 * (typically several outcome rows of one study), an intercept only, and two
 * variance components, sigma2[0] between clusters and sigma2[1] between the
 * rows of a cluster, estimated by REML or ML.
 *
 * The marginal covariance of cluster j is diag(vi + sigma2[1]) + sigma2[0] J
 * (J the matrix of ones): a diagonal plus a rank-one block, whose inverse and
 * determinant are closed forms, so each evaluation of the likelihood, its
 * score and its Hessian costs O(k) however large the clusters are.  The
 * restricted (or full) log-likelihood is maximised over sigma2 >= 0 by a
 * projected Newton method with the analytic Hessian (Fisher scoring where
 * the Hessian is not negative definite) and step halving, to full double
 * precision.  A component whose maximum lies on the boundary is exactly 0
 * (metafor optimises log sigma2, so its value there is only small).
 *
 * Inference as rma.mv: z test, or test = "t" with k - 1 degrees of freedom
 * (dfs = "residual"; no Knapp-Hartung scaling in rma.mv); prediction
 * interval b +- crit sqrt(se^2 + sigma2[0] + sigma2[1]); QE is Cochran's Q
 * with weights 1/vi.  Weights as weights.rma.mv: the diagonal of the
 * inverse marginal covariance, in percent of its sum.
 *
 * Ownership: inputs are borrowed; results are plain values or caller-owned
 * arrays.  Scratch is allocated per call (O(number of clusters)).
 */
#ifndef SM_MULTILEVEL_H
#define SM_MULTILEVEL_H

#include "sm_ctx.h"
#include "sm_tau2.h"

#include <stddef.h>

struct sm_ml_opts {
	enum sm_method method; /* SM_REML or SM_ML */
	int t_test;            /* 1: rma.mv test = "t" (df = k - 1) */
	double level;          /* confidence level in percent */
	int maxiter;           /* Newton iterations before giving up */
};

struct sm_ml_opts sm_ml_defaults(enum sm_method method, int t_test, double level);

/* The rows: effect yi, variance vi and cluster index (0..n_clusters - 1,
 * any order) of each of k rows. */
struct sm_ml_data {
	const double *yi, *vi;
	const size_t *cluster;
	size_t k, n_clusters;
};

struct sm_ml_fit {
	size_t k, n_clusters;
	enum sm_method method;
	int t_test;
	double sigma2[2];      /* between clusters, between rows within clusters */
	int at_zero[2];        /* 1 where the maximum is on the boundary 0 */
	double b, se, stat, df, pval, ci_lb, ci_ub, pi_lb, pi_ub; /* df NAN for z */
	double QE, QE_df, QEp;
	double ll;             /* log-likelihood of the method (REML: metafor's) */
	int iterations;
};

/* Estimate sigma2 and fit.  SM_EINPUT (with the reason) when the model
 * cannot be fitted: fewer than 2 clusters, no cluster with two rows (the
 * two components are then not identifiable), invalid values, or no
 * convergence. */
sm_status sm_ml_fit(struct sm_ctx *ctx, const struct sm_ml_data *d,
		    const struct sm_ml_opts *opts, struct sm_ml_fit *out);

/* The fit with sigma2 given (not estimated). */
sm_status sm_ml_fit_fixed(struct sm_ctx *ctx, const struct sm_ml_data *d,
			  const struct sm_ml_opts *opts, const double sigma2[2],
			  struct sm_ml_fit *out);

/* Row weights in percent (k values). */
sm_status sm_ml_weights(struct sm_ctx *ctx, const struct sm_ml_data *d,
			const double sigma2[2], double *weight_pct);

#endif
