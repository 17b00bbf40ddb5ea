#include "sm_mh.h"

#include "sm_buf.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

/* R's max(0, x) keeps NA; C's fmax would turn NaN into 0. */
static double max0(double x)
{
	return isnan(x) ? x : (x > 0 ? x : 0);
}

sm_status sm_mh_check_tables(struct sm_ctx *ctx, const double *ai, const double *n1i,
			     const double *ci, const double *n2i, size_t k)
{
	if (k < 1)
		return SM_FAIL(ctx, SM_EINPUT, "no 2x2 tables; expected k >= 1");
	for (size_t i = 0; i < k; i++) {
		double a = ai[i], n1 = n1i[i], c = ci[i], n2 = n2i[i];
		if (!isfinite(a) || !isfinite(n1) || !isfinite(c) || !isfinite(n2))
			return SM_FAIL(ctx, SM_EINPUT, "table %zu: a count is not a finite "
				       "number; expected ai, n1i, ci, n2i finite", i + 1);
		if (a < 0 || c < 0 || a > n1 || c > n2)
			return SM_FAIL(ctx, SM_EINPUT, "table %zu: ai = %g of n1i = %g, ci = %g "
				       "of n2i = %g; expected 0 <= ai <= n1i and 0 <= ci <= n2i",
				       i + 1, a, n1, c, n2);
		if (!(n1 + n2 > 0))
			return SM_FAIL(ctx, SM_EINPUT, "table %zu: no patients; expected "
				       "n1i + n2i > 0", i + 1);
	}
	return SM_OK;
}

int sm_mh_escalc00(enum sm_mh_measure measure, double ai, double n1i, double ci, double n2i,
		   double *yi, double *vi)
{
	double a = ai, b = n1i - ai, c = ci, d = n2i - ci;
	*yi = *vi = NAN;
	if ((a == 0 && c == 0) || (b == 0 && d == 0))
		return 0;
	if (a == 0 || b == 0 || c == 0 || d == 0) {
		a += 0.5;
		b += 0.5;
		c += 0.5;
		d += 0.5;
	}
	double n1 = a + b, n2 = c + d, ni = n1 + n2;
	double p1 = a / n1, p2 = c / n2;
	double y, v;
	switch (measure) {
	case SM_MH_OR:
		y = log(p1 / (1 - p1)) - log(p2 / (1 - p2));
		v = 1 / a + 1 / b + 1 / c + 1 / d;
		break;
	case SM_MH_RR:
		y = log(p1) - log(p2);
		v = 1 / a - 1 / n1 + 1 / c - 1 / n2;
		break;
	case SM_MH_RD:
		y = p1 - p2;
		v = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
		break;
	default: {
		double xt = a + c, yt = b + d;
		double ei = xt * n1 / ni;
		double var = xt * yt * (n1 / ni) * (n2 / ni) / (ni - 1);
		y = (a - ei) / var;
		v = 1 / var;
	}
	}
	if (!isfinite(y) || !isfinite(v))
		return 0;
	*yi = y;
	*vi = v;
	return 1;
}

struct tables {
	const double *ai, *n1i, *ci, *n2i;
	size_t k;
};

static void set_na(struct sm_mh_result *r, const char *why)
{
	r->b = r->se = r->zval = r->pval = r->ci_lb = r->ci_ub = r->b_exp = NAN;
	r->note = why;
}

/* Robins-Breslow-Greenland estimate and variance, metafor's order. */
static void fit_or(struct sm_mh_result *r, const struct tables *t)
{
	double R = 0, S = 0, pr = 0, psqr = 0, qs = 0;
	for (size_t i = 0; i < t->k; i++) {
		double a = t->ai[i], b = t->n1i[i] - a, c = t->ci[i], d = t->n2i[i] - c;
		double N = a + b + c + d;
		double P = a / N + d / N, Q = b / N + c / N;
		double Ri = (a / N) * d, Si = (b / N) * c;
		R += Ri;
		S += Si;
		pr += P * Ri;
		psqr += P * Si + Q * Ri;
		qs += Q * Si;
	}
	if (R == 0 || S == 0) {
		set_na(r, "odds ratio does not exist: R = sum(ai di/Ni) or S = sum(bi ci/Ni) is 0");
		return;
	}
	r->b_exp = R / S;
	r->b = log(r->b_exp);
	r->se = sqrt(0.5 * (pr / (R * R) + psqr / (R * S) + qs / (S * S)));
}

