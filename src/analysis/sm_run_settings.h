/*
 * sm_run_settings.h -- the settings an analysis actually runs with.
 *
 * Resolved in this order, each later source overriding the earlier: the
 * preset (metafor unless named), the review's "settings", the command line.
 * The result is validated against the data: a measure for 2x2 counts cannot
 * run on proportions, MH and Peto pooling need 2x2 counts, and so on.
 *
 * Ownership: a plain value; outcome_by, subgroup_by, mods and preset point
 * into the review, the options or static storage, and live as long as
 * those.  sm_run_settings_mods returns an array the caller frees.
 */
#ifndef SM_RUN_SETTINGS_H
#define SM_RUN_SETTINGS_H

#include "sm_escalc.h"
#include "sm_glmm.h"
#include "sm_results.h"
#include "sm_review.h"
#include "sm_rma.h"

/* How studies are pooled: inverse variance (rma.uni with a tau2 method),
 * Mantel-Haenszel, Peto, or RevMan 5's random-effects model (DerSimonian-
 * Laird with tau2 from the heterogeneity Q around the MH estimate). */
enum sm_pooling { SM_POOL_IV, SM_POOL_MH, SM_POOL_PETO, SM_POOL_REVMAN_DL, SM_POOL_GLMM };

/* Power (percent) of the optimal information size for a harm margin. */
#define SM_HARM_POWER 80.0

struct sm_run_settings {
	const char *preset;
	struct sm_escalc_opts esc;
	enum sm_pooling pooling;
	enum sm_method method; /* tau2 estimator for SM_POOL_IV, else SM_FE/SM_DL
				* (GLMM: SM_ML with tau2, SM_FE without) */
	enum sm_glmm_model glmm; /* the GLMM of SM_POOL_GLMM */
	enum sm_test test;
	double level;
	const char *outcome_by;  /* "domain", "event" or "" (one pooled analysis) */
	const char *subgroup_by; /* NULL = no subgroups */
	const char *mods_list;   /* "a,b" from the options, or NULL ... */
	const char *const *mods; /* ... else the review's own (n_mods) */
	size_t n_mods;
	const char *method_label; /* "DL", "MH", "PETO", "REML", ... */
	double stepadj;           /* Fisher scoring step multiplier (1 = none) */
	double threshold;         /* metafor's absolute threshold; 0 = full precision */
	int no_studies;           /* leave per-study rows out of the output */
	/* Threads an analysis may use (sm_analysis_opts.threads); 0 = the
	 * CPUs for large analyses, 1 = every step in order on the caller's
	 * thread.  The document is the same byte for byte. */
	int threads;
	/* Unit of analysis.  multilevel: the analysis' main model is the
	 * three-level one; ml_method its estimator (REML, or ML when the
	 * method is ML).  cluster: the grouping column ("study" unless set);
	 * cluster_given: named by the user, so a cluster that cannot serve is an
	 * error instead of a warning.  robust: 0 none, 1 CR1, 2 CR2. */
	int multilevel;
	enum sm_method ml_method;
	const char *cluster;
	int cluster_given;
	int robust;
	int aggregate;
	/* Egger, Begg and trim and fill are flagged, not presented, below this
	 * many studies (command line, review, else SM_SMALL_STUDY_MIN_K). */
	int small_study_min_k;
	/* Evidence of absence: the harm margin per 1000 treated (NAN: none)
	 * and the power of the optimal information size (percent). */
	double harm_margin;
	double harm_power;
	/* The sensitivity table (sm_sensitivity.h): the review field whose
	 * flagged studies one row leaves out (NULL: no such row), and whether
	 * this is one of its refits (which has no sensitivity block itself). */
	const char *sensitivity_exclude;
	int sensitivity_refit;
	const char *cumul_order; /* --cumul-order; NULL: year if known, else input */
};

/* The default of small_study_min_k: the Cochrane Handbook's rule of thumb
 * (section 13.3.5.4: tests for funnel plot asymmetry only with at least 10
 * studies) and meta's metabias(k.min = 10). */
#define SM_SMALL_STUDY_MIN_K 10

sm_status sm_run_settings_resolve(struct sm_ctx *ctx, const struct sm_review *review,
				  const struct sm_analysis_opts *opts,
				  struct sm_run_settings *out);

/* The moderators of the meta-regression (*n names, 0: none); NULL when
 * none or on out of memory (*n = 0 then too).  Caller frees the array. */
const char **sm_run_settings_mods(const struct sm_run_settings *s, size_t *n);

/* The rma options (full-precision convergence) for these settings. */
struct sm_rma_opts sm_run_settings_rma(const struct sm_run_settings *s);

/* The inverse-variance model that stands in for the pooling method where
 * only an rma model exists (subgroup tests, meta-regression): the analysis'
 * own (GLMM pooling: its tau2 estimator's rma); a common-effect model with
 * z tests for MH and Peto pooling; DerSimonian-Laird for RevMan's. */
struct sm_rma_opts sm_run_settings_iv(const struct sm_run_settings *s);

#endif
