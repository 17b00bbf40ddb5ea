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

/* What a caller that combines analyses needs of one (the test for
 * subgroup differences, weights as shares of a larger total). */
struct sm_analysis_pooled {
	int random;             /* the pooled model has a tau2 */
	double b, se;           /* the analysis' pooled estimate (its "estimate", "se") */
	/* The common-effect estimate: the pooled one for common-effect
	 * analyses (FE, MH, Peto), the inverse-variance FE fit beside an IV
	 * random-effects model, the Mantel-Haenszel one beside RevMan's. */
	double common_b, common_se;
	size_t k;
	double *weights;        /* k, percent: the studies' "weight"; owned */
	double *row_weights;    /* one per row (n), percent: the weight of each row in
				 * the pooled estimate (Mantel-Haenszel and Peto pool
				 * rows without an effect size too), NAN outside; owned */
};

void sm_analysis_pooled_release(struct sm_analysis_pooled *p);

/* As sm_analysis_json, also filling *pooled (released by the caller, also
 * after a failure). */
cJSON *sm_analysis_json_pooled(struct sm_ctx *ctx, const struct sm_review *review,
			       const struct sm_analysis_data *data,
			       const struct sm_run_settings *settings,
			       struct sm_analysis_pooled *pooled);

/* As sm_analysis_json_pooled, with every per-study row put into spool
 * (sm_row_spool.h) as soon as it is complete: the caller streams the
 * document with the same spool (sm_json_stream.h). */
struct sm_row_spool;
cJSON *sm_analysis_json_spooled(struct sm_ctx *ctx, const struct sm_review *review,
				const struct sm_analysis_data *data,
				const struct sm_run_settings *settings,
				struct sm_analysis_pooled *pooled, struct sm_row_spool *spool);

/* As sm_analysis_json_spooled, with the rows of "studies" written to
 * stream as they are made (sm_json_stream.h: the analysis is opened as the
 * next element of the stream's open list, and left open after its rows;
 * the caller appends it there and leaves it once the rest of it is final);
 * the "excluded" rows, which come after in the document, are spooled.
 * Each streamed row is noted in index (sm_row_index.h), which must be
 * given with a stream: a row written as text keeps no node in the tree, so
 * the document's later readers of the rows must be given index too.
 * stream NULL: as _spooled (index unused). */
struct sm_json_stream;
struct sm_row_index;
cJSON *sm_analysis_json_indexed(struct sm_ctx *ctx, const struct sm_review *review,
				const struct sm_analysis_data *data,
				const struct sm_run_settings *settings,
				struct sm_analysis_pooled *pooled, struct sm_row_spool *spool,
				struct sm_json_stream *stream, struct sm_row_index *index);

#endif
