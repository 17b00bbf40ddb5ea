/*
 * sm_rma.h -- random/fixed-effects meta-analysis and meta-regression, as
 * R metafor 3.8-1 rma.uni(): pooled estimate, z or Knapp-Hartung test,
 * heterogeneity (QE, I2, H2, vt), prediction interval, study weights.
 *
 * sm_rma_fit() is the intercept-only model over arrays; sm_rma_mods_fit()
 * takes a k x p design (meta-regression, used by regtest and subgroups).
 *
 * Ownership: inputs are borrowed.  struct sm_rma_fit is a plain value;
 * struct sm_rma_mods owns its arrays (sm_rma_mods_release).
 */
#ifndef SM_RMA_H
#define SM_RMA_H

#include "sm_ctx.h"
#include "sm_stats.h"
#include "sm_tau2.h"

#include <stddef.h>

struct sm_rma_opts {
	enum sm_method method;
	enum sm_test test;
	double level;       /* confidence level in percent, 95 */
	struct sm_tau2_ctl ctl;
};

/* metafor defaults (level 95, threshold 1e-5, maxiter 100, stepadj 1). */
struct sm_rma_opts sm_rma_defaults(enum sm_method method, enum sm_test test);
/* Converged to full precision (relative stopping rule, maxiter 10000, exact roots),
 * as the goldens' `fits_tight` control. */
struct sm_rma_opts sm_rma_tight(enum sm_method method, enum sm_test test);

/* Intercept-only fit. */
struct sm_rma_fit {
	size_t k, p;           /* p = 1 */
	enum sm_method method;
	enum sm_test test;     /* forced to z when k = 1 */
	double b, se, stat;    /* stat: z or t */
	double df;             /* knha: k - 1; NAN for z */
	double pval, ci_lb, ci_ub;
	double pi_lb, pi_ub;   /* prediction interval (= CI for FE) */
	double tau2, se_tau2;  /* se_tau2 NAN for FE */
	double I2, H2;
	double QE, QE_df, QEp;
	double vt;             /* typical within-study variance */
	double s2w;            /* knha scale, 1 for z */
	double sum_w;          /* sum of 1/(vi + tau2) */
	double ll_ml, ll_reml; /* log-likelihoods at the estimate */
	int iterations;
};

sm_status sm_rma_fit(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		     const struct sm_rma_opts *opts, struct sm_rma_fit *out);

/* Fit with tau2 given (not estimated): used by refits and tests. */
sm_status sm_rma_fit_fixed_tau2(struct sm_ctx *ctx, const double *yi, const double *vi,
				size_t k, const struct sm_rma_opts *opts, double tau2,
				struct sm_rma_fit *out);

/* Study weights in percent: 100 w_i / sum(w), w = 1/(vi + tau2). */
sm_status sm_rma_weights(struct sm_ctx *ctx, const struct sm_rma_fit *fit,
			 const double *vi, size_t k, double *weight_pct);

/* Prediction interval with another t df (metafor pi.type = "riley":
 * df = k - 2, used as at least 1); NAN uses the normal quantile. */
void sm_rma_predict_df(const struct sm_rma_fit *fit, double df, double *pi_lb,
		       double *pi_ub);

/* Meta-regression with a k x p design. */
struct sm_rma_mods {
	size_t k, p;
	enum sm_method method;
	enum sm_test test;
	double *b, *se, *stat, *pval, *ci_lb, *ci_ub; /* p each */
	double *vb;            /* p x p covariance of b (knha-scaled) */
	double df;             /* knha: k - p; NAN for z */
	/* Omnibus test of coefficients 2..p (all when p = 1); knha: Wald / m
	 * against F(m, k - p) */
	double QM, QM_df1, QM_df2, QMp;
	double tau2, se_tau2, I2, H2, QE, QE_df, QEp, vt, s2w, sum_w;
	double ll_ml, ll_reml;
	int iterations;
};

sm_status sm_rma_mods_fit(struct sm_ctx *ctx, const struct sm_design *d,
			  const double *yi, const double *vi,
			  const struct sm_rma_opts *opts, struct sm_rma_mods *out);
void sm_rma_mods_release(struct sm_rma_mods *m);


#endif
