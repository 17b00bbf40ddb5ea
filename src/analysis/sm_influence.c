#include "sm_influence.h"

#include "sm_buf.h"
#include "sm_isub.h"

#include <float.h>
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
		sm_ctx_warn(ctx, "%s %zu: %s; its results are null", what, i + 1,
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

/* SM_INF_SUMMARY keeps rstudent, cook_d and inf only: at k = 10^6 the
 * other nine columns and the rows are 170 MB of memory written once and
 * never read when no per-study row is written. */
static sm_status alloc_influence(struct sm_ctx *ctx, size_t k, enum sm_inf_keep keep,
				 struct sm_influence *o)
{
	memset(o, 0, sizeof *o);
	int all = keep == SM_INF_ALL;
	double *a = sm_alloc_array((all ? 11 : 2) * k, sizeof *a);
	o->inf = sm_alloc_array(k, sizeof *o->inf);
	o->loo = all ? sm_alloc_array(k, sizeof *o->loo) : NULL;
	o->rstudent = a;
	if (!a || !o->inf || (all && !o->loo)) {
		sm_influence_release(o);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	o->cook_d = a + k;
	double **cols[] = {&o->resid, &o->resid_se, &o->dffits, &o->cov_r, &o->tau2_del,
			   &o->QE_del, &o->hat, &o->weight, &o->dfbs};
	for (size_t j = 0; all && j < sizeof cols / sizeof cols[0]; j++)
		*cols[j] = a + (j + 2) * k;
	o->k = k;
	return SM_OK;
}

/* A column the caller did not keep is NULL. */
static void put(double *col, size_t i, double x)
{
	if (col)
		col[i] = x;
}

/* metafor's pchisq(cook.d, 1) > 0.5: a comparison with the median of
 * chi-square(1), 0.4549364..., away from it (k calls to the distribution
 * function were a tenth of the deletion time); the distribution function
 * decides within 1e-9 of it. */
#define CHISQ1_MEDIAN 0.45493642311957283

static int cook_large(double d)
{
	if (d > CHISQ1_MEDIAN * (1 + 1e-9))
		return 1;
	if (d < CHISQ1_MEDIAN * (1 - 1e-9))
		return 0;
	return sm_pchisq(d, 1) > 0.5;
}

/* One criterion of metafor's flag as R's logical: 1, 0, or -1 for NA. */
static int criterion(double x, int above)
{
	return isnan(x) ? SM_FLAG_NA : above;
}

/* metafor's is.infl: the criteria or'ed with R's NA rule (NA | TRUE is
 * TRUE, NA | FALSE is NA), so a flag never rests on a statistic that was
 * not computed. */
static int influential(double dffits, double cook_d, double hat, double dfbs, size_t k)
{
	int c[4] = {
		criterion(dffits, fabs(dffits) > 3 * sqrt(1.0 / (double)(k - 1))),
		criterion(cook_d, !isnan(cook_d) && cook_large(cook_d)),
		criterion(hat, hat > 3.0 / (double)k),
		criterion(dfbs, fabs(dfbs) > 1),
	};
	int na = 0;
	for (int j = 0; j < 4; j++) {
		if (c[j] == 1)
			return 1;
		na |= c[j] == SM_FLAG_NA;
	}
	return na ? SM_FLAG_NA : 0;
}

/* hat and weight come from the full fit, whatever the deletion gives. */
static double diagnose_full(struct sm_influence *o, size_t i, const double *vi,
			    const struct sm_rma_fit *full)
{
	double hat = 1 / (vi[i] + full->tau2) / full->sum_w;
	put(o->hat, i, hat);
	put(o->weight, i, 100 * hat);
	return hat;
}

/* Diagnostics of study i from the full fit and the fit without it. */
static void diagnose(struct sm_influence *o, size_t i, const double *yi, const double *vi,
		     size_t k, const struct sm_rma_fit *full, const struct sm_rma_fit *del,
		     double sum_w_del)
{
	double hat = diagnose_full(o, i, vi, full);
	double s2 = del->s2w, db = full->b - del->b;
	double vb = full->se * full->se;
	double resid = yi[i] - del->b;
	/* metafor takes a residual below 100 eps as exactly 0 */
	resid = fabs(resid) < 100 * DBL_EPSILON ? 0 : resid;
	double resid_se = sqrt(vi[i] * s2 + del->se * del->se + del->tau2 * s2);
	double dffits = db / sqrt(s2 * hat * (del->tau2 + vi[i]));
	double dfbs = db / sqrt(s2 / sum_w_del);
	double cook_d = db * db / vb;
	put(o->resid, i, resid);
	put(o->resid_se, i, resid_se);
	o->rstudent[i] = resid / resid_se;
	put(o->dffits, i, dffits);
	put(o->dfbs, i, dfbs);
	o->cook_d[i] = cook_d;
	put(o->cov_r, i, del->se * del->se / vb);
	put(o->tau2_del, i, del->tau2);
	put(o->QE_del, i, del->QE);
	o->inf[i] = influential(dffits, cook_d, hat, dfbs, k);
}

/* A failed deletion refit: its statistics are NA, hat and weight remain. */
static void diagnose_nan(struct sm_influence *o, size_t i, const double *vi, size_t k,
			 const struct sm_rma_fit *full)
{
	double *cols[] = {o->rstudent, o->resid, o->resid_se, o->dffits, o->cook_d, o->cov_r,
			  o->tau2_del, o->QE_del, o->dfbs};
	for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++)
		put(cols[j], i, NAN);
	double hat = diagnose_full(o, i, vi, full);
	o->inf[i] = influential(NAN, NAN, hat, NAN, k);
}

/* metafor's influence() refuses a fit whose vb is 0 (chol fails). */
static void mark_undefined(struct sm_influence *o)
{
	double *cols[] = {o->rstudent, o->resid, o->resid_se, o->dffits, o->cook_d, o->cov_r,
			  o->tau2_del, o->QE_del, o->hat, o->weight, o->dfbs};
	for (size_t i = 0; i < o->k; i++) {
		for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++)
			put(cols[j], i, NAN);
		o->inf[i] = SM_FLAG_NA;
	}
	o->undefined = 1;
}

