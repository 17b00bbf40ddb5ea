#include "sm_trimfill.h"

#include "sm_buf.h"
#include "sm_regtest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SM_TRIMFILL_MAXITER 100

void sm_trimfill_release(struct sm_trimfill *t)
{
	if (!t)
		return;
	free(t->yi);
	free(t->fill);
	memset(t, 0, sizeof *t);
}

struct keyed {
	double key;
	size_t idx;
};

/* Ascending by key, ties by position: a stable order (R's order()). */
static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* One L0 step: Sr, the sum of the ranks of |y - b| (ties by position) of
 * the positive centred values.  y is sorted ascending, so the non-positive
 * values come first and precede every positive one of equal |y - b|; their
 * |y - b| grows as the index falls.  A positive value's rank is therefore
 * the positives before it plus the non-positives with |y - b| <= its own:
 * one merge-like pass, O(k). */
static double l0_sr(const double *y, size_t k, double b)
{
	size_t m = 0;
	while (m < k && !(y[m] - b > 0))
		m++;
	double sr = 0;
	size_t j = m;
	for (size_t p = m; p < k; p++) {
		double key = y[p] - b;
		while (j > 0 && fabs(y[j - 1] - b) <= key)
			j--;
		sr += (double)((p - m) + (m - j) + 1);
	}
	return sr;
}

static double var_sr(double k, double k0)
{
	return (k * (k + 1) * (2 * k + 1) + 10 * k0 * k0 * k0 + 27 * k0 * k0 + 17 * k0 -
		18 * k * k0 * k0 - 18 * k * k0 + 6 * k * k * k0) / 24;
}

/* Large k: the trimmed fits of a closed-form method only need b, so they
 * come from prefix sums of the sorted data (tau2 in O(1)) and one pass for
 * b: O(k) per iteration instead of a full sm_rma_fit.  y is shifted by its
 * mean so that the prefix Q = sum w y^2 - (sum w y)^2 / sum w does not
 * cancel.  Below SM_TRIMFILL_LEAN_K the full fit is used. */
#define SM_TRIMFILL_LEAN_K 1000

enum { PW, PW2, PWY, PWYY, PY, PYY, PV, NPREFIX };

struct lean {
	double shift;
	double *pre; /* NPREFIX x (k + 1) prefix sums */
	size_t k;
};

static sm_status lean_init(struct sm_ctx *ctx, const double *y, const double *v, size_t k,
			   struct lean *l)
{
	l->k = k;
	l->shift = sm_sum(y, k) / (double)k;
	l->pre = sm_alloc_array(NPREFIX * (k + 1), sizeof *l->pre);
	if (!l->pre)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	struct sm_ksum a[NPREFIX] = {{0, 0}};
	for (size_t i = 0; i < k; i++) {
		double w = 1 / v[i], z = y[i] - l->shift;
		double term[NPREFIX] = {w, w * w, w * z, w * z * z, z, z * z, v[i]};
		for (int c = 0; c < NPREFIX; c++) {
			sm_ksum_add(&a[c], term[c]);
			l->pre[(size_t)c * (k + 1) + i + 1] = sm_ksum_get(&a[c]);
		}
	}
	return SM_OK;
}

/* sum over the first n of z^a / (v + t), a = 0..2 */
static void lean_pass(const double *y, const double *v, size_t n, double shift, double t,
		      double s[3])
{
	struct sm_ksum a0 = {0, 0}, a1 = {0, 0}, a2 = {0, 0};
	for (size_t i = 0; i < n; i++) {
		double w = 1 / (v[i] + t), z = y[i] - shift;
		sm_ksum_add(&a0, w);
		sm_ksum_add(&a1, w * z);
		sm_ksum_add(&a2, w * z * z);
	}
	s[0] = sm_ksum_get(&a0);
	s[1] = sm_ksum_get(&a1);
	s[2] = sm_ksum_get(&a2);
}

/* Estimate b of the first n sorted studies (n >= 2). */
static double lean_b(const struct lean *l, const double *y, const double *v, size_t n,
		     enum sm_method m)
{
	const double *p = l->pre;
	size_t st = l->k + 1;
	double w = p[PW * st + n], w2 = p[PW2 * st + n], wy = p[PWY * st + n];
	double q = fmax(0, p[PWYY * st + n] - wy * wy / w), nd = (double)n;
	double ss = fmax(0, p[PYY * st + n] - p[PY * st + n] * p[PY * st + n] / nd);
	double sv = p[PV * st + n], t = 0, s[3];
	switch (m) {
	case SM_DL: t = fmax(0, (q - (nd - 1)) / (w - w2 / w)); break;
	case SM_HS: t = fmax(0, (q - nd) / w); break;
	case SM_HE: t = fmax(0, (ss - (sv - sv / nd)) / (nd - 1)); break;
	case SM_SJ:
		lean_pass(y, v, n, l->shift, ss / nd, s);
		t = fmax(0, ss / nd * (s[2] - s[1] * s[1] / s[0]) / (nd - 1));
		break;
	default: break;
	}
	lean_pass(y, v, n, l->shift, t, s);
	return l->shift + s[1] / s[0];
}

