/*
 * sm_res.h -- the results document as typed C data: what the analysis
 * stage wrote, read once, validated, and handed to every renderer.
 *
 * The results JSON (`safemeta analyze`) is the only thing the rendering
 * stage reads besides a style.  sm_res_read() checks it completely before
 * any figure is laid out: every key is one the key table (sm_res_keys.h)
 * knows, of the right type and range, required keys are present, pooled
 * and study intervals are ordered, and every display-scale value is the
 * back-transform (sm_measure.h) of its analysis-scale value.  An error
 * names FILE:LINE:COL and the field ("field 'analyses[2].k': expected a
 * non-negative integer, got -3"); nothing is drawn from a document that
 * failed.  Renderers and reports take `const struct sm_res *` and never see
 * the JSON: what they draw is what is here, and nothing is recomputed.
 *
 * Conventions: member names are the JSON keys.  A number that is null or
 * absent is NAN; a string that is null or absent is NULL; a boolean is 1, 0
 * or -1 (null/absent).  An object that is null or absent has present = 0
 * and every member zero/NAN.  Lists are {v, n}.  Interval pairs are [2].
 *
 * Ownership: sm_res_read() returns a document freed with sm_res_free(); it
 * owns every string and list in it (one arena).  Nothing is borrowed from
 * the text it was read from.
 */
#ifndef SM_RES_H
#define SM_RES_H

#include "sm_ctx.h"

#include <stddef.h>

/* The version of the results document this build writes and reads
 * ("results_version"); documents from other versions are refused. */
#define SM_RESULTS_VERSION 1

/* A list of n items of type T. */
#define SM_RES_LIST(T) \
	struct {       \
		T *v;  \
		size_t n; \
	}

typedef SM_RES_LIST(const char *) sm_res_strings;
typedef SM_RES_LIST(double) sm_res_numbers; /* NAN for a null */

/* A free-form value: a table cell, a study characteristic. */
enum sm_res_cell_kind { SM_CELL_NULL, SM_CELL_STRING, SM_CELL_NUMBER, SM_CELL_BOOL };
struct sm_res_cell {
	enum sm_res_cell_kind kind;
	const char *s;  /* STRING */
	double v;       /* NUMBER; BOOL: 0 or 1 */
};

/* A characteristic of a study: its name and value. */
struct sm_res_char {
	const char *key;
	struct sm_res_cell value;
};

/* ---- settings ------------------------------------------------------------ */

struct sm_res_settings {
	int present;
	const char *preset, *measure, *method, *tau2_estimator, *test, *to;
	const char *outcome_by, *subgroup_by; /* what separates the analyses; their subgroups */
	sm_res_strings mods;                  /* meta-regression moderators */
	double level, add;
	int drop00;
	const char *model, *cluster, *robust; /* standard|multilevel, the cluster column, none|cr1|cr2 */
	int aggregate;
};

/* ---- review --------------------------------------------------------------- */

struct sm_res_review_settings {
	int present;
	sm_res_strings arm_labels; /* treated, control */
	const char *outcome_label;
};

struct sm_res_study_info {
	int present;
	const char *id, *label, *ref;
	double year;
	SM_RES_LIST(struct sm_res_char) characteristics;
	int has_characteristics_numeric; /* numbers with units (not kept here) */
};

struct sm_res_metadata {
	int present;
	const char *id, *title, *date, *source;
	sm_res_strings authors, notes;
	int has_extra; /* free-form "extra" (not kept) */
};

struct sm_res_prisma_source {
	int present;
	const char *name;
	double n;
};

struct sm_res_prisma_reason {
	int present;
	const char *reason;
	double n;
};

struct sm_res_prisma_other {
	int present;
	SM_RES_LIST(struct sm_res_prisma_source) sources; /* websites, citation searching ... */
	double records_identified, reports_sought, reports_not_retrieved, reports_assessed,
		reports_excluded;
	SM_RES_LIST(struct sm_res_prisma_reason) exclusion_reasons;
};

struct sm_res_prisma {
	int present;
	const char *template_name; /* "template": new | updated */
	double previous_studies, previous_reports;
	SM_RES_LIST(struct sm_res_prisma_source) databases, registers;
	double records_databases, records_registers; /* the two totals of the template */
	double records_identified, duplicates_removed, automation_excluded, other_removed,
		records_screened, records_excluded, reports_sought, reports_not_retrieved,
		reports_assessed, reports_excluded, studies_included, reports_included;
	/* updated template: this update's studies (studies_included is the total) */
	double new_studies_included, new_reports_included;
	SM_RES_LIST(struct sm_res_prisma_reason) exclusion_reasons;
	struct sm_res_prisma_other other_methods;
	sm_res_strings notes;
};

