/*
 * sm_sensitivity.h -- the sensitivity table of one analysis: the pooled
 * result again under the choices a reader may doubt, one row each.
 *
 *   "All studies"                     the analysis itself
 *   "Excluding high risk of bias"     a refit without the studies the review's
 *                                     risk_of_bias judges high (rule below)
 *   "Excluding <FIELD>"               a refit without the studies flagged by
 *                                     --sensitivity-exclude FIELD[=VALUE]
 *   "Common effect", "Random effects" the other model of the pair refitted
 *   "Trim-and-fill adjusted"          the analysis' model on the filled data
 *   "Multilevel ...", "Cluster-robust ...", "GLMM ..."
 *                                     the results of those models when the
 *                                     analysis has them
 *
 * Refits of a subset are whole analyses (sm_analysis_json) of those rows
 * with the analysis' own settings: the same pooling method, tau2 estimator,
 * test, continuity correction and unit of analysis.  Every row carries k,
 * the estimate, CI and p on the analysis scale, tau2 and I2 (null where the
 * model has none) and the estimate and CI back-transformed as the pooled
 * ones are; a row that cannot be computed has null numbers and says why
 * in "note".
 *
 * High risk of bias: a study's overall judgment at the level "high" of its
 * tool (RoB 1 and RoB 2 "high", ROBINS-I "serious" or "critical"); where
 * the overall judgment is null, any domain judged so (the Cochrane
 * Handbook's summary rule for RoB 1: high risk in at least one domain).
 * Studies without judgments stay in.
 *
 * Ownership: the block is added to `analysis` (which owns it).
 */
#ifndef SM_SENSITIVITY_H
#define SM_SENSITIVITY_H

#include "sm_analysis_data.h"
#include "sm_multilevel_json.h"
#include "sm_run_settings.h"

#include <cjson/cJSON.h>

/* Adds analysis["sensitivity"] from what `analysis` holds already (its
 * pooled values, fits, trimfill, multilevel, robust and rare_events) and
 * the refits.  Nothing is added to a refit (settings->sensitivity_refit).
 * SM_EINPUT when --sensitivity-exclude names no field of the review. */
sm_status sm_sensitivity_add(struct sm_ctx *ctx, const struct sm_review *review,
			     const struct sm_analysis_data *data,
			     const struct sm_run_settings *settings,
			     const struct sm_display *disp, cJSON *analysis, cJSON *warnings);

#endif
