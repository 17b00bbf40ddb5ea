/*
 * sm_proportion.h -- per-study exact (Clopper-Pearson) confidence intervals
 * for proportions, metafor's back-transformations for display, and the
 * upper bound reported when no study observed any event (the
 * back-transformations themselves are vocabulary: sm_measure.h).
 *
 * Ownership: plain values; nothing here allocates.
 */
#ifndef SM_PROPORTION_H
#define SM_PROPORTION_H

#include "sm_ctx.h"
#include "sm_measure.h"

#include <stddef.h>

/* 1/mean(1/ni) over the finite ni (metafor's na.rm = TRUE); NAN when none. */
double sm_harmonic_mean(const double *ni, size_t k);

/* Exact two-sided Clopper-Pearson interval for x events out of n:
 * [qbeta(a/2; x, n-x+1), qbeta(1-a/2; x+1, n-x)] with a = 1 - level/100,
 * lower 0 when x = 0 and upper 1 when x = n (R's binom.test).
 * 0 <= x <= n, n > 0, 0 < level < 100. */
struct sm_prop_ci {
	double est;   /* x / n */
	double lower;
	double upper;
};
sm_status sm_prop_clopper_pearson(struct sm_ctx *ctx, double x, double n, double level,
				  struct sm_prop_ci *out);

/* What to report when no study observed an event: the pooled estimate on
 * any transformed scale is then driven by the continuity correction, so
 * the honest summary is an upper bound on the event rate. */
struct sm_zero_events {
	int applies;          /* 1 when every xi is 0, else 0 (other fields NAN) */
	size_t k;             /* studies */
	double n_total;       /* sum of ni (pooled patients) */
	double level;         /* one-sided confidence level, percent */
	/* exact one-sided Clopper-Pearson upper bound for 0 events in n_total:
	 * 1 - (1 - level/100)^(1/n_total); 0.0950 for n = 30 at 95% */
	double upper_exact;
	double upper_rule_of_three; /* 3/n_total (the 95% rule of three) */
};
sm_status sm_prop_zero_events(struct sm_ctx *ctx, const double *xi, const double *ni,
			      size_t k, double level, struct sm_zero_events *out);

#endif
