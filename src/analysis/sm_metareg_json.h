/*
 * sm_metareg_json.h -- meta-regression of one analysis on its moderators
 * (--mods), as metafor rma(yi, vi, mods = ~ m1 + m2 ..., method, test):
 * the coefficients and tests, and for a bubble plot the studies' moderator
 * values with the fitted line and its bands on a grid.
 *
 * Moderators: a column whose values are all numbers (JSON numbers, numbers
 * with a unit, CSV cells that read as numbers) is numeric, one column of
 * the design; one whose values are all text is categorical, coded as R
 * codes a character column (factor levels sorted, the first the reference,
 * one 0/1 column "name" + level for each other level).  Numbers and text
 * mixed, or different units, are input errors, as is a study without a
 * value.  A moderator that is constant or collinear with the ones before
 * it, or fewer studies than the model has parameters (coefficients, plus
 * tau2 for random effects), cannot be fitted: an input error when the
 * review has one analysis; with several separate outcomes that analysis'
 * "meta_regression" is null with the reason in its warnings (the
 * moderator may vary in the other outcomes).
 *
 * Ownership: returns a new cJSON value (caller deletes): an object, or a
 * JSON null (see above); NULL on error (in ctx).
 */
#ifndef SM_METAREG_JSON_H
#define SM_METAREG_JSON_H

#include "sm_analysis_data.h"
#include "sm_columns.h"
#include "sm_run_settings.h"

#include <cjson/cJSON.h>

/* Grid points of the fitted line of a bubble plot, over the data range. */
#define SM_BUBBLE_POINTS 101

/* several: the review has more than one separate outcome.  warnings: the
 * analysis' "warnings" array (reasons for a null result go there). */
cJSON *sm_metareg_json(struct sm_ctx *ctx, const struct sm_review *review,
		       const struct sm_analysis_data *d, const struct sm_run_settings *s,
		       const struct sm_column *mods, size_t n_mods, int several,
		       cJSON *warnings);

#endif
