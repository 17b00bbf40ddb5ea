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

/* ---- beta distribution for large parameters ------------------------------ */

/* stirling_err for any n > 0: the series from 16 on, else from lgamma (the
 * terms are small there, so nothing cancels). */
static double stirling_err_any(double n)
{
	if (n > 15)
		return stirling_err(n);
	return lgamma(n + 1) - (n + 0.5) * log(n) + n - 0.5 * log(2 * M_PI);
}

/* x log(x / m) + m - x given d = x - m, which the caller has without the
 * rounding of m (m itself only needs relative precision). */
static double dev0_diff(double x, double m, double d)
{
	if (fabs(d) < 0.1 * (x + m)) {
		double v = d / (x + m), s = d * v, e = 2 * x * v, v2 = v * v;
		for (int j = 1; j < 1000; j++) {
			e *= v2;
			double s1 = s + e / (2 * j + 1);
			if (s1 == s)
				return s1;
			s = s1;
		}
		return s;
	}
	return -x * log1p(-d / x) - d;
}

/* log(p^a q^b / B(a, b)), q = 1 - p, in Loader's saddle-point form: the
 * binomial probability of a in a + b trials times a b / (a + b), with no
 * cancellation of lgamma terms of size (a + b) log(a + b).  Of p and q only
 * the smaller is taken as exact: a - n p = -(b - n q) comes from it, so a
 * tiny p keeps its digits even though 1 - p has lost them. */
static double beta_log_front(double p, double q, double a, double b)
{
	double n = a + b;
	double da = p <= q ? a - n * p : -(b - n * q); /* a - n p */
	return stirling_err_any(n) - stirling_err_any(a) - stirling_err_any(b) -
	       dev0_diff(a, n * p, da) - dev0_diff(b, n * q, -da) +
	       0.5 * log(n / (2 * M_PI * a * b)) + log(a * b / n);
}

/* The continued fraction of I_p(a, b) * a / front (modified Lentz); it
 * converges fast for p < (a + 1) / (a + b + 2), in O(sqrt(max(a, b)))
 * terms near the mean.  0 when it has not converged within cap terms. */
static int beta_cf(double p, double a, double b, long cap, double *out)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * p / (a + 1);
	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	double f = d;
	for (long m = 1; m <= cap; m++) {
		double m2 = 2.0 * (double)m, dm = (double)m;
		for (int half = 0; half < 2; half++) {
			double t = half == 0 ?
					   dm * (b - dm) * p / ((a + m2 - 1) * (a + m2)) :
					   -(a + dm) * (a + b + dm) * p / ((a + m2) * (a + m2 + 1));
			d = 1 + t * d;
			if (fabs(d) < tiny)
				d = tiny;
			c = 1 + t / c;
			if (fabs(c) < tiny)
				c = tiny;
			d = 1 / d;
			double del = c * d;
			f *= del;
			if (half == 1 && fabs(del - 1) <= DBL_EPSILON) {
				*out = f;
				return 1;
			}
		}
	}
	return 0;
}

/* Terms of the continued fraction allowed: far more than the ~sqrt(a + b)
 * it needs, and a bound on the cost (n = 10^12 takes about 10^6). */
static long beta_cf_cap(double a, double b)
{
	double c = 1000 + 50 * sqrt(a + b);
	return c < 1e7 ? (long)c : 10000000L;
}

/* 1 - I_p(a, b) for a whole a as the binomial sum
 * sum_{k < a} C(a + b - 1, k) p^k q^(a + b - 1 - k), from k = a - 1 down
 * (terms fall from there when p is above the mean); the top term is
 * front / (b p) and each step multiplies by k q / ((a + b - k) p), so q
 * enters only as a factor and a tiny p keeps its digits (in the continued
 * fraction in q they cancel away).  0 when more than cap terms count. */
