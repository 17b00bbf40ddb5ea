/*
 * sm_subgroups_json.h -- subgroups of one analysis (--by COLUMN): each
 * subgroup's own pooled analysis, the subgroups' shares of the analysis'
 * total weight, and the test for subgroup differences under three models,
 * each named in the output:
 *   common_effect                 each subgroup pooled by the analysis'
 *                                 common-effect model, Q test between them;
 *   random_effects_separate_tau2  each subgroup's random-effects estimate
 *                                 with its own tau2 (meta's default), Q
 *                                 test between them;
 *   mixed_effects_common_tau2     metafor's rma(yi, vi, mods = ~ factor(g))
 *                                 with one residual tau2: QM.
 * Subgroups are not separate outcomes: they partition the studies of one
 * analysis, whose overall result stays the analysis' own.
 *
 * Ownership: returns a new cJSON object (caller deletes), NULL on error
 * (an input error: a study without a value for the column).
 */
#ifndef SM_SUBGROUPS_JSON_H
#define SM_SUBGROUPS_JSON_H

#include "sm_analysis_data.h"
#include "sm_analysis_json.h"
#include "sm_columns.h"
#include "sm_run_settings.h"

#include <cjson/cJSON.h>

/* Subgroups with more levels than this get no mixed-effects test: its
 * design has one column per level, and the fit costs O(k levels^2). */
#define SM_SUBGROUP_MODS_MAX_LEVELS 50

/* The "subgroups" block of the analysis of d, whose JSON object is
 * `analysis` (its studies get their "subgroup") and whose pooled values
 * (weights included) are `overall`. */
cJSON *sm_subgroups_json(struct sm_ctx *ctx, const struct sm_review *review,
			 const struct sm_analysis_data *d, const struct sm_run_settings *s,
			 const struct sm_column *col, const struct sm_analysis_pooled *overall,
			 cJSON *analysis);

#endif