struct sm_res_prisma_finding {
	int present;
	const char *step, *message;
	double expected, reported; /* NAN for a count not reported */
};

struct sm_res_rob_judgment {
	int present;
	const char *study;
	sm_res_strings values; /* one per domain; NULL = not assessed */
	const char *overall;
};

struct sm_res_rob {
	int present;
	const char *tool;
	sm_res_strings domains;
	SM_RES_LIST(struct sm_res_rob_judgment) judgments;
};

struct sm_res_row {
	SM_RES_LIST(struct sm_res_cell) cells;
};

struct sm_res_table {
	int present;
	const char *id, *title, *footnote;
	sm_res_strings columns;
	SM_RES_LIST(struct sm_res_row) rows;
};

struct sm_res_review {
	int present;
	const char *id, *title, *data;
	struct sm_res_metadata metadata;
	struct sm_res_review_settings settings;
	SM_RES_LIST(struct sm_res_study_info) studies; /* empty under --no-studies */
	struct sm_res_prisma prisma;
	SM_RES_LIST(struct sm_res_prisma_finding) prisma_findings;
	struct sm_res_rob risk_of_bias;
	SM_RES_LIST(struct sm_res_table) tables;
	int has_reported;  /* the paper's reported values are in the document */
};

/* ---- one analysis ---------------------------------------------------------- */

/* Pooled values on the display scale (odds ratios, proportions). */
struct sm_res_transformed {
	int present;
	const char *function; /* none, exp, ilogit, iarcsin, ipft.hm */
	double estimate, ci_lb, ci_ub, pi_lb, pi_ub;
	double ni_harmonic_mean; /* ipft.hm only */
};

struct sm_res_totals {
	int present;
	double events_t, n_t, events_c, n_c;
};

struct sm_res_crude {
	int present;
	double events, patients, proportion;
	double exact_ci[2];
};

struct sm_res_zero_events {
	int present;
	double n_total, level, upper_exact, upper_rule_of_three;
};

struct sm_res_egger {
	int present;
	double stat, df, p, slope, limit, limit_ci_lb, limit_ci_ub;
	const char *model;
};

struct sm_res_begg {
	int present;
	double tau, p, statistic;
	const char *p_method, *statistic_name;
};

struct sm_res_failsafe {
	int present;
	double rosenthal, rosenthal_p, orwin, orwin_target, rosenberg, rosenberg_p;
};

struct sm_res_filled {
	int present;
	double yi, vi;
};

/* The adjusted estimate on the display scale (odds ratios, proportions). */
struct sm_res_trimfill_transformed {
	int present;
	double estimate, ci_lb, ci_ub;
};

struct sm_res_trimfill {
	int present;
	double k0, k0_se, estimate, se, ci_lb, ci_ub, p, tau2;
	const char *side, *estimator;
	struct sm_res_trimfill_transformed transformed;
	SM_RES_LIST(struct sm_res_filled) filled;
};

/* Egger, Begg and trim and fill are computed at every k but presented only
 * from min_k studies on (README "Small-study effects"). */
struct sm_res_small_study {
	int present;
	double min_k;
	int below_min_k;
};

struct sm_res_fit_transformed {
	int present;
	double estimate, ci_lb, ci_ub;
};

/* Another model fitted beside the analysis' own (the common-effect row of
 * a random-effects analysis). */
struct sm_res_fit {
	int present;
	const char *method, *model, *test, *glmm; /* glmm: its GLMM model (GLMM pooling) */
	double estimate, se, ci_lb, ci_ub, stat, p;
	struct sm_res_fit_transformed transformed;
	sm_res_numbers weights; /* the studies' weights in this fit, in the order of
				 * "studies" (empty when not written) */
};

/* Mantel-Haenszel and Peto pooling, computed beside every 2x2 analysis. */
struct sm_res_mh {
	int present;
	double k, k_yi, estimate, se, stat, p, ci_lb, ci_ub, Q, Q_df, Q_p, I2, H2;
	double CMH, CMH_p, BD, BD_p, tarone, tarone_p, k_pos;
	const char *note;
};

