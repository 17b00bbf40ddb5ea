#include "sm_ranktest.h"

#include "sm_buf.h"
#include "sm_kendall.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

static sm_status check_input(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k)
{
	if (k < 2)
		return SM_FAIL(ctx, SM_EINPUT,
			       "rank correlation test needs at least 2 studies; got k = %zu", k);
	for (size_t i = 0; i < k; i++) {
		if (!isfinite(yi[i]))
			return SM_FAIL(ctx, SM_EINPUT, "study %zu: yi is not a finite number; "
				       "expected a finite effect size", i + 1);
		if (!isfinite(vi[i]) || vi[i] <= 0)
			return SM_FAIL(ctx, SM_EINPUT, "study %zu: vi = %g; expected a finite "
				       "sampling variance > 0", i + 1, vi[i]);
	}
	return SM_OK;
}

/* Fixed-effect estimate in metafor's order: vb = 1/sum(w), b = vb sum(w y). */
static void standardise(struct sm_ranktest *r, const double *yi, const double *vi, size_t k)
{
	double sw = 0, swy = 0;
	for (size_t i = 0; i < k; i++) {
		double w = 1 / vi[i];
		sw += w;
		swy += w * yi[i];
	}
	r->vb_fe = 1 / sw;
	r->b_fe = r->vb_fe * swy;
	for (size_t i = 0; i < k; i++)
		r->yi_star[i] = (yi[i] - r->b_fe) / sqrt(vi[i] - r->vb_fe);
}

static void set_method(struct sm_ranktest *r, enum sm_pval_method m)
{
	static const char *const names[] = {"exact", "normal", "normal (ties)"};
	r->pval_method = m;
	r->pval_method_name = names[m];
	r->statistic_name = m == SM_PVAL_EXACT ? "T" : "z";
}

static sm_status run_test(struct sm_ctx *ctx, struct sm_ranktest *r, const double *vi)
{
	struct sm_kendall kd;
	sm_status st = sm_kendall_tau_b(ctx, r->yi_star, vi, r->k, &kd);
	if (st != SM_OK)
		return st;
	r->tau = kd.tau_b;
	r->ties_yi_star = kd.n1 > 0;
	r->ties_vi = kd.n2 > 0;
	r->s = kd.s_cortest;
	r->var_s = kd.var_s;
	r->normal_z = r->s / sqrt(r->var_s);
	r->normal_pval = 2 * gsl_cdf_ugaussian_Q(fabs(r->normal_z));
	if (isnan(r->normal_z))
		r->normal_pval = NAN;
	int ties = r->ties_yi_star || r->ties_vi;
	if (ties)
		set_method(r, SM_PVAL_NORMAL_TIES);
	else if (r->k <= SM_KENDALL_EXACT_MAX_N)
		set_method(r, SM_PVAL_EXACT);
	else
		set_method(r, SM_PVAL_NORMAL);
	if (isnan(r->tau)) {
		/* cor.test: a non-finite estimate gives NA statistic and p. */
		r->normal_z = r->normal_pval = NAN;
		r->statistic = r->pval = NAN;
		return SM_OK;
	}
	if (r->pval_method != SM_PVAL_EXACT) {
		r->statistic = r->normal_z;
		r->pval = r->normal_pval;
		return SM_OK;
	}
	r->statistic = (double)kd.concordant;
	return sm_kendall_exact_pval(ctx, r->k, kd.concordant, &r->pval);
}

sm_status sm_ranktest_run(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			  struct sm_ranktest **out)
{
	*out = NULL;
	sm_status st = check_input(ctx, yi, vi, k);
	if (st != SM_OK)
		return st;
	struct sm_ranktest *r = calloc(1, sizeof *r);
	if (r)
		r->yi_star = sm_alloc_array(k, sizeof *r->yi_star);
	if (!r || !r->yi_star) {
		sm_ranktest_free(r);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory for the rank test (k = %zu)", k);
	}
	r->k = k;
	standardise(r, yi, vi, k);
	st = run_test(ctx, r, vi);
	if (st != SM_OK) {
		sm_ranktest_free(r);
		return st;
	}
	*out = r;
	return SM_OK;
}

void sm_ranktest_free(struct sm_ranktest *r)
{
	if (!r)
		return;
	free(r->yi_star);
	free(r);
}