/* Exact refit of deletion i; a failed refit gives NaN rows. */
static sm_status loo_exact(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			   const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
			   size_t i, double *y, double *v, struct sm_influence *out)
{
	size_t n = 0;
	for (size_t j = 0; j < k; j++)
		if (j != i) {
			y[n] = yi[j];
			v[n++] = vi[j];
		}
	struct sm_rma_fit del;
	int ok;
	sm_status st = refit(ctx, y, v, k - 1, opts, &del, &ok,
			     "leave-one-out fit without study", i);
	if (st)
		return st;
	if (!ok) {
		if (out->loo)
			row_nan(&out->loo[i], opts, k - 1);
		diagnose_nan(out, i, vi, k, full);
		return SM_OK;
	}
	if (out->loo)
		row_from_fit(&del, &out->loo[i]);
	struct sm_ksum sw = {0, 0};
	for (size_t j = 0; j < k; j++)
		sm_ksum_add(&sw, 1 / (vi[j] + del.tau2));
	diagnose(out, i, yi, vi, k, full, &del, sm_ksum_get(&sw));
	return SM_OK;
}

/* ---- fast deletion path --------------------------------------------------- */

#define LOO_FAST_MIN_K 16
#define LOO_MAX_STRAYS 32
/* radius ratio of centres added while an iterative estimator looks */
#define LOO_RHO_LAZY 0.125

/* Centres for the targets t[i] of the deletions still marked 2 in todo: one
 * at c0 sized to cover them all if it can, more while over LOO_MAX_STRAYS
 * stay uncovered (those few are refitted exactly). */
static sm_status bank_build(struct sm_ctx *ctx, struct sm_pbank *b, const double *t,
			    const unsigned char *todo, double c0, double vmin)
{
	double need = 0;
	for (size_t i = 0; i < b->k; i++)
		if (todo[i] == 2)
			need = fmax(need, fabs(t[i] - c0) / (vmin + c0));
	sm_status st = sm_pbank_add(ctx, b, c0, fmin(0.5, fmax(need * (1 + 1e-9), 1e-12)));
	while (!st && b->n < SM_PBANK_MAX) {
		size_t stray = 0, first = 0;
		for (size_t i = 0; i < b->k; i++)
			if (todo[i] == 2 && !sm_pbank_find(b, t[i]) && stray++ == 0)
				first = i;
		if (stray <= LOO_MAX_STRAYS)
			break;
		st = sm_pbank_add(ctx, b, t[first], 0.5);
	}
	return st;
}

/* ML and REML compare log-likelihoods, which need sums of logs. */
static int needs_logs(enum sm_method m)
{
	return m == SM_ML || m == SM_REML;
}

static int finite_positive(const double *yi, const double *vi, size_t k, double *vmin)
{
	*vmin = INFINITY;
	for (size_t i = 0; i < k; i++) {
		if (!isfinite(yi[i]) || !(vi[i] > 0) || !isfinite(vi[i]))
			return 0;
		*vmin = fmin(*vmin, vi[i]);
	}
	return 1;
}

