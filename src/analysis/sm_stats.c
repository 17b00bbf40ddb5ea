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
