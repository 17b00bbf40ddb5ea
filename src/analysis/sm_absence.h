/*
 * sm_absence.h -- evidence of absence for one analysis of 2x2 counts: how
 * large an excess risk the data exclude, per 1000 treated patients.
 *
 *   risk difference   Mantel-Haenszel (common effect, no continuity
 *                     correction, double-zero tables count; Sato's variance
 *                     as metafor's rma.mh): estimate and level-% interval
 *                     per 1000, and its one-sided level-% upper bound
 *                     RD + z(level) se;
 *   back-calculation  the analysis' pooled ratio (OR, Peto OR or RR, with
 *                     its interval and one-sided bound b + c se, c the
 *                     normal or t quantile of its test) at the pooled crude
 *                     control risk p0 = sum of control events / sum of
 *                     control patients over the analysis' rows:
 *                     OR: p1 = OR p0 / (1 - p0 + OR p0); RR: p1 = RR p0;
 *                     the excess is p1 - p0 (a pooled RD is its own);
 *   excluded          "the data exclude an excess risk above U per 1000":
 *                     U the one-sided bound of the MH risk difference (the
 *                     back-calculated one where MH has none); with no event
 *                     in any study, U is the exact one-sided bound on the
 *                     treated risk 1 - (1 - level)^(1/n_t), which bounds the
 *                     excess too, beside the rule of three 3/n_t, with the
 *                     patients counted once per study (largest arm);
 *   harm margin       excluded when U < margin; the optimal information
 *                     size is the total of a 1:1 trial that excludes the
 *                     margin with the given power when the true excess is
 *                     0, by the standard sample size of a non-inferiority
 *                     comparison of two proportions (Blackwelder WC. Stat
 *                     Med 1982;1:211; Chow, Shao & Wang, Sample Size
 *                     Calculations in Clinical Research, 2nd ed. 2008,
 *                     sec. 4.2): n per arm = (z(level) + z(power))^2
 *                     2 p0 (1 - p0) / margin^2, rounded up; total 2n.
 *
 * Ownership: sm_absence_json returns a new object (NULL only on out of
 * memory); reasons for null numbers go to warnings.
 */
#ifndef SM_ABSENCE_H
#define SM_ABSENCE_H

#include "sm_analysis_data.h"
#include "sm_run_settings.h"

#include <cjson/cJSON.h>

/* The analysis' pooled result on its model scale. */
struct sm_absence_pooled {
	const char *measure; /* OR, PETO, RR or RD */
	const char *method;  /* its method label (DL, MH, REML, ...) */
	double b, se, ci_lb, ci_ub;
	double df;           /* t quantile df of its test, NAN for z */
};

/* The one-sided critical value of a level-% bound: z, or t with df. */
double sm_absence_crit(double level, double df);

/* Optimal information size (total patients, 1:1) to exclude margin (a
 * risk, not per 1000) at control risk p0, one-sided level-% bound and
 * power (percent); NAN when p0 is 0 or 1. */
double sm_absence_ois(double p0, double margin, double level, double power);

cJSON *sm_absence_json(struct sm_ctx *ctx, const struct sm_review *r,
		       const struct sm_analysis_data *d, const struct sm_run_settings *s,
		       const struct sm_absence_pooled *pooled, cJSON *warnings);

#endif
