/* The conditional models of rma.glmm: CM.AL (ai of ai + ci events is
 * binomial with logit p = theta_i + log(n1i/n2i); lme4 glmer, nAGQ = 7)
 * and CM.EL (ai given the margins is Fisher noncentral hypergeometric with
 * log odds ratio theta_i).  theta_i = mu + tau u, u ~ N(0, 1); tau enters
 * signed (the likelihood is even in it).
 *
 * CM.EL's integral over u is taken by adaptive Gauss-Kronrod quadrature
 * around the mode of the (log-concave) integrand to 1e-13: metafor's
 * integrate() over the real line with rel.tol = 1.2e-4 is the same
 * integral, less precisely. */
#include "sm_glmm_int.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#define EL_REL 1e-13   /* relative accuracy of the CM.EL integrals */

static const double unit_scale[SM_GLMM_MAXP] = { 1, 1, 1, 1 };

static sm_status estimate(struct sm_ctx *ctx, const struct sm_glmm_min *mn, size_t ib,
			  double *b, double *var_b, double *var_0)
{
	double h[SM_GLMM_MAXP * SM_GLMM_MAXP];
	memcpy(h, mn->hess, sizeof h);
	sm_status st = sm_glmm_spd_inverse(ctx, h, mn->d);
	if (st != SM_OK)
		return st;
	*b = mn->x[ib];
	*var_b = 2 * h[ib * mn->d + ib];
	if (var_0)
		*var_0 = 2 * h[0];
	return SM_OK;
}

/* ---- CM.AL ---------------------------------------------------------------- */

struct cmal {
	struct sm_glmm_data *g;
	int random;
};

static sm_status cmal_dev(struct sm_ctx *ctx, void *data, const double *x, double *f)
{
	struct cmal *m = data;
	struct sm_glmm_data *g = m->g;
	double theta = m->random ? x[0] : 0, mu = m->random ? x[1] : x[0], total = 0;
	for (size_t i = 0; i < g->k; i++) {
		struct sm_binobs o;
		sm_binobs_set(&o, g->ai[i], g->ai[i] + g->ci[i], 1, 0);
		o.off = mu + log((g->ai[i] + g->bi[i]) / (g->ci[i] + g->di[i]));
		double fi;
		sm_status st = sm_agq_cluster(ctx, &g->agq, &o, 1, theta, &g->mode[i], &fi);
		if (st != SM_OK)
			return st;
		total += fi;
	}
	*f = total;
	return SM_OK;
}

sm_status sm_glmm_fit_cm_al(struct sm_ctx *ctx, struct sm_glmm_data *g, int random,
			    struct sm_glmm_fit *fit, struct sm_glmm_het *het)
{
	struct cmal m = { g, 0 };
	struct sm_glmm_min fe, ml;
	for (size_t i = 0; i < g->k; i++)
		g->mode[i] = 0;
	double x0 = 0, var;
	sm_status st = sm_glmm_minimize(ctx, cmal_dev, &m, 1, &x0, unit_scale, &fe);
	if (st != SM_OK)
		return st;
	if (het) {
		het->ll_fe = g->ll_sat_cm - fe.f / 2;
		het->ll_qe = g->ll_sat_cm;
		/* glm's saturated fit: one log odds ratio per table with both
		 * ai and ci > 0, information ai ci / (ai + ci) */
		double *t = g->inner, *w = g->mode;
		size_t n = 0;
		for (size_t i = 0; i < g->k; i++) {
			if (g->ai[i] == 0 || g->ci[i] == 0)
				continue;
			t[n] = log(g->ai[i] / g->ci[i]) -
			       log((g->ai[i] + g->bi[i]) / (g->ci[i] + g->di[i]));
			w[n] = g->ai[i] * g->ci[i] / (g->ai[i] + g->ci[i]);
			n++;
		}
		het->wald = sm_glmm_wald_equal(t, w, n);
		het->ok = 1;
		for (size_t i = 0; i < g->k; i++)
			g->mode[i] = 0;
	}
	if (!random) {
		fit->tau2 = 0;
		fit->ll = g->ll_sat_cm - fe.f / 2;
		fit->dev = fe.f;
		if ((st = estimate(ctx, &fe, 0, &fit->b, &var, NULL)) != SM_OK)
			return st;
		fit->se = sqrt(var);
		return SM_OK;
	}
	m.random = 1;
	double start[2] = { 0.5, fe.x[0] };
	if ((st = sm_glmm_minimize(ctx, cmal_dev, &m, 2, start, unit_scale, &ml)) != SM_OK)
		return st;
	fit->tau2 = ml.x[0] * ml.x[0];
	fit->ll = g->ll_sat_cm - ml.f / 2;
	fit->dev = ml.f;
	if ((st = estimate(ctx, &ml, 1, &fit->b, &var, NULL)) != SM_OK)
		return st;
	fit->se = sqrt(var);
	return SM_OK;
}