/* b of the trimmed fit of the first kt sorted studies. */
static sm_status trimmed_b(struct sm_ctx *ctx, const struct lean *l, const double *ys,
			   const double *vs, size_t kt, const struct sm_rma_opts *zo, double *b)
{
	if (l->pre && kt >= 2) {
		*b = lean_b(l, ys, vs, kt, zo->method);
		return SM_OK;
	}
	struct sm_rma_fit t;
	sm_status st = sm_rma_fit(ctx, ys, vs, kt, zo, &t);
	*b = t.b;
	return st;
}

/* Iterate k0 on the sorted, side-adjusted ys/vs; b of the last trimmed fit. */
static sm_status iterate_k0(struct sm_ctx *ctx, const double *ys, const double *vs,
			    size_t k, const struct sm_rma_opts *zo,
			    struct sm_trimfill *out, double *b)
{
	struct lean l = {0, NULL, k};
	if (k >= SM_TRIMFILL_LEAN_K && !sm_method_is_iterative(zo->method)) {
		sm_status st = lean_init(ctx, ys, vs, k, &l);
		if (st)
			return st;
	}
	double kd = (double)k, k0 = 0, k0_prev = -1;
	int iter = 0;
	sm_status st = SM_OK;
	while (k0 != k0_prev && iter < SM_TRIMFILL_MAXITER) {
		k0_prev = k0;
		iter++;
		size_t kt = k - (size_t)k0;
		if (kt == 0) {
			st = SM_FAIL(ctx, SM_EINPUT, "Processing terminated since k = 0.");
			break;
		}
		if ((st = trimmed_b(ctx, &l, ys, vs, kt, zo, b)))
			break;
		double raw = (4 * l0_sr(ys, k, *b) - kd * (kd + 1)) / (2 * kd - 1);
		out->se_k0 = 4 * sqrt(var_sr(kd, raw)) / (2 * kd - 1);
		k0 = fmax(0, sm_round_half_even(raw));
	}
	free(l.pre);
	out->k0 = (size_t)k0;
	out->iterations = iter;
	return st;
}

static sm_status fill_and_fit(struct sm_ctx *ctx, const double *yi, const double *vi,
			      size_t k, const double *ys, const double *vs, double b,
			      const struct sm_rma_opts *zo, struct sm_trimfill *out)
{
	size_t n = k + out->k0;
	out->yi = sm_alloc_array(2 * n, sizeof *out->yi);
	out->fill = sm_alloc_array(n, sizeof *out->fill);
	if (!out->yi || !out->fill)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	out->vi = out->yi + n;
	out->k = n;
	memcpy(out->yi, yi, k * sizeof *yi);
	memcpy(out->vi, vi, k * sizeof *vi);
	double sgn = out->side_right ? -1 : 1;
	for (size_t j = 0; j < out->k0; j++) {
		size_t src = k - out->k0 + j;
		out->yi[k + j] = sgn * (2 * b - ys[src]);
		out->vi[k + j] = vs[src];
		out->fill[k + j] = 1;
	}
	return sm_rma_fit(ctx, out->yi, out->vi, n, zo, &out->fit);
}

sm_status sm_trimfill(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		      const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
		      struct sm_trimfill *out)
{
	memset(out, 0, sizeof *out);
	struct sm_rma_opts zo = *opts;
	zo.test = SM_TEST_Z;
	struct sm_regtest side;
	sm_status st = sm_regtest(ctx, yi, vi, k, &zo, &side);
	if (st)
		return st;
	out->side_right = side.b[1] < 0;
	double sgn = out->side_right ? -1 : 1;
	struct keyed *tmp = sm_alloc_array(k, sizeof *tmp);
	double *ys = sm_alloc_array(2 * k, sizeof *ys);
	if (!tmp || !ys) {
		free(tmp);
		free(ys);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	double *vs = ys + k;
	for (size_t i = 0; i < k; i++)
		tmp[i] = (struct keyed){sgn * yi[i], i};
	qsort(tmp, k, sizeof *tmp, cmp_keyed);
	for (size_t i = 0; i < k; i++) {
		ys[i] = tmp[i].key;
		vs[i] = vi[tmp[i].idx];
	}
	double b = 0;
	st = iterate_k0(ctx, ys, vs, k, &zo, out, &b);
	if (!st)
		st = fill_and_fit(ctx, yi, vi, k, ys, vs, b, &zo, out);
	/* nothing filled: metafor returns the original fit (its own test) */
	if (!st && out->k0 == 0)
		out->fit = *full;
	free(tmp);
	free(ys);
	if (st)
		sm_trimfill_release(out);
	return st;
}