struct sm_res_peto {
	int present;
	double k, k_yi, estimate, se, stat, p, ci_lb, ci_ub, Q, Q_df, Q_p, I2, H2;
};

struct sm_res_study_transformed {
	int present;
	double yi, ci_lb, ci_ub;
};

struct sm_res_zero_cell {
	int present;
	double added;
	int double_zero, dropped;
	const char *reason;
};

/* A refit: leave-one-out (without the study) or cumulative (up to it). */
struct sm_res_refit {
	int present;
	double estimate, se, ci_lb, ci_ub, p, tau2, I2, Q;
	struct sm_res_fit_transformed transformed; /* display scale */
};

/* A study row of an analysis ("studies"), or one left out ("excluded",
 * where only the labels, counts, reason and zero_cell are set). */
/* The interval a risk-difference row shows (Wald, or the score interval
 * where a zero cell makes the Wald one degenerate). */
struct sm_res_rd_interval {
	int present;
	const char *method, *reason;
	double ci_lb, ci_ub;
};

struct sm_res_study {
	int present;
	const char *label, *study_id, *group, *event, *reason;
	const char *subgroup;         /* its subgroup, when the analysis has them */
	double year;                  /* NAN when unknown */
	double ai, n1i, ci, n2i;      /* 2x2 counts */
	double xi, ni;                /* proportions */
	double yi, vi, ci_lb, ci_ub, weight;
	struct sm_res_study_transformed transformed;
	double proportion;            /* xi / ni (proportions) */
	double exact_ci[2];
	double fisher_p;              /* Fisher's exact P of the row's table (2x2) */
	struct sm_res_rd_interval rd_interval;
	int pooled_table;             /* "excluded": its table is in the MH/Peto estimate */
	struct sm_res_zero_cell zero_cell;
	double rstudent, dffits, cooks, cov_r, tau2_del, Q_del, hat, dfbs;
	double baujat_x, baujat_y;    /* metafor baujat() coordinates */
	int influential, outlier;
	struct sm_res_refit loo, cumul;
};

/* Cluster-robust inference on a fitted model (metafor robust()). */
struct sm_res_robust {
	int present;
	const char *method, *cluster, *df_method;
	double clusters, estimate, se, stat, df, p, ci_lb, ci_ub;
	struct sm_res_fit_transformed transformed;
};

/* The three-level model of rows within clusters (rma.mv). */
struct sm_res_multilevel {
	int present;
	const char *model, *method, *test;
	sm_res_strings levels;      /* [cluster column, "row"] */
	double k;
	double sigma2[2], sigma2_nlevels[2];
	int sigma2_at_zero[2];
	double estimate, se, stat, df, p, ci_lb, ci_ub, pi_lb, pi_ub, Q, Q_df, Q_p, logLik;
	struct sm_res_transformed transformed;
	struct sm_res_robust robust;
};

struct sm_res_several_rows {
	int present;
	const char *study_id, *label;
	double rows;
	sm_res_strings labels;
};

struct sm_res_shared_control {
	int present;
	const char *study_id, *label;
	double n_c, events_c, rows;
	sm_res_strings labels;
};

/* Several rows per study, and control arms that enter more than once. */
struct sm_res_unit {
	int present;
	double rows, studies, clusters;
	const char *cluster;
	SM_RES_LIST(struct sm_res_several_rows) studies_with_several_rows;
	SM_RES_LIST(struct sm_res_shared_control) shared_control_arms;
};

struct sm_res_analysis;

/* A generalized linear mixed model (metafor rma.glmm) as the pooling. */
struct sm_res_glmm {
	int present;
	const char *model, *model_name, *method;
	double nAGQ, k, k_all, k_omitted, k_yi, tau2, se_tau2, sigma2, vt, I2, H2;
	double QE_wald, QE_wald_df, QE_wald_p, QE_lrt, QE_lrt_df, QE_lrt_p, loglik;
};

/* One row of the rare-event method comparison. */
struct sm_res_rare_method {
	int present;
	const char *method, *measure, *glmm, *model, *note;
	double estimate, ci_lb, ci_ub, p, log_estimate, se, tau2, I2, null, k_used;
};

/* The same data pooled by the methods that treat rare events differently. */
struct sm_res_rare {
	int present;
	double k, k_double_zero, k_zero_cell, level;
	SM_RES_LIST(struct sm_res_rare_method) methods;
};

