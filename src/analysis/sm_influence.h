/*
 * sm_influence.h -- case diagnostics of an intercept-only fit, as metafor's
 * influence(), leave1out() and cumul(): every deletion or cumulative fit
 * uses the full fit's method, test and control.
 *
 * Cost: O(k) in all for large k.  tau2(-i) has a closed form for FE, DL,
 * HE, HS and SJ (full-data sums minus study i's terms); ML, REML, EB and PM
 * take their estimators' steps (sm_ifit), each O(1).  Every sum over j != i
 * at a tau2 comes from power series around a few centres (sm_pseries), O(1)
 * per evaluation with a truncation error below 2^-56 relative.  A deletion
 * whose downdated sums would cancel (the study dominates a sum), that no
 * centre covers, that the estimator cannot settle from sums (a tau2 reset
 * to 0, non-convergence, PM with a finite root tolerance), or any deletion
 * when k < 16, is refitted exactly (O(k)).  The number of such deletions is
 * bounded independently of k except for pathological data.  The cumulative
 * fits come from prefix sums the same way.
 *
 * A refit that fails with an input error (e.g. Fisher scoring does not
 * converge on that subset) yields a row of NaN and a warning in ctx, as
 * metafor's NA rows; hat and weight come from the full fit and remain.
 * When the full fit's estimate has variance 0 (knha with every yi equal),
 * metafor's influence() refuses (the Cholesky factor of vb does not exist):
 * every diagnostic is then NaN and `undefined` is set; the leave-one-out
 * rows are still computed, as metafor's leave1out() gives them.
 *
 * Ownership: struct sm_influence owns its arrays (sm_influence_release);
 * sm_cumul fills a caller-provided array of k rows.
 */
#ifndef SM_INFLUENCE_H
#define SM_INFLUENCE_H

#include "sm_ctx.h"
#include "sm_rma.h"

#include <stddef.h>

/* One refit (leave-one-out or cumulative). */
struct sm_loo_row {
	double estimate, se, stat, df; /* df NAN for z */
	double pval, ci_lb, ci_ub;
	double QE, QEp, tau2, I2, H2;
	double vt; /* typical variance of the refit (maps tau2 to I2/H2) */
};

struct sm_influence {
	size_t k;
	double *rstudent, *resid, *resid_se, *dffits, *cook_d, *cov_r;
	double *tau2_del, *QE_del, *hat, *weight, *dfbs;
	int *inf;               /* metafor's is.infl: 1, 0 or SM_FLAG_NA (R's NA:
				   no criterion holds but one was not computed) */
	struct sm_loo_row *loo; /* fit without study i */
	double rstudent_crit;   /* Bonferroni bound qnorm(1 - 0.05/(2k)) */
	size_t refits;          /* deletions refitted exactly (see above) */
	int undefined;          /* vb of the full fit is 0: no diagnostics (above) */
};

#define SM_FLAG_NA (-1)

/* `full` must be the fit of yi/vi with opts.  Needs k >= 2. */
sm_status sm_influence(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		       const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
		       struct sm_influence *out);
void sm_influence_release(struct sm_influence *inf);

/* metafor's baujat() for study i of an rma.uni fit: *x is its squared
 * Pearson residual under the full fit, (yi - b)^2 / (vi + tau2), its share of
 * Q; *y the squared shift of the estimate when it is left out, on the scale
 * of the refit's variance, (b(-i) - b)^2 / se(-i)^2.  NaN where the refit
 * failed (its row is NaN), as metafor's NA. */
void sm_baujat(double yi, double vi, const struct sm_rma_fit *full,
	       const struct sm_loo_row *loo, double *x, double *y);

/* How the deletion fits are computed: AUTO as described above, EXACT refits
 * every deletion on its k - 1 studies (O(k^2); the reference for tests). */
enum sm_loo_path { SM_LOO_AUTO, SM_LOO_EXACT };
/* Recompute entry i of `out` (filled by sm_influence*) by an exact refit of
 * the k - 1 other studies: the reference the fast path is checked against. */
sm_status sm_influence_refit(struct sm_ctx *ctx, const double *yi, const double *vi,
			     size_t k, const struct sm_rma_opts *opts,
			     const struct sm_rma_fit *full, size_t i, struct sm_influence *out);
sm_status sm_influence_path(struct sm_ctx *ctx, const double *yi, const double *vi,
			    size_t k, const struct sm_rma_opts *opts,
			    const struct sm_rma_fit *full, enum sm_loo_path path,
			    struct sm_influence *out);

/* What the result keeps: ALL of the above, or SUMMARY, only rstudent,
 * cook_d and inf (what sm_influence_summary_json reads; the other columns
 * and loo are NULL), computed the same way to the bit, for a caller that
 * writes no per-study row. */
enum sm_inf_keep { SM_INF_ALL, SM_INF_SUMMARY };
sm_status sm_influence_keep(struct sm_ctx *ctx, const double *yi, const double *vi,
			    size_t k, const struct sm_rma_opts *opts,
			    const struct sm_rma_fit *full, enum sm_loo_path path,
			    enum sm_inf_keep keep, struct sm_influence *out);

/* Entry i is the fit of studies 0..i (in the given order). */
sm_status sm_cumul(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		   const struct sm_rma_opts *opts, struct sm_loo_row *out);
/* The same by the given path; *refits (may be NULL) gets the number of
 * prefixes fitted exactly. */
sm_status sm_cumul_path(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			const struct sm_rma_opts *opts, enum sm_loo_path path,
			struct sm_loo_row *out, size_t *refits);

#endif
