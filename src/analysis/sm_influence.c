#include "sm_influence.h"

#include "sm_buf.h"

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
		row_nan(&out->loo[i], opts, k - 1);
		diagnose_nan(out, i);
		return SM_OK;
	}
	row_from_fit(&del, &out->loo[i]);
	struct sm_ksum sw = {0, 0};
	for (size_t j = 0; j < k; j++)
		sm_ksum_add(&sw, 1 / (vi[j] + del.tau2));
	diagnose(out, i, yi, vi, k, full, &del, sm_ksum_get(&sw));
	return SM_OK;
}

/* ---- fast deletion path --------------------------------------------------- */

#define LOO_FAST_MIN_K 16
#define LOO_MAX_CENTRES 12
#define LOO_MAX_STRAYS 32
/* a downdate that removes more than this share of a sum loses > 6 bits */
#define LOO_CANCEL (63.0 / 64.0)

/* Series centres; an evaluation uses the first that covers its t. */
struct bank {
	struct sm_pseries c[LOO_MAX_CENTRES];
	size_t n, k;
	const double *y, *v;
};

static void bank_release(struct bank *b)
{
	for (size_t j = 0; j < b->n; j++)
		sm_pseries_release(&b->c[j]);
	b->n = 0;
}

static const struct sm_pseries *bank_find(const struct bank *b, double t)
{
	for (size_t j = 0; j < b->n; j++)
		if (sm_pseries_covers(&b->c[j], t))
			return &b->c[j];
	return NULL;
}

static sm_status bank_add(struct sm_ctx *ctx, struct bank *b, double c, double rho)
{
	if (b->n == LOO_MAX_CENTRES)
		return SM_OK;
	sm_status st = sm_pseries_init(ctx, &b->c[b->n], b->y, b->v, b->k, c, rho);
	if (!st)
		b->n++;
	return st;
}

/* Centres for the targets t[i] of the deletions still marked 2 in todo: one
 * at c0 sized to cover them all if it can, more while over LOO_MAX_STRAYS
 * stay uncovered (those few are refitted exactly). */
static sm_status bank_build(struct sm_ctx *ctx, struct bank *b, const double *t,
			    const unsigned char *todo, double c0, double vmin)
{
	double need = 0;
	for (size_t i = 0; i < b->k; i++)
		if (todo[i] == 2)
			need = fmax(need, fabs(t[i] - c0) / (vmin + c0));
	sm_status st = bank_add(ctx, b, c0, fmin(0.5, fmax(need * (1 + 1e-9), 1e-12)));
	while (!st && b->n < LOO_MAX_CENTRES) {
		size_t stray = 0, first = 0;
		for (size_t i = 0; i < b->k; i++)
			if (todo[i] == 2 && !bank_find(b, t[i]) && stray++ == 0)
				first = i;
		if (stray <= LOO_MAX_STRAYS)
			break;
		st = bank_add(ctx, b, t[first], 0.5);
	}
	return st;
}

/* Sums over j != i of z^a / (v_j + t)^q (z = y - yc of the covering centre);
 * *all gets the a = 0 sum over all k.  0 when no centre covers t or removing
 * study i would cancel a sum. */
static int del_sums(const struct bank *b, size_t i, double t, int q, double s[3],
		    double *yc, double *all)
{
	const struct sm_pseries *ps = bank_find(b, t);
	if (!ps || !sm_pseries_eval(ps, t, q, s))
		return 0;
	double w = 1 / (b->v[i] + t), z = b->y[i] - ps->yc;
	for (int e = 1; e < q; e++)
		w /= b->v[i] + t;
	if (w > LOO_CANCEL * s[0] || w * z * z > LOO_CANCEL * s[2])
		return 0;
	if (all)
		*all = s[0];
	s[0] -= w;
	s[1] -= w * z;
	s[2] -= w * z * z;
	*yc = ps->yc;
	return 1;
}

/* Full-data fixed-effect and unweighted sums. */
struct fe_full {
	double W, W2, b, QE, ybar, SS, Sv, vmin;
};

/* The same for the data without study i. */
struct fe_del {
	double W, QE, trP, SS, Sv;
};