/* One row of the sensitivity table (sm_sensitivity.h). */
struct sm_res_sens_row {
	int present;
	const char *label, *method, *model, *note;
	double k, estimate, ci_lb, ci_ub, p, tau2, I2;
	struct sm_res_fit_transformed transformed;
	sm_res_strings excluded; /* the studies the row leaves out */
};

/* The pooled result again under the choices a reader may doubt. */
struct sm_res_sensitivity {
	int present;
	const char *high_risk_of_bias, *exclude_field;
	SM_RES_LIST(struct sm_res_sens_row) rows;
};

/* A coefficient of a (meta-)regression. */
struct sm_res_coef {
	int present;
	const char *name;
	double estimate, se, stat, p, ci_lb, ci_ub;
};

/* A Q test between subgroup estimates. */
struct sm_res_between {
	int present;
	const char *model;
	double subgroups, Q, Q_df, Q_p;
};

/* metafor's mixed-effects model with the subgroup as moderator. */
struct sm_res_mixed {
	int present;
	const char *model, *method, *test, *QM_distribution, *reference;
	double k, QM, QM_df, QM_df2, QM_p, QE, QE_df, QE_p, tau2, I2, R2;
	SM_RES_LIST(struct sm_res_coef) coefficients;
};

struct sm_res_subgroup_tests {
	int present;
	struct sm_res_between common_effect, random_effects_separate_tau2;
	struct sm_res_mixed mixed_effects_common_tau2;
};

/* The subgroups of one analysis (--by): each a whole analysis of its
 * studies (an empty subgroup holds only its name, k = 0, k_rows and
 * warnings), and the tests for subgroup differences. */
struct sm_res_subgroups_of {
	int present;
	const char *by, *source;
	sm_res_strings levels;
	SM_RES_LIST(struct sm_res_analysis) groups;
	struct sm_res_subgroup_tests tests;
};

struct sm_res_moderator {
	int present;
	const char *name, *source, *type, *unit, *reference;
	double min, max, mean;
	sm_res_strings levels, coefficients;
};

struct sm_res_yi {
	int present;
	double yi;
};

struct sm_res_mr_study {
	int present;
	const char *label, *study_id;
	SM_RES_LIST(struct sm_res_char) moderators;
	double yi, vi, weight;
	struct sm_res_yi transformed;
};

struct sm_res_line_display {
	int present;
	const char *function;
	sm_res_numbers estimate, ci_lb, ci_ub, pi_lb, pi_ub;
};

/* The fitted line of a meta-regression over one moderator's range. */
struct sm_res_line {
	int present;
	sm_res_numbers x, estimate, se, ci_lb, ci_ub, pi_lb, pi_ub;
	struct sm_res_line_display transformed;
};

struct sm_res_bubble {
	int present;
	const char *moderator, *unit, *axis_label, *others;
	struct sm_res_line line;
};

struct sm_res_metareg {
	int present;
	const char *model, *method, *test, *stat_name, *QM_distribution, *transformed_function;
	double k, p, df, QM, QM_df, QM_df2, QM_p, QE, QE_df, QE_p, tau2, tau2_se, I2, H2, R2;
	SM_RES_LIST(struct sm_res_moderator) moderators;
	SM_RES_LIST(struct sm_res_coef) coefficients;
	SM_RES_LIST(struct sm_res_mr_study) studies;
	SM_RES_LIST(struct sm_res_bubble) bubble;
};

/* The order of the cumulative analysis: what it is by ("year", "input" or
 * a study column) and the studies in that order (indices into "studies"). */
struct sm_res_cumul_order {
	int present;
	const char *by;
	sm_res_numbers studies;
};

/* Influential studies and outliers, by label (sm_study_extra.h). */
struct sm_res_influence_summary {
	int present;
	int computed;
	sm_res_strings influential, outliers, cooks_above_median;
	double rstudent_bound, cooks_bound;
	/* reference lines of plot(influence()) (sm_study_extra.h) */
	double rstudent_line, dffits_bound, hat_mean, hat_bound, dfbs_bound, cov_r_line;
	double weight_mean, tau2_line, QE_line, QE_df;
	const char *method;
};

