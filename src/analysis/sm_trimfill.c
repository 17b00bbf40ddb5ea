#include "sm_trimfill.h"

#include "sm_buf.h"
#include "sm_isub.h"
#include "sm_regtest.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

/* Indices of y ascending, ties in input order (R's order()): a stable LSD
 * radix sort on 11-bit digits (the counts stay in cache), O(k), instead of
 * a comparison sort; a digit all keys share costs no pass. */
static sm_status sort_order(struct sm_ctx *ctx, const double *y, double sgn, size_t k,
			    size_t *order)
{
	uint64_t *key = sm_alloc_array(2 * k, sizeof *key);
	size_t *tmp = sm_alloc_array(k, sizeof *tmp);
	size_t *cnt = sm_alloc_array(SM_RADIX_PASSES * SM_RADIX_SIZE, sizeof *cnt);
	if (!key || !tmp || !cnt) {
		free(key);
		free(tmp);
		free(cnt);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	uint64_t *kt = key + k;
	for (size_t i = 0; i < k; i++) {
		key[i] = sm_order_key(sgn * y[i]);
		order[i] = i;
		for (int d = 0; d < SM_RADIX_PASSES; d++)
			cnt[d * SM_RADIX_SIZE +
			    ((key[i] >> (d * SM_RADIX_BITS)) & (SM_RADIX_SIZE - 1))]++;
	}
	for (int d = 0; d < SM_RADIX_PASSES; d++) {
		size_t *c = cnt + d * SM_RADIX_SIZE, sum = 0;
		int shift = d * SM_RADIX_BITS;
		if (c[(key[0] >> shift) & (SM_RADIX_SIZE - 1)] == k)
			continue;
		for (size_t b = 0; b < SM_RADIX_SIZE; b++) {
			size_t n = c[b];
			c[b] = sum;
			sum += n;
		}
		for (size_t i = 0; i < k; i++) {
			size_t at = c[(key[i] >> shift) & (SM_RADIX_SIZE - 1)]++;
			kt[at] = key[i];
			tmp[at] = order[i];
		}
		memcpy(key, kt, k * sizeof *key);
		memcpy(order, tmp, k * sizeof *order);
	}
	free(key);
	free(tmp);
	free(cnt);
	return SM_OK;
}

/* First index whose y - b is positive (y ascending). */
static size_t first_positive(const double *y, size_t k, double b)
{
	size_t lo = 0, hi = k;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (y[mid] - b > 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Independent merges run side by side (one chain of loads and compares
 * each), so that the processor overlaps them. */
#define SR_LANES 8

struct sr_lane {
	size_t p, end, j;
};

/* One L0 step: Sr, the sum of the ranks of |y - b| (ties by position) of
 * the positive centred values.  y is sorted ascending, so the m non-positive
 * values come first and precede every positive one of equal |y - b|; their
 * |y - b| grows as the index falls.  A positive value's rank is therefore
 * the positives before it plus the non-positives with |y - b| <= its own:
 * a merge of the two runs, O(k).  Trim-and-fill repeats it for every k0
 * iteration, so the positives are cut into SR_LANES runs whose merges start
 * where a binary search puts them and run interleaved, without branches on
 * the data. */
static double l0_sr(const double *y, size_t k, double b)
{
	size_t m = first_positive(y, k, b), np = k - m;
	struct sr_lane ln[SR_LANES];
	for (size_t l = 0; l < SR_LANES; l++) {
		ln[l].p = m + np * l / SR_LANES;
		ln[l].end = m + np * (l + 1) / SR_LANES;
		/* non-positives taken before p: those with |y - b| up to the
		 * previous positive's y - b, i.e. y >= 2b - y[p - 1] */
		size_t taken = 0;
		if (ln[l].p > m) {
			double key = y[ln[l].p - 1] - b;
			size_t lo = 0, hi = m; /* count of the last ones within key */
			while (lo < hi) {
				size_t mid = lo + (hi - lo + 1) / 2;
				if (fabs(y[m - mid] - b) <= key)
					lo = mid;
				else
					hi = mid - 1;
			}
			taken = lo;
		}
		ln[l].j = taken;
	}
	uint64_t sr = 0;
	for (int active = 1; active;) {
		active = 0;
		for (size_t l = 0; l < SR_LANES; l++) {
			struct sr_lane *q = &ln[l];
			if (q->p >= q->end)
				continue;
			active = 1;
			size_t more = q->j < m, at = more ? m - 1 - q->j : 0;
			size_t take = more & (fabs(y[at] - b) <= y[q->p] - b);
			sr += (1 - take) * ((q->p - m) + q->j + 1);
			q->j += take;
			q->p += 1 - take;
		}
	}
	return (double)sr;
}

static double var_sr(double k, double k0)
{
	return (k * (k + 1) * (2 * k + 1) + 10 * k0 * k0 * k0 + 27 * k0 * k0 + 17 * k0 -
		18 * k * k0 * k0 - 18 * k * k0 + 6 * k * k * k0) / 24;
}

/* From SM_TRIMFILL_FAST_K studies on (sm_trimfill.h), the trimmed fits
 * (which only need b) come from prefix sums of the sorted data (sm_isub),
 * O(1) per fit for any method, instead of a full sm_rma_fit; below it
 * metafor's exact operation order is kept (its sign test on yi - b can
 * depend on the last bit of b). */
#define SM_TRIMFILL_RHO 0.125

static size_t trim_block(size_t k)
{
	size_t b = (size_t)sqrt((double)k) / 2;
	return b < 16 ? 16 : b > 512 ? 512 : b;
}

/* b of the first kt sorted studies from prefix sums; 0 when the caller
 * must refit. */
static int trimmed_b_fast(struct sm_iprefix *p, size_t kt, const struct sm_rma_opts *zo,
			  double *hint, double *b)
{
	struct sm_isubset s;
	struct sm_isums m;
	double t;
	if (!sm_iprefix_subset(p, kt, &s) || !sm_ifit_tau2(&s, zo, *hint, &t) ||
	    !s.at(s.arg, t, SM_ISUMS_Q1, &m))
		return 0;
	*b = m.yc + m.s1[1] / m.s1[0];
	*hint = t;
	return 1;
}

/* b of the trimmed fit of the first kt sorted studies. */
static sm_status trimmed_b(struct sm_ctx *ctx, struct sm_iprefix *p, const double *ys,
			   const double *vs, size_t kt, const struct sm_rma_opts *zo,
			   double *hint, double *b, int *exact)
{
	if (p && trimmed_b_fast(p, kt, zo, hint, b))
		return SM_OK;
	if (p && sm_pbank_status(ctx, &p->bank) != SM_OK)
		return SM_EINTERNAL;
	(*exact)++;
	struct sm_rma_fit t;
	sm_status st = sm_rma_fit(ctx, ys, vs, kt, zo, &t);
	*b = t.b;
	return st;
}

static int all_positive(const double *v, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (!(v[i] > 0) || !isfinite(v[i]))
			return 0;
	return 1;
}

/* The L0 iteration came back to an earlier k0: say which values it cycles
 * through (metafor stops after 100 iterations). */
static sm_status cycle_failure(struct sm_ctx *ctx, const double *cycle, int n)
{
	char list[160] = "";
	size_t used = 0;
	for (int j = 0; j < n && used + 24 < sizeof list; j++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%.0f", j ? ", " : "",
					 cycle[j]);
	if (n > 0 && used + 24 >= sizeof list)
		snprintf(list + used, sizeof list - used, ", ...");
	return SM_FAIL(ctx, SM_EINPUT, "trim-and-fill did not converge: the estimated number "
		       "of missing studies (L0) cycles through %s; expected it to settle "
		       "(metafor: Trim and fill algorithm did not converge)", list);
}

/* Iterate k0 on the sorted, side-adjusted ys/vs; b of the last trimmed fit
 * and, in *hint, its tau2 when p gave it. */
static sm_status iterate_k0(struct sm_ctx *ctx, struct sm_iprefix *p, const double *ys,
			    const double *vs, size_t k, const struct sm_rma_opts *zo,
			    double *hint, struct sm_trimfill *out, double *b)
{
	double kd = (double)k, k0 = 0, k0_prev = -1;
	double seen[SM_TRIMFILL_MAXITER + 1];
	int iter = 0;
	sm_status st = SM_OK;
	while (k0 != k0_prev) {
		/* k0 depends on the previous k0 alone: a value seen before (not the
		 * last one, which is convergence) repeats forever */
		for (int j = 0; j + 1 < iter; j++)
			if (seen[j] == k0)
				return cycle_failure(ctx, seen + j, iter - j);
		if (iter == SM_TRIMFILL_MAXITER)
			return SM_FAIL(ctx, SM_EINPUT, "trim-and-fill did not converge: the "
				       "number of missing studies still changes after %d "
				       "iterations; expected it to settle (metafor: Trim and "
				       "fill algorithm did not converge)", SM_TRIMFILL_MAXITER);
		seen[iter] = k0;
		k0_prev = k0;
		iter++;
		size_t kt = k - (size_t)k0;
		if (kt == 0) {
			st = SM_FAIL(ctx, SM_EINPUT, "Processing terminated since k = 0.");
			break;
		}
		if ((st = trimmed_b(ctx, p, ys, vs, kt, zo, hint, b, &out->exact_fits)))
			break;
		double raw = (4 * l0_sr(ys, k, *b) - kd * (kd + 1)) / (2 * kd - 1);
		out->se_k0 = 4 * sqrt(var_sr(kd, raw)) / (2 * kd - 1);
		k0 = fmax(0, sm_round_half_even(raw));
	}
	out->k0 = (size_t)k0;
	out->iterations = iter;
	return st;
}

static int finite_data(const double *yi, const double *vi, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (!isfinite(yi[i]) || !isfinite(vi[i]) || vi[i] < 0)
			return 0;
	return 1;
}

/* The slope of yi ~ sqrt(vi) with the fit's tau2 method (regtest's model),
 * whose sign gives the side.  For large k only what the slope needs: the
 * tau2 estimate and one weighted solve, which are the steps sm_regtest
 * takes to it, so the slope is the same number without the tests, the
 * heterogeneity statistics and the likelihood passes. */
static sm_status side_slope(struct sm_ctx *ctx, const double *yi, const double *vi,
			    size_t k, const struct sm_rma_opts *zo, int fast, double *slope)
{
	if (!fast || !finite_data(yi, vi, k)) {
		struct sm_regtest side;
		sm_status st = sm_regtest(ctx, yi, vi, k, zo, &side);
		*slope = side.b[1];
		return st;
	}
	/* metafor cannot take a side when sqrt(vi) is redundant (its slope is NA) */
	sm_status st = sm_regtest_check_design(ctx, vi, k);
	if (st)
		return st;
	double *x = sm_alloc_array(3 * k, sizeof *x), *w = x ? x + 2 * k : NULL;
	struct sm_design d = {x, k, 2};
	struct sm_wls m;
	st = x ? sm_wls_init(ctx, &m, &d) : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st) {
		free(x);
		return st;
	}
	for (size_t i = 0; i < k; i++) {
		x[i] = 1;
		x[k + i] = sqrt(vi[i]);
	}
	struct sm_tau2_result tr;
	st = sm_tau2_estimate_ws(ctx, &m, w, yi, vi, zo->method, &zo->ctl, &tr);
	if (!st) {
		for (size_t i = 0; i < k; i++)
			w[i] = 1 / (vi[i] + tr.tau2);
		st = sm_wls_solve(ctx, &m, yi, w);
		*slope = m.b[1];
	}
	sm_wls_release(&m);
	free(x);
	return st;
}

/* A fit on the y of the other side, seen from this one: every estimate and
 * bound changes sign, the interval ends swap. */
static void mirror_fit(struct sm_rma_fit *f)
{
	double lb = f->ci_lb, plb = f->pi_lb;
	f->b = -f->b;
	f->stat = -f->stat;
	f->ci_lb = -f->ci_ub;
	f->ci_ub = -lb;
	f->pi_lb = -f->pi_ub;
	f->pi_ub = -plb;
}

/* The fit of the filled data from the sorted studies' prefix sums plus the
 * k0 filled ones; 0 when the caller must fit them exactly. */
static int filled_fit_fast(struct sm_iprefix *p, const double *ys, const double *vs,
			   size_t k, double b, const struct sm_rma_opts *zo, double hint,
			   int side_right, size_t k0, struct sm_rma_fit *f)
{
	double *fy = sm_alloc_array(2 * k0, sizeof *fy), tau2;
	if (!fy)
		return 0;
	double *fv = fy + k0;
	for (size_t j = 0; j < k0; j++) {
		fy[j] = 2 * b - ys[k - k0 + j];
		fv[j] = vs[k - k0 + j];
	}
	struct sm_isubset s;
	struct sm_ifit_const c;
	sm_ifit_const_init(&c, zo, (double)(k + k0), NULL);
	int ok = sm_iprefix_subset_plus(p, k, fy, fv, k0, &s) &&
		 sm_ifit_tau2(&s, zo, hint, &tau2) && sm_ifit_fit(&s, &c, tau2, f);
	free(fy);
	if (ok && side_right)
		mirror_fit(f);
	return ok;
}

static sm_status fill_and_fit(struct sm_ctx *ctx, struct sm_iprefix *p, const double *yi,
			      const double *vi, size_t k, const double *ys, const double *vs,
			      double b, double hint, const struct sm_rma_opts *zo,
			      struct sm_trimfill *out)
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
	/* nothing filled: the caller returns the original fit */
	if (out->k0 == 0 || (p && filled_fit_fast(p, ys, vs, k, b, zo, hint, out->side_right,
						  out->k0, &out->fit)))
		return SM_OK;
	if (p && sm_pbank_status(ctx, &p->bank) != SM_OK)
		return SM_EINTERNAL;
	out->exact_fits++;
	return sm_rma_fit(ctx, out->yi, out->vi, n, zo, &out->fit);
}

static sm_status trimfill(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			  const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
			  enum sm_trimfill_path path, double slope, struct sm_trimfill *out);

sm_status sm_trimfill(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
		      const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
		      struct sm_trimfill *out)
{
	return sm_trimfill_path(ctx, yi, vi, k, opts, full, SM_TRIMFILL_AUTO, out);
}

sm_status sm_trimfill_path(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			   const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
			   enum sm_trimfill_path path, struct sm_trimfill *out)
{
	return trimfill(ctx, yi, vi, k, opts, full, path, NAN, out);
}

sm_status sm_trimfill_slope(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			    const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
			    double slope, struct sm_trimfill *out)
{
	if (!isfinite(slope))
		return SM_FAIL(ctx, SM_EINTERNAL, "trim-and-fill side from a slope of %g; "
			       "expected a finite regression slope", slope);
	return trimfill(ctx, yi, vi, k, opts, full, SM_TRIMFILL_AUTO, slope, out);
}

/* slope: regtest's slope when the caller has it, NAN to fit it here. */
static sm_status trimfill(struct sm_ctx *ctx, const double *yi, const double *vi, size_t k,
			  const struct sm_rma_opts *opts, const struct sm_rma_fit *full,
			  enum sm_trimfill_path path, double slope, struct sm_trimfill *out)
{
	int fast = path == SM_TRIMFILL_AUTO && k >= SM_TRIMFILL_FAST_K;
	memset(out, 0, sizeof *out);
	struct sm_rma_opts zo = *opts;
	zo.test = SM_TEST_Z;
	sm_status st = isnan(slope) ? side_slope(ctx, yi, vi, k, &zo, fast, &slope) : SM_OK;
	if (st)
		return st;
	out->side_right = slope < 0;
	/* Every yi equal: each trimmed estimate is that value, every centred yi
	 * is 0 and k0 = 0; computed, the centred values would be rounding noise
	 * of either sign, on which k0 can cycle (metafor: "did not converge"). */
	int constant = k > 0;
	for (size_t i = 1; i < k && constant; i++)
		constant = yi[i] == yi[0];
	if (constant) {
		out->k = k;
		out->fit = *full;
		out->se_k0 = 4 * sqrt(var_sr((double)k, (double)(-(double)k * ((double)k + 1)) /
						(2 * (double)k - 1))) / (2 * (double)k - 1);
		out->yi = sm_alloc_array(2 * k, sizeof *out->yi);
		out->fill = sm_alloc_array(k, sizeof *out->fill);
		if (!out->yi || !out->fill) {
			sm_trimfill_release(out);
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		}
		out->vi = out->yi + k;
		memcpy(out->yi, yi, k * sizeof *yi);
		memcpy(out->vi, vi, k * sizeof *vi);
		return SM_OK;
	}
	double sgn = out->side_right ? -1 : 1;
	size_t *order = sm_alloc_array(k, sizeof *order);
	double *ys = sm_alloc_array(2 * k, sizeof *ys);
	if (!order || !ys) {
		free(order);
		free(ys);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	double *vs = ys + k;
	st = sort_order(ctx, yi, sgn, k, order);
	for (size_t i = 0; !st && i < k; i++) {
		ys[i] = sgn * yi[order[i]];
		vs[i] = vi[order[i]];
	}
	struct sm_iprefix pre, *p = NULL;
	if (!st && fast && all_positive(vs, k)) {
		int logs = zo.method == SM_ML || zo.method == SM_REML;
		st = sm_iprefix_init(ctx, &pre, ys, vs, k, trim_block(k), logs, SM_TRIMFILL_RHO);
		p = st ? NULL : &pre;
	}
	double b = 0, hint = full->tau2;
	if (!st)
		st = iterate_k0(ctx, p, ys, vs, k, &zo, &hint, out, &b);
	if (!st)
		st = fill_and_fit(ctx, p, yi, vi, k, ys, vs, b, hint, &zo, out);
	/* nothing filled: metafor returns the original fit (its own test) */
	if (!st && out->k0 == 0)
		out->fit = *full;
	if (p)
		sm_iprefix_release(p);
	free(order);
	free(ys);
	if (st)
		sm_trimfill_release(out);
	return st;
}
