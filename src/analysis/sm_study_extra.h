/*
 * sm_study_extra.h -- per-study additions of a 2x2 analysis and the
 * influence findings of an analysis, written into the results document.
 *
 *   fisher_p     every 2x2 row (in or out of the model): Fisher's exact
 *                two-sided P of its table (sm_exact2x2.h), the P value of
 *                the term for multiplicity adjustments (sm_multiplicity.h);
 *   rd_interval  risk-difference analyses: the interval a row shows, with
 *                its method.  A table with a zero cell has a degenerate
 *                Wald interval (an arm of variance 0, or one resting on the
 *                added 1/2), so it shows the Miettinen-Nurminen score
 *                interval of its raw counts; other rows their Wald interval
 *                (yi -/+ z sqrt(vi), as ci_lb/ci_ub).
 *
 *   influence_summary  the studies metafor's influence() flags as
 *                influential, the outliers (|rstudent| above the Bonferroni
 *                bound qnorm(1 - 0.05/(2k))), and those whose Cook's
 *                distance is above the chi-square(1) median (metafor's Cook
 *                criterion, qchisq(0.5, 1) = 0.4549), as label lists.
 *
 * Ownership: the writers add to the objects they are given.
 */
#ifndef SM_STUDY_EXTRA_H
#define SM_STUDY_EXTRA_H

#include "sm_analysis_data.h"
#include "sm_influence.h"
#include "sm_run_settings.h"

#include <cjson/cJSON.h>

/* Adds fisher_p (2x2) and rd_interval (measure RD) to study row `row` of
 * d; wald_lb/ub are the row's own interval (NAN for a row out of the
 * model).  A failure is a warning; the keys are then null. */
void sm_study_extra_write(struct sm_ctx *ctx, const struct sm_analysis_data *d, size_t row,
			  const struct sm_run_settings *s, double wald_lb, double wald_ub,
			  cJSON *st, cJSON *warnings);

/* The influence summary of the k studies in the model (inf NULL: the
 * diagnostics were not computed, and the object says so), with the
 * reference lines of metafor's plot(influence()) for `full`, the fit the
 * diagnostics are of (p = 1): rstudent +-qnorm(0.975), |DFFITS| bound
 * 3 sqrt(p/(k - p)), hat p/k and 3p/k, |DFBETAS| 1, cov.r 1, weight 100/k,
 * tau2.del at the full tau2, QE.del at the full QE and at k - p. */
cJSON *sm_influence_summary_json(const struct sm_analysis_data *d,
				 const struct sm_influence *inf, const struct sm_rma_fit *full);

#endif
