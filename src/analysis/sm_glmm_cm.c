/* The conditional models of rma.glmm: CM.AL (ai of ai + ci events is
 * binomial with logit p = theta_i + log(n1i/n2i); lme4 glmer, nAGQ = 7)
 * and CM.EL (ai given the margins is Fisher noncentral hypergeometric with
 * log odds ratio theta_i).  theta_i = mu + tau u, u ~ N(0, 1); tau enters
 * signed (the likelihood is even in it).
 *
 * CM.EL's integral over u is a composite Gauss-Legendre rule around the
 * mode of the (log-concave) integrand, accurate to 1e-13: metafor's
 * integrate() over the real line with rel.tol = 1.2e-4 is the same
 * integral, less precisely. */
#include "sm_glmm_int.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#define EL_MAX_WIDTH 1.0   /* widest panel, in units of the random effect's sd */
#define EL_MAX_PANELS 80   /* a side: 80 panels reach far past any mass */


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

struct el_panel_ctx {
	const struct sm_nchg *h;
	const gsl_integration_glfixed_table *gl;
	double mu, tau, g0;
	int derivs;
};

/* Adds one panel's Gauss-Legendre sums to m; returns its part of m[0]. */
static double el_panel(const struct el_panel_ctx *c, double a, double b, double m[6])
{
	double part = 0;
	for (size_t q = 0; q < c->gl->n; q++) {
		double x, w, mean, var;
		gsl_integration_glfixed_point(a, b, q, &x, &w, c->gl);
		double e = sm_nchg_eval(c->h, c->mu + c->tau * x, &mean, &var);
		double f = w * exp(e - x * x / 2 - c->g0);
		part += f;
		if (c->derivs) {
			double sc = (double)c->h->x - mean, c2 = sc * sc - var;
			m[1] += f * sc;
			m[2] += f * x * sc;
			m[3] += f * c2;
			m[4] += f * x * c2;
			m[5] += f * x * x * c2;
		}
	}
	m[0] += part;
	return part;
}

/* log of the integral over u of P(ai | mu + tau u) phi(u), with its
 * gradient and Hessian in (tau, mu) when grad is not NULL.  Newton finds
 * the mode u* of g(u) = log P - u^2/2 (concave: g'' = -tau^2 Var - 1) and
 * its scale s = 1/sqrt(-g''); the integral is a composite Gauss-Legendre
 * rule (EL_NODES nodes a panel) on panels walking out from u* on either
 * side, 2s wide and doubling up to EL_MAX_WIDTH (the scale of phi), until
 * one past 8s adds less than 1e-18.  A table with a zero cell makes P a
 * logistic-like step in theta, flat on one side, so the integrand there
 * decays like phi, not on the scale s: Gauss-Hermite with 64 nodes is
 * still off by 1e-10 at tau = 3; this rule agrees with GSL's adaptive
 * Gauss-Kronrod at 1e-13 (tests).  With
 * dP/dtheta = P (x - E X) and d2P/dtheta2 = P ((x - E X)^2 - Var X), all
 * derivatives come from the same nodes. */
static sm_status el_integral(struct sm_ctx *ctx, const struct sm_nchg *h,
			     const gsl_integration_glfixed_table *gl, double mu, double tau,
			     double *u_io, double *value, double grad[2], double hess[3])
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
	double g0 = lp - u * u / 2, s = 1 / sqrt(tau * tau * var + 1);
	/* I, I_mu, I_tau, I_mumu, I_mutau, I_tautau (scaled by exp(-g0)) */
	double m[6] = { 0, 0, 0, 0, 0, 0 };
	struct el_panel_ctx pc = { h, gl, mu, tau, g0, grad != NULL };
	for (int side = -1; side <= 1; side += 2) {
		double a = u, width = 2 * s;
		for (int p = 0; p < EL_MAX_PANELS; p++) {
			double b = a + side * width, part = el_panel(&pc, side > 0 ? a : b,
								     side > 0 ? b : a, m);
			/* past 8 s and negligible: the rest is smaller still
			 * (log-concave integrand) */
			if (fabs(b - u) >= 8 * s && part <= 1e-18 * m[0])
				break;
			a = b;
			width = width * 2 < EL_MAX_WIDTH ? width * 2 : EL_MAX_WIDTH;
		}
	}
	*value = g0 + log(m[0]) - 0.5 * log(2 * M_PI);
	if (!isfinite(*value))
		return SM_FAIL(ctx, SM_EINPUT, "could not integrate over the density of the "
			       "non-central hypergeometric distribution");
	if (grad) {
		double dm = m[1] / m[0], dt = m[2] / m[0];
		grad[0] = dt;
		grad[1] = dm;
		hess[0] = m[5] / m[0] - dt * dt;  /* tau tau */
		hess[1] = m[4] / m[0] - dm * dt;  /* tau mu */
		hess[2] = m[3] / m[0] - dm * dm;  /* mu mu */
	}
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
			sm_status st = el_integral(ctx, &g->nchg[i], g->gl, x[1], x[0],
						   &g->mode[i], &li, NULL, NULL);
			if (st != SM_OK)
				return st;
		}
		total += li;
	}
	*f = -2 * total;
	return SM_OK;
}

