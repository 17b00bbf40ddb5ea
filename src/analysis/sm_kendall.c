#include "sm_kendall.h"

#include "sm_stats.h"

#include "sm_buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kpair {
	double x;
	double y;
};

/* LSD radix sort of the pairs by x (11-bit digits; a digit all keys share
 * costs no pass); tmp has room for n pairs, cnt for the counts. */
static void radix_pairs(struct kpair **a, struct kpair **tmp, size_t n, size_t *cnt)
{
	struct kpair *src = *a, *dst = *tmp;
	memset(cnt, 0, SM_RADIX_PASSES * SM_RADIX_SIZE * sizeof *cnt);
	for (size_t i = 0; i < n; i++) {
		uint64_t key = sm_order_key(src[i].x);
		for (int d = 0; d < SM_RADIX_PASSES; d++)
			cnt[d * SM_RADIX_SIZE +
			    ((key >> (d * SM_RADIX_BITS)) & (SM_RADIX_SIZE - 1))]++;
	}
	for (int d = 0; d < SM_RADIX_PASSES; d++) {
		size_t *c = cnt + d * SM_RADIX_SIZE, sum = 0;
		int shift = d * SM_RADIX_BITS;
		uint64_t k0 = sm_order_key(src[0].x);
		if (c[(k0 >> shift) & (SM_RADIX_SIZE - 1)] == n)
			continue;
		for (size_t b = 0; b < SM_RADIX_SIZE; b++) {
			size_t m = c[b];
			c[b] = sum;
			sum += m;
		}
		for (size_t i = 0; i < n; i++) {
			uint64_t key = sm_order_key(src[i].x);
			dst[c[(key >> shift) & (SM_RADIX_SIZE - 1)]++] = src[i];
		}
		struct kpair *t = src;
		src = dst;
		dst = t;
	}
	*a = src;
	*tmp = dst;
}

static int cmp_y(const void *a, const void *b)
{
	double x = ((const struct kpair *)a)->y, y = ((const struct kpair *)b)->y;
	return (x > y) - (x < y);
}

/* Sort a run of pairs with equal x by y: insertion sort when short (runs
 * are short unless x has many ties), qsort otherwise. */
static void sort_run_by_y(struct kpair *p, size_t n)
{
	if (n > 32) {
		qsort(p, n, sizeof *p, cmp_y);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct kpair t = p[i];
		size_t j = i;
		for (; j > 0 && p[j - 1].y > t.y; j--)
			p[j] = p[j - 1];
		p[j] = t;
	}
}

/* Pairs in (x, y) lexicographic order: a radix sort by x, O(n), then the
 * runs of tied x sorted by y (NaN never reaches here). */
static void sort_pairs(struct kpair **a, struct kpair **tmp, size_t n, size_t *cnt)
{
	radix_pairs(a, tmp, n, cnt);
	struct kpair *p = *a;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && p[j].x == p[i].x; j++)
			;
		if (j - i > 1)
			sort_run_by_y(p + i, j - i);
	}
}

/* Stable merge sort of v ascending; returns the number of strict
 * inversions (i < j with v[i] > v[j]), i.e. swaps an exchange sort needs.
 * Equal values are not inversions.  The merge takes its element without a
 * branch on the data (random data would mispredict half of them). */
static int64_t sort_count_inversions(double **a, double **tmp, size_t n)
{
	double *src = *a, *dst = *tmp;
	int64_t swaps = 0;
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, o = lo;
			while (i < mid && j < hi) {
				double vi = src[i], vj = src[j];
				size_t c = vj < vi;
				swaps += (int64_t)(c * (mid - i));
				dst[o++] = c ? vj : vi;
				j += c;
				i += 1 - c;
			}
			while (i < mid)
				dst[o++] = src[i++];
			while (j < hi)
				dst[o++] = src[j++];
		}
		double *t = src;
		src = dst;
		dst = t;
	}
	*a = src;
	*tmp = dst;
	return swaps;
}

struct tie_sums {
	int64_t pairs;
	double t1, t2, t5;
};

