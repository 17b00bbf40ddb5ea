/* lme4's per-cluster deviance: conditional modes, Laplace and adaptive
 * Gauss-Hermite quadrature for binomial observations (see sm_glmm_int.h). */
#include "sm_glmm_int.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#define MODE_MAXIT 200

void sm_binobs_set(struct sm_binobs *o, double y, double n, double z1, double z2)
{
	o->y = y;
	o->n = n;
	o->sat = (y > 0 ? y * log(y / n) : 0) + (n - y > 0 ? (n - y) * log((n - y) / n) : 0);
	o->off = 0;
	o->z1 = z1;
	o->z2 = z2;
}

double sm_binobs_ll_sat(const struct sm_binobs *o)
{
	return gsl_sf_lnchoose((unsigned)o->n, (unsigned)o->y) + o->sat;
}

sm_status sm_agq_rule_init(struct sm_ctx *ctx, struct sm_agq_rule *r, size_t n)
{
	if (n < 1 || n > SM_AGQ_MAX)
		return SM_FAIL(ctx, SM_EINTERNAL, "quadrature with %zu nodes; expected 1 to %d", n,
			       SM_AGQ_MAX);
	r->n = n;
	if (n == 1) {
		r->z[0] = 0;
		r->w[0] = 1;
		return SM_OK;
	}
	/* weight exp(-x^2/2): nodes of the standard normal after dividing the
	 * weights by sqrt(2 pi) */
	gsl_integration_fixed_workspace *w =
		gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, n, 0.0, 0.5, 0.0, 0.0);
	if (!w)
		return SM_FAIL(ctx, SM_EINTERNAL, "Gauss-Hermite rule with %zu nodes failed", n);
	const double *x = gsl_integration_fixed_nodes(w), *wt = gsl_integration_fixed_weights(w);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += wt[i];
	for (size_t i = 0; i < n; i++) {
		r->z[i] = x[i];
		r->w[i] = wt[i] / sum;
	}
	gsl_integration_fixed_free(w);
	return SM_OK;
}

/* log mu and log(1 - mu) of the inverse logit, without cancellation. */
static inline void log_mu(double eta, double *lm, double *l1m)
{
	if (eta > 0) {
		double l = log1p(exp(-eta));
		*lm = -l;
		*l1m = -eta - l;
	} else {
		double l = log1p(exp(eta));
		*lm = eta - l;
		*l1m = -l;
	}
}

/* Deviance residual d(eta) and, when wanted, d'(eta) = -2 (y - n mu) and
 * d''(eta) = 2 n mu (1 - mu). */
static inline double dev_resid(const struct sm_binobs *o, double eta, double *d1, double *d2)
{
	double lm, l1m;
	log_mu(eta, &lm, &l1m);
	if (d1) {
		double mu = exp(lm);
		*d1 = -2 * (o->y - o->n * mu);
		*d2 = 2 * o->n * exp(lm + l1m);
	}
	return 2 * (o->sat - o->y * lm - (o->n - o->y) * l1m);
}

double sm_binobs_dev(const struct sm_binobs *o, size_t m)
{
	double s = 0;
	for (size_t j = 0; j < m; j++)
		s += dev_resid(&o[j], o[j].off, NULL, NULL);
	return s;
}

/* f(u) = sum d_j(off_j + theta z1_j u) + u^2 and its derivatives. */
static double pen_dev1(const struct sm_binobs *o, size_t m, double theta, double u, double *g,
		       double *h)
{
	double f = u * u, g1 = 2 * u, h1 = 2;
	for (size_t j = 0; j < m; j++) {
		double d1, d2, z = theta * o[j].z1;
		f += dev_resid(&o[j], o[j].off + z * u, g ? &d1 : NULL, g ? &d2 : NULL);
		if (g) {
			g1 += z * d1;
			h1 += z * z * d2;
		}
	}
	if (g) {
		*g = g1;
		*h = h1;
	}
	return f;
}

/* A Newton step is taken unless it increases f by more than rounding can
 * (the deviance sums terms of up to n |log p| each, whose rounding is far
 * above f's own ulp near a good fit); longer ones are halved. */
static int no_worse(double fn, double f)
{
	return fn <= f + 1e-9 * (1 + fabs(f));
}

/* Newton's method for the (strictly convex) penalised deviance, halving
 * steps that increase it. */