static void fit_rr(struct sm_mh_result *r, const struct tables *t)
{
	double R = 0, S = 0, sa = 0, sc = 0, num = 0;
	for (size_t i = 0; i < t->k; i++) {
		double a = t->ai[i], n1 = t->n1i[i], c = t->ci[i], n2 = t->n2i[i];
		double N = n1 + n2;
		R += a * (n2 / N);
		S += c * (n1 / N);
		sa += a;
		sc += c;
		num += (n1 / N) * (n2 / N) * (a + c) - (a / N) * c;
	}
	if (sa == 0 || sc == 0) {
		set_na(r, "risk ratio does not exist: no events in one arm of every table");
		return;
	}
	r->b_exp = R / S;
	r->b = log(r->b_exp);
	r->se = sqrt(num / (R * S));
}

/* Sato, Greenland & Robins (1989) variance. */
static void fit_rd(struct sm_mh_result *r, const struct tables *t)
{
	double num = 0, den = 0, s1 = 0, s2 = 0;
	for (size_t i = 0; i < t->k; i++) {
		double a = t->ai[i], n1 = t->n1i[i], c = t->ci[i], n2 = t->n2i[i];
		double N = n1 + n2, f1 = n1 / N, f2 = n2 / N;
		num += a * f2 - c * f1;
		den += n1 * f2;
		s1 += c * f1 * f1 - a * f2 * f2 + f1 * f2 * (n2 - n1) / 2;
		s2 += a * (n2 - c) / N + c * (n1 - a) / N;
	}
	if (!(den > 0)) {
		set_na(r, "risk difference does not exist: no table has patients in both arms");
		return;
	}
	r->b = num / den;
	r->se = sqrt((r->b * s1 + s2 / 2) / (den * den));
	r->b_exp = NAN;
}

/* Cochran and Cochran-Mantel-Haenszel tests (continuity-corrected). */
static void cmh_tests(struct sm_mh_result *r, const struct tables *t)
{
	double sx = 0, sy = 0, dev = 0, vco = 0, vmh = 0;
	for (size_t i = 0; i < t->k; i++) {
		double a = t->ai[i], n1 = t->n1i[i], c = t->ci[i], n2 = t->n2i[i];
		double N = n1 + n2, xt = a + c, yt = (n1 - a) + (n2 - c);
		sx += xt;
		sy += yt;
		dev += a - (n1 / N) * xt;
		vco += (n1 / N) * (n2 / N) * (xt * (yt / N));
		vmh += (n1 / N) * (n2 / N) * (xt * (yt / (N - 1)));
	}
	if (sx == 0 || sy == 0) {
		r->CO = r->COp = r->CMH = r->CMHp = NAN;
		return;
	}
	double num = (fabs(dev) - 0.5) * (fabs(dev) - 0.5);
	r->CO = num / vco;
	r->COp = gsl_cdf_chisq_Q(r->CO, 1);
	r->CMH = num / vmh;
	r->CMHp = gsl_cdf_chisq_Q(r->CMH, 1);
}

/* Fitted cell 1,1 under a common odds ratio psi (Breslow-Day). */
static double fitted_n11(double psi, double n1, double n2, double xt, double N)
{
	if (psi == 1)
		return (n1 / N) * xt;
	double A = psi * (n1 + xt) + (n2 - xt);
	double B = sqrt(A * A - 4 * n1 * xt * psi * (psi - 1));
	return (A - B) / (2 * (psi - 1));
}

static void breslow_day(struct sm_mh_result *r, const struct tables *t)
{
	r->k_pos = 0;
	r->BD = r->BDp = r->TA = r->TAp = NAN;
	if (isnan(r->b))
		return;
	double psi = r->b_exp, bd = 0, dev = 0, sv = 0;
	for (size_t i = 0; i < t->k; i++) {
		double a = t->ai[i], n1 = t->n1i[i], c = t->ci[i], n2 = t->n2i[i];
		double N = n1 + n2, xt = a + c, yt = (n1 - a) + (n2 - c);
		double n11 = fitted_n11(psi, n1, n2, xt, N);
		if (!(n11 > 0 && xt > 0 && yt > 0))
			continue;
		double n12 = n1 - n11, n21 = xt - n11, n22 = n11 - n1 - xt + N;
		double v = 1 / (1 / n11 + 1 / n12 + 1 / n21 + 1 / n22);
		bd += (a - n11) * (a - n11) / v;
		dev += a - n11;
		sv += v;
		r->k_pos++;
	}
	r->BD = max0(bd);
	r->TA = max0(r->BD - dev * dev / sv);
	if (r->k_pos > 1) {
		r->BDp = gsl_cdf_chisq_Q(r->BD, (double)(r->k_pos - 1));
		r->TAp = gsl_cdf_chisq_Q(r->TA, (double)(r->k_pos - 1));
	}
}

