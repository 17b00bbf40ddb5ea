#include "sm_faxis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9

/* The 1-2-5 values: index j is m * 10^e with m = 1, 2, 5 for j mod 3 =
 * 0, 1, 2 and e = floor(j / 3); value(-j) = 1 / value(j). */
static double grid_value(long j)
{
	static const double mant[] = { 1, 2, 5 };
	long e = j >= 0 ? j / 3 : -((-j + 2) / 3);
	long r = j - 3 * e;
	/* 10^e exactly where doubles can: divide by 10^-e for e < 0 */
	return e >= 0 ? mant[r] * pow(10, (double)e) : mant[r] / pow(10, (double)-e);
}

/* The smallest index whose value reaches x (x > 0). */
static long grid_ceil(double x)
{
	long j = 3 * (long)floor(log10(x)) - 3;
	while (grid_value(j) < x * (1 - EPS))
		j++;
	return j;
}

static long grid_floor(double x)
{
	long j = grid_ceil(x);
	while (grid_value(j) > x * (1 + EPS))
		j--;
	return j;
}

/* i steps of step index k (a 1-2-5 step), exactly where doubles allow. */
static double step_times(long k, long i)
{
	static const double mant[] = { 1, 2, 5 };
	long e = k >= 0 ? k / 3 : -((-k + 2) / 3);
	double m = mant[k - 3 * e] * (double)i;
	if (i == 0)
		return 0.0; /* never -0 */
	return e >= 0 ? m * pow(10, (double)e) : m / pow(10, (double)-e);
}

static void add_tick(struct sm_axis *a, double v)
{
	if (a->nticks < SM_AXIS_MAX_TICKS) {
		a->ticks[a->nticks] = v;
		a->rank[a->nticks++] = 0;
	}
}

