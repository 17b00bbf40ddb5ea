/* A small deterministic minimiser for the GLMM objectives: Newton's method
 * on central differences.  The objectives are smooth and computed to a few
 * units in the last place, so differences with Richardson extrapolation
 * give gradients to about 1e-11 and Hessians to about 1e-8 relative; the
 * optimum is then found to about 1e-10 in the parameters, far inside the
 * tolerances lme4 and nlminb stop at. */
#include "sm_glmm_int.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define MAXIT 200
#define H_STEP 1e-3     /* gradient steps (relative) */
#define H_HESS 4e-3     /* final Hessian steps (relative) */

static sm_status call(struct sm_ctx *ctx, sm_glmm_objective fn, void *data, const double *x,
		      double *f)
{
	sm_status st = fn(ctx, data, x, f);
	if (st == SM_OK && !isfinite(*f))
		return SM_FAIL(ctx, SM_EINPUT, "the likelihood is not finite at the parameters tried");
	return st;
}

static double step_of(const double *x, const double *scale, size_t i, double rel)
{
	double s = fabs(x[i]) > scale[i] ? fabs(x[i]) : scale[i];
	return rel * s;
}

/* f at x with x[i] += a, x[j] += b. */
static sm_status at(struct sm_ctx *ctx, sm_glmm_objective fn, void *data, size_t d,
		    const double *x, size_t i, double a, size_t j, double b, double *f)
{
	double y[SM_GLMM_MAXP];
	memcpy(y, x, d * sizeof *y);
	y[i] += a;
	y[j] += b;
	return call(ctx, fn, data, y, f);
}

/* Gradient and Hessian by central differences at steps h and h/2;
 * `richardson` extrapolates the second derivatives too (else they come
 * from the h/2 differences alone). */
static sm_status derivs(struct sm_ctx *ctx, sm_glmm_objective fn, void *data, size_t d,
			const double *x, const double *scale, double f0, double rel,
			int richardson, double *g, double *hess)
{
	sm_status st = SM_OK;
	double h[SM_GLMM_MAXP];
	for (size_t i = 0; i < d; i++)
		h[i] = step_of(x, scale, i, rel);
	for (size_t i = 0; i < d && st == SM_OK; i++) {
		double fp, fm, fp2, fm2;
		if ((st = at(ctx, fn, data, d, x, i, h[i], i, 0, &fp)) ||
		    (st = at(ctx, fn, data, d, x, i, -h[i], i, 0, &fm)) ||
		    (st = at(ctx, fn, data, d, x, i, h[i] / 2, i, 0, &fp2)) ||
		    (st = at(ctx, fn, data, d, x, i, -h[i] / 2, i, 0, &fm2)))
			break;
		double g1 = (fp - fm) / (2 * h[i]), g2 = (fp2 - fm2) / h[i];
		if (g)
			g[i] = (4 * g2 - g1) / 3;
		double s1 = (fp - 2 * f0 + fm) / (h[i] * h[i]);
		double s2 = (fp2 - 2 * f0 + fm2) / (h[i] * h[i] / 4);
		hess[i * d + i] = richardson ? (4 * s2 - s1) / 3 : s2;
	}
	for (size_t i = 0; i < d && st == SM_OK; i++) {
		for (size_t j = i + 1; j < d && st == SM_OK; j++) {
			double c[2];
			for (int level = richardson ? 0 : 1; level < 2 && st == SM_OK; level++) {
				double a = level ? h[i] / 2 : h[i], b = level ? h[j] / 2 : h[j];
				double fpp, fpm, fmp, fmm;
				if ((st = at(ctx, fn, data, d, x, i, a, j, b, &fpp)) ||
				    (st = at(ctx, fn, data, d, x, i, a, j, -b, &fpm)) ||
				    (st = at(ctx, fn, data, d, x, i, -a, j, b, &fmp)) ||
				    (st = at(ctx, fn, data, d, x, i, -a, j, -b, &fmm)))
					break;
				c[level] = (fpp - fpm - fmp + fmm) / (4 * a * b);
			}
			if (st == SM_OK)
				hess[i * d + j] = hess[j * d + i] =
					richardson ? (4 * c[1] - c[0]) / 3 : c[1];
		}
	}
	return st;
}

sm_status sm_glmm_hessian(struct sm_ctx *ctx, sm_glmm_objective fn, void *data, size_t d,
			  const double *x, const double *scale, double f0, double *hess)
{
	return derivs(ctx, fn, data, d, x, scale, f0, H_HESS, 1, NULL, hess);
}

