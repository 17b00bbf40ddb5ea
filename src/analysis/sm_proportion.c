#include "sm_proportion.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

double sm_transf_ilogit(double x)
{
	return 1 / (1 + exp(-x));
}

double sm_transf_iarcsin(double x)
{
	if (isnan(x))
		return x;
	if (x < 0)
		return 0;
	if (x > asin(1.0))
		return 1;
	double s = sin(x);
	return s * s;
}

double sm_transf_pft(double p, double n)
{
	double x = p * n;
	return 0.5 * (asin(sqrt(x / (n + 1))) + asin(sqrt((x + 1) / (n + 1))));
}

static double sign(double x)
{
	return x > 0 ? 1 : (x < 0 ? -1 : 0);
}

double sm_transf_ipft(double x, double n)
{
	if (isnan(x) || isnan(n))
		return NAN;
	/* metafor clamps outside the range of the forward transform, which also
	 * covers x = 0 where the formula divides by sin(0). */
	if (x > sm_transf_pft(1, n))
		return 1;
	if (x < sm_transf_pft(0, n))
		return 0;
	double s = sin(2 * x);
	double t = s + (s - 1 / s) / n;
	double z = 0.5 * (1 - sign(cos(2 * x)) * sqrt(1 - t * t));
	return z;
}

double sm_harmonic_mean(const double *ni, size_t k)
{
	double s = 0;
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (isnan(ni[i]))
			continue;
		s += 1 / ni[i];
		m++;
	}
	return m ? 1 / (s / (double)m) : NAN;
}

enum sm_transf sm_measure_transf(enum sm_measure m)
{
	switch (m) {
	case SM_OR: case SM_RR: case SM_PETO: return SM_TRANSF_EXP;
	case SM_PLO: return SM_TRANSF_ILOGIT;
	case SM_PAS: return SM_TRANSF_IARCSIN;
	case SM_PFT: return SM_TRANSF_IPFT_HM;
	case SM_RD: case SM_PR: case SM_GEN: break;
	}
	return SM_TRANSF_NONE;
}

double sm_transf_apply(enum sm_transf t, double x, double nhm)
{
	switch (t) {
	case SM_TRANSF_EXP: return exp(x);
	case SM_TRANSF_ILOGIT: return sm_transf_ilogit(x);
	case SM_TRANSF_IARCSIN: return sm_transf_iarcsin(x);
	case SM_TRANSF_IPFT_HM: return sm_transf_ipft(x, nhm);
	case SM_TRANSF_NONE: break;
	}
	return x;
}

static sm_status check_level(struct sm_ctx *ctx, double level)
{
	if (!(level > 0 && level < 100))
		return SM_FAIL(ctx, SM_EINPUT, "level = %g; expected a percentage "
			       "between 0 and 100", level);
	return SM_OK;
}

sm_status sm_prop_clopper_pearson(struct sm_ctx *ctx, double x, double n, double level,
				  struct sm_prop_ci *out)
{
	sm_status st = check_level(ctx, level);
	if (st != SM_OK)
		return st;
	if (!isfinite(x) || !isfinite(n) || !(n > 0) || x < 0 || x > n)
		return SM_FAIL(ctx, SM_EINPUT, "%g events of %g; expected 0 <= events <= n "
			       "and n > 0", x, n);
	double a = (1 - level / 100) / 2;
	out->est = x / n;
	/* Upper bound from the upper-tail inverse: keeps full relative precision
	 * when the bound is close to 1. */
	out->lower = x == 0 ? 0 : gsl_cdf_beta_Pinv(a, x, n - x + 1);
	out->upper = x == n ? 1 : gsl_cdf_beta_Qinv(a, x + 1, n - x);
	if (!isfinite(out->lower) || !isfinite(out->upper))
		return SM_FAIL(ctx, SM_EINTERNAL, "beta quantile failed for %g events of %g", x,
			       n);
	return SM_OK;
}

sm_status sm_prop_zero_events(struct sm_ctx *ctx, const double *xi, const double *ni,
			      size_t k, double level, struct sm_zero_events *out)
{
	sm_status st = check_level(ctx, level);
	if (st != SM_OK)
		return st;
	out->applies = 0;
	out->k = k;
	out->level = level;
	out->n_total = out->upper_exact = out->upper_rule_of_three = NAN;
	double n = 0;
	for (size_t i = 0; i < k; i++) {
		if (!isfinite(xi[i]) || !isfinite(ni[i]) || xi[i] < 0 || !(ni[i] > 0) ||
		    xi[i] > ni[i])
			return SM_FAIL(ctx, SM_EINPUT, "study %zu: %g events of %g; expected "
				       "0 <= events <= n and n > 0", i + 1, xi[i], ni[i]);
		if (xi[i] != 0)
			return SM_OK;
		n += ni[i];
	}
	if (k == 0)
		return SM_OK;
	out->applies = 1;
	out->n_total = n;
	/* P(0 events | p) = (1-p)^n = alpha solved for p; expm1/log keep the
	 * digits for large n where the bound is tiny. */
	out->upper_exact = -expm1(log(1 - level / 100) / n);
	out->upper_rule_of_three = 3 / n;
	return SM_OK;
}