/* -2 log-likelihood with its gradient and Hessian in x = (tau, mu). */
static sm_status cmel_ml_derivs(struct sm_ctx *ctx, struct sm_glmm_data *g, const double *x,
				double *f, double grad[2], double hess[4])
{
	double total = 0, gr[2] = { 0, 0 }, h[3] = { 0, 0, 0 };
	for (size_t i = 0; i < g->k; i++) {
		double li, gi[2], hi[3];
		sm_status st = el_integral(ctx, &g->nchg[i], g->gl, x[1], x[0], &g->mode[i], &li,
					   gi, hi);
		if (st != SM_OK)
			return st;
		total += li;
		gr[0] += gi[0];
		gr[1] += gi[1];
		h[0] += hi[0];
		h[1] += hi[1];
		h[2] += hi[2];
	}
	*f = -2 * total;
	grad[0] = -2 * gr[0];
	grad[1] = -2 * gr[1];
	hess[0] = -2 * h[0];
	hess[1] = hess[2] = -2 * h[1];
	hess[3] = -2 * h[2];
	return SM_OK;
}

/* Newton's method on the analytic derivatives (a few likelihoods instead
 * of the difference minimiser's hundreds), halving steps that do not
 * lower -2 ll; the Hessian at the optimum is the exact one. */
static sm_status cmel_ml_fit(struct sm_ctx *ctx, struct sm_glmm_data *g, const double *x0,
			     struct sm_glmm_min *out)
{
	memset(out, 0, sizeof *out);
	out->d = 2;
	double x[2] = { x0[0], x0[1] }, f, gr[2], h[4];
	sm_status st = cmel_ml_derivs(ctx, g, x, &f, gr, h);
	for (int it = 0; st == SM_OK && it < 200; it++) {
		double a = h[0], b = h[1], d = h[3], lambda = 0, p[2] = { -gr[0], -gr[1] };
		for (int tries = 0; tries < 60; tries++) {
			double det = (a + lambda) * (d + lambda) - b * b;
			if (a + lambda > 0 && det > 0) {
				p[0] = -((d + lambda) * gr[0] - b * gr[1]) / det;
				p[1] = -((a + lambda) * gr[1] - b * gr[0]) / det;
				break;
			}
			lambda = lambda ? lambda * 4 : 1e-6 * (1 + fabs(a) + fabs(d));
		}
		double big = fabs(p[0]) / (1 + fabs(x[0])) > fabs(p[1]) / (1 + fabs(x[1]))
				     ? fabs(p[0]) / (1 + fabs(x[0])) : fabs(p[1]) / (1 + fabs(x[1]));
		if (big <= 1e-12) {
			memcpy(out->x, x, sizeof x);
			out->f = f;
			memcpy(out->hess, h, sizeof h);
			out->iterations = it;
			return SM_OK;
		}
		double t = 1, xn[2], fn = 0, gn[2], hn[4];
		for (;;) {
			xn[0] = x[0] + t * p[0];
			xn[1] = x[1] + t * p[1];
			if ((st = cmel_ml_derivs(ctx, g, xn, &fn, gn, hn)) != SM_OK)
				break;
			if (fn <= f + 1e-12 * (1 + fabs(f)))
				break;
			t /= 2;
			if (t < 1e-10)
				break;
		}
		if (st != SM_OK)
			break;
		if (t < 1e-10) {
			if (big < 1e-7) {
				memcpy(out->x, x, sizeof x);
				out->f = f;
				memcpy(out->hess, h, sizeof h);
				out->iterations = it;
				return SM_OK;
			}
			return SM_FAIL(ctx, SM_EINPUT, "the optimiser made no progress");
		}
		memcpy(x, xn, sizeof x);
		f = fn;
		memcpy(gr, gn, sizeof gr);
		memcpy(h, hn, sizeof h);
	}
	if (st == SM_OK)
		st = SM_FAIL(ctx, SM_EINPUT, "the optimiser did not converge in 200 iterations");
	return st;
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
	if ((st = cmel_ml_fit(ctx, g, start, &ml)) != SM_OK)
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