/* tau2(-i) of every deletion the sums serve (todo 2), the rest stay 1.
 * Closed forms come from exact sums; SJ's start and the iterative methods
 * look up series sums, from centres placed where they are needed. */
static sm_status loo_tau2(struct sm_ctx *ctx, struct sm_idelete *d,
			  const struct sm_rma_opts *opts, double tau2, double vmin, double *t,
			  unsigned char *todo, double *qmax)
{
	size_t k = d->k;
	int iterative = sm_method_is_iterative(opts->method);
	d->bank.rho_new = iterative ? LOO_RHO_LAZY : 0;
	struct sm_isubset s;
	sm_status st = SM_OK;
	if (opts->method == SM_SJ) {
		/* the start values SS(-i) / (k - 1) need a centre of their own */
		for (size_t i = 0; i < k; i++) {
			todo[i] = sm_idelete_subset(d, i, &s) ? 2 : 1;
			t[i] = s.SS / s.n;
		}
		st = bank_build(ctx, &d->bank, t, todo, d->SS / (double)k, vmin);
	}
	*qmax = 0;
	for (size_t i = 0; i < k && !st; i++) {
		todo[i] = sm_idelete_subset(d, i, &s) && sm_ifit_tau2(&s, opts, tau2, &t[i]) ? 2
											     : 1;
		if (todo[i] == 2)
			*qmax = fmax(*qmax, s.QE);
	}
	return st;
}

/* Rows of every deletion the fast path can do; todo[i] = 0 for those, the
 * rest stay 1 (exact refit). */
static sm_status loo_fast(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			  const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
			  struct sm_influence *out, unsigned char *todo)
{
	double vmin;
	if (k < LOO_FAST_MIN_K || !(full->tau2 >= 0) || !finite_positive(yi, vi, k, &vmin))
		return SM_OK;
	double *t = sm_alloc_array(k, sizeof *t);
	struct sm_idelete d;
	sm_status st = t ? sm_idelete_init(ctx, &d, yi, vi, k, needs_logs(opts->method), 0)
			 : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st) {
		free(t);
		return st;
	}
	double n = (double)(k - 1), qmax = 0;
	memset(todo, 0xff, k);
	st = loo_tau2(ctx, &d, opts, full->tau2, vmin, t, todo, &qmax);
	/* the rows' sums at tau2(-i): for the closed forms one centre sized to
	 * them (new centres for the few far ones), for the others what the
	 * estimator placed already */
	if (!st && !sm_method_is_iterative(opts->method)) {
		sm_pbank_release(&d.bank);
		st = bank_build(ctx, &d.bank, t, todo, full->tau2, vmin);
	}
	struct sm_isubset s;
	struct sm_chisq_near qe;
	struct sm_ifit_const c;
	sm_chisq_near_init(&qe, qmax, n - 1);
	sm_ifit_const_init(&c, opts, n, &qe);
	for (size_t i = 0; i < k && !st; i++) {
		struct sm_rma_fit del;
		if (todo[i] != 2 || !sm_idelete_subset(&d, i, &s) ||
		    !sm_ifit_fit(&s, &c, t[i], &del)) {
			todo[i] = 1;
			st = sm_pbank_status(ctx, &d.bank);
			continue;
		}
		if (out->loo)
			row_from_fit(&del, &out->loo[i]);
		diagnose(out, i, yi, vi, k, full, &del, del.sum_w + 1 / (vi[i] + t[i]));
		todo[i] = 0;
	}
	if (!st)
		st = sm_pbank_status(ctx, &d.bank);
	sm_idelete_release(&d);
	free(t);
	return st;
}

sm_status sm_influence_path(struct sm_ctx *ctx, const double *yi, const double *vi,
			    size_t k, const struct sm_rma_opts *opts,
			    const struct sm_rma_fit *full, enum sm_loo_path path,
			    struct sm_influence *out)
{
	return sm_influence_keep(ctx, yi, vi, k, opts, full, path, SM_INF_ALL, out);
}

