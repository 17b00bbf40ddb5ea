#include "sm_proportion.h"

#include "sm_stats.h"

#include <math.h>

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
	 * when the bound is close to 1.  sm_qbeta, not GSL's quantile: that one
	 * loops forever from counts of about 10^5 on. */
	out->lower = 0;
	out->upper = 1;
	if ((x != 0 && !sm_qbeta(a, 0, x, n - x + 1, &out->lower)) ||
	    (x != n && !sm_qbeta(a, 1, x + 1, n - x, &out->upper)))
		return SM_FAIL(ctx, SM_EINPUT, "exact interval not computable for %g events of "
			       "%g; expected counts below about 10^13", x, n);
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
