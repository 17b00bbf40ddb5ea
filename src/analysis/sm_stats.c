#include "sm_stats.h"

#include "sm_buf.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double sm_sum(const double *x, size_t n)
{
	struct sm_ksum a = {0, 0};
	for (size_t i = 0; i < n; i++)
		sm_ksum_add(&a, x[i]);
	return sm_ksum_get(&a);
}

double sm_round_half_even(double x)
{
	/* nearbyint follows the current rounding mode, which is
	 * round-to-nearest-even by default, as R's round(x, 0). */
	return nearbyint(x);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double sm_median(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double *c = sm_alloc_array(n, sizeof *c);
	if (!c)
		return NAN;
	memcpy(c, x, n * sizeof *c);
	qsort(c, n, sizeof *c, cmp_double);
	double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return m;
}

double sm_mad(const double *x, size_t n)
{
	double med = sm_median(x, n);
	if (isnan(med))
		return NAN;
	double *d = sm_alloc_array(n, sizeof *d);
	if (!d)
		return NAN;
	for (size_t i = 0; i < n; i++)
		d[i] = fabs(x[i] - med);
	double m = sm_median(d, n);
	free(d);
	return 1.4826 * m;
}

double sm_qnorm_upper(double alpha)
{
	return gsl_cdf_ugaussian_Qinv(alpha);
}

double sm_qt_upper(double alpha, double df)
{
	return gsl_cdf_tdist_Qinv(alpha, df);
}

double sm_qchisq(double p, double df)
{
	return gsl_cdf_chisq_Pinv(p, df);
}

double sm_p2_norm(double z)
{
	return 2 * gsl_cdf_ugaussian_Q(fabs(z));
}

double sm_p2_t(double t, double df)
{
	return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

double sm_pchisq_upper(double x, double df)
{
	return gsl_cdf_chisq_Q(x, df);
}

double sm_pchisq(double x, double df)
{
	return gsl_cdf_chisq_P(x, df);
}

double sm_pf_upper(double x, double df1, double df2)
{
	return gsl_cdf_fdist_Q(x, df1, df2);
}

/* ---- weighted least squares ------------------------------------------- */

sm_status sm_wls_init(struct sm_ctx *ctx, struct sm_wls *m, const struct sm_design *d)
{
	memset(m, 0, sizeof *m);
	m->d = *d;
	size_t p = d->p;
	if (p == 0 || (!d->x && p != 1))
		return SM_FAIL(ctx, SM_EINTERNAL, "invalid design; expected p >= 1");
	double *work = sm_alloc_array(4 * p * p + p, sizeof *work);
	if (!work)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	m->vb = work;
	m->m1 = work + p * p;
	m->m2 = work + 2 * p * p;
	m->m3 = work + 3 * p * p;
	m->b = work + 4 * p * p;
	return SM_OK;
}

void sm_wls_release(struct sm_wls *m)
{
	free(m->vb);
	memset(m, 0, sizeof *m);
}

/* out = X' diag(f) X with f_i = w_i^pw d1_i d2_i (NULL factors = 1).
 * Intercept-only designs take a compensated O(k) sum. */
static void xdx(const struct sm_wls *m, const double *w, int pw, const double *d1,
		const double *d2, double *out)
{
	const struct sm_design *d = &m->d;
	size_t k = d->k, p = d->p;
	if (!d->x) {
		struct sm_ksum a = {0, 0};
		for (size_t i = 0; i < k; i++) {
			double f = 1;
			for (int e = 0; e < pw && w; e++)
				f *= w[i];
			if (d1)
				f *= d1[i];
			if (d2)
				f *= d2[i];
			sm_ksum_add(&a, f);
		}
		out[0] = sm_ksum_get(&a);
		return;
	}
	for (size_t a = 0; a < p; a++) {
		for (size_t c = a; c < p; c++) {
			struct sm_ksum s = {0, 0};
			const double *xa = d->x + a * k, *xc = d->x + c * k;
			for (size_t i = 0; i < k; i++) {
				if (xa[i] == 0 || xc[i] == 0)
					continue;
				double f = xa[i] * xc[i];
				for (int e = 0; e < pw && w; e++)
					f *= w[i];
				if (d1)
					f *= d1[i];
				if (d2)
					f *= d2[i];
				sm_ksum_add(&s, f);
			}
			out[a * p + c] = out[c * p + a] = sm_ksum_get(&s);
		}
	}
}

/* tr(A B) for p x p row-major matrices. */
static double tr_ab(const double *a, const double *b, size_t p)
{
	double s = 0;
	for (size_t i = 0; i < p; i++)
		for (size_t j = 0; j < p; j++)
			s += a[i * p + j] * b[j * p + i];
	return s;
}

/* out = A B (p x p). */
static void mat_mul(const double *a, const double *b, double *out, size_t p)
{
	for (size_t i = 0; i < p; i++)
		for (size_t j = 0; j < p; j++) {
			double s = 0;
			for (size_t l = 0; l < p; l++)
				s += a[i * p + l] * b[l * p + j];
			out[i * p + j] = s;
		}
}

sm_status sm_wls_solve(struct sm_ctx *ctx, struct sm_wls *m, const double *y,
		       const double *w)
{
	const struct sm_design *d = &m->d;
	size_t k = d->k, p = d->p;
	xdx(m, w, 1, NULL, NULL, m->m1);
	/* X'Wy */
	for (size_t a = 0; a < p; a++) {
		struct sm_ksum s = {0, 0};
		for (size_t i = 0; i < k; i++)
			sm_ksum_add(&s, sm_design_at(d, i, a) * (w ? w[i] : 1) * y[i]);
		m->m2[a] = sm_ksum_get(&s);
	}
	if (p == 1) {
		if (!(m->m1[0] > 0) || !isfinite(m->m1[0]))
			return SM_FAIL(ctx, SM_EINPUT, "sum of weights is not positive; "
				       "expected positive finite weights");
		/* metafor's operation order: vb from chol2inv(chol(.)) (LAPACK
		 * dpotrf/dpotri: (1/sqrt(a))^2), then b = (vb X'W) y.  With one
		 * study b then differs from yi in the last bit exactly as in R,
		 * and trimfill's sign test on yi - b depends on that bit. */
		double ir = 1 / sqrt(m->m1[0]);
		m->vb[0] = ir * ir;
		struct sm_ksum bs = {0, 0};
		for (size_t i = 0; i < k; i++)
			sm_ksum_add(&bs, (m->vb[0] * sm_design_at(d, i, 0) * (w ? w[i] : 1)) *
					 y[i]);
		m->b[0] = sm_ksum_get(&bs);
		m->logdet = log(m->m1[0]);
	} else {
		memcpy(m->vb, m->m1, p * p * sizeof *m->vb);
		gsl_matrix_view mv = gsl_matrix_view_array(m->vb, p, p);
		if (gsl_linalg_cholesky_decomp1(&mv.matrix) != GSL_SUCCESS)
			return SM_FAIL(ctx, SM_EINPUT, "model matrix is not of full rank; "
				       "expected linearly independent moderators");
		double ld = 0;
		for (size_t a = 0; a < p; a++)
			ld += 2 * log(m->vb[a * p + a]);
		m->logdet = ld;
		if (gsl_linalg_cholesky_invert(&mv.matrix) != GSL_SUCCESS)
			return SM_FAIL(ctx, SM_EINPUT, "cannot invert X'WX; "
				       "expected a well-conditioned model matrix");
		for (size_t a = 0; a < p; a++) {
			double s = 0;
			for (size_t c = 0; c < p; c++)
				s += m->vb[a * p + c] * m->m2[c];
			m->b[a] = s;
		}
	}
	struct sm_ksum rss = {0, 0}, sw = {0, 0};
	for (size_t i = 0; i < k; i++) {
		double r = sm_wls_resid(m, y, i);
		double wi = w ? w[i] : 1;
		sm_ksum_add(&rss, wi * r * r);
		sm_ksum_add(&sw, wi);
	}
	m->rss = sm_ksum_get(&rss);
	m->sum_w = sm_ksum_get(&sw);
	return SM_OK;
}

double sm_wls_resid(const struct sm_wls *m, const double *y, size_t i)
{
	double f = 0;
	for (size_t a = 0; a < m->d.p; a++)
		f += sm_design_at(&m->d, i, a) * m->b[a];
	return y[i] - f;
}

double sm_wls_ypp_y(const struct sm_wls *m, const double *y, const double *w)
{
	struct sm_ksum s = {0, 0};
	for (size_t i = 0; i < m->d.k; i++) {
		double wr = (w ? w[i] : 1) * sm_wls_resid(m, y, i);
		sm_ksum_add(&s, wr * wr);
	}
	return sm_ksum_get(&s);
}

static double diag_sum(size_t k, const double *w, int pw, const double *d1,
		       const double *d2)
{
	struct sm_ksum s = {0, 0};
	for (size_t i = 0; i < k; i++) {
		double f = 1;
		for (int e = 0; e < pw && w; e++)
			f *= w[i];
		if (d1)
			f *= d1[i];
		if (d2)
			f *= d2[i];
		sm_ksum_add(&s, f);
	}
	return sm_ksum_get(&s);
}

/* tr(P D) = sum w d - tr(vb X' W^2 D X) */
double sm_wls_tr_pd(struct sm_wls *m, const double *w, const double *d)
{
	size_t p = m->d.p;
	xdx(m, w, 2, d, NULL, m->m1);
	return diag_sum(m->d.k, w, 1, d, NULL) - tr_ab(m->vb, m->m1, p);
}

/* tr(P D1 P D2) = sum w^2 d1 d2 - 2 tr(vb X' W^3 D1 D2 X)
 *                 + tr(vb X'W^2 D1 X vb X'W^2 D2 X) */
double sm_wls_tr_pdpd(struct sm_wls *m, const double *w, const double *d1,
		      const double *d2)
{
	size_t p = m->d.p;
	double t1 = diag_sum(m->d.k, w, 2, d1, d2);
	xdx(m, w, 3, d1, d2, m->m1);
	double t2 = tr_ab(m->vb, m->m1, p);
	xdx(m, w, 2, d1, NULL, m->m1);
	xdx(m, w, 2, d2, NULL, m->m2);
	mat_mul(m->vb, m->m1, m->m3, p);  /* vb M1 */
	mat_mul(m->vb, m->m2, m->m1, p);  /* vb M2 */
	double t3 = tr_ab(m->m3, m->m1, p);
	return t1 - 2 * t2 + t3;
}

/* ---- power-series sums -------------------------------------------------- */

/* Smallest n with (1 + r)^3 sum_{m >= n} C(m+2, 2) r^m < 2^-56: the tail of
 * the q = 3 series (the slowest of q = 1..3) relative to its value, which is
 * at least (1 + r)^-3 times the leading sum for non-negative terms. */
static size_t series_terms(double r)
{
	double lim = ldexp(1, -56) / ((1 + r) * (1 + r) * (1 + r));
	for (size_t n = 1; n < 400; n++) {
		double term = (double)(n + 2) * (double)(n + 1) / 2 * pow(r, (double)n);
		double ratio = r * (double)(n + 3) / (double)(n + 1);
		if (ratio < 1 && term / (1 - ratio) < lim)
			return n;
	}
	return 400;
}

void sm_pseries_release(struct sm_pseries *ps)
{
	if (!ps)
		return;
	free(ps->m);
	memset(ps, 0, sizeof *ps);
}

/* Sums are kept scaled by umin^s (uu = u / umin >= 1), so no power of a tiny
 * variance overflows. */
sm_status sm_pseries_init(struct sm_ctx *ctx, struct sm_pseries *ps, const double *y,
			  const double *v, size_t k, double c, double rho)
{
	memset(ps, 0, sizeof *ps);
	if (k == 0 || !(rho > 0 && rho <= 0.5) || !(c >= 0))
		return SM_FAIL(ctx, SM_EINTERNAL, "invalid series centre; expected k >= 1, "
			       "c >= 0, 0 < rho <= 0.5");
	double umin = INFINITY;
	struct sm_ksum sw = {0, 0}, swy = {0, 0}, ls = {0, 0};
	for (size_t j = 0; j < k; j++) {
		double u = v[j] + c;
		umin = fmin(umin, u);
		sm_ksum_add(&sw, 1 / u);
		sm_ksum_add(&swy, y[j] / u);
		sm_ksum_add(&ls, log(u));
	}
	if (!(umin > 0) || !isfinite(sm_ksum_get(&sw)))
		return SM_FAIL(ctx, SM_EINPUT, "variances plus tau2 are not positive; "
			       "expected vi + tau2 > 0");
	size_t n = series_terms(rho), ns = n + 3;
	struct sm_ksum *acc = sm_alloc_array(3 * ns, sizeof *acc);
	ps->m = sm_alloc_array(3 * ns, sizeof *ps->m);
	if (!acc || !ps->m) {
		free(acc);
		sm_pseries_release(ps);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	ps->c = c;
	ps->rho = rho;
	ps->umin = umin;
	ps->n = n;
	ps->yc = sm_ksum_get(&swy) / sm_ksum_get(&sw);
	ps->lsum = sm_ksum_get(&ls);
	for (size_t j = 0; j < k; j++) {
		double iu = umin / (v[j] + c), z = y[j] - ps->yc, p = iu;
		for (size_t s = 0; s < ns; s++) {
			sm_ksum_add(&acc[s], p);
			sm_ksum_add(&acc[ns + s], z * p);
			sm_ksum_add(&acc[2 * ns + s], z * z * p);
			p *= iu;
		}
	}
	for (size_t s = 0; s < 3 * ns; s++)
		ps->m[s] = sm_ksum_get(&acc[s]);
	free(acc);
	return SM_OK;
}

int sm_pseries_covers(const struct sm_pseries *ps, double t)
{
	return ps->m && fabs(t - ps->c) <= ps->rho * ps->umin;
}

int sm_pseries_eval(const struct sm_pseries *ps, double t, int q, double out[3])
{
	if (!sm_pseries_covers(ps, t) || q < 1 || q > 3)
		return 0;
	double nd = -(t - ps->c) / ps->umin;
	size_t ns = ps->n + 3;
	double scale = pow(ps->umin, -(double)q);
	for (int a = 0; a < 3; a++) {
		const double *m = ps->m + (size_t)a * ns;
		double acc = 0;
		for (size_t i = ps->n; i-- > 0;) {
			/* C(i + q - 1, q - 1) for q = 1..3 */
			double bin = q == 1 ? 1 : q == 2 ? (double)(i + 1)
						  : (double)(i + 2) * (double)(i + 1) / 2;
			acc = acc * nd + bin * m[i + (size_t)q - 1];
		}
		out[a] = acc * scale;
	}
	return 1;
}

int sm_pseries_logsum(const struct sm_pseries *ps, double t, double *out)
{
	if (!sm_pseries_covers(ps, t))
		return 0;
	/* log(u + d) = log u + sum_{n >= 1} (-1)^(n+1) (d/u)^n / n */
	double dd = (t - ps->c) / ps->umin, acc = 0;
	for (size_t i = ps->n + 2; i >= 1; i--)
		acc = acc * -dd + ps->m[i - 1] / (double)i;
	*out = ps->lsum + dd * acc;
	return 1;
}

/* ---- chi-square tail near a point --------------------------------------- */

/* log(n!) - log(sqrt(2 pi n) (n/e)^n) for n > 15 (Stirling's series). */
static double stirling_err(double n)
{
	double n2 = n * n;
	return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / (1188 * n2)) / n2) /
		n2) / n2) / n;
}

