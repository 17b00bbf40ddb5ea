/*
 * sm_analysis_json.h -- one analysis (one group of studies) as a results
 * JSON object: pooled estimate, heterogeneity, bias tests, per-study
 * diagnostics, exclusions and warnings (keys listed in the README).
 *
 * A statistic that cannot be computed for these data (Egger's test with
 * k < 3, a Q-profile interval for a common-effect model) is null, and the
 * reason is added to the analysis' "warnings".  Only errors that make the
 * whole analysis meaningless (k = 0) fail.
 *
 * Ownership: returns a new cJSON object (caller deletes), NULL on error.
 */
#ifndef SM_ANALYSIS_JSON_H
#define SM_ANALYSIS_JSON_H

#include "sm_analysis_data.h"
#include "sm_run_settings.h"

#include <cjson/cJSON.h>

cJSON *sm_analysis_json(struct sm_ctx *ctx, const struct sm_review *review,
			const struct sm_analysis_data *data,
			const struct sm_run_settings *settings);

#endif