/* Cholesky factor of a (row-major, lower triangle used); 0 when not PD. */
static int cholesky(const double *a, size_t d, double *l)
{
	memset(l, 0, d * d * sizeof *l);
	for (size_t j = 0; j < d; j++) {
		double s = a[j * d + j];
		for (size_t k = 0; k < j; k++)
			s -= l[j * d + k] * l[j * d + k];
		if (!(s > 0))
			return 0;
		l[j * d + j] = sqrt(s);
		for (size_t i = j + 1; i < d; i++) {
			double t = a[i * d + j];
			for (size_t k = 0; k < j; k++)
				t -= l[i * d + k] * l[j * d + k];
			l[i * d + j] = t / l[j * d + j];
		}
	}
	return 1;
}

static void chol_solve(const double *l, size_t d, const double *b, double *x)
{
	double y[SM_GLMM_MAXP];
	for (size_t i = 0; i < d; i++) {
		double s = b[i];
		for (size_t k = 0; k < i; k++)
			s -= l[i * d + k] * y[k];
		y[i] = s / l[i * d + i];
	}
	for (size_t i = d; i-- > 0;) {
		double s = y[i];
		for (size_t k = i + 1; k < d; k++)
			s -= l[k * d + i] * x[k];
		x[i] = s / l[i * d + i];
	}
}

sm_status sm_glmm_spd_inverse(struct sm_ctx *ctx, double *a, size_t d)
{
	double l[SM_GLMM_MAXP * SM_GLMM_MAXP], e[SM_GLMM_MAXP], col[SM_GLMM_MAXP];
	double inv[SM_GLMM_MAXP * SM_GLMM_MAXP];
	if (!cholesky(a, d, l))
		return SM_FAIL(ctx, SM_EINPUT, "the Hessian is not positive definite");
	for (size_t j = 0; j < d; j++) {
		for (size_t i = 0; i < d; i++)
			e[i] = i == j;
		chol_solve(l, d, e, col);
		for (size_t i = 0; i < d; i++)
			inv[i * d + j] = col[i];
	}
	for (size_t i = 0; i < d; i++)
		for (size_t j = 0; j < d; j++)
			a[i * d + j] = (inv[i * d + j] + inv[j * d + i]) / 2;
	return SM_OK;
}

/* Newton direction, with the Hessian shifted towards the gradient
 * direction while it is not positive definite. */
static void newton_dir(const double *hess, const double *g, size_t d, double *p)
{
	double a[SM_GLMM_MAXP * SM_GLMM_MAXP], l[SM_GLMM_MAXP * SM_GLMM_MAXP], mg[SM_GLMM_MAXP];
	double big = 0;
	for (size_t i = 0; i < d; i++) {
		mg[i] = -g[i];
		big = fabs(hess[i * d + i]) > big ? fabs(hess[i * d + i]) : big;
	}
	double lambda = 0;
	for (int tries = 0; tries < 40; tries++) {
		memcpy(a, hess, d * d * sizeof *a);
		for (size_t i = 0; i < d; i++)
			a[i * d + i] += lambda;
		if (cholesky(a, d, l)) {
			chol_solve(l, d, mg, p);
			return;
		}
		lambda = lambda ? lambda * 4 : 1e-6 * (1 + big);
	}
	for (size_t i = 0; i < d; i++)
		p[i] = mg[i] / (1 + big);
}