/* Evidence of absence of a 2x2 analysis (sm_absence.h). */
struct sm_res_absence {
	int present;
	double level_one_sided, control_risk_per_1000;
	const char *control_risk_source, *rd_method;
	double rd_per_1000, rd_ci_lb_per_1000, rd_ci_ub_per_1000, rd_upper_per_1000;
	const char *backcalc_method;
	double backcalc_per_1000, backcalc_ci_lb_per_1000, backcalc_ci_ub_per_1000,
		backcalc_upper_per_1000;
	int zero_events;
	double patients_t, patients_c, exact_upper_per_1000, rule_of_three_per_1000;
	double excluded_above_per_1000;
	const char *excluded_method;
	double harm_margin_per_1000;
	int margin_excluded;
	double power, ois_total, information_fraction;
	const char *ois_method, *statement;
};

struct sm_res_analysis {
	int present;
	const char *name, *model, *measure, *method, *test, *tau2_estimator, *to;
	double level, k, k_rows, add;
	int drop00;
	double estimate, se, ci_lb, ci_ub, stat, df, p, pi_lb, pi_ub;
	double tau2, tau2_se, I2, H2, Q, Q_df, Q_p, rstudent_bound;
	double tau2_ci[2], I2_ci[2], H2_ci[2];
	struct sm_res_transformed transformed;
	struct sm_res_totals totals;
	struct sm_res_crude crude;
	struct sm_res_zero_events zero_events;
	struct sm_res_egger egger;
	struct sm_res_begg begg;
	struct sm_res_failsafe failsafe;
	struct sm_res_trimfill trimfill;
	struct sm_res_small_study small_study;
	double display_per; /* proportions: shown per this many patients (NAN otherwise) */
	SM_RES_LIST(struct sm_res_fit) fits;
	double sigma2[2], sigma2_nlevels[2]; /* the pooled model's (model multilevel) */
	struct sm_res_multilevel multilevel;  /* beside a row-level result */
	struct sm_res_robust robust;
	struct sm_res_mh mh;
	struct sm_res_peto peto;
	struct sm_res_glmm glmm;
	struct sm_res_rare rare_events;
	struct sm_res_sensitivity sensitivity;
	struct sm_res_influence_summary influence_summary;
	struct sm_res_cumul_order cumul_order;
	struct sm_res_absence evidence_of_absence;
	SM_RES_LIST(struct sm_res_study) studies, excluded;
	const char *aggregate;                /* "lower" | "upper" in an aggregate analysis */
	struct sm_res_unit unit_of_analysis;
	/* One row per study with the bounds on patients with an event (NULL
	 * unless --aggregate). */
	struct sm_res_analysis *aggregate_lower, *aggregate_upper;
	struct sm_res_subgroups_of subgroups;
	struct sm_res_metareg meta_regression;
	double weight;   /* a subgroup's share of its analysis (percent) */
	sm_res_strings warnings;
};

/* ---- across analyses ------------------------------------------------------- */

struct sm_res_absolute {
	int present;
	double control_per_1000, treated_per_1000, treated_ci_lb_per_1000,
		treated_ci_ub_per_1000, difference_per_1000, difference_ci_lb_per_1000,
		difference_ci_ub_per_1000;
};

struct sm_res_domain_row {
	int present;
	const char *analysis, *measure, *direction, *verdict, *verdict_code, *verdict_basis;
	double excess_upper_per_1000, harm_margin_per_1000;
	double p_bh, p_dfdr, terms_flagged_dfdr;
	int signal_bh, signal_dfdr;
	double k, k_studies, events_t, n_t, events_c, n_c, n_t_by_study, n_c_by_study;
	double estimate, ci_lb, ci_ub, p, I2, tau2, egger_p, begg_p;
	struct sm_res_absolute absolute;
};

struct sm_res_domain_table {
	int present;
	sm_res_strings arm_labels;
	double level;
	const char *counting;
	SM_RES_LIST(struct sm_res_domain_row) rows;
};

/* The GRADE summary of findings (sm_sof.h). */
struct sm_res_sof_downgrade {
	int present;
	const char *domain, *rating, *footnote; /* footnote: its mark, or NULL */
};

struct sm_res_sof_row {
	int present;
	const char *analysis, *outcome, *importance, *measure, *certainty, *control_source;
	double studies, participants, estimate, ci_lb, ci_ub;
	SM_RES_LIST(struct sm_res_sof_downgrade) downgrades;
	double control_per_1000, treated_per_1000, treated_ci_lb_per_1000,
		treated_ci_ub_per_1000, difference_per_1000, difference_ci_lb_per_1000,
		difference_ci_ub_per_1000;
};