/* ---- CM.EL ---------------------------------------------------------------- */

struct cmel {
	struct sm_glmm_data *g;
	int random;
};

/* exp(g(u) - g(mode)), g(u) = log P(ai | mu + tau u) - u^2/2 */
struct el_point {
	const struct sm_nchg *h;
	double mu, tau, g0;
};

static double el_integrand(double u, void *p)
{
	const struct el_point *e = p;
	return exp(sm_nchg_eval(e->h, e->mu + e->tau * u, NULL, NULL) - u * u / 2 - e->g0);
}

/* log of the integral over u of P(ai | mu + tau u) phi(u): Newton for the
 * mode u* of g (concave: g'' = -tau^2 Var - 1) and its scale s =
 * 1/sqrt(-g''), then GSL's adaptive Gauss-Kronrod with break points at
 * u* +- 2s and +- 8s over [u* - 40s, u* + 40s] (at least [-38, 38]).  A
 * table with a zero cell makes P a logistic-like step in theta, far from
 * Gaussian at large tau: Gauss-Hermite with 64 nodes there is still off by
 * 1e-10, the adaptive rule reaches 1e-13. */
static sm_status el_integral(struct sm_ctx *ctx, const struct sm_nchg *h,
			     gsl_integration_workspace *ws, double mu, double tau, double *u_io,
			     double *value)
{
	double u = isfinite(*u_io) ? *u_io : 0, mean, var, lp = 0;
	int done = 0;
	for (int it = 0; it < 200 && !done; it++) {
		lp = sm_nchg_eval(h, mu + tau * u, &mean, &var);
		double g1 = tau * ((double)h->x - mean) - u, g2 = -tau * tau * var - 1;
		double step = -g1 / g2;
		/* g'' <= -1 bounds the step; long steps are halved while g drops */
		double gu = lp - u * u / 2, t = 1, un = u + step;
		while (t > 1e-12) {
			double ln = sm_nchg_eval(h, mu + tau * un, NULL, NULL);
			if (ln - un * un / 2 >= gu - 1e-9 * (1 + fabs(gu)))
				break;
			t /= 2;
			un = u + t * step;
		}
		done = fabs(un - u) <= 1e-12 * (1 + fabs(u));
		u = un;
	}
	if (!done)
		return SM_FAIL(ctx, SM_EINPUT, "mode of the conditional likelihood not found");
	*u_io = u;
	lp = sm_nchg_eval(h, mu + tau * u, &mean, &var);
	struct el_point e = { h, mu, tau, lp - u * u / 2 };
	double s = 1 / sqrt(tau * tau * var + 1);
	double lo = u - 40 * s < -38 ? u - 40 * s : -38, hi = u + 40 * s > 38 ? u + 40 * s : 38;
	double pts[7] = { lo, u - 8 * s, u - 2 * s, u, u + 2 * s, u + 8 * s, hi };
	gsl_function f = { el_integrand, &e };
	double val, err;
	int gs = gsl_integration_qagp(&f, pts, 7, 0, EL_REL, EL_LIMIT, ws, &val, &err);
	if ((gs != GSL_SUCCESS && gs != GSL_EROUND) || !(val > 0))
		return SM_FAIL(ctx, SM_EINPUT, "could not integrate over the density of the "
			       "non-central hypergeometric distribution (GSL: %s)", gsl_strerror(gs));
	*value = e.g0 + log(val) - 0.5 * log(2 * M_PI);
	return SM_OK;
}