static void heterogeneity(struct sm_mh_result *r)
{
	r->QEdf = (double)r->k_yi - 1;
	if (r->k_yi <= 1) {
		r->QE = 0;
		r->QEp = 1;
		r->I2 = 0;
		r->H2 = 1;
		return;
	}
	double q = 0;
	for (size_t i = 0; i < r->k; i++) {
		if (isnan(r->yi[i]))
			continue;
		double e = r->yi[i] - r->b;
		q += (1 / r->vi[i]) * (e * e);
	}
	r->QE = max0(q);
	r->QEp = isnan(r->QE) ? NAN : gsl_cdf_chisq_Q(r->QE, r->QEdf);
	r->I2 = max0(100 * (r->QE - r->QEdf) / r->QE);
	r->H2 = r->QE / r->QEdf;
}

static void z_test(struct sm_mh_result *r, double level)
{
	if (isnan(r->b))
		return;
	double crit = gsl_cdf_ugaussian_Qinv((1 - level / 100) / 2);
	r->zval = r->b / r->se;
	r->pval = 2 * gsl_cdf_ugaussian_Q(fabs(r->zval));
	if (isnan(r->zval))
		r->pval = NAN;
	r->ci_lb = r->b - crit * r->se;
	r->ci_ub = r->b + crit * r->se;
}

static struct sm_mh_result *result_new(size_t k)
{
	struct sm_mh_result *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->yi = sm_alloc_array(k, sizeof *r->yi);
	r->vi = sm_alloc_array(k, sizeof *r->vi);
	if (!r->yi || !r->vi) {
		sm_mh_result_free(r);
		return NULL;
	}
	r->CMH = r->CMHp = r->CO = r->COp = NAN;
	r->BD = r->BDp = r->TA = r->TAp = NAN;
	r->k_pos = -1;
	r->k = k;
	return r;
}

sm_status sm_mh_run(struct sm_ctx *ctx, enum sm_mh_measure measure, const double *ai,
		    const double *n1i, const double *ci, const double *n2i, size_t k,
		    double level, struct sm_mh_result **out)
{
	*out = NULL;
	if (measure != SM_MH_OR && measure != SM_MH_RR && measure != SM_MH_RD)
		return SM_FAIL(ctx, SM_EINPUT, "mantel-haenszel measure %d; expected OR, RR "
			       "or RD", (int)measure);
	if (!(level > 0 && level < 100))
		return SM_FAIL(ctx, SM_EINPUT, "level = %g; expected a percentage "
			       "between 0 and 100", level);
	sm_status st = sm_mh_check_tables(ctx, ai, n1i, ci, n2i, k);
	if (st != SM_OK)
		return st;
	struct sm_mh_result *r = result_new(k);
	if (!r)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory for mantel-haenszel (k = %zu)", k);
	r->measure = measure;
	for (size_t i = 0; i < k; i++)
		r->k_yi += (size_t)sm_mh_escalc00(measure, ai[i], n1i[i], ci[i], n2i[i],
						   &r->yi[i], &r->vi[i]);
	struct tables t = {ai, n1i, ci, n2i, k};
	if (measure == SM_MH_OR) {
		fit_or(r, &t);
		cmh_tests(r, &t);
		breslow_day(r, &t);
	} else if (measure == SM_MH_RR) {
		fit_rr(r, &t);
	} else {
		fit_rd(r, &t);
	}
	z_test(r, level);
	heterogeneity(r);
	*out = r;
	return SM_OK;
}

void sm_mh_result_free(struct sm_mh_result *r)
{
	if (!r)
		return;
	free(r->yi);
	free(r->vi);
	free(r);
}