static void tie_add(struct tie_sums *s, size_t run)
{
	if (run < 2)
		return;
	double t = (double)run;
	s->pairs += (int64_t)run * (int64_t)(run - 1) / 2;
	s->t1 += t * (t - 1);
	s->t2 += t * (t - 1) * (t - 2);
	s->t5 += t * (t - 1) * (2 * t + 5);
}

/* Tie groups of sorted values. */
static void tie_scan(const double *v, size_t n, struct tie_sums *s)
{
	size_t run = 1;
	for (size_t i = 1; i < n; i++) {
		if (v[i] == v[i - 1]) {
			run++;
		} else {
			tie_add(s, run);
			run = 1;
		}
	}
	tie_add(s, run);
}

/* cor.test's tie groups, table(v[duplicated(v)]) + 1, on sorted values:
 * table() groups the duplicated values by their text (15 significant
 * digits), so exact tie runs whose values print alike make one group (two
 * runs of 2 one of 3).  Equal texts are adjacent in sorted order. */
static void tie_scan_cortest(const double *v, size_t n, struct tie_sums *s)
{
	char key[40], prev[40] = "";
	size_t dups = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && v[j] == v[i]; j++)
			;
		if (j - i < 2)
			continue;
		snprintf(key, sizeof key, "%.15g", v[i]);
		if (dups && strcmp(key, prev) == 0) {
			dups += j - i - 1;
			continue;
		}
		if (dups)
			tie_add(s, dups + 1);
		dups = j - i - 1;
		memcpy(prev, key, sizeof prev);
	}
	if (dups)
		tie_add(s, dups + 1);
}

/* On pairs sorted by (x, y): x tie groups and joint (x, y) tie pairs. */
static void pair_ties(const struct kpair *p, size_t n, struct tie_sums *xs, int64_t *joint)
{
	size_t run = 1, jrun = 1;
	*joint = 0;
	for (size_t i = 1; i <= n; i++) {
		int same_x = i < n && p[i].x == p[i - 1].x;
		int same_xy = same_x && p[i].y == p[i - 1].y;
		if (same_xy) {
			jrun++;
		} else {
			*joint += (int64_t)jrun * (int64_t)(jrun - 1) / 2;
			jrun = 1;
		}
		if (same_x) {
			run++;
		} else {
			tie_add(xs, run);
			run = 1;
		}
	}
}

/* cor.test's variance of S (with its tie groups), same operation order;
 * for n = 2 the last term is 0/0 and the result NaN, exactly as in R. */
static double var_s(const struct sm_kendall *k)
{
	double n = (double)k->n;
	double v0 = n * (n - 1) * (2 * n + 5);
	double v1 = k->x_t1 * k->y_t1;
	double v2 = k->x_t2 * k->y_t2;
	return (v0 - k->x_t5 - k->y_t5) / 18 + v1 / (2 * n * (n - 1)) +
	       v2 / (9 * n * (n - 1) * (n - 2));
}

static sm_status check_input(struct sm_ctx *ctx, const double *x, const double *y, size_t n)
{
	if (n < 2)
		return SM_FAIL(ctx, SM_EINPUT,
			       "kendall's tau needs at least 2 observations; got %zu", n);
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i]))
			return SM_FAIL(ctx, SM_EINPUT,
				       "observation %zu is not a finite number; expected "
				       "finite x and y", i + 1);
	}
	return SM_OK;
}