static int near(double a, double b, int log_scale)
{
	return log_scale ? fabs(log(a / b)) < 1e-7 : fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* Ticks of the ratio scale: every s-th 1-2-5 value. */
static const long log_steps[] = { 1, 2, 3, 6, 9, 12, 18, 24 };
#define NLOG (sizeof log_steps / sizeof log_steps[0])

/* Symmetric around 1, covering [lo, hi]. */
static int fit_ratio(struct sm_axis *a, double lo, double hi, int level)
{
	double need = fmax(fmax(hi, 1 / lo), 2);
	long jn = grid_ceil(need);
	int first = -1;
	for (size_t i = 0; i < NLOG && first < 0; i++) {
		long s = log_steps[i], J = (jn + s - 1) / s * s;
		if (2 * J / s + 1 <= 7)
			first = (int)i;
	}
	if (first < 0)
		first = NLOG - 1;
	if ((size_t)(first + level) >= NLOG)
		return 0;
	long s = log_steps[first + level], J = (jn + s - 1) / s * s;
	a->log = 1;
	a->lo = grid_value(-J);
	a->hi = grid_value(J);
	a->nticks = 0;
	for (long j = -J; j <= J; j += s)
		add_tick(a, j == 0 ? 1.0 : grid_value(j));
	return 1;
}

/* Grid ticks of step s inside [lo, hi] (given limits) and the ends. */
static void ratio_inside(struct sm_axis *a, long s)
{
	a->nticks = 0;
	add_tick(a, a->lo);
	long j0 = grid_ceil(a->lo), j1 = grid_floor(a->hi);
	long start = j0 >= 0 ? (j0 + s - 1) / s * s : -((-j0) / s * s);
	for (long j = start; j <= j1; j += s) {
		double v = j == 0 ? 1.0 : grid_value(j);
		if (!near(v, a->lo, 1) && !near(v, a->hi, 1))
			add_tick(a, v);
	}
	add_tick(a, a->hi);
}

static int fit_ratio_xlim(struct sm_axis *a, double lo, double hi, int level)
{
	a->log = 1;
	a->lo = lo;
	a->hi = hi;
	int first = -1;
	for (size_t i = 0; i < NLOG && first < 0; i++) {
		ratio_inside(a, log_steps[i]);
		if (a->nticks <= 7)
			first = (int)i;
	}
	if (first < 0)
		first = NLOG - 1;
	if ((size_t)(first + level) >= NLOG)
		return 0;
	ratio_inside(a, log_steps[first + level]);
	return 1;
}

/* Intervals of step k over [lo, hi]. */
static long intervals(double lo, double hi, long k)
{
	double st = step_times(k, 1);
	return lround(ceil(hi / st - EPS)) - lround(floor(lo / st + EPS));
}

/* The smallest step index giving at most `most` intervals. */
static long first_step(double lo, double hi, long most)
{
	long k = 3 * (long)floor(log10(hi - lo)) - 6;
	while (intervals(lo, hi, k) > most)
		k++;
	return k;
}

static void linear_ticks(struct sm_axis *a, long k)
{
	double st = step_times(k, 1);
	long i0 = lround(ceil(a->lo / st - EPS)), i1 = lround(floor(a->hi / st + EPS));
	a->nticks = 0;
	if (!near(step_times(k, i0), a->lo, 0))
		add_tick(a, a->lo);
	for (long i = i0; i <= i1; i++)
		add_tick(a, step_times(k, i));
	if (!near(step_times(k, i1), a->hi, 0))
		add_tick(a, a->hi);
}

/* Covering [lo, hi] and 0; the null never at an end, so that both sides
 * have room.  Proportions: from 0 to at most prop_max. */
static int fit_linear(struct sm_axis *a, double lo, double hi, int prop, double prop_max,
		      int level)
{
	if (prop) {
		lo = 0;
		hi = isfinite(hi) && hi > 0 ? fmin(hi, prop_max) : prop_max;
	} else {
		lo = fmin(lo, 0);
		hi = fmax(hi, 0);
		if (!(hi > lo)) {
			lo = -1;
			hi = 1;
		}
	}
	long k = first_step(lo, hi, prop ? 5 : 6) + level;
	/* coarser steps stop once a step spans the data (two intervals around
	 * the null, one for a proportion) */
	if (level > 0 && intervals(lo, hi, k - 1) <= (prop ? 1 : 2))
		return 0;
	double st = step_times(k, 1);
	long i0 = lround(floor(lo / st + EPS)), i1 = lround(ceil(hi / st - EPS));
	if (!prop && i0 == 0)
		i0 = -1;
	if (!prop && i1 == 0)
		i1 = 1;
	a->log = 0;
	a->lo = step_times(k, i0);
	a->hi = step_times(k, i1);
	if (prop && a->hi > prop_max)
		a->hi = prop_max;
	linear_ticks(a, k);
	return 1;
}

static int fit_linear_xlim(struct sm_axis *a, double lo, double hi, int level)
{
	a->log = 0;
	a->lo = lo;
	a->hi = hi;
	long k = first_step(lo, hi, 6) + level;
	if (level > 0 && intervals(lo, hi, k - 1) <= 2)
		return 0;
	linear_ticks(a, k);
	return 1;
}

int sm_faxis_fit(struct sm_axis *a, enum sm_faxis_kind kind, const struct sm_faxis_spec *spec,
		 double lo, double hi, double prop_max, int level)
{
	int ratio = kind == SM_FAXIS_RATIO;
	if (spec && spec->nat > 0) {
		if (level > 0)
			return 0;
		a->log = ratio;
		a->lo = spec->has_xlim ? spec->xlim[0] : spec->at[0];
		a->hi = spec->has_xlim ? spec->xlim[1] : spec->at[spec->nat - 1];
		a->nticks = 0;
		for (size_t i = 0; i < spec->nat; i++)
			if (spec->at[i] >= a->lo * (1 - EPS) && spec->at[i] <= a->hi * (1 + EPS))
				add_tick(a, spec->at[i]);
		return 1;
	}
	if (spec && spec->has_xlim)
		return ratio ? fit_ratio_xlim(a, spec->xlim[0], spec->xlim[1], level)
			     : fit_linear_xlim(a, spec->xlim[0], spec->xlim[1], level);
	if (ratio) {
		if (!(lo > 0) || !isfinite(lo))
			lo = 1;
		if (!isfinite(hi) || hi < 1)
			hi = 1;
		return fit_ratio(a, fmin(lo, 1), fmax(hi, 1), level);
	}
	if (!isfinite(lo))
		lo = 0;
	if (!isfinite(hi))
		hi = 0;
	return fit_linear(a, lo, hi, kind == SM_FAXIS_PROP, prop_max, level);
}

/* ---- parsing ------------------------------------------------------------ */

/* Numbers separated by commas, at most `max`; the count, or -1. */
static int parse_list(const char *s, double *v, int max)
{
	int n = 0;
	const char *p = s;
	for (;;) {
		char *end = NULL;
		double x = strtod(p, &end);
		if (end == p || !isfinite(x) || n >= max)
			return -1;
		v[n++] = x;
		while (*end == ' ')
			end++;
		if (*end == 0)
			return n;
		if (*end != ',')
			return -1;
		p = end + 1;
	}
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

sm_status sm_faxis_parse(struct sm_ctx *ctx, const char *xlim, const char *at,
			 enum sm_faxis_kind kind, struct sm_faxis_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	int ratio = kind == SM_FAXIS_RATIO;
	const char *scale = ratio ? "; a ratio scale needs positive values" : "";
	if (xlim) {
		double v[2];
		if (parse_list(xlim, v, 2) != 2 || !(v[0] < v[1]) || (ratio && !(v[0] > 0)))
			return SM_FAIL(ctx, SM_EINPUT, "--xlim \"%s\": expected LO,HI, two numbers "
				       "with LO < HI on the display scale%s", xlim, scale);
		spec->has_xlim = 1;
		spec->xlim[0] = v[0];
		spec->xlim[1] = v[1];
	}
	if (at) {
		int n = parse_list(at, spec->at, SM_AXIS_MAX_TICKS);
		int ok = n >= 1;
		for (int i = 0; ok && i < n; i++)
			ok = !ratio || spec->at[i] > 0;
		if (ok)
			qsort(spec->at, (size_t)n, sizeof spec->at[0], cmp_double);
		for (int i = 1; ok && i < n; i++)
			ok = spec->at[i] > spec->at[i - 1];
		if (ok && n == 1 && !spec->has_xlim)
			ok = 0;
		if (!ok)
			return SM_FAIL(ctx, SM_EINPUT, "--at \"%s\": expected V1,V2,...: 2 to %d "
				       "different numbers on the display scale (one is enough with "
				       "--xlim)%s", at, SM_AXIS_MAX_TICKS, scale);
		spec->nat = (size_t)n;
	}
	return SM_OK;
}
