#include "sm_nchg.h"

#include "sm_buf.h"
#include "sm_stats.h"

#include <math.h>
#include <stdlib.h>

/* Terms this far below the largest are left out (log-concave tails). */
#define NCHG_CUTOFF 50.0

/* log of C(n1,y+1) C(n2,m-y-1) / (C(n1,y) C(n2,m-y)), from exact integer
 * products (below 2^53 for any count a review holds). */
static double log_ratio(double n1, double n2, double m, double y)
{
	return log((n1 - y) * (m - y)) - log((y + 1) * (n2 - m + y + 1));
}

sm_status sm_nchg_init(struct sm_ctx *ctx, struct sm_nchg *h, double ai, double n1, double ci,
		       double n2)
{
	h->lc = NULL;
	double m = ai + ci;
	double lo = m - n2 > 0 ? m - n2 : 0, hi = n1 < m ? n1 : m;
	if (!(hi - lo + 1 <= (double)SM_NCHG_MAX_SUPPORT))
		return SM_FAIL(ctx, SM_EINPUT, "a table with %.0f events has %.0f possible splits; "
			       "expected at most %ld for the exact conditional likelihood",
			       m, hi - lo + 1, SM_NCHG_MAX_SUPPORT);
	h->x = (long)ai;
	h->lo = (long)lo;
	h->hi = (long)hi;
	size_t size = (size_t)(h->hi - h->lo + 1);
	h->lc = sm_alloc_array(size, sizeof *h->lc);
	if (!h->lc)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	/* Cumulative sums from the observed count outward, compensated so
	 * that thousands of steps keep full precision. */
	struct sm_ksum s = { 0, 0 };
	for (long y = h->x; y < h->hi; y++) {
		sm_ksum_add(&s, log_ratio(n1, n2, m, (double)y));
		h->lc[y + 1 - h->lo] = sm_ksum_get(&s);
	}
	s = (struct sm_ksum){ 0, 0 };
	for (long y = h->x; y > h->lo; y--) {
		sm_ksum_add(&s, -log_ratio(n1, n2, m, (double)(y - 1)));
		h->lc[y - 1 - h->lo] = sm_ksum_get(&s);
	}
	h->lc[h->x - h->lo] = 0;
	return SM_OK;
}

void sm_nchg_release(struct sm_nchg *h)
{
	free(h->lc);
	h->lc = NULL;
}

int sm_nchg_at_bound(const struct sm_nchg *h)
{
	return h->x == h->lo || h->x == h->hi;
}

/* The mode at theta: the first y whose successor is not larger (the
 * increments lc[y+1] - lc[y] + theta decrease in y). */
static long nchg_mode(const struct sm_nchg *h, double theta)
{
	long a = h->lo, b = h->hi; /* the mode lies in [a, b] */
	while (a < b) {
		long mid = a + (b - a) / 2;
		double inc = h->lc[mid + 1 - h->lo] - h->lc[mid - h->lo] + theta;
		if (inc > 0)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}

double sm_nchg_eval(const struct sm_nchg *h, double theta, double *mean, double *var)
{
	long mode = nchg_mode(h, theta);
	double top = h->lc[mode - h->lo] + (double)(mode - h->x) * theta;
	/* sums of w, (y - mode) w, (y - mode)^2 w with w = exp(t - top) */
	double s0 = 1, s1 = 0, s2 = 0;
	for (long y = mode + 1; y <= h->hi; y++) {
		double t = h->lc[y - h->lo] + (double)(y - h->x) * theta - top;
		if (t < -NCHG_CUTOFF)
			break;
		double w = exp(t), d = (double)(y - mode);
		s0 += w;
		s1 += d * w;
		s2 += d * d * w;
	}
	for (long y = mode - 1; y >= h->lo; y--) {
		double t = h->lc[y - h->lo] + (double)(y - h->x) * theta - top;
		if (t < -NCHG_CUTOFF)
			break;
		double w = exp(t), d = (double)(y - mode);
		s0 += w;
		s1 += d * w;
		s2 += d * d * w;
	}
	double m1 = s1 / s0;
	if (mean)
		*mean = (double)mode + m1;
	if (var) {
		double v = s2 / s0 - m1 * m1;
		*var = v > 0 ? v : 0;
	}
	/* the observed term is exp(0 - top) relative to the mode's */
	return -top - log(s0);
}