sm_status sm_kendall_tau_b(struct sm_ctx *ctx, const double *x, const double *y,
			   size_t n, struct sm_kendall *out)
{
	sm_status st = check_input(ctx, x, y, n);
	if (st != SM_OK)
		return st;
	struct kpair *p = sm_alloc_array(n, sizeof *p);
	struct kpair *ptmp = sm_alloc_array(n, sizeof *ptmp);
	size_t *cnt = sm_alloc_array(SM_RADIX_PASSES * SM_RADIX_SIZE, sizeof *cnt);
	if (!p || !ptmp || !cnt) {
		free(p);
		free(ptmp);
		free(cnt);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory for kendall's tau (n = %zu)", n);
	}
	for (size_t i = 0; i < n; i++) {
		p[i].x = x[i];
		p[i].y = y[i];
	}
	sort_pairs(&p, &ptmp, n, cnt);
	free(cnt);

	struct tie_sums xs = {0}, ys = {0}, xr = {0}, yr = {0};
	int64_t joint;
	pair_ties(p, n, &xs, &joint);
	/* The value arrays live in the pairs' memory (a third less fresh
	 * memory, whose page faults were a quarter of this function's time):
	 * x in the scratch pairs, then y packed in place at the front of the
	 * sorted pairs (double i lies in pair i / 2, already read), sorted
	 * with the scratch pairs as its buffer. */
	double *v = (double *)(void *)ptmp;
	for (size_t i = 0; i < n; i++)
		v[i] = p[i].x;
	tie_scan_cortest(v, n, &xr);
	double *vtmp = v;
	v = (double *)(void *)p;
	for (size_t i = 0; i < n; i++)
		v[i] = p[i].y;
	/* Within an x tie group y is ascending, so every strict inversion of y
	 * left after sorting by x is a discordant pair. */
	int64_t swaps = sort_count_inversions(&v, &vtmp, n);
	tie_scan(v, n, &ys);
	tie_scan_cortest(v, n, &yr);

	memset(out, 0, sizeof *out);
	out->n = n;
	out->n0 = (int64_t)n * (int64_t)(n - 1) / 2;
	out->n1 = xs.pairs;
	out->n2 = ys.pairs;
	out->n3 = joint;
	out->discordant = swaps;
	out->concordant = out->n0 - out->n1 - out->n2 + out->n3 - swaps;
	out->s = out->concordant - out->discordant;
	out->x_t1 = xr.t1;
	out->x_t2 = xr.t2;
	out->x_t5 = xr.t5;
	out->y_t1 = yr.t1;
	out->y_t2 = yr.t2;
	out->y_t5 = yr.t5;
	double dx = (double)(out->n0 - out->n1), dy = (double)(out->n0 - out->n2);
	out->tau_b = (dx > 0 && dy > 0) ? (double)out->s / sqrt(dx * dy) : NAN;
	out->var_s = var_s(out);
	/* cor.test's S = tau * sqrt((T0 - T1)(T0 - T2)) with its tie groups */
	double t0 = (double)out->n0;
	out->s_cortest = out->tau_b * sqrt((t0 - (double)xr.pairs) * (t0 - (double)yr.pairs));
	free(p);
	free(ptmp);
	return SM_OK;
}

/*
 * Exact distribution.  With f_n(j) = P(T = j) for n observations,
 * f_n(j) = (1/n) sum_{i=0}^{n-1} f_{n-1}(j - i): the n-th observation adds
 * 0..n-1 concordant pairs with equal probability.  Probabilities (not
 * counts) are carried, so nothing overflows at any n (R's counts overflow
 * from n = 171 on).  f_n is symmetric about M_n/2 (M_n = n(n-1)/2); only
 * f_n(0..min(q, floor(M_n/2))) is stored and the upper half is read by
 * symmetry, so every value comes from sums of small numbers and the lower
 * tail keeps its relative accuracy.  Work is O(n min(q, n^2/4)).
 */
struct kdist {
	long double *cur;  /* f_n(0..len-1) */
	long double *prev; /* f_{n-1} */
	long double *cum;  /* prefix sums of f_{n-1} */
	int64_t len;
};

static long double dist_at(const long double *f, int64_t m, int64_t half, int64_t j)
{
	if (j < 0 || j > m)
		return 0.0L;
	return j <= half ? f[j] : f[m - j];
}

