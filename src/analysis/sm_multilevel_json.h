/*
 * sm_multilevel_json.h -- the multilevel model and the cluster-robust
 * inference of one analysis, as results JSON ("multilevel" and "robust";
 * keys in the README, "Results JSON").
 *
 * The rows are those that enter the model, grouped by the clusters that
 * sm_unit_assign() put in the analysis data.
 *
 * Ownership: returned cJSON objects are the caller's; nothing is kept.
 */
#ifndef SM_MULTILEVEL_JSON_H
#define SM_MULTILEVEL_JSON_H

#include "sm_analysis_data.h"
#include "sm_multilevel.h"
#include "sm_proportion.h"
#include "sm_run_settings.h"

#include <cjson/cJSON.h>

/* The display scale of an analysis (exp for ratios, ...). */
struct sm_display {
	enum sm_transf transf;
	double nhm; /* harmonic mean of ni for PFT */
};

/* The three-level fit of the analysis' rows with the settings' level,
 * estimator (REML or ML) and test (knha: rma.mv's t test). */
sm_status sm_multilevel_fit_analysis(struct sm_ctx *ctx, const struct sm_analysis_data *d,
				     const struct sm_run_settings *s, struct sm_ml_fit *out);

/* The "multilevel" object; with the settings' robust type its own
 * "robust" block (failures noted in warnings). */
cJSON *sm_multilevel_json(struct sm_ctx *ctx, const struct sm_ml_fit *f,
			  const struct sm_analysis_data *d, const struct sm_run_settings *s,
			  const struct sm_display *disp, cJSON *warnings);

/* The "robust" object for an intercept-only fit with variance components
 * {between clusters, within} and estimate b; robust type from the
 * settings (1 CR1, 2 CR2).  JSON null with the reason in warnings when it
 * cannot be computed. */
cJSON *sm_robust_json(struct sm_ctx *ctx, const struct sm_analysis_data *d,
		      const struct sm_run_settings *s, const double sigma2[2], double b,
		      int rma_uni, const struct sm_display *disp, cJSON *warnings);

#endif
