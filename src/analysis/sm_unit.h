/*
 * sm_unit.h -- the unit of analysis: which rows of an analysis come from
 * one study (or one cluster), what the results say about it, and the
 * per-study aggregates.
 *
 * Safety reviews report adverse events per term, so one trial gives several
 * rows of a body-system domain; pooled as independent studies they count
 * the trial's patients several times.  This module
 *  - resolves the cluster column (`--cluster`, default "study": the study
 *    id; otherwise a study characteristic) to one value per outcome row,
 *  - numbers the clusters of an analysis' rows for the multilevel model and
 *    the cluster-robust inference,
 *  - detects studies with several rows and control arms entering more than
 *    once (rows of one study with identical control counts: the same
 *    control patients counted again) -- the "unit_of_analysis" object and
 *    its warnings,
 *  - builds one row per study with bounds on the patients with an event
 *    (lower: the largest row's events; upper: the sum of the rows' events,
 *    at most the arm's size; the arm's size is the largest row's).
 *
 * Cost: O(n) per analysis with hash maps, O(n log n) for the control-arm
 * grouping (a sort).
 *
 * Ownership: sm_clusters_new() returns a map freed by sm_clusters_free();
 * it borrows the review, which must outlive it.  JSON objects and outcome
 * arrays returned are the caller's (cJSON_Delete, free); outcome strings
 * point into the review.
 */
#ifndef SM_UNIT_H
#define SM_UNIT_H

#include "sm_analysis_data.h"
#include "sm_review.h"

#include <cjson/cJSON.h>

struct sm_clusters;

/* The cluster value of every outcome row of the review.  SM_EINPUT at the
 * FILE:LINE of the rows for a column no study has (naming the columns that
 * exist) or a study without a value. */
struct sm_clusters *sm_clusters_new(struct sm_ctx *ctx, const struct sm_review *review,
				    const char *column);
void sm_clusters_free(struct sm_clusters *c);
const char *sm_clusters_column(const struct sm_clusters *c);
/* The study of an outcome row (NULL if unknown). */
const struct sm_study *sm_clusters_study(const struct sm_clusters *c,
					 const struct sm_outcome *o);

/* Fills d->cluster, d->n_clusters and d->cluster_label for the rows that
 * enter the model. */
sm_status sm_unit_assign(struct sm_ctx *ctx, const struct sm_clusters *c,
			 struct sm_analysis_data *d);

/* 1 when some cluster holds more than one of the analysis' rows. */
int sm_unit_several_rows(const struct sm_analysis_data *d);

/* The "unit_of_analysis" object of an analysis (rows that enter the
 * model); its findings are also added to `warnings` as text.  with_labels
 * 0 (--no-studies) leaves out the row labels of each listed study.  NULL
 * on out of memory. */
cJSON *sm_unit_detect_json(struct sm_ctx *ctx, const struct sm_review *review,
			   const struct sm_clusters *c, const struct sm_analysis_data *d,
			   int with_labels, cJSON *warnings);

/* One outcome per study of the analysis' rows (all of them, first
 * appearance order) with the lower (upper = 0) or upper bound of the
 * patients with an event in each arm.  2x2 and proportion data only
 * (SM_EINPUT otherwise).  *n_out gets the count; free() the array.  Arm
 * sizes that differ between a study's rows are listed in `warnings`
 * (when not NULL). */
struct sm_outcome *sm_unit_aggregate(struct sm_ctx *ctx, const struct sm_review *review,
				     const struct sm_clusters *c,
				     const struct sm_analysis_data *d, int upper,
				     size_t *n_out, cJSON *warnings);

#endif
