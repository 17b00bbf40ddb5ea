#include "sm_axis.h"

#include <math.h>
#include <stdlib.h>

double sm_axis_null(const struct sm_axis *a)
{
	return a->log ? 1.0 : 0.0;
}

double sm_axis_map(const struct sm_axis *a, double v)
{
	double t;
	if (a->log)
		t = (log(v) - log(a->lo)) / (log(a->hi) - log(a->lo));
	else
		t = (v - a->lo) / (a->hi - a->lo);
	return a->x0 + t * (a->x1 - a->x0);
}

static void add_tick(struct sm_axis *a, double v, int rank)
{
	if (a->nticks < SM_AXIS_MAX_TICKS) {
		a->ticks[a->nticks] = v;
		a->rank[a->nticks++] = rank;
	}
}

/* Ratio ticks: 1 always; decades next; then 0.5 and 2, then 0.2 and 5, so
 * that what stays is symmetric around 1 on the log scale. */
static int log_rank(double v)
{
	double f = fabs(log10(v));
	double frac = f - floor(f + 1e-9);
	if (f < 1e-9)
		return 0;
	return frac < 1e-6 ? 1 : frac < 0.5 ? 2 : 3;
}

static void fit_log(struct sm_axis *a, double lo, double hi)
{
	static const double ends[] = { 2, 5, 10, 20, 50, 100, 1000, 1e4 };
	double need = fmax(hi, 1.0 / lo);
	double e = ends[7];
	for (int i = 0; i < 8; i++)
		if (need <= ends[i] * (1 + 1e-9)) {
			e = ends[i];
			break;
		}
	a->lo = 1 / e;
	a->hi = e;
	for (int d = -6; d <= 6; d++) {
		const double mult[] = { 1, 2, 5 };
		for (int m = 0; m < 3; m++) {
			double v = pow(10, d) * mult[m];
			if (v < a->lo * (1 - 1e-9) || v > a->hi * (1 + 1e-9))
				continue;
			/* The axis ends are always labelled. */
			int end = fabs(log(v / a->lo)) < 1e-9 || fabs(log(v / a->hi)) < 1e-9;
			add_tick(a, v, end ? 0 : log_rank(v));
		}
	}
}

/* Difference ticks: steps of a 1-2-5 size, symmetric around 0. */
static void fit_linear(struct sm_axis *a, double lo, double hi)
{
	double need = fmax(fabs(lo), fabs(hi));
	if (!(need > 0))
		need = 1;
	double p = pow(10, floor(log10(need)));
	double e = need <= p ? p : need <= 2 * p ? 2 * p : need <= 5 * p ? 5 * p : 10 * p;
	a->lo = -e;
	a->hi = e;
	for (int i = -4; i <= 4; i++) {
		int rank = i == 0 || abs(i) == 4 ? 0 : abs(i) == 2 ? 1 : 2;
		add_tick(a, e * i / 4.0, rank);
	}
}

void sm_axis_fit(struct sm_axis *a, int log_scale, double lo, double hi)
{
	a->log = log_scale;
	a->nticks = 0;
	if (log_scale) {
		if (!(lo > 0) || !isfinite(lo))
			lo = 1;
		if (!isfinite(hi) || hi < 1)
			hi = 1;
		fit_log(a, fmin(lo, 1), fmax(hi, 1));
	} else {
		if (!isfinite(lo))
			lo = 0;
		if (!isfinite(hi))
			hi = 0;
		fit_linear(a, lo, hi);
	}
}

int sm_axis_thin(struct sm_axis *a)
{
	int top = 0;
	for (int i = 0; i < a->nticks; i++)
		if (a->rank[i] > top)
			top = a->rank[i];
	if (top == 0)
		return 0;
	int n = 0;
	for (int i = 0; i < a->nticks; i++)
		if (a->rank[i] < top) {
			a->ticks[n] = a->ticks[i];
			a->rank[n++] = a->rank[i];
		}
	a->nticks = n;
	return 1;
}

/* Log range: the 1-2-5 values around the data; the decades stay longest. */
static void range_log(struct sm_axis *a, double lo, double hi)
{
	static const double mult[] = { 1, 2, 5 };
	a->lo = 0;
	a->hi = 0;
	for (int d = -8; d <= 8; d++)
		for (int m = 0; m < 3; m++) {
			double v = pow(10, d) * mult[m];
			if (v <= lo * (1 + 1e-9))
				a->lo = v;
			if (a->hi == 0 && v >= hi * (1 - 1e-9))
				a->hi = v;
		}
	if (!(a->lo > 0))
		a->lo = 1e-8;
	if (!(a->hi > a->lo))
		a->hi = a->lo * 10;
	for (int d = -8; d <= 8; d++)
		for (int m = 0; m < 3; m++) {
			double v = pow(10, d) * mult[m];
			if (v < a->lo * (1 - 1e-9) || v > a->hi * (1 + 1e-9))
				continue;
			int end = fabs(log(v / a->lo)) < 1e-9 || fabs(log(v / a->hi)) < 1e-9;
			add_tick(a, v, end ? 0 : m == 0 ? 1 : m == 2 ? 2 : 3);
		}
}

/* Linear range: about five steps of a 1-2-5 size; every other tick (from
 * the ends) is dropped first. */
static void range_linear(struct sm_axis *a, double lo, double hi)
{
	if (!(hi > lo)) {
		double pad = fabs(lo) > 0 ? fabs(lo) * 0.5 : 1;
		lo -= pad;
		hi += pad;
	}
	double raw = (hi - lo) / 5, p = pow(10, floor(log10(raw)));
	double step = raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
	long i0 = lround(floor(lo / step + 1e-9)), i1 = lround(ceil(hi / step - 1e-9));
	while (i1 - i0 + 1 > SM_AXIS_MAX_TICKS) {
		step *= 2;
		i0 = lround(floor(lo / step + 1e-9));
		i1 = lround(ceil(hi / step - 1e-9));
	}
	a->lo = (double)i0 * step;
	a->hi = (double)i1 * step;
	for (long i = i0; i <= i1; i++) {
		/* -0 would print with a minus sign in some formatters */
		double v = i == 0 ? 0.0 : (double)i * step;
		add_tick(a, v, i == i0 || i == i1 ? 0 : (i - i0) % 2 ? 1 : 0);
	}
}

void sm_axis_fit_range(struct sm_axis *a, int log_scale, double lo, double hi)
{
	a->log = log_scale;
	a->nticks = 0;
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = log_scale ? 0.5 : 0;
		hi = log_scale ? 2 : 1;
	}
	if (log_scale)
		range_log(a, lo > 0 ? lo : 1e-8, hi > 0 ? hi : 1);
	else
		range_linear(a, lo, hi);
}