static void fe_full_init(const double *y, const double *v, size_t k, struct fe_full *f)
{
	struct sm_ksum w = {0, 0}, w2 = {0, 0}, wy = {0, 0}, sy = {0, 0}, sv = {0, 0};
	f->vmin = INFINITY;
	for (size_t i = 0; i < k; i++) {
		sm_ksum_add(&w, 1 / v[i]);
		sm_ksum_add(&w2, 1 / v[i] / v[i]);
		sm_ksum_add(&wy, y[i] / v[i]);
		sm_ksum_add(&sy, y[i]);
		sm_ksum_add(&sv, v[i]);
		f->vmin = fmin(f->vmin, v[i]);
	}
	f->W = sm_ksum_get(&w);
	f->W2 = sm_ksum_get(&w2);
	f->b = sm_ksum_get(&wy) / f->W;
	f->ybar = sm_ksum_get(&sy) / (double)k;
	f->Sv = sm_ksum_get(&sv);
	struct sm_ksum q = {0, 0}, ss = {0, 0};
	for (size_t i = 0; i < k; i++) {
		sm_ksum_add(&q, (y[i] - f->b) * (y[i] - f->b) / v[i]);
		sm_ksum_add(&ss, (y[i] - f->ybar) * (y[i] - f->ybar));
	}
	f->QE = sm_ksum_get(&q);
	f->SS = sm_ksum_get(&ss);
}

/* Downdate; 0 when study i dominates one of the sums. */
static int fe_delete(const struct fe_full *f, const double *y, const double *v, size_t k,
		     size_t i, struct fe_del *d)
{
	double w = 1 / v[i], r = y[i] - f->b, ry = y[i] - f->ybar;
	d->W = f->W - w;
	double w2 = f->W2 - w * w;
	double qi = w * r * r * (f->W / d->W);
	double si = ry * ry * ((double)k / (double)(k - 1));
	if (w > LOO_CANCEL * f->W || qi > LOO_CANCEL * f->QE || si > LOO_CANCEL * f->SS ||
	    v[i] > LOO_CANCEL * f->Sv || w2 / d->W > LOO_CANCEL * d->W)
		return 0;
	d->QE = fmax(0, f->QE - qi);
	d->SS = fmax(0, f->SS - si);
	d->Sv = f->Sv - v[i];
	d->trP = d->W - w2 / d->W;
	return 1;
}

/* tau2(-i) of the closed-form estimators (SJ: its starting value t0). */
static double tau2_closed(enum sm_method m, const struct fe_del *d, double n)
{
	switch (m) {
	case SM_DL: return fmax(0, (d->QE - (n - 1)) / d->trP);
	case SM_HS: return fmax(0, (d->QE - n) / d->W);
	case SM_HE: return fmax(0, (d->SS - (d->Sv - d->Sv / n)) / (n - 1));
	case SM_SJ: return d->SS / n;
	default: return 0;
	}
}

/* Constants shared by every deletion row. */
struct row_const {
	const struct sm_rma_opts *opts;
	double n, crit;          /* studies per deletion (k - 1), CI quantile */
	struct sm_chisq_near qe; /* QEp near the largest QE(-i) */
};

/* The deletion fit of study i at tau2 t, as sm_rma_fit would give it. */
static int fast_fit(const struct bank *b, const struct fe_del *d, size_t i, double t,
		    const struct row_const *rc, struct sm_rma_fit *f, double *sum_all)
{
	double s[3], yc;
	if (!del_sums(b, i, t, 1, s, &yc, sum_all))
		return 0;
	double explained = s[1] * s[1] / s[0];
	if (explained > LOO_CANCEL * s[2])
		return 0;
	double rss = s[2] - explained, n = rc->n, ir = 1 / sqrt(s[0]);
	int knha = rc->opts->test == SM_TEST_KNHA;
	memset(f, 0, sizeof *f);
	f->k = (size_t)n;
	f->p = 1;
	f->method = rc->opts->method;
	f->test = rc->opts->test;
	f->b = yc + s[1] / s[0];
	f->s2w = knha ? (rss <= DBL_EPSILON ? 0 : rss / (n - 1)) : 1;
	f->df = knha ? n - 1 : NAN;
	f->se = sqrt(ir * ir * f->s2w);
	f->stat = f->b / f->se;
	f->pval = knha ? sm_p2_t(f->stat, n - 1) : sm_p2_norm(f->stat);
	f->ci_lb = f->b - rc->crit * f->se;
	f->ci_ub = f->b + rc->crit * f->se;
	f->tau2 = t;
	f->QE = d->QE;
	f->QE_df = n - 1;
	f->QEp = sm_chisq_near(&rc->qe, d->QE);
	f->vt = (n - 1) / d->trP;
	if (rc->opts->method == SM_FE) {
		f->I2 = d->QE > 0 ? fmax(0, 100 * (d->QE - (n - 1)) / d->QE) : 0;
		f->H2 = d->QE / (n - 1);
	} else {
		f->I2 = 100 * t / (f->vt + t);
		f->H2 = 1 + t / f->vt;
	}
	f->sum_w = s[0];
	return 1;
}

