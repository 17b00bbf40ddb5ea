/*
 * sm_glmm_int.h -- the machinery behind sm_glmm (not a public interface):
 * lme4's per-cluster objective for binomial observations with random
 * effects, a deterministic finite-difference Newton minimiser, and the four
 * models' likelihoods.
 *
 * lme4's deviance for one cluster (a study) with a scalar random effect u
 * (eta_j = off_j + theta z_j u, u ~ N(0, 1)): f(u) = sum_j d_j(eta_j) + u^2
 * with d_j the binomial deviance residual; at the conditional mode u0 and
 * L^2 = f''(u0)/2, sd = 1/L, the nq-point adaptive Gauss-Hermite value is
 *   f(u0) + log L^2 - 2 log sum_q w_q exp(z_q^2/2 - (f(u0 + z_q sd) - f(u0))/2)
 * (lme4's glmerAGQ; nq = 1 is the Laplace approximation).  It is relative to
 * the saturated model: the marginal log-likelihood is ll_sat - dev/2.
 *
 * Ownership: every struct here is a plain value or borrows its arrays;
 * struct sm_glmm_data owns its per-study arrays (sm_glmm_data_release).
 */
#ifndef SM_GLMM_INT_H
#define SM_GLMM_INT_H

#include "sm_ctx.h"
#include "sm_glmm.h"
#include "sm_nchg.h"

#include <gsl/gsl_integration.h>
#include <stddef.h>

/* Gauss-Legendre nodes in each of the six panels of a CM.EL integral. */
#define EL_NODES 20

/* ---- binomial observations and the per-cluster objective ------------- */

struct sm_binobs {
	double y, n;   /* events of trials */
	double sat;    /* y log(y/n) + (n - y) log(1 - y/n): the saturated term */
	double off;    /* fixed part of the linear predictor */
	double z1, z2; /* covariates of the random effects */
};

void sm_binobs_set(struct sm_binobs *o, double y, double n, double z1, double z2);
/* log dbinom(y; n, y/n): the saturated log-likelihood of one observation. */
double sm_binobs_ll_sat(const struct sm_binobs *o);

#define SM_AGQ_MAX 64

/* Gauss-Hermite nodes for the standard normal density, weights summing to
 * 1 (lme4's GHrule). */
struct sm_agq_rule {
	size_t n;
	double z[SM_AGQ_MAX];
	double w[SM_AGQ_MAX];
};

sm_status sm_agq_rule_init(struct sm_ctx *ctx, struct sm_agq_rule *r, size_t n);

/* Deviance of m observations without random effect. */
double sm_binobs_dev(const struct sm_binobs *o, size_t m);

/* The cluster's AGQ deviance with a scalar random effect of sd theta on z1.
 * *u is the start of the mode search and receives the mode.  SM_EINPUT when
 * the mode search fails (non-finite values). */
sm_status sm_agq_cluster(struct sm_ctx *ctx, const struct sm_agq_rule *r,
			 const struct sm_binobs *o, size_t m, double theta, double *u,
			 double *dev);

/* The Laplace deviance with two independent random effects of sd s1 on z1
 * and s2 on z2 (lme4's (1 | study) + (0 + group | study), nAGQ = 1). */
sm_status sm_laplace2_cluster(struct sm_ctx *ctx, const struct sm_binobs *o, size_t m,
			      double s1, double s2, double u[2], double *dev);

/* ---- minimiser ----------------------------------------------------------- */

#define SM_GLMM_MAXP 4

typedef sm_status (*sm_glmm_objective)(struct sm_ctx *ctx, void *data, const double *x,
				       double *f);

struct sm_glmm_min {
	size_t d;
	double x[SM_GLMM_MAXP];
	double f;
	double hess[SM_GLMM_MAXP * SM_GLMM_MAXP]; /* at x, row-major */
	int iterations;
};

/* Newton's method with central-difference (Richardson-extrapolated)
 * gradients and Hessians and a backtracking line search; deterministic.
 * scale[i] is the typical size of x[i] (difference steps are relative to
 * it).  SM_EINPUT when it does not converge in 200 steps or the objective
 * fails (the message says which). */
sm_status sm_glmm_minimize(struct sm_ctx *ctx, sm_glmm_objective fn, void *data, size_t d,
			   const double *x0, const double *scale, struct sm_glmm_min *out);

/* One-dimensional version for the per-study parameters profiled out of
 * the fixed-study-effect models; *x is the start and receives the minimum. */
