#include "sm_fsn.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>

double sm_fsn_round(double n)
{
	if (!(n > 0))
		return isnan(n) ? NAN : 0.0;
	if (isinf(n))
		return n;
	double r = round(n);
	return fabs(n - r) <= sqrt(DBL_EPSILON) ? r : ceil(n);
}

static void rosenthal(struct sm_fsn *f, const double *yi, const double *vi, size_t k,
		      double alpha)
{
	double sz = 0;
	for (size_t i = 0; i < k; i++)
		sz += yi[i] / sqrt(vi[i]);
	double dk = (double)k;
	double z = fabs(sz / sqrt(dk));
	double crit = gsl_cdf_ugaussian_Qinv(alpha);
	f->type = "Rosenthal";
	f->alpha = alpha;
	f->pval = gsl_cdf_ugaussian_Q(z);
	f->fsnum = sm_fsn_round(dk * (z / crit) * (z / crit) - dk);
	f->meanes = NAN;
	f->target = NAN;
}

static void orwin(struct sm_fsn *f, double meanes, size_t k, double alpha)
{
	double target = meanes / 2;
	f->type = "Orwin";
	f->alpha = alpha;
	f->pval = NAN;
	f->meanes = meanes;
	f->target = target;
	/* metafor: a target of 0 or of the other sign can never be reached */
	if (target == 0 || (target > 0) != (meanes > 0))
		f->fsnum = INFINITY;
	else
		f->fsnum = sm_fsn_round((double)k * (meanes - target) / target);
}

static void rosenberg(struct sm_fsn *f, double sw, double swy, size_t k, double alpha)
{
	double est = swy / sw;
	double z = est / sqrt(1 / sw);
	double crit = gsl_cdf_ugaussian_Qinv(alpha / 2);
	double wp = (swy / crit) * (swy / crit) - sw;
	f->type = "Rosenberg";
	f->alpha = alpha;
	f->pval = 2 * gsl_cdf_ugaussian_Q(fabs(z));
	f->meanes = est;
	f->target = NAN;
	f->fsnum = sm_fsn_round((double)k * wp / sw);
}

sm_status sm_fsn_run(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		     double alpha, struct sm_fsn_all *out)
{
	if (k < 1)
		return SM_FAIL(ctx, SM_EINPUT, "fail-safe N needs at least 1 study; got k = 0");
	if (!(alpha > 0 && alpha < 1))
		return SM_FAIL(ctx, SM_EINPUT, "alpha = %g; expected 0 < alpha < 1", alpha);
	double sy = 0, sw = 0, swy = 0;
	for (size_t i = 0; i < k; i++) {
		if (!isfinite(yi[i]) || !isfinite(vi[i]) || vi[i] <= 0)
			return SM_FAIL(ctx, SM_EINPUT, "study %zu: yi = %g, vi = %g; expected "
				       "finite yi and vi > 0", i + 1, yi[i], vi[i]);
		sy += yi[i];
		sw += 1 / vi[i];
		swy += (1 / vi[i]) * yi[i];
	}
	rosenthal(&out->rosenthal, yi, vi, k, alpha);
	orwin(&out->orwin, sy / (double)k, k, alpha);
	orwin(&out->orwin_weighted, swy / sw, k, alpha);
	rosenberg(&out->rosenberg, sw, swy, k, alpha);
	return SM_OK;
}
