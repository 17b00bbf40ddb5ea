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
	/* Which outcome field separates the analyses (separate outcomes, one
	 * analysis each): "domain", "event" or "none"; NULL = the review's. */
	const char *outcome_by;
	/* Subgroups of each analysis: a study characteristic or outcome
	 * column; "" or "none" = no subgroups; NULL = the review's. */
	const char *by;
	/* Meta-regression moderators, "a,b,c"; "" = none; NULL = the review's. */
	const char *mods;
	/* GLMM model for --method GLMM / GLMM-FE (UM.FS default) */
	const char *glmm;
	double add;
	int add_set;
	double level;
	int level_set;
	int drop00;
	int drop00_set;
	/* Step-length multiplier for Fisher scoring (ML, REML, EB): only when
	 * the user asks for it after a non-convergence; 0 = metafor's 1. */
	double stepadj;
	/* Fisher scoring stops at an absolute change of this much, as metafor's
	 * control$threshold (tests that reproduce a reference run with it);
	 * 0 = full double precision (the default, sm_tau2_scoring_done). */
	double threshold;
	/* 1: leave the per-study rows (each analysis' "studies" and "excluded",
	 * the review's "studies") out of the document (large simulations);
	 * every statistic is still computed. */
	int no_studies;
	/* Threads one analysis may use: its tau2 interval, Begg's test and
	 * fail-safe N run beside Egger's test, trim and fill and the influence
	 * diagnostics; 0 = the CPUs online for an analysis of at least
	 * SM_AHEAD_MIN_K (sm_analysis_json.c) studies, one thread below; 1 = no
	 * second thread; 2 or more = a second thread at every k.  The output
	 * does not depend on it. */
	int threads;
	/* Unit of analysis (README "Several rows per study"); NULL / *_set = 0
	 * keeps the review's setting.  model: "standard" | "multilevel";
	 * cluster: the column whose values group rows ("study", the default,
	 * or a study characteristic); robust: "none" | "cr1" | "cr2";
	 * aggregate: also pool one row per study with event bounds. */
	const char *model;
	const char *cluster;
	const char *robust;
	int aggregate;
	int aggregate_set;
	/* Fewest studies for which the tests of funnel asymmetry (Egger, Begg)
	 * and trim and fill are presented (README "Small-study effects");
	 * 0 = the review's setting, else SM_SMALL_STUDY_MIN_K. */
	int small_study_min_k;
	/* Harm margin of the evidence of absence, per 1000 treated
	 * (--harm-margin); *_set = 0 keeps the review's. */
	double harm_margin;
	int harm_margin_set;
	/* The sensitivity table's "Excluding ..." row (--sensitivity-exclude):
	 * FIELD (studies whose value is true/yes/1) or FIELD=VALUE; NULL: none. */
	const char *sensitivity_exclude;
	/* The order of the cumulative analysis (--cumul-order): "input",
	 * "year" or a study column; NULL: by year when every study has one,
	 * else input order (sm_cumul_order.h). */
	const char *cumul_order;
};

/* Cumulative meta-analysis fits k models of growing size; from prefix sums
 * that is O(k) in all (about 0.15 s for DL, 0.6 s for REML at k = 10^5),
 * but the rows are per-study output: above this many studies it is skipped
 * with a warning. */
#define SM_CUMUL_MAX_K 100000

/* Influence and leave-one-out fit the model once per study, O(k) in all
 * with deletion sums (sm_isub); the iterative tau2 estimators (ML, REML,
 * EB, PM) take a few dozen O(1) steps per deletion (REML: 0.03 s at
 * k = 10^4, 0.3 s at 10^5, 2 s at 10^6), so above this many studies they
 * are skipped with a warning.  The closed-form estimators have no limit. */
#define SM_LOO_ITERATIVE_MAX_K 100000

void sm_analysis_opts_init(struct sm_analysis_opts *opts);

cJSON *sm_results_build(struct sm_ctx *ctx, const struct sm_review *review,
			const struct sm_analysis_opts *opts);
/* As sm_results_build, with the per-study rows (the review's and the
 * analyses') put into spool as they are made (sm_row_spool.h): the
 * document is then only for sm_json_stream_results() with that spool,
 * which needs a few bytes per row instead of kilobytes.  The failure of a
 * put is sm_row_spool_failed()'s, not an error here. */
struct sm_row_spool;
cJSON *sm_results_build_spooled(struct sm_ctx *ctx, const struct sm_review *review,
				const struct sm_analysis_opts *opts, struct sm_row_spool *spool);

/* As sm_results_build_spooled, with the per-study rows written to stream
 * (sm_json_stream.h, begun here) as they are made where nothing changes
 * what comes before them (the review's rows, and each analysis' rows but
 * those of analyses with subgroups, which tag each row later; these and
 * the multiplicity terms are spooled): the document is then only for
 * sm_json_stream_finish() on that stream.  stream NULL: as _spooled.  On
 * failure (NULL) part of the document may have been written: the caller
 * takes the output back. */
struct sm_json_stream;
cJSON *sm_results_build_streamed(struct sm_ctx *ctx, const struct sm_review *review,
				 const struct sm_analysis_opts *opts, struct sm_row_spool *spool,
				 struct sm_json_stream *stream);

/* Deterministic, pretty-printed JSON text with a final newline. */
char *sm_results_print(const cJSON *results);

#endif