/* -2 log-likelihood at x = (tau, mu) or (mu). */
static sm_status cmel_dev(struct sm_ctx *ctx, void *data, const double *x, double *f)
{
	struct cmel *m = data;
	struct sm_glmm_data *g = m->g;
	double total = 0;
	for (size_t i = 0; i < g->k; i++) {
		double li = 0;
		if (!m->random || x[0] == 0) {
			li = sm_nchg_eval(&g->nchg[i], m->random ? x[1] : x[0], NULL, NULL);
		} else {
			sm_status st = el_integral(ctx, &g->nchg[i], g->quad, x[1], x[0],
						   &g->mode[i], &li);
			if (st != SM_OK)
				return st;
		}
		total += li;
	}
	*f = -2 * total;
	return SM_OK;
}

/* A table's conditional MLE (finite: no zero cell): Newton on ai - E X. */
static sm_status el_mle(struct sm_ctx *ctx, const struct sm_nchg *h, double *theta,
			double *info, double *ll)
{
	double t = 0, mean, var;
	for (int it = 0; it < 200; it++) {
		sm_nchg_eval(h, t, &mean, &var);
		double step = ((double)h->x - mean) / var;
		if (step > 5)
			step = 5;
		if (step < -5)
			step = -5;
		t += step;
		if (fabs(step) <= 1e-13 * (1 + fabs(t))) {
			*ll = sm_nchg_eval(h, t, &mean, &var);
			*theta = t;
			*info = var;
			return SM_OK;
		}
	}
	return SM_FAIL(ctx, SM_EINPUT, "a table's conditional odds ratio did not converge");
}

sm_status sm_glmm_fit_cm_el(struct sm_ctx *ctx, struct sm_glmm_data *g, int random,
			    struct sm_glmm_fit *fit, struct sm_glmm_het *het)
{
	struct cmel m = { g, 0 };
	struct sm_glmm_min fe, ml;
	double x0 = 0, var, var0;
	sm_status st = sm_glmm_minimize(ctx, cmel_dev, &m, 1, &x0, unit_scale, &fe);
	if (st != SM_OK)
		return st;
	if (het) {
		double *t = g->inner, *w = g->mode, ll = 0;
		size_t n = 0;
		for (size_t i = 0; i < g->k && st == SM_OK; i++) {
			if (sm_nchg_at_bound(&g->nchg[i]))
				continue;
			double li = 0;
			st = el_mle(ctx, &g->nchg[i], &t[n], &w[n], &li);
			ll += li;
			n++;
		}
		if (st != SM_OK)
			return st;
		/* the saturated model: each table's own log odds ratio; tables
		 * with a zero cell have it at -inf or +inf, where their
		 * likelihood is 1 and they add nothing to the Wald statistic */
		het->ll_fe = -fe.f / 2;
		het->ll_qe = ll;
		het->wald = sm_glmm_wald_equal(t, w, n);
		het->ok = 1;
	}
	for (size_t i = 0; i < g->k; i++)
		g->mode[i] = 0;
	if (!random) {
		fit->tau2 = 0;
		fit->ll = -fe.f / 2;
		fit->dev = fe.f;
		if ((st = estimate(ctx, &fe, 0, &fit->b, &var, NULL)) != SM_OK)
			return st;
		fit->se = sqrt(var);
		return SM_OK;
	}
	m.random = 1;
	double start[2] = { 0.5, fe.x[0] };
	if ((st = sm_glmm_minimize(ctx, cmel_dev, &m, 2, start, unit_scale, &ml)) != SM_OK)
		return st;
	fit->tau2 = ml.x[0] * ml.x[0];
	fit->ll = -ml.f / 2;
	fit->dev = ml.f;
	if ((st = estimate(ctx, &ml, 1, &fit->b, &var, &var0)) != SM_OK)
		return st;
	fit->se = sqrt(var);
	/* metafor: se of log tau2 times tau2, which at the optimum is the
	 * delta-method se of tau2 = theta^2, 2 |theta| se(theta) */
	fit->se_tau2 = 2 * fabs(ml.x[0]) * sqrt(var0);
	return SM_OK;
}

sm_status sm_glmm_cm_objective_at(struct sm_ctx *ctx, struct sm_glmm_data *g,
				  enum sm_glmm_model model, int random, const double *theta,
				  const double *beta, double *dev)
{
	double x[2] = { random ? theta[0] : beta[0], beta[0] };
	for (size_t i = 0; i < g->k; i++)
		g->mode[i] = 0;
	if (model == SM_GLMM_CM_EL) {
		struct cmel m = { g, random };
		return cmel_dev(ctx, &m, x, dev);
	}
	struct cmal m = { g, random };
	return cmal_dev(ctx, &m, x, dev);
}
