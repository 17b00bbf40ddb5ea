/*
 * sm_glmm.h -- generalized linear mixed models for 2x2 tables, as metafor
 * 3.8-1 rma.glmm(measure = "OR") with lme4 1.1 and BiasedUrn:
 *
 *   UM.FS  unconditional model, fixed study effects: logit p = alpha_i +
 *          x (mu + b_i), x = +-1/2, b_i ~ N(0, tau2) (glmer, nAGQ = 7)
 *   UM.RS  unconditional model, random study effects: logit p = c + a_i +
 *          x_t mu + x b_i with x_t the treated indicator, independent
 *          a_i ~ N(0, sigma2), b_i ~ N(0, tau2) (glmer, Laplace: metafor
 *          forces nAGQ = 1; its common-effect version uses nAGQ = 7)
 *   CM.EL  conditional model, exact likelihood: ai given the margins is
 *          Fisher noncentral hypergeometric with log odds ratio
 *          theta_i ~ N(mu, tau2), integrated over theta_i
 *   CM.AL  conditional model, approximate likelihood: ai ~ Bin(ai + ci, p_i)
 *          with logit p_i = theta_i + log(n1i/n2i) (glmer, nAGQ = 7)
 *
 * `random` = 1 is metafor's method = "ML", 0 its method = "FE" (tau2 = 0).
 * No continuity correction enters the models.  As metafor (drop00 = TRUE),
 * double-zero tables (ai = ci = 0 or bi = di = 0) are left out.
 *
 * Exact optimum: lme4 and nlminb stop at their tolerances (lme4's
 * Nelder-Mead in k + 2 dimensions for UM.FS often well before the optimum);
 * here the same objectives (lme4's adaptive Gauss-Hermite deviance, the
 * exact conditional likelihood) are minimised to full precision, so results
 * match metafor run with tight optimiser controls.  Standard errors are
 * lme4's and metafor's definitions (inverse of the Hessian of the deviance
 * over all parameters, the random-effect standard deviations included)
 * from Richardson-extrapolated differences at the optimum.
 *
 * The heterogeneity tests are metafor's: the Wald-type test that all
 * study log odds ratios of the saturated model are equal, and the
 * likelihood-ratio test of the common-effect against the saturated model,
 * both on k - 1 df.  A study whose saturated log odds ratio is infinite
 * (a zero cell) adds nothing to the Wald statistic, its limit (metafor's
 * optimisers stop at some large finite value, which adds a little).
 *
 * Ownership: inputs are borrowed; struct sm_glmm_fit is a plain value whose
 * notes are static strings.
 */
#ifndef SM_GLMM_H
#define SM_GLMM_H

#include "sm_ctx.h"
#include "sm_escalc.h"

#include <stddef.h>

enum sm_glmm_model { SM_GLMM_UM_FS, SM_GLMM_UM_RS, SM_GLMM_CM_EL, SM_GLMM_CM_AL };

struct sm_glmm_opts {
	enum sm_glmm_model model;
	int random;                /* 1: method "ML" (tau2 estimated), 0: "FE" */
	double level;              /* confidence level in percent */
	struct sm_escalc_opts esc; /* OR escalc behind I2/H2 (add, to; drop00 forced) */
};

struct sm_glmm_opts sm_glmm_defaults(enum sm_glmm_model model, int random);

#define SM_GLMM_MAX_NOTES 4

struct sm_glmm_fit {
	enum sm_glmm_model model;
	int random;
	size_t k_all;       /* tables given */
	size_t k;           /* tables in the model (double-zero tables left out) */
	size_t k_yi;        /* of those, with a finite escalc yi (for vt) */
	double b, se, zval, pval, ci_lb, ci_ub; /* log odds ratio, z test */
	double pi_lb, pi_ub;                    /* b -/+ z sqrt(se^2 + tau2); CI for FE */
	double tau2;        /* 0 for FE */
	double se_tau2;     /* CM.EL with ML only (metafor), else NAN */
	double sigma2;      /* UM.RS: variance of the random study intercepts, else NAN */
	double vt, I2, H2;  /* metafor: vt from escalc vi, I2 = 100 tau2/(vt + tau2) */
	double QE_wld, QEp_wld, QE_lrt, QEp_lrt, QE_df; /* NAN when k = 1 */
	double ll;          /* maximised log-likelihood (binomial constants included) */
	double dev;         /* lme4's objective at the optimum (see sm_glmm_int.h) */
	size_t n_notes;
	const char *notes[SM_GLMM_MAX_NOTES]; /* metafor's warnings, static */
};

/* Tables as for sm_mh_run.  SM_EINPUT (with metafor's message where it has
 * one) when the model cannot be fitted: no table left, too few tables for
 * the parameters, a pooled odds ratio of 0 or infinity (no events, or only
 * events, in one arm of every table), or no convergence. */
sm_status sm_glmm_run(struct sm_ctx *ctx, const double *ai, const double *n1i,
		      const double *ci, const double *n2i, size_t n,
		      const struct sm_glmm_opts *opts, struct sm_glmm_fit *out);

/* "UM.FS", ... and back (-1 when unknown). */
const char *sm_glmm_model_name(enum sm_glmm_model m);
int sm_glmm_model_parse(const char *name);
/* A phrase for readers: "unconditional model with fixed study effects". */
const char *sm_glmm_model_phrase(enum sm_glmm_model m);

#endif
