#include "sm_stats.h"

#include "sm_buf.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
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

/* Rearrange c so that c[m] is the value a sort would put there, with no
 * larger value before it and no smaller one after (quickselect, O(n) on
 * average; after 64 rounds the rest is sorted, so never worse than
 * O(n log n)). */
static void select_nth(double *c, size_t n, size_t m)
{
	size_t lo = 0, hi = n;
	for (int round = 0; hi - lo > 16; round++) {
		if (round == 64) {
			qsort(c + lo, hi - lo, sizeof *c, cmp_double);
			return;
		}
		double a = c[lo], b = c[lo + (hi - lo) / 2], d = c[hi - 1];
		double pivot = a < b ? (b < d ? b : a < d ? d : a) : (a < d ? a : b < d ? d : b);
		/* three-way partition: < pivot, == pivot, > pivot */
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			if (c[i] < pivot) {
				double t = c[i];
				c[i++] = c[lt];
				c[lt++] = t;
			} else if (c[i] > pivot) {
				double t = c[i];
				c[i] = c[--gt];
				c[gt] = t;
			} else {
				i++;
			}
		}
		if (m < lt)
			hi = lt;
		else if (m >= gt)
			lo = gt;
		else
			return;
	}
	qsort(c + lo, hi - lo, sizeof *c, cmp_double);
}

/* The median by selection instead of a full sort (PM's search interval
 * needs the MAD of k values, twice): the same value. */
double sm_median(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double *c = sm_alloc_array(n, sizeof *c);
	if (!c)
		return NAN;
	memcpy(c, x, n * sizeof *c);
	select_nth(c, n, n / 2);
	double m = c[n / 2];
	if (n % 2 == 0) {
		/* the largest of the lower half */
		double lower = c[0];
		for (size_t i = 1; i < n / 2; i++)
			lower = c[i] > lower ? c[i] : lower;
		m = (lower + m) / 2;
	}
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

/* GSL's quantile gives NaN for large df (from about 5e4 in the upper tail,
 * 1e6 in the lower) and loses digits far in the tails: a value whose tail
 * probability is off by more than 1e-12 relative is refined by Newton's
 * method on the tail nearer p from the Wilson-Hilferty approximation (GSL's
 * wrong values can be far out, where the density underflows), with the
 * density's saddle-point form. */
static double qchisq_newton(double p, double df)
{
	double z = gsl_cdf_ugaussian_Pinv(p), h = 2 / (9 * df);
	double x = df * pow(1 - h + z * sqrt(h), 3);
	int lower = p < 0.5;
	for (int it = 0; it < 100 && x > 0 && isfinite(x); it++) {
		double f = sm_dchisq(x, df);
		double diff = lower ? gsl_cdf_chisq_P(x, df) - p : (1 - p) - gsl_cdf_chisq_Q(x, df);
		if (!(f > 0))
			return NAN;
		double step = diff / f;
		x -= step;
		if (fabs(step) <= 4 * DBL_EPSILON * x)
			return x;
	}
	return NAN;
}

/* Whether x's tail probability matches p to 1e-12 relative. */
static int qchisq_exact(double p, double df, double x)
{
	if (!(x > 0) || !isfinite(x))
		return 0;
	double got = p < 0.5 ? gsl_cdf_chisq_P(x, df) : gsl_cdf_chisq_Q(x, df);
	double want = p < 0.5 ? p : 1 - p;
	return fabs(got - want) <= 1e-12 * want;
}

double sm_qchisq(double p, double df)
{
	double x = gsl_cdf_chisq_Pinv(p, df);
	if (p > 0 && p < 1 && df > 0 && !qchisq_exact(p, df, x)) {
		double r = qchisq_newton(p, df);
		if (isfinite(r))
			x = r;
	}
	return x;
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
