/*
 * sm_axis.h -- the effect axis of a forest plot: limits, ticks, mapping.
 *
 * Ratio measures use a log axis labelled on the ratio scale, symmetric
 * around 1 so that both "Favours" sides get the same room; differences use
 * a linear axis symmetric around 0.  Ticks come from readable values (0.01,
 * 0.1, 0.2, 0.5, 1, 2, 5, 10, 100); the layout thins them when labels would
 * touch.  Values are on the display scale (odds ratios, not log odds).
 *
 * Ownership: plain value struct, nothing allocated.
 */
#ifndef SM_AXIS_H
#define SM_AXIS_H

#define SM_AXIS_MAX_TICKS 32

struct sm_axis {
	int log;       /* 1: ratio scale */
	double lo, hi; /* limits, display scale */
	double x0, x1; /* page x of lo and hi (pt) */
	int nticks;
	double ticks[SM_AXIS_MAX_TICKS];
	int rank[SM_AXIS_MAX_TICKS]; /* 0 = keep always; higher = drop first */
};

/* Choose limits and candidate ticks covering [lo, hi] (display scale; the
 * null value is always inside). */
void sm_axis_fit(struct sm_axis *a, int log, double lo, double hi);
/* Limits and ticks covering the data [lo, hi] only (funnel plots, bars):
 * not symmetric and not forced to hold the null value.  The limits are the
 * nearest readable values outside the data.  Log: 1-2-5 values; linear:
 * steps of 1, 2 or 5 times a power of ten, about five of them. */
void sm_axis_fit_range(struct sm_axis *a, int log, double lo, double hi);
/* Drop the ticks of the highest rank still present; 0 when none left to
 * drop. */
int sm_axis_thin(struct sm_axis *a);
/* Page x of a display-scale value (may lie outside x0..x1). */
double sm_axis_map(const struct sm_axis *a, double v);
/* The value of no effect: 1 or 0. */
double sm_axis_null(const struct sm_axis *a);

#endif