sm_status sm_glmm_minimize(struct sm_ctx *ctx, sm_glmm_objective fn, void *data, size_t d,
			   const double *x0, const double *scale, struct sm_glmm_min *out)
{
	memset(out, 0, sizeof *out);
	out->d = d;
	double x[SM_GLMM_MAXP], g[SM_GLMM_MAXP], hess[SM_GLMM_MAXP * SM_GLMM_MAXP];
	double p[SM_GLMM_MAXP], xn[SM_GLMM_MAXP], f, fn_val = 0;
	memcpy(x, x0, d * sizeof *x);
	sm_status st = call(ctx, fn, data, x, &f);
	int converged = 0, it;
	for (it = 0; st == SM_OK && it < MAXIT && !converged; it++) {
		st = derivs(ctx, fn, data, d, x, scale, f, H_STEP, 0, g, hess);
		if (st != SM_OK)
			break;
		newton_dir(hess, g, d, p);
		double slope = 0, biggest = 0;
		for (size_t i = 0; i < d; i++) {
			slope += g[i] * p[i];
			double r = fabs(p[i]) / (scale[i] > fabs(x[i]) ? scale[i] : fabs(x[i]));
			biggest = r > biggest ? r : biggest;
		}
		double t = 1;
		for (;;) {
			for (size_t i = 0; i < d; i++)
				xn[i] = x[i] + t * p[i];
			if ((st = call(ctx, fn, data, xn, &fn_val)) != SM_OK)
				break;
			/* Armijo, with the rounding of f allowed for */
			if (fn_val <= f + 1e-4 * t * slope + 1e-12 * (1 + fabs(f)))
				break;
			t /= 2;
			if (t < 1e-10)
				break;
		}
		if (st != SM_OK)
			break;
		if (t < 1e-10) {
			/* no decrease along the Newton direction: at the optimum
			 * when the step was already at the differences' noise */
			converged = biggest < 1e-6;
			if (!converged)
				st = SM_FAIL(ctx, SM_EINPUT, "the optimiser made no progress");
			break;
		}
		/* converged: a negligible step, or a small one that no longer
		 * lowers f (the gradient is at its differences' noise) */
		converged = t * biggest < 1e-10 || (fn_val >= f && biggest < 1e-7);
		if (fn_val <= f) {
			memcpy(x, xn, d * sizeof *x);
			f = fn_val;
		}
	}
	if (st == SM_OK && !converged)
		st = SM_FAIL(ctx, SM_EINPUT, "the optimiser did not converge in %d iterations", MAXIT);
	if (st != SM_OK)
		return st;
	memcpy(out->x, x, d * sizeof *x);
	out->f = f;
	out->iterations = it;
	return sm_glmm_hessian(ctx, fn, data, d, x, scale, f, out->hess);
}

double sm_glmm_wald_equal(const double *t, const double *info, size_t n)
{
	double sw = 0, swt = 0;
	for (size_t i = 0; i < n; i++) {
		sw += info[i];
		swt += info[i] * t[i];
	}
	if (n < 2 || !(sw > 0))
		return 0;
	double mean = swt / sw, q = 0;
	for (size_t i = 0; i < n; i++)
		q += info[i] * (t[i] - mean) * (t[i] - mean);
	return q;
}

sm_status sm_glmm_minimize1(struct sm_ctx *ctx, sm_glmm_objective1 fn, void *data, double *x,
			    double *fmin)
{
	double xc = *x, f;
	sm_status st = fn(ctx, data, xc, &f);
	for (int it = 0; st == SM_OK && it < MAXIT; it++) {
		/* central differences at h and h/2, extrapolated */
		double h = 1e-3 * (fabs(xc) > 1 ? fabs(xc) : 1), fp, fm, fp2, fm2;
		if ((st = fn(ctx, data, xc + h, &fp)) || (st = fn(ctx, data, xc - h, &fm)) ||
		    (st = fn(ctx, data, xc + h / 2, &fp2)) || (st = fn(ctx, data, xc - h / 2, &fm2)))
			break;
		double g = (4 * (fp2 - fm2) / h - (fp - fm) / (2 * h)) / 3;
		double c = (fp2 - 2 * f + fm2) / (h * h / 4);
		/* outside the convex region: a unit step downhill */
		double step = c > 0 ? -g / c : (g > 0 ? -1 : 1);
		double tiny = 1e-10 * (1 + fabs(xc));
		if (fabs(step) <= tiny) {
			*x = xc;
			*fmin = f;
			return SM_OK;
		}
		double t = 1, fn_val = 0;
		for (;;) {
			if ((st = fn(ctx, data, xc + t * step, &fn_val)) != SM_OK)
				break;
			if (fn_val <= f)
				break;
			t /= 2;
			if (t * fabs(step) < tiny)
				break;
		}
		if (st != SM_OK)
			break;
		if (t * fabs(step) < tiny) {
			/* no decrease beyond the rounding of f: at the minimum */
			*x = xc;
			*fmin = f;
			return SM_OK;
		}
		xc += t * step;
		f = fn_val;
		if (!isfinite(xc) || fabs(xc) > 1e3)
			return SM_FAIL(ctx, SM_EINPUT, "a study's parameter has no finite estimate");
	}
	if (st == SM_OK)
		st = SM_FAIL(ctx, SM_EINPUT, "a study's parameter did not converge");
	return st;
}
