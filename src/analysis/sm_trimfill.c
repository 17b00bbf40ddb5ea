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

/* One L0 step: Sr from the ranks of |y - b| (ties by position) of the
 * positive centred values. */
static double l0_sr(const double *y, size_t k, double b, struct keyed *tmp)
{
	for (size_t i = 0; i < k; i++)
		tmp[i] = (struct keyed){fabs(y[i] - b), i};
	qsort(tmp, k, sizeof *tmp, cmp_keyed);
	double sr = 0;
	for (size_t r = 0; r < k; r++)
		if (y[tmp[r].idx] - b > 0)
			sr += (double)(r + 1);
	return sr;
}

static double var_sr(double k, double k0)
{
	return (k * (k + 1) * (2 * k + 1) + 10 * k0 * k0 * k0 + 27 * k0 * k0 + 17 * k0 -
		18 * k * k0 * k0 - 18 * k * k0 + 6 * k * k * k0) / 24;
}

/* Iterate k0 on the sorted, side-adjusted ys/vs; b of the last trimmed fit. */
static sm_status iterate_k0(struct sm_ctx *ctx, const double *ys, const double *vs,
			    size_t k, const struct sm_rma_opts *zo, struct keyed *tmp,
			    struct sm_trimfill *out, double *b)
{
	double kd = (double)k, k0 = 0, k0_prev = -1;
	int iter = 0;
	while (k0 != k0_prev && iter < SM_TRIMFILL_MAXITER) {
		k0_prev = k0;
		iter++;
		size_t kt = k - (size_t)k0;
		if (kt == 0)
			return SM_FAIL(ctx, SM_EINPUT, "Processing terminated since k = 0.");
		struct sm_rma_fit t;
		sm_status st = sm_rma_fit(ctx, ys, vs, kt, zo, &t);
		if (st)
			return st;
		*b = t.b;
		double raw = (4 * l0_sr(ys, k, t.b, tmp) - kd * (kd + 1)) / (2 * kd - 1);
		out->se_k0 = 4 * sqrt(var_sr(kd, raw)) / (2 * kd - 1);
		k0 = fmax(0, sm_round_half_even(raw));
	}
	out->k0 = (size_t)k0;
	out->iterations = iter;
	return SM_OK;
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
	st = iterate_k0(ctx, ys, vs, k, &zo, tmp, out, &b);
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