static sm_status mode1(struct sm_ctx *ctx, const struct sm_binobs *o, size_t m, double theta,
		       double *u)
{
	double x = isfinite(*u) ? *u : 0;
	for (int it = 0; it < MODE_MAXIT; it++) {
		double g, h;
		double f = pen_dev1(o, m, theta, x, &g, &h);
		if (!isfinite(f) || !isfinite(g))
			break;
		double step = -g / h;
		if (fabs(step) <= 1e-12 * (1 + fabs(x))) {
			*u = x + step;
			return SM_OK;
		}
		double t = 1, xn = x + step;
		while (t > 1e-12 && !no_worse(pen_dev1(o, m, theta, xn, NULL, NULL), f)) {
			t /= 2;
			xn = x + t * step;
		}
		if (t <= 1e-12)
			break;
		x = xn;
	}
	return SM_FAIL(ctx, SM_EINPUT, "conditional mode of a random effect not found");
}

sm_status sm_agq_cluster(struct sm_ctx *ctx, const struct sm_agq_rule *r,
			 const struct sm_binobs *o, size_t m, double theta, double *u,
			 double *dev)
{
	if (theta == 0) {
		*dev = sm_binobs_dev(o, m);
		*u = 0;
		return SM_OK;
	}
	sm_status st = mode1(ctx, o, m, theta, u);
	if (st != SM_OK)
		return st;
	double g, h;
	double f0 = pen_dev1(o, m, theta, *u, &g, &h);
	double L2 = h / 2, sd = 1 / sqrt(L2);
	double mult = 0;
	for (size_t q = 0; q < r->n; q++) {
		double z = r->z[q];
		double fq = z == 0 ? f0 : pen_dev1(o, m, theta, *u + z * sd, NULL, NULL);
		mult += r->w[q] * exp(z * z / 2 - (fq - f0) / 2);
	}
	*dev = f0 + log(L2) - 2 * log(mult);
	if (!isfinite(*dev))
		return SM_FAIL(ctx, SM_EINPUT, "the quadrature of a random effect is not finite");
	return SM_OK;
}

/* f(u1, u2) with two random effects, gradient g[2] and Hessian h[3]
 * (h11, h12, h22). */
static double pen_dev2(const struct sm_binobs *o, size_t m, double s1, double s2,
		       const double u[2], double *g, double *h)
{
	double f = u[0] * u[0] + u[1] * u[1];
	if (g) {
		g[0] = 2 * u[0];
		g[1] = 2 * u[1];
		h[0] = 2;
		h[1] = 0;
		h[2] = 2;
	}
	for (size_t j = 0; j < m; j++) {
		double a = s1 * o[j].z1, b = s2 * o[j].z2, d1, d2;
		f += dev_resid(&o[j], o[j].off + a * u[0] + b * u[1], g ? &d1 : NULL,
			       g ? &d2 : NULL);
		if (g) {
			g[0] += a * d1;
			g[1] += b * d1;
			h[0] += a * a * d2;
			h[1] += a * b * d2;
			h[2] += b * b * d2;
		}
	}
	return f;
}

sm_status sm_laplace2_cluster(struct sm_ctx *ctx, const struct sm_binobs *o, size_t m,
			      double s1, double s2, double u[2], double *dev)
{
	double x[2] = { isfinite(u[0]) ? u[0] : 0, isfinite(u[1]) ? u[1] : 0 };
	double g[2], h[3];
	int done = 0;
	for (int it = 0; it < MODE_MAXIT && !done; it++) {
		double f = pen_dev2(o, m, s1, s2, x, g, h);
		if (!isfinite(f))
			break;
		double det = h[0] * h[2] - h[1] * h[1];
		double p0 = -(h[2] * g[0] - h[1] * g[1]) / det;
		double p1 = -(h[0] * g[1] - h[1] * g[0]) / det;
		if (fabs(p0) <= 1e-12 * (1 + fabs(x[0])) && fabs(p1) <= 1e-12 * (1 + fabs(x[1]))) {
			x[0] += p0;
			x[1] += p1;
			done = 1;
			break;
		}
		double t = 1, xn[2] = { x[0] + p0, x[1] + p1 };
		while (t > 1e-12 && !no_worse(pen_dev2(o, m, s1, s2, xn, NULL, NULL), f)) {
			t /= 2;
			xn[0] = x[0] + t * p0;
			xn[1] = x[1] + t * p1;
		}
		if (t <= 1e-12)
			break;
		x[0] = xn[0];
		x[1] = xn[1];
	}
	if (!done)
		return SM_FAIL(ctx, SM_EINPUT, "conditional mode of the random effects not found");
	u[0] = x[0];
	u[1] = x[1];
	double f0 = pen_dev2(o, m, s1, s2, x, g, h);
	/* log det of L L' = H/2 */
	double det = (h[0] * h[2] - h[1] * h[1]) / 4;
	*dev = f0 + log(det);
	if (!isfinite(*dev))
		return SM_FAIL(ctx, SM_EINPUT, "the Laplace approximation is not finite");
	return SM_OK;
}