/* SJ: tau2(-i) = t0(-i) Q_t0(-i) / (n - 1), Q with weights 1/(v + t0(-i)). */
static sm_status sj_stage(struct sm_ctx *ctx, struct bank *b, const struct fe_full *f,
			  size_t k, double *t, unsigned char *todo)
{
	sm_status st = bank_build(ctx, b, t, todo, f->SS / (double)k, f->vmin);
	for (size_t i = 0; i < k && !st; i++) {
		double s[3], yc;
		if (todo[i] != 2)
			continue;
		if (!del_sums(b, i, t[i], 1, s, &yc, NULL) ||
		    s[1] * s[1] / s[0] > LOO_CANCEL * s[2]) {
			todo[i] = 1;
			continue;
		}
		t[i] = fmax(0, t[i] * (s[2] - s[1] * s[1] / s[0]) / ((double)k - 2));
	}
	bank_release(b);
	return st;
}

static int finite_positive(const double *yi, const double *vi, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (!isfinite(yi[i]) || !(vi[i] > 0) || !isfinite(vi[i]))
			return 0;
	return 1;
}

/* Rows of every deletion the fast path can do; todo[i] = 0 for those, the
 * rest stay 1 (exact refit).  Iterative methods are refitted exactly. */
static sm_status loo_fast(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			  const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
			  struct sm_influence *out, unsigned char *todo)
{
	if (k < LOO_FAST_MIN_K || sm_method_is_iterative(opts->method) ||
	    !(full->tau2 >= 0) || !finite_positive(yi, vi, k))
		return SM_OK;
	double *t = sm_alloc_array(k, sizeof *t);
	struct fe_del *dl = sm_alloc_array(k, sizeof *dl);
	if (!t || !dl) {
		free(t);
		free(dl);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	struct fe_full f;
	fe_full_init(yi, vi, k, &f);
	double n = (double)(k - 1), qmax = 0;
	for (size_t i = 0; i < k; i++) {
		if (!fe_delete(&f, yi, vi, k, i, &dl[i]))
			continue;
		todo[i] = 2;
		t[i] = tau2_closed(opts->method, &dl[i], n);
		qmax = fmax(qmax, dl[i].QE);
	}
	struct bank b = {.k = k, .y = yi, .v = vi};
	sm_status st = opts->method == SM_SJ ? sj_stage(ctx, &b, &f, k, t, todo) : SM_OK;
	if (!st)
		st = bank_build(ctx, &b, t, todo, full->tau2, f.vmin);
	struct row_const rc = {.opts = opts, .n = n};
	double alpha = 1 - opts->level / 100;
	rc.crit = opts->test == SM_TEST_KNHA ? sm_qt_upper(alpha / 2, n - 1)
					     : sm_qnorm_upper(alpha / 2);
	sm_chisq_near_init(&rc.qe, qmax, n - 1);
	for (size_t i = 0; i < k && !st; i++) {
		struct sm_rma_fit del;
		double sum_all;
		if (todo[i] != 2)
			continue;
		if (!fast_fit(&b, &dl[i], i, t[i], &rc, &del, &sum_all)) {
			todo[i] = 1;
			continue;
		}
		row_from_fit(&del, &out->loo[i]);
		diagnose(out, i, yi, vi, k, full, &del, sum_all);
		todo[i] = 0;
	}
	for (size_t i = 0; i < k; i++)
		todo[i] = todo[i] != 0;
	bank_release(&b);
	free(t);
	free(dl);
	return st;
}

sm_status sm_influence_path(struct sm_ctx *ctx, const double *yi, const double *vi,
			    size_t k, const struct sm_rma_opts *opts,
			    const struct sm_rma_fit *full, enum sm_loo_path path,
			    struct sm_influence *out)
{
	if (k < 2)
		return SM_FAIL(ctx, SM_EINPUT, "influence diagnostics need k >= 2; got k = %zu",
			       k);
	sm_status st = alloc_influence(ctx, k, out);
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
	for (size_t i = 0; i < k && !st; i++)
		if (todo[i])
			st = loo_exact(ctx, yi, vi, k, opts, full, i, y, v, out);
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