typedef sm_status (*sm_glmm_objective1)(struct sm_ctx *ctx, void *data, double x, double *f);
sm_status sm_glmm_minimize1(struct sm_ctx *ctx, sm_glmm_objective1 fn, void *data, double *x,
			    double *fmin);

/* The Hessian of fn at x by Richardson-extrapolated central differences. */
sm_status sm_glmm_hessian(struct sm_ctx *ctx, sm_glmm_objective fn, void *data, size_t d,
			  const double *x, const double *scale, double f0, double *hess);

/* Inverse of a small symmetric positive-definite matrix (row-major, in
 * place); SM_EINPUT when it is not positive definite. */
sm_status sm_glmm_spd_inverse(struct sm_ctx *ctx, double *a, size_t d);

/* ---- the studies of one fit ---------------------------------------------- */

struct sm_glmm_data {
	size_t k;          /* tables in the model */
	double *ai, *bi, *ci, *di;
	struct sm_binobs *arm;      /* 2k: treated and control arm of each table */
	struct sm_agq_rule agq;     /* nAGQ of the lme4 fits (7) */
	gsl_integration_glfixed_table *gl; /* CM.EL's Gauss-Legendre panels */
	struct sm_nchg *nchg;       /* CM.EL: per table, else NULL */
	double *inner;              /* per-table inner parameter (warm starts) */
	double *mode;               /* per-table conditional modes (warm starts) */
	double ll_sat_um, ll_sat_cm; /* saturated log-likelihoods (2k and k observations) */
};

sm_status sm_glmm_data_init(struct sm_ctx *ctx, struct sm_glmm_data *g, enum sm_glmm_model model,
			    const double *ai, const double *bi, const double *ci,
			    const double *di, size_t k);
void sm_glmm_data_release(struct sm_glmm_data *g);

/* One model's fits.  Each fills b, se (of the log odds ratio), tau2,
 * se_tau2, sigma2, ll (marginal log-likelihood with all constants) and dev
 * (lme4's objective at the optimum, in lme4's own form: AGQ deviance, or for
 * the Laplace fits the -2 log-likelihood) in *fit, and the saturated and
 * common-effect log-likelihoods and the Wald statistic of the saturated
 * model in *het when het is not NULL. */
struct sm_glmm_het {
	double ll_fe, ll_qe, wald;
	int ok;
};

sm_status sm_glmm_fit_um_fs(struct sm_ctx *ctx, struct sm_glmm_data *g, int random,
			    struct sm_glmm_fit *fit, struct sm_glmm_het *het);
sm_status sm_glmm_fit_um_rs(struct sm_ctx *ctx, struct sm_glmm_data *g, int random,
			    struct sm_glmm_fit *fit, struct sm_glmm_het *het);
sm_status sm_glmm_fit_cm_al(struct sm_ctx *ctx, struct sm_glmm_data *g, int random,
			    struct sm_glmm_fit *fit, struct sm_glmm_het *het);
sm_status sm_glmm_fit_cm_el(struct sm_ctx *ctx, struct sm_glmm_data *g, int random,
			    struct sm_glmm_fit *fit, struct sm_glmm_het *het);

/* The objective at given parameters, in the parameterisation of the
 * fitting program (for checking against it): lme4's theta and fixed
 * effects for UM.FS (beta = X.fit, study 1..k), UM.RS (theta = sigma[,
 * tau]; beta = X.fit, const), CM.AL (beta = X.fit); CM.EL takes theta =
 * {tau} and beta = {mu} and gives -2 log-likelihood.  The deviance is in
 * the form fit->dev reports. */
sm_status sm_glmm_objective_at(struct sm_ctx *ctx, struct sm_glmm_data *g,
			       enum sm_glmm_model model, int random, const double *theta,
			       const double *beta, double *dev);

sm_status sm_glmm_um_objective_at(struct sm_ctx *ctx, struct sm_glmm_data *g,
				  enum sm_glmm_model model, int random, const double *theta,
				  const double *beta, double *dev);
sm_status sm_glmm_cm_objective_at(struct sm_ctx *ctx, struct sm_glmm_data *g,
				  enum sm_glmm_model model, int random, const double *theta,
				  const double *beta, double *dev);

/* Cochran's Q of estimates with information weights: sum I (t - tbar)^2,
 * the Wald statistic of "all equal" in a saturated model (0 when n < 2). */
double sm_glmm_wald_equal(const double *t, const double *info, size_t n);

#endif
