/*
 * sm_run_settings.h -- the settings an analysis actually runs with.
 *
 * Resolved in this order, each later source overriding the earlier: the
 * preset (metafor unless named), the review's "settings", the command line.
 * The result is validated against the data: a measure for 2x2 counts cannot
 * run on proportions, MH and Peto pooling need 2x2 counts, and so on.
 *
 * Ownership: a plain value; group_by and preset point into the review, the
 * options or static storage, and live as long as those.
 */
#ifndef SM_RUN_SETTINGS_H
#define SM_RUN_SETTINGS_H

#include "sm_escalc.h"
#include "sm_results.h"
#include "sm_review.h"
#include "sm_rma.h"

/* How studies are pooled: inverse variance (rma.uni with a tau2 method),
 * Mantel-Haenszel, Peto, or RevMan 5's random-effects model (DerSimonian-
 * Laird with tau2 from the heterogeneity Q around the MH estimate). */
enum sm_pooling { SM_POOL_IV, SM_POOL_MH, SM_POOL_PETO, SM_POOL_REVMAN_DL };

struct sm_run_settings {
	const char *preset;
	struct sm_escalc_opts esc;
	enum sm_pooling pooling;
	enum sm_method method; /* tau2 estimator for SM_POOL_IV, else SM_FE/SM_DL */
	enum sm_test test;
	double level;
	const char *group_by; /* NULL or "" = one pooled analysis */
	const char *method_label; /* "DL", "MH", "PETO", "REML", ... */
	double stepadj;           /* Fisher scoring step multiplier (1 = none) */
	double threshold;         /* metafor's absolute threshold; 0 = full precision */
	int no_studies;           /* leave per-study rows out of the output */
};

sm_status sm_run_settings_resolve(struct sm_ctx *ctx, const struct sm_review *review,
				  const struct sm_analysis_opts *opts,
				  struct sm_run_settings *out);

/* The rma options (full-precision convergence) for these settings. */
struct sm_rma_opts sm_run_settings_rma(const struct sm_run_settings *s);

#endif