static void dist_step(struct kdist *d, int64_t n, int64_t q)
{
	int64_t m_prev = (n - 1) * (n - 2) / 2, h_prev = m_prev / 2;
	int64_t m = n * (n - 1) / 2, h = m / 2;
	int64_t len = (q < h ? q : h) + 1;
	/* f_{n-1}(j) is stored for j <= h_prev, mirrored above, 0 past m_prev. */
	int64_t direct = len < h_prev + 1 ? len : h_prev + 1;
	int64_t mirror = len < m_prev + 1 ? len : m_prev + 1;
	long double inv = 1.0L / (long double)n, acc = 0.0L;
	int64_t j = 0;
	for (; j < direct; j++) {
		acc += d->prev[j];
		d->cum[j] = acc;
		d->cur[j] = (acc - (j >= n ? d->cum[j - n] : 0.0L)) * inv;
	}
	for (; j < mirror; j++) {
		acc += d->prev[m_prev - j];
		d->cum[j] = acc;
		d->cur[j] = (acc - (j >= n ? d->cum[j - n] : 0.0L)) * inv;
	}
	for (; j < len; j++) {
		d->cum[j] = acc;
		d->cur[j] = (acc - (j >= n ? d->cum[j - n] : 0.0L)) * inv;
	}
	d->len = len;
	long double *t = d->prev;
	d->prev = d->cur;
	d->cur = t;
}

sm_status sm_kendall_exact_cdf(struct sm_ctx *ctx, size_t n, int64_t q, double *p)
{
	if (n < 1 || n > SM_KENDALL_EXACT_MAX_N)
		return SM_FAIL(ctx, SM_EINPUT,
			       "exact kendall distribution for n = %zu; expected 1 <= n <= %d",
			       n, SM_KENDALL_EXACT_MAX_N);
	int64_t m = (int64_t)n * (int64_t)(n - 1) / 2;
	if (q < 0) {
		*p = 0.0;
		return SM_OK;
	}
	if (q >= m) {
		*p = 1.0;
		return SM_OK;
	}
	/* Upper half: P(T <= q) = 1 - P(T <= m - q - 1), and the latter is a
	 * lower-tail sum. */
	int upper = q > m / 2;
	int64_t qq = upper ? m - q - 1 : q;
	size_t cap = (size_t)qq + 1;
	struct kdist d = {
		.cur = sm_alloc_array(cap, sizeof(long double)),
		.prev = sm_alloc_array(cap, sizeof(long double)),
		.cum = sm_alloc_array(cap, sizeof(long double)),
	};
	if (!d.cur || !d.prev || !d.cum) {
		free(d.cur);
		free(d.prev);
		free(d.cum);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory for the exact kendall "
			       "distribution (n = %zu)", n);
	}
	d.prev[0] = 1.0L; /* n = 1: T = 0 */
	d.len = 1;
	for (int64_t i = 2; i <= (int64_t)n; i++)
		dist_step(&d, i, qq);
	int64_t h = m / 2;
	long double sum = 0.0L;
	for (int64_t j = 0; j <= qq; j++)
		sum += dist_at(d.prev, m, h, j);
	free(d.cur);
	free(d.prev);
	free(d.cum);
	double r = (double)(upper ? 1.0L - sum : sum);
	*p = r < 0 ? 0.0 : (r > 1 ? 1.0 : r);
	return SM_OK;
}

sm_status sm_kendall_exact_pval(struct sm_ctx *ctx, size_t n, int64_t q, double *p)
{
	if (n < 1 || n > SM_KENDALL_EXACT_MAX_N)
		return SM_FAIL(ctx, SM_EINPUT,
			       "exact kendall p-value for n = %zu; expected 1 <= n <= %d",
			       n, SM_KENDALL_EXACT_MAX_N);
	int64_t m = (int64_t)n * (int64_t)(n - 1) / 2;
	double tail;
	sm_status st;
	/* cor.test compares q with n(n-1)/4 as a real number. */
	if ((double)q > (double)m / 2)
		st = sm_kendall_exact_cdf(ctx, n, m - q, &tail); /* P(T >= q), symmetry */
	else
		st = sm_kendall_exact_cdf(ctx, n, q, &tail);
	if (st != SM_OK)
		return st;
	*p = fmin(1.0, 2.0 * tail);
	return SM_OK;
}
