/*
 * sm_proportion.h -- per-study exact (Clopper-Pearson) confidence intervals
 * for proportions, metafor's back-transformations for display, and the
 * upper bound reported when no study observed any event.
 *
 * Back-transformations (metafor 3.8-1 names):
 *   exp            OR, RR (log scale)
 *   transf.ilogit  PLO: 1/(1 + exp(-x))
 *   transf.iarcsin PAS: sin(x)^2, 0 below x = 0, 1 above x = pi/2
 *   transf.ipft.hm PFT: Miller's inverse of the Freeman-Tukey double arcsine
 *                  with n = harmonic mean of the ni; 0 below the value of
 *                  p = 0, 1 above the value of p = 1, NAN where undefined
 *   identity       PR, RD and other raw scales
 *
 * Ownership: plain values; nothing here allocates.
 */
#ifndef SM_PROPORTION_H
#define SM_PROPORTION_H

#include "sm_ctx.h"
#include "sm_escalc.h"

#include <stddef.h>

enum sm_transf {
	SM_TRANSF_NONE,    /* identity */
	SM_TRANSF_EXP,     /* exp */
	SM_TRANSF_ILOGIT,  /* transf.ilogit */
	SM_TRANSF_IARCSIN, /* transf.iarcsin */
	SM_TRANSF_IPFT_HM  /* transf.ipft.hm; needs the harmonic mean of the ni */
};

double sm_transf_ilogit(double x);
double sm_transf_iarcsin(double x);
/* Freeman-Tukey transform of proportion p with sample size n
 * (metafor's transf.pft): (asin(sqrt(pn/(n+1))) + asin(sqrt((pn+1)/(n+1))))/2. */
double sm_transf_pft(double p, double n);
/* Inverse Freeman-Tukey for sample size n (transf.ipft): NAN where the
 * formula has no real value and x lies between the limits. */
double sm_transf_ipft(double x, double n);
/* 1/mean(1/ni) over the finite ni (metafor's na.rm = TRUE); NAN when none. */
double sm_harmonic_mean(const double *ni, size_t k);
/* The display back-transformation of a measure's model scale. */
enum sm_transf sm_measure_transf(enum sm_measure m);
/* Apply t to x; nhm is used by SM_TRANSF_IPFT_HM only. */
double sm_transf_apply(enum sm_transf t, double x, double nhm);

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
