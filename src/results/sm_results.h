/*
 * sm_results.h -- the analysis stage as a whole: a review in, the results
 * JSON document out.
 *
 * The results document is the contract with the rendering stage (keys are
 * listed in the README, "Results JSON").  It carries every computed statistic
 * and, under "review", the review's metadata, settings, PRISMA counts, risk
 * of bias and tables, so a renderer needs nothing else.
 *
 * Ownership: sm_results_build() returns a cJSON tree the caller frees with
 * cJSON_Delete(); sm_results_print() returns a string the caller frees.
 */
#ifndef SM_RESULTS_H
#define SM_RESULTS_H

#include "sm_ctx.h"
#include "sm_review.h"

#include <cjson/cJSON.h>

/* Command-line overrides of the review's settings; NULL / *_set = 0 means
 * "keep the review's value" (which itself defaults to the preset). */
struct sm_analysis_opts {
	const char *preset;
	const char *measure;
	const char *method;
	const char *test;
	const char *to;
	const char *by; /* grouping column; "" = no grouping */
	double add;
	int add_set;
	double level;
	int level_set;
	int drop00;
	int drop00_set;
	/* Step-length multiplier for Fisher scoring (ML, REML, EB): only when
	 * the user asks for it after a non-convergence; 0 = metafor's 1. */
	double stepadj;
	/* 1: leave the per-study rows ("studies", "excluded") out of the
	 * document (large simulations); every statistic is still computed. */
	int no_studies;
};

/* Cumulative meta-analysis refits k models of growing size (O(k^2)); above
 * this many studies it is skipped with a warning. */
#define SM_CUMUL_MAX_K 10000

/* Influence and leave-one-out refit the model once per study; for the
 * iterative tau2 estimators (ML, REML, EB, PM) that is O(k^2) work, so above
 * this many studies they are skipped with a warning (the closed-form
 * estimators use O(k) deletion formulas and have no such limit). */
#define SM_LOO_ITERATIVE_MAX_K 5000

void sm_analysis_opts_init(struct sm_analysis_opts *opts);

cJSON *sm_results_build(struct sm_ctx *ctx, const struct sm_review *review,
			const struct sm_analysis_opts *opts);

/* Deterministic, pretty-printed JSON text with a final newline. */
char *sm_results_print(const cJSON *results);

#endif