sm_status sm_influence_keep(struct sm_ctx *ctx, const double *yi, const double *vi,
			    size_t k, const struct sm_rma_opts *opts,
			    const struct sm_rma_fit *full, enum sm_loo_path path,
			    enum sm_inf_keep keep, struct sm_influence *out)
{
	if (k < 2)
		return SM_FAIL(ctx, SM_EINPUT, "influence diagnostics need k >= 2; got k = %zu",
			       k);
	sm_status st = alloc_influence(ctx, k, keep, out);
	if (st)
		return st;
	double *y = sm_alloc_array(2 * k, sizeof *y);
	unsigned char *todo = sm_alloc_array(k, 1);
	if (!y || !todo) {
		free(y);
		free(todo);
		sm_influence_release(out);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	double *v = y + k;
	out->rstudent_crit = sm_qnorm_upper(0.05 / (2 * (double)k));
	memset(todo, 1, k);
	if (path == SM_LOO_AUTO)
		st = loo_fast(ctx, yi, vi, k, opts, full, out, todo);
	for (size_t i = 0; i < k && !st; i++) {
		if (todo[i]) {
			st = loo_exact(ctx, yi, vi, k, opts, full, i, y, v, out);
			out->refits++;
		}
	}
	if (!st && !(full->se > 0 && isfinite(full->se)))
		mark_undefined(out);
	free(y);
	free(todo);
	if (st)
		sm_influence_release(out);
	return st;
}

sm_status sm_influence_refit(struct sm_ctx *ctx, const double *yi, const double *vi,
			     size_t k, const struct sm_rma_opts *opts,
			     const struct sm_rma_fit *full, size_t i, struct sm_influence *out)
{
	if (i >= k || out->k != k)
		return SM_FAIL(ctx, SM_EINTERNAL, "deletion %zu of %zu studies; expected a "
			       "study of the influence result", i + 1, k);
	double *y = sm_alloc_array(2 * k, sizeof *y);
	if (!y)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status st = loo_exact(ctx, yi, vi, k, opts, full, i, y, y + k, out);
	free(y);
	return st;
}

sm_status sm_influence(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		       const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
		       struct sm_influence *out)
{
	return sm_influence_path(ctx, yi, vi, k, opts, full, SM_LOO_AUTO, out);
}

/* Block of the cumulative prefix series: the O(B) tail of a prefix against
 * the O(k / B) memory of the boundaries (at most 2^16 of them). */
static size_t prefix_block(size_t k)
{
	size_t b = k >> 16;
	return b < 16 ? 16 : b;
}

/* The cumulative fit of the first n studies from prefix sums; 0 when the
 * caller must refit. */
static int cumul_fast(struct sm_iprefix *p, size_t n, const struct sm_rma_opts *opts,
		      double *hint, struct sm_rma_fit *f)
{
	struct sm_isubset s;
	struct sm_ifit_const c;
	double t;
	if (!sm_iprefix_subset(p, n, &s) || !sm_ifit_tau2(&s, opts, *hint, &t))
		return 0;
	sm_ifit_const_init(&c, opts, (double)n, NULL);
	if (!sm_ifit_fit(&s, &c, t, f))
		return 0;
	*hint = t;
	return 1;
}

sm_status sm_cumul(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		   const struct sm_rma_opts *opts, struct sm_loo_row *out)
{
	return sm_cumul_path(ctx, yi, vi, k, opts, SM_LOO_AUTO, out, NULL);
}

sm_status sm_cumul_path(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			const struct sm_rma_opts *opts, enum sm_loo_path path,
			struct sm_loo_row *out, size_t *refits)
{
	struct sm_iprefix p;
	double vmin, hint = 0;
	size_t exact = 0;
	int fast = path == SM_LOO_AUTO && k > LOO_FAST_MIN_K &&
		   finite_positive(yi, vi, k, &vmin);
	if (fast) {
		sm_status st = sm_iprefix_init(ctx, &p, yi, vi, k, prefix_block(k),
					       needs_logs(opts->method), LOO_RHO_LAZY);
		if (st)
			return st;
	}
	sm_status st = SM_OK;
	for (size_t i = 0; i < k && !st; i++) {
		struct sm_rma_fit f;
		int ok;
		if (fast && i + 1 >= LOO_FAST_MIN_K && cumul_fast(&p, i + 1, opts, &hint, &f)) {
			row_from_fit(&f, &out[i]);
			continue;
		}
		if (fast && (st = sm_pbank_status(ctx, &p.bank)) != SM_OK)
			break;
		exact++;
		st = refit(ctx, yi, vi, i + 1, opts, &f, &ok, "cumulative fit", i);
		if (st)
			break;
		if (ok) {
			row_from_fit(&f, &out[i]);
			hint = f.tau2;
		} else {
			row_nan(&out[i], opts, i + 1);
		}
	}
	if (fast)
		sm_iprefix_release(&p);
	if (refits)
		*refits = exact;
	return st;
}

void sm_baujat(double yi, double vi, const struct sm_rma_fit *full,
	       const struct sm_loo_row *loo, double *x, double *y)
{
	double r = yi - full->b, shift = loo->estimate - full->b;
	*x = r * r / (vi + full->tau2);
	*y = shift * shift / (loo->se * loo->se);
}