static int beta_upper_sum(double p, double q, double a, double b, double front, long cap,
			  double *out)
{
	double t = front / (b * p), sum = 0;
	for (double k = a - 1; k >= 0; k--) {
		sum += t;
		if (t <= DBL_EPSILON / 8 * sum || k == 0) {
			*out = sum;
			return 1;
		}
		if (cap-- <= 0)
			return 0;
		t *= k * q / ((a + b - k) * p);
	}
	*out = sum;
	return 1;
}

int sm_beta_tails(double p, double a, double b, double *lower, double *upper)
{
	if (!(a > 0) || !(b > 0) || !(p >= 0 && p <= 1))
		return 0;
	if (p == 0 || p == 1) {
		*lower = p;
		*upper = 1 - p;
		return 1;
	}
	double q = 1 - p, cf;
	long cap = beta_cf_cap(a, b);
	double front = exp(beta_log_front(p, q, a, b));
	/* The fraction where it converges (below the mean: in p for the lower
	 * tail, else in q for the upper one; above the mean it can settle on a
	 * wrong value).  The prefactor takes a - n p from the smaller of p, q,
	 * so a tiny p keeps its digits; for the upper tail at a small p a
	 * binomial sum replaces the fraction in q, which would lose them. */
	if (p < (a + 1) / (a + b + 2)) {
		if (!beta_cf(p, a, b, cap, &cf))
			return 0;
		*lower = front * cf / a;
		*upper = 1 - *lower;
	} else if (p < 0.01 && a == floor(a) && beta_upper_sum(p, q, a, b, front, cap, &cf)) {
		*upper = cf;
		*lower = 1 - *upper;
	} else {
		if (!beta_cf(q, b, a, cap, &cf))
			return 0;
		*upper = front * cf / b;
		*lower = 1 - *upper;
	}
	return isfinite(*lower) && isfinite(*upper);
}

/* Closed forms for a = 1 (I = 1 - q^b) and b = 1 (I = p^a). */
static int qbeta_closed(double t, int upper, double a, double b, double *out)
{
	if (a == 1) {
		*out = upper ? -expm1(log(t) / b) : -expm1(log1p(-t) / b);
		return 1;
	}
	if (b == 1) {
		*out = upper ? exp(log1p(-t) / a) : exp(log(t) / a);
		return 1;
	}
	return 0;
}

int sm_qbeta(double t, int upper, double a, double b, double *out)
{
	if (!(t > 0 && t < 1) || !(a > 0) || !(b > 0) || !isfinite(a) || !isfinite(b))
		return 0;
	if (qbeta_closed(t, upper, a, b, out))
		return 1;
	/* h(p) = tail(p) - t, increasing in p for the lower tail; the bracket
	 * [lo, hi] keeps h(lo) < 0 < h(hi) (in the increasing sense). */
	double lo = 0, hi = 1;
	double n = a + b, mean = a / n, sd = sqrt(a * b / (n * n * (n + 1)));
	double z = gsl_cdf_ugaussian_Qinv(t);
	double p = upper ? mean + z * sd : mean - z * sd;
	if (!(p > 0 && p < 1))
		p = mean;
	for (int it = 0; it < SM_QBETA_MAXIT; it++) {
		double lt, ut;
		if (!sm_beta_tails(p, a, b, &lt, &ut))
			return 0;
		double h = upper ? t - ut : lt - t; /* increasing in p */
		if (h == 0) {
			*out = p;
			return 1;
		}
		if (h < 0)
			lo = p;
		else
			hi = p;
		double q = 1 - p;
		double dens = exp(beta_log_front(p, q, a, b)) / (p * q);
		double np = dens > 0 && isfinite(dens) ? p - h / dens : NAN;
		if (!(np > lo && np < hi))
			np = lo > 0 && hi > 4 * lo ? sqrt(lo * hi) : lo + (hi - lo) / 2;
		if (fabs(np - p) <= 4 * DBL_EPSILON * p ||
		    hi - lo <= 4 * DBL_EPSILON * hi) {
			*out = np;
			return 1;
		}
		p = np;
	}
	return 0;
}
