/*
 * sm_metareg.h -- what a meta-regression needs beside the fit of sm_rma.h
 * (sm_rma_mods_fit): the rank decision on the design, R^2 as metafor
 * computes it, and predictions at new moderator values (metafor's
 * predict(fit, newmods = ...)).
 *
 * Designs are k x p, column-major (x[c * k + i]), column 0 the intercept.
 *
 * Ownership: pure functions over borrowed arrays; the caller supplies
 * scratch space where one is needed.
 */
#ifndef SM_METAREG_H
#define SM_METAREG_H

#include "sm_ctx.h"
#include "sm_rma.h"

#include <stddef.h>

/* R's lm() tolerance for its rank decision (qr(tol = 1e-7)). */
#define SM_RANK_TOL 1e-7

/* The first column of x that is (numerically) a linear combination of the
 * columns before it, or p when x has full column rank.  Column by column,
 * as LINPACK's dqrdc2 behind lm(), which metafor uses to find redundant
 * predictors: a column is redundant when the norm of what is left of it
 * after removing its projection on the columns kept so far is at most
 * tol times its own norm (so the decision does not depend on the
 * columns' scales).  O(k p^2); work holds k p doubles. */
size_t sm_design_redundant(const double *x, size_t k, size_t p, double tol, double *work);

/* metafor's R^2 of a model with moderators, in percent (rma.uni's R2):
 * random effects max(0, 100 (tau2_0 - tau2) / tau2_0) with tau2_0 from the
 * intercept-only fit with the same method (0 when tau2_0 = 0); common
 * effect: 100 x the adjusted R^2 of the weighted least-squares fit (1/vi
 * weights), at least 0, and 0 when every yi is equal.  Fits the
 * intercept-only model itself. */
sm_status sm_metareg_R2(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			const struct sm_rma_opts *opts, const struct sm_rma_mods *m, double *R2);

/* A prediction of the fitted model at the moderator row xnew (p values,
 * intercept included), as predict.rma: the linear predictor, its standard
 * error sqrt(x' vb x), the confidence interval (t with k - p df for knha,
 * else normal) and the prediction interval with the same critical value
 * and tau2 added to the variance. */
struct sm_metareg_pred {
	double pred, se, ci_lb, ci_ub, pi_lb, pi_ub;
};

void sm_metareg_predict(const struct sm_rma_mods *m, const double *xnew, double level,
			struct sm_metareg_pred *out);

#endif