struct sm_res_sof_footnote {
	int present;
	const char *mark, *text;
};

struct sm_res_sof {
	int present;
	sm_res_strings arm_labels;
	double level;
	SM_RES_LIST(struct sm_res_sof_row) rows;
	SM_RES_LIST(struct sm_res_sof_footnote) footnotes;
};

/* Multiplicity across the domains (sm_multiplicity.h). */
struct sm_res_mult_domain {
	int present;
	const char *analysis;
	double p, p_bh, dfdr_body_system_p, dfdr_p, terms, terms_flagged;
	int signal_bh, signal_dfdr;
};

struct sm_res_mult_term {
	int present;
	const char *analysis, *label, *event;
	double p, p_within_bh;
	int signal_dfdr;
};

struct sm_res_multiplicity {
	int present;
	double alpha;
	const char *bh_method, *dfdr_method, *dfdr_note;
	SM_RES_LIST(struct sm_res_mult_domain) domains;
	SM_RES_LIST(struct sm_res_mult_term) terms;
};

/* A 2x2 comparison reported only in total (sm_aggregate_tables.h). */
struct sm_res_aggregate_table {
	int present;
	const char *id, *name, *note, *or_method, *rd_method, *statement;
	double events_t, n_t, events_c, n_c, risk_t_per_1000, risk_c_per_1000, level;
	double fisher_p, or_estimate, or_ci_lb, or_ci_ub;
	double rd_per_1000, rd_ci_lb_per_1000, rd_ci_ub_per_1000, rd_upper_per_1000;
};

/* What `safemeta check` finds: the paper's reported values against the
 * recomputed ones (written by the analysis stage; see sm_check.h). */
struct sm_res_check_analysis {
	int present;
	const char *name;
	int reproduced;
	double values_compared;
};

struct sm_res_check_finding {
	int present;
	const char *kind, *analysis, *field, *message;
	double reported, computed, tolerance;
};

struct sm_res_check {
	int present;
	double disagreements;
	const char *tolerance_rule;
	SM_RES_LIST(struct sm_res_check_analysis) analyses;
	SM_RES_LIST(struct sm_res_check_finding) findings;
};

/* ---- the document ---------------------------------------------------------- */

struct sm_res_mem;

struct sm_res {
	int present;
	double results_version;
	const char *safemeta;  /* version of safemeta that wrote it */
	const char *input;     /* the review, as recorded */
	struct sm_res_settings settings;
	struct sm_res_review review;
	SM_RES_LIST(struct sm_res_analysis) analyses;
	struct sm_res_multiplicity multiplicity;
	struct sm_res_domain_table domain_table;
	struct sm_res_sof summary_of_findings;
	SM_RES_LIST(struct sm_res_aggregate_table) aggregate_tables;
	struct sm_res_check check;
	const char *path;      /* the file it was read from (messages) */
	struct sm_res_mem *mem;
};

/* Read and validate a results document from text[0..len); `path` names it
 * in messages.  NULL with the error (SM_EINPUT at FILE:LINE:COL, or
 * SM_EINTERNAL for out of memory) in ctx. */
struct sm_res *sm_res_parse(struct sm_ctx *ctx, const char *path, const char *text,
			    size_t len);
/* The same from a file (at most SM_MAX_FILE_BYTES). */
struct sm_res *sm_res_read(struct sm_ctx *ctx, const char *path);
void sm_res_free(struct sm_res *res);

/* A results document held as a cJSON tree (an analysis just run in this
 * process), read as if from its text: printed and parsed, so it passes
 * exactly the checks a file does.  `path` names it in messages. */
struct cJSON;
struct sm_res *sm_res_from_json(struct sm_ctx *ctx, const char *path, const struct cJSON *doc);

/* The analysis of that name, or NULL. */
const struct sm_res_analysis *sm_res_analysis_named(const struct sm_res *res,
						    const char *name);
/* The review's study with that id, or NULL (linear). */
const struct sm_res_study_info *sm_res_study_info(const struct sm_res *res, const char *id);

/* A study of an analysis has a finite effect (it entered the model). */
static inline int sm_res_study_pooled(const struct sm_res_study *s)
{
	return s->transformed.present && s->transformed.yi == s->transformed.yi;
}

#endif