/* x log(x / m) + m - x without cancellation when x is near m. */
static double dev0(double x, double m)
{
	if (fabs(x - m) < 0.1 * (x + m)) {
		double v = (x - m) / (x + m), s = (x - m) * v, e = 2 * x * v, v2 = v * v;
		for (int j = 1; j < 1000; j++) {
			e *= v2;
			double s1 = s + e / (2 * j + 1);
			if (s1 == s)
				return s1;
			s = s1;
		}
		return s;
	}
	return x * log(x / m) + m - x;
}

double sm_dchisq(double x, double df)
{
	double a = df / 2;
	if (!(x > 0) || a < 16)
		return x > 0 ? exp((a - 1) * log(x) - x / 2 - a * M_LN2 - lgamma(a)) : 0;
	/* gamma(a, scale 2) density = Poisson(a - 1; x/2) probability / 2 */
	double n = a - 1, lam = x / 2;
	return exp(-stirling_err(n) - dev0(n, lam)) / sqrt(2 * M_PI * n) / 2;
}

void sm_chisq_near_init(struct sm_chisq_near *cn, double x0, double df)
{
	memset(cn, 0, sizeof *cn);
	cn->x0 = x0;
	cn->df = df;
	if (!(df >= 200) || !(x0 > 0) || !isfinite(x0))
		return;
	cn->q0 = gsl_cdf_chisq_Q(x0, df);
	cn->f0 = sm_dchisq(x0, df);
	if (!(cn->q0 > 1e-280) || !(cn->f0 > 1e-280) || !isfinite(cn->f0))
		return;
	/* log(f(x0 + h)/f0) = l1 h + sum_{n>=2} l_n h^n; f/f0 = exp of it */
	double a1 = df / 2 - 1, l[SM_CHISQ_NEAR_TERMS + 1], e[SM_CHISQ_NEAR_TERMS + 1];
	l[1] = a1 / x0 - 0.5;
	double p = 1 / x0;
	for (int n = 2; n <= SM_CHISQ_NEAR_TERMS; n++) {
		p /= x0;
		l[n] = (n % 2 ? a1 : -a1) * p / n;
	}
	e[0] = 1;
	for (int n = 1; n < SM_CHISQ_NEAR_TERMS; n++) {
		double s = 0;
		for (int j = 1; j <= n; j++)
			s += j * l[j] * e[n - j];
		e[n] = s / n;
	}
	for (int n = 0; n < SM_CHISQ_NEAR_TERMS; n++)
		cn->e[n] = e[n] / (n + 1);
	/* within 1.5 sd the terms fall below 1e-17 by n = 40; x0/4 keeps the
	 * logarithm's series convergent */
	cn->width = fmin(1.5 * sqrt(2 * df), x0 / 4);
	cn->usable = 1;
}

double sm_chisq_near(const struct sm_chisq_near *cn, double x)
{
	double h = x - cn->x0;
	if (!cn->usable || h > 0 || -h > cn->width)
		return gsl_cdf_chisq_Q(x, cn->df);
	double acc = 0;
	for (int n = SM_CHISQ_NEAR_TERMS; n-- > 0;)
		acc = acc * h + cn->e[n];
	return cn->q0 - cn->f0 * h * acc;
}
