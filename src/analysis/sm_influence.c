#include "sm_influence.h"

#include "sm_buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A refit that fails (e.g. scoring does not converge on a subset) gives a
 * row of NaN, as metafor's try() in leave1out/cumul gives NA. */
static void row_nan(struct sm_loo_row *r, const struct sm_rma_opts *opts, size_t n)
{
	double nan = NAN;
	*r = (struct sm_loo_row){nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan};
	/* metafor still reports the knha df of the failed refit */
	if (opts->test == SM_TEST_KNHA && n > 1)
		r->df = (double)(n - 1);
}

/* Refit; on failure the error becomes a warning and *ok = 0. */
static sm_status refit(struct sm_ctx *ctx, const double *y, const double *v, size_t n,
		       const struct sm_rma_opts *opts, struct sm_rma_fit *f, int *ok,
		       const char *what, size_t i)
{
	*ok = 0;
	sm_status st = sm_rma_fit(ctx, y, v, n, opts, f);
	if (st == SM_EINPUT) {
		const struct sm_diag *d = sm_ctx_error(ctx);
		sm_ctx_warn(ctx, "%s %zu: %s; its results are missing", what, i + 1,
			    d && d->msg ? d->msg : "fit failed");
		sm_ctx_clear_error(ctx);
		return SM_OK;
	}
	*ok = st == SM_OK;
	return st;
}

static void row_from_fit(const struct sm_rma_fit *f, struct sm_loo_row *r)
{
	*r = (struct sm_loo_row){
		.estimate = f->b, .se = f->se, .stat = f->stat, .df = f->df,
		.pval = f->pval, .ci_lb = f->ci_lb, .ci_ub = f->ci_ub,
		.QE = f->QE, .QEp = f->QEp, .tau2 = f->tau2, .I2 = f->I2, .H2 = f->H2,
		.vt = f->vt,
	};
}

void sm_influence_release(struct sm_influence *inf)
{
	if (!inf)
		return;
	free(inf->rstudent);
	free(inf->inf);
	free(inf->loo);
	memset(inf, 0, sizeof *inf);
}

static sm_status alloc_influence(struct sm_ctx *ctx, size_t k, struct sm_influence *o)
{
	memset(o, 0, sizeof *o);
	double *a = sm_alloc_array(11 * k, sizeof *a);
	o->inf = sm_alloc_array(k, sizeof *o->inf);
	o->loo = sm_alloc_array(k, sizeof *o->loo);
	o->rstudent = a;
	if (!a || !o->inf || !o->loo) {
		sm_influence_release(o);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	double **cols[] = {&o->resid, &o->resid_se, &o->dffits, &o->cook_d, &o->cov_r,
			   &o->tau2_del, &o->QE_del, &o->hat, &o->weight, &o->dfbs};
	for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++)
		*cols[j] = a + (j + 1) * k;
	o->k = k;
	return SM_OK;
}

/* Diagnostics of study i from the full fit and the fit without it. */
static void diagnose(struct sm_influence *o, size_t i, const double *yi, const double *vi,
		     size_t k, const struct sm_rma_fit *full, const struct sm_rma_fit *del,
		     double sum_w_del)
{
	double wi = 1 / (vi[i] + full->tau2);
	double hat = wi / full->sum_w;
	double s2 = del->s2w, db = full->b - del->b;
	double vb = full->se * full->se;
	o->hat[i] = hat;
	o->weight[i] = 100 * hat;
	o->resid[i] = yi[i] - del->b;
	o->resid_se[i] = sqrt(vi[i] * s2 + del->se * del->se + del->tau2 * s2);
	o->rstudent[i] = o->resid[i] / o->resid_se[i];
	o->dffits[i] = db / sqrt(s2 * hat * (del->tau2 + vi[i]));
	o->dfbs[i] = db / sqrt(s2 / sum_w_del);
	o->cook_d[i] = db * db / vb;
	o->cov_r[i] = del->se * del->se / vb;
	o->tau2_del[i] = del->tau2;
	o->QE_del[i] = del->QE;
	o->inf[i] = fabs(o->dffits[i]) > 3 * sqrt(1.0 / (double)(k - 1)) ||
		    sm_pchisq(o->cook_d[i], 1) > 0.5 || hat > 3.0 / (double)k ||
		    fabs(o->dfbs[i]) > 1;
}

static void diagnose_nan(struct sm_influence *o, size_t i)
{
	double *cols[] = {o->rstudent, o->resid, o->resid_se, o->dffits, o->cook_d, o->cov_r,
			  o->tau2_del, o->QE_del, o->hat, o->weight, o->dfbs};
	for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++)
		cols[j][i] = NAN;
	o->inf[i] = 0;
}

sm_status sm_influence(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		       const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
		       struct sm_influence *out)
{
	if (k < 2)
		return SM_FAIL(ctx, SM_EINPUT, "influence diagnostics need k >= 2; got k = %zu",
			       k);
	sm_status st = alloc_influence(ctx, k, out);
	if (st)
		return st;
	double *y = sm_alloc_array(2 * k, sizeof *y);
	if (!y) {
		sm_influence_release(out);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	double *v = y + k;
	out->rstudent_crit = sm_qnorm_upper(0.05 / (2 * (double)k));
	for (size_t i = 0; i < k && !st; i++) {
		size_t n = 0;
		for (size_t j = 0; j < k; j++)
			if (j != i) {
				y[n] = yi[j];
				v[n++] = vi[j];
			}
		struct sm_rma_fit del;
		int ok;
		if ((st = refit(ctx, y, v, k - 1, opts, &del, &ok,
				"leave-one-out fit without study", i)))
			break;
		if (!ok) {
			row_nan(&out->loo[i], opts, k - 1);
			diagnose_nan(out, i);
			continue;
		}
		row_from_fit(&del, &out->loo[i]);
		struct sm_ksum sw = {0, 0};
		for (size_t j = 0; j < k; j++)
			sm_ksum_add(&sw, 1 / (vi[j] + del.tau2));
		diagnose(out, i, yi, vi, k, full, &del, sm_ksum_get(&sw));
	}
	free(y);
	if (st)
		sm_influence_release(out);
	return st;
}

sm_status sm_cumul(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		   const struct sm_rma_opts *opts, struct sm_loo_row *out)
{
	for (size_t i = 0; i < k; i++) {
		struct sm_rma_fit f;
		int ok;
		sm_status st = refit(ctx, yi, vi, i + 1, opts, &f, &ok, "cumulative fit", i);
		if (st)
			return st;
		if (ok)
			row_from_fit(&f, &out[i]);
		else
			row_nan(&out[i], opts, i + 1);
	}
	return SM_OK;
}
