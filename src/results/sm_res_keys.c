/* sm_res_keys.c -- the key table of the results document (sm_res_keys.h).
 *
 * One entry per key: the JSON key is the member of the typed model
 * (sm_res.h) it lands in.  Order is the writer's order. */
#include "sm_res_keys.h"

#include "sm_res.h"
#include "sm_robscale.h"

#include <stddef.h>
#include <string.h>

static const char *const measure_words[] = { "OR", "RR", "RD", "PETO", "PR", "PLO", "PAS", "PFT",
					     "GEN", NULL };
static const char *const test_words[] = { "z", "knha", NULL };
static const char *const to_words[] = { "only0", "all", "if0all", "none", NULL };
static const char *const transf_words[] = { "none", "exp", "ilogit", "iarcsin", "ipft.hm", NULL };
static const char *const prisma_template_words[] = { "new", "updated", NULL };
static const char *const model_words[] = { "standard", "multilevel", NULL };
static const char *const robust_words[] = { "none", "cr1", "cr2", NULL };
static const char *const bound_words[] = { "lower", "upper", NULL };
static const char *const interval_words[] = { "wald", "miettinen-nurminen", NULL };
static const char *const verdict_words[] = { "increased", "decreased", "margin_excluded",
					     "inconclusive", "no_difference", NULL };

#define KEY(S, k, m, t, fl, sub, w, doc) { k, SM_RK_##t, fl, offsetof(S, m), sub, w, doc }
#define OBJ(var, S, name) \
	const struct sm_robj var = { name, sizeof(S), var##_k, sizeof var##_k / sizeof var##_k[0] }

static const struct sm_robj settings_keys;
static const struct sm_robj review_settings_keys;
static const struct sm_robj study_info_keys;
static const struct sm_robj metadata_keys;
static const struct sm_robj prisma_source_keys;
static const struct sm_robj prisma_reason_keys;
static const struct sm_robj prisma_other_keys;
static const struct sm_robj prisma_keys;
static const struct sm_robj prisma_finding_keys;
static const struct sm_robj rob_judgment_keys;
static const struct sm_robj rob_keys;
static const struct sm_robj table_keys;
static const struct sm_robj review_keys;
static const struct sm_robj transformed_keys;
static const struct sm_robj totals_keys;
static const struct sm_robj crude_keys;
static const struct sm_robj zero_events_keys;
static const struct sm_robj egger_keys;
static const struct sm_robj begg_keys;
static const struct sm_robj failsafe_keys;
static const struct sm_robj filled_keys;
static const struct sm_robj trimfill_transformed_keys;
static const struct sm_robj trimfill_keys;
static const struct sm_robj small_study_keys;
static const struct sm_robj fit_transformed_keys;
static const struct sm_robj fit_keys;
static const struct sm_robj mh_keys;
static const struct sm_robj peto_keys;
static const struct sm_robj study_transformed_keys;
static const struct sm_robj zero_cell_keys;
static const struct sm_robj refit_transformed_keys;
static const struct sm_robj refit_keys;
static const struct sm_robj rd_interval_keys;
static const struct sm_robj influence_summary_keys;
static const struct sm_robj cumul_order_keys;
static const struct sm_robj absence_keys;
static const struct sm_robj mult_domain_keys;
static const struct sm_robj mult_term_keys;
static const struct sm_robj multiplicity_keys;
static const struct sm_robj aggregate_table_keys;
static const struct sm_robj study_keys;
static const struct sm_robj robust_keys;
static const struct sm_robj transformed_ml_keys;
static const struct sm_robj multilevel_keys;
static const struct sm_robj several_rows_keys;
static const struct sm_robj shared_control_keys;
static const struct sm_robj unit_keys;
static const struct sm_robj coef_keys;
static const struct sm_robj between_keys;
static const struct sm_robj mixed_keys;
static const struct sm_robj subgroup_tests_keys;
static const struct sm_robj subgroups_of_keys;
static const struct sm_robj moderator_keys;
static const struct sm_robj yi_keys;
static const struct sm_robj mr_study_keys;
static const struct sm_robj line_display_keys;
static const struct sm_robj line_keys;
static const struct sm_robj bubble_keys;
static const struct sm_robj metareg_keys;
static const struct sm_robj glmm_keys;
static const struct sm_robj rare_method_keys;
static const struct sm_robj rare_keys;
static const struct sm_robj sens_row_keys;
static const struct sm_robj sensitivity_keys;
static const struct sm_robj analysis_keys;
static const struct sm_robj absolute_keys;
static const struct sm_robj domain_row_keys;
static const struct sm_robj domain_table_keys;
static const struct sm_robj sof_keys;
static const struct sm_robj check_analysis_keys;
static const struct sm_robj check_finding_keys;
static const struct sm_robj check_keys;


/* settings */
static const struct sm_rkey settings_keys_k[] = {
	KEY(struct sm_res_settings, "preset", preset, STR, 0, NULL, NULL,
	    "the preset applied first: metafor, revman5 or cochrane2025"),
	KEY(struct sm_res_settings, "measure", measure, STR, 0, NULL, measure_words,
	    "the effect measure"),
	KEY(struct sm_res_settings, "method", method, STR, 0, NULL, NULL,
	    "how studies are pooled: FE, MH, PETO, MH-DL or a tau2 estimator"),
	KEY(struct sm_res_settings, "tau2_estimator", tau2_estimator, STR, 0, NULL, NULL,
	    "the tau2 estimator, or none"),
	KEY(struct sm_res_settings, "test", test, STR, 0, NULL, test_words,
	    "z, or knha (Hartung-Knapp)"),
	KEY(struct sm_res_settings, "level", level, NUM, SM_RK_POS, NULL, NULL,
	    "confidence level (percent)"),
	KEY(struct sm_res_settings, "add", add, NUM, SM_RK_NONNEG, NULL, NULL,
	    "continuity correction"),
	KEY(struct sm_res_settings, "to", to, STR, 0, NULL, to_words,
	    "which studies get the correction"),
	KEY(struct sm_res_settings, "drop00", drop00, BOOL, 0, NULL, NULL,
	    "studies without events in both arms left out"),
	KEY(struct sm_res_settings, "outcome_by", outcome_by, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the outcome field that separates the analyses (domain, event), or null"),
	KEY(struct sm_res_settings, "subgroup_by", subgroup_by, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the column that gives every analysis its subgroups, or null"),
	KEY(struct sm_res_settings, "mods", mods, STRS, SM_RK_NULLABLE, NULL, NULL,
	    "the meta-regression moderators, or null"),
	KEY(struct sm_res_settings, "model", model, STR, SM_RK_OPTIONAL, NULL, model_words,
	    "standard, or multilevel (rows within studies)"),
	KEY(struct sm_res_settings, "cluster", cluster, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "the column that defines the clusters (default: the study)"),
	KEY(struct sm_res_settings, "robust", robust, STR, SM_RK_OPTIONAL, NULL, robust_words,
	    "cluster-robust inference: none, cr1 or cr2"),
	KEY(struct sm_res_settings, "aggregate", aggregate, BOOL, SM_RK_OPTIONAL, NULL, NULL,
	    "per-study bounds analysed beside the rows"),
};
static OBJ(settings_keys, struct sm_res_settings, "settings");

/* review.settings */
static const struct sm_rkey review_settings_keys_k[] = {
	KEY(struct sm_res_review_settings, "arm_labels", arm_labels, STRS, 0, NULL, NULL,
	    "treated and control arm labels"),
	KEY(struct sm_res_review_settings, "outcome_label", outcome_label, STR, SM_RK_NULLABLE, NULL, NULL,
	    "what the outcomes are called"),
};
static OBJ(review_settings_keys, struct sm_res_review_settings, "review.settings");

/* review.studies[] */
static const struct sm_rkey study_info_keys_k[] = {
	KEY(struct sm_res_study_info, "id", id, STR, 0, NULL, NULL,
	    "study id"),
	KEY(struct sm_res_study_info, "label", label, STR, 0, NULL, NULL,
	    "the label figures show"),
	KEY(struct sm_res_study_info, "year", year, NUM, SM_RK_OPTIONAL | SM_RK_INT | SM_RK_POS, NULL, NULL,
	    "publication year"),
	KEY(struct sm_res_study_info, "ref", ref, STR, SM_RK_NULLABLE, NULL, NULL,
	    "reference"),
	KEY(struct sm_res_study_info, "characteristics", characteristics, CHARS, 0, NULL, NULL,
	    "free-form characteristics: strings, numbers, booleans or nulls"),
	KEY(struct sm_res_study_info, "characteristics_numeric", has_characteristics_numeric, ANY, SM_RK_OPTIONAL, NULL, NULL,
	    "the numeric characteristics with their units: NAME: {value, unit}"),
};
static OBJ(study_info_keys, struct sm_res_study_info, "review.studies[]");

/* review.metadata */
static const struct sm_rkey metadata_keys_k[] = {
	KEY(struct sm_res_metadata, "id", id, STR, 0, NULL, NULL,
	    "review id"),
	KEY(struct sm_res_metadata, "title", title, STR, 0, NULL, NULL,
	    "review title"),
	KEY(struct sm_res_metadata, "authors", authors, STRS, SM_RK_OPTIONAL, NULL, NULL,
	    "authors"),
	KEY(struct sm_res_metadata, "date", date, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "publication date"),
	KEY(struct sm_res_metadata, "source", source, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "where the data come from"),
	KEY(struct sm_res_metadata, "notes", notes, STRS, SM_RK_OPTIONAL, NULL, NULL,
	    "notes"),
	KEY(struct sm_res_metadata, "extra", has_extra, ANY, SM_RK_OPTIONAL, NULL, NULL,
	    "free-form"),
};
static OBJ(metadata_keys, struct sm_res_metadata, "review.metadata");

/* review.prisma.databases[] */
static const struct sm_rkey prisma_source_keys_k[] = {
	KEY(struct sm_res_prisma_source, "name", name, STR, 0, NULL, NULL,
	    "database or register"),
	KEY(struct sm_res_prisma_source, "n", n, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "records"),
};
static OBJ(prisma_source_keys, struct sm_res_prisma_source, "review.prisma.databases[]");

/* review.prisma.exclusion_reasons[] */
static const struct sm_rkey prisma_reason_keys_k[] = {
	KEY(struct sm_res_prisma_reason, "reason", reason, STR, 0, NULL, NULL,
	    "why reports were excluded"),
	KEY(struct sm_res_prisma_reason, "n", n, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports"),
};
static OBJ(prisma_reason_keys, struct sm_res_prisma_reason, "review.prisma.exclusion_reasons[]");

/* review.prisma.other_methods */
static const struct sm_rkey prisma_other_keys_k[] = {
	KEY(struct sm_res_prisma_other, "sources", sources, LIST, SM_RK_OPTIONAL, &prisma_source_keys, NULL,
	    "records per other method (websites, organisations, citation searching ...)"),
	KEY(struct sm_res_prisma_other, "records_identified", records_identified, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "records from websites, citation searching, ..."),
	KEY(struct sm_res_prisma_other, "reports_sought", reports_sought, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports sought for retrieval"),
	KEY(struct sm_res_prisma_other, "reports_not_retrieved", reports_not_retrieved, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports not retrieved"),
	KEY(struct sm_res_prisma_other, "reports_assessed", reports_assessed, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports assessed for eligibility"),
	KEY(struct sm_res_prisma_other, "reports_excluded", reports_excluded, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports excluded"),
	KEY(struct sm_res_prisma_other, "exclusion_reasons", exclusion_reasons, LIST, SM_RK_OPTIONAL, &prisma_reason_keys, NULL,
	    "reasons for exclusion"),
};
static OBJ(prisma_other_keys, struct sm_res_prisma_other, "review.prisma.other_methods");

/* review.prisma */
static const struct sm_rkey prisma_keys_k[] = {
	KEY(struct sm_res_prisma, "template", template_name, STR, SM_RK_OPTIONAL, NULL, prisma_template_words,
	    "new or updated review template"),
	KEY(struct sm_res_prisma, "previous_studies", previous_studies, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies in the previous version (updated template)"),
	KEY(struct sm_res_prisma, "previous_reports", previous_reports, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports in the previous version"),
	KEY(struct sm_res_prisma, "databases", databases, LIST, SM_RK_OPTIONAL, &prisma_source_keys, NULL,
	    "records per database"),
	KEY(struct sm_res_prisma, "registers", registers, LIST, SM_RK_OPTIONAL, &prisma_source_keys, NULL,
	    "records per register"),
	KEY(struct sm_res_prisma, "records_databases", records_databases, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "records identified from databases"),
	KEY(struct sm_res_prisma, "records_registers", records_registers, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "records identified from registers"),
	KEY(struct sm_res_prisma, "records_identified", records_identified, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "records identified"),
	KEY(struct sm_res_prisma, "duplicates_removed", duplicates_removed, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "duplicates removed"),
	KEY(struct sm_res_prisma, "automation_excluded", automation_excluded, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "marked ineligible by automation tools"),
	KEY(struct sm_res_prisma, "other_removed", other_removed, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "removed for other reasons"),
	KEY(struct sm_res_prisma, "records_screened", records_screened, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "records screened"),
	KEY(struct sm_res_prisma, "records_excluded", records_excluded, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "records excluded"),
	KEY(struct sm_res_prisma, "reports_sought", reports_sought, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports sought for retrieval"),
	KEY(struct sm_res_prisma, "reports_not_retrieved", reports_not_retrieved, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports not retrieved"),
	KEY(struct sm_res_prisma, "reports_assessed", reports_assessed, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports assessed for eligibility"),
	KEY(struct sm_res_prisma, "reports_excluded", reports_excluded, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports excluded"),
	KEY(struct sm_res_prisma, "exclusion_reasons", exclusion_reasons, LIST, SM_RK_OPTIONAL, &prisma_reason_keys, NULL,
	    "reasons for exclusion"),
	KEY(struct sm_res_prisma, "other_methods", other_methods, OBJ, SM_RK_OPTIONAL | SM_RK_NULLABLE, &prisma_other_keys, NULL,
	    "the column of other identification methods"),
	KEY(struct sm_res_prisma, "new_studies_included", new_studies_included, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "new studies included (updated template)"),
	KEY(struct sm_res_prisma, "new_reports_included", new_reports_included, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports of new included studies (updated template)"),
	KEY(struct sm_res_prisma, "studies_included", studies_included, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies included (updated template: in total, previous and new)"),
	KEY(struct sm_res_prisma, "reports_included", reports_included, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "reports of included studies (updated template: in total)"),
	KEY(struct sm_res_prisma, "notes", notes, STRS, SM_RK_OPTIONAL, NULL, NULL,
	    "notes on the counts"),
};
static OBJ(prisma_keys, struct sm_res_prisma, "review.prisma");

/* review.prisma_findings[] */
static const struct sm_rkey prisma_finding_keys_k[] = {
	KEY(struct sm_res_prisma_finding, "step", step, STR, 0, NULL, NULL,
	    "the PRISMA step"),
	KEY(struct sm_res_prisma_finding, "expected", expected, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "what the other counts imply (null: a count is missing)"),
	KEY(struct sm_res_prisma_finding, "reported", reported, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "what was reported (null: not reported)"),
	KEY(struct sm_res_prisma_finding, "message", message, STR, 0, NULL, NULL,
	    "the finding in words"),
};
static OBJ(prisma_finding_keys, struct sm_res_prisma_finding, "review.prisma_findings[]");

/* review.risk_of_bias.judgments[] */
static const struct sm_rkey rob_judgment_keys_k[] = {
	KEY(struct sm_res_rob_judgment, "study", study, STR, 0, NULL, NULL,
	    "study id"),
	KEY(struct sm_res_rob_judgment, "values", values, STRS, 0, NULL, NULL,
	    "one judgement per domain, null when not assessed"),
	KEY(struct sm_res_rob_judgment, "overall", overall, STR, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "overall judgement"),
};
static OBJ(rob_judgment_keys, struct sm_res_rob_judgment, "review.risk_of_bias.judgments[]");

/* review.risk_of_bias */
static const struct sm_rkey rob_keys_k[] = {
	KEY(struct sm_res_rob, "tool", tool, STR, 0, NULL, sm_rob_tool_names,
	    "RoB1, RoB2 or ROBINS-I"),
	KEY(struct sm_res_rob, "domains", domains, STRS, 0, NULL, NULL,
	    "the domains"),
	KEY(struct sm_res_rob, "judgments", judgments, LIST, 0, &rob_judgment_keys, NULL,
	    "one per assessed study"),
};
static OBJ(rob_keys, struct sm_res_rob, "review.risk_of_bias");

/* review.tables[] */
static const struct sm_rkey table_keys_k[] = {
	KEY(struct sm_res_table, "id", id, STR, 0, NULL, NULL,
	    "table id"),
	KEY(struct sm_res_table, "title", title, STR, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "title"),
	KEY(struct sm_res_table, "columns", columns, STRS, 0, NULL, NULL,
	    "column headers"),
	KEY(struct sm_res_table, "rows", rows, ROWS, 0, NULL, NULL,
	    "rows of cells: strings, numbers or nulls"),
	KEY(struct sm_res_table, "footnote", footnote, STR, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "footnote"),
};
static OBJ(table_keys, struct sm_res_table, "review.tables[]");

/* review */
static const struct sm_rkey review_keys_k[] = {
	KEY(struct sm_res_review, "id", id, STR, SM_RK_NULLABLE, NULL, NULL,
	    "review id"),
	KEY(struct sm_res_review, "title", title, STR, SM_RK_NULLABLE, NULL, NULL,
	    "review title"),
	KEY(struct sm_res_review, "data", data, STR, 0, NULL, NULL,
	    "the kind of data: 2x2, proportion or generic"),
	KEY(struct sm_res_review, "metadata", metadata, OBJ, SM_RK_NULLABLE, &metadata_keys, NULL,
	    "as in the review (examples/FORMAT.md)"),
	KEY(struct sm_res_review, "settings", settings, OBJ, 0, &review_settings_keys, NULL,
	    "display settings of the review"),
	KEY(struct sm_res_review, "studies", studies, LIST, SM_RK_OPTIONAL, &study_info_keys, NULL,
	    "the review's studies (left out under --no-studies)"),
	KEY(struct sm_res_review, "prisma", prisma, OBJ, SM_RK_NULLABLE, &prisma_keys, NULL,
	    "PRISMA 2020 flow counts as reported"),
	KEY(struct sm_res_review, "prisma_findings", prisma_findings, LIST, 0, &prisma_finding_keys, NULL,
	    "PRISMA arithmetic that does not add up"),
	KEY(struct sm_res_review, "risk_of_bias", risk_of_bias, OBJ, SM_RK_NULLABLE, &rob_keys, NULL,
	    "risk-of-bias judgements"),
	KEY(struct sm_res_review, "tables", tables, LIST, SM_RK_NULLABLE, &table_keys, NULL,
	    "the review's own tables"),
	KEY(struct sm_res_review, "reported", has_reported, ANY, SM_RK_NULLABLE, NULL, NULL,
	    "what the paper reported, as in the review (for check)"),
};
static OBJ(review_keys, struct sm_res_review, "review");

/* analyses[].transformed */
static const struct sm_rkey transformed_keys_k[] = {
	KEY(struct sm_res_transformed, "function", function, STR, 0, NULL, transf_words,
	    "the back-transformation: none, exp, ilogit, iarcsin, ipft.hm"),
	KEY(struct sm_res_transformed, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "pooled estimate, display scale"),
	KEY(struct sm_res_transformed, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_transformed, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_transformed, "pi_lb", pi_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower prediction bound"),
	KEY(struct sm_res_transformed, "pi_ub", pi_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper prediction bound"),
	KEY(struct sm_res_transformed, "ni_harmonic_mean", ni_harmonic_mean, NUM, SM_RK_OPTIONAL | SM_RK_POS, NULL, NULL,
	    "harmonic mean of the study sizes (ipft.hm)"),
};
static OBJ(transformed_keys, struct sm_res_transformed, "analyses[].transformed");

/* analyses[].totals */
static const struct sm_rkey totals_keys_k[] = {
	KEY(struct sm_res_totals, "events_t", events_t, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "events, treated"),
	KEY(struct sm_res_totals, "n_t", n_t, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "patients, treated"),
	KEY(struct sm_res_totals, "events_c", events_c, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "events, control"),
	KEY(struct sm_res_totals, "n_c", n_c, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "patients, control"),
};
static OBJ(totals_keys, struct sm_res_totals, "analyses[].totals");

/* analyses[].crude */
static const struct sm_rkey crude_keys_k[] = {
	KEY(struct sm_res_crude, "events", events, NUM, SM_RK_NONNEG, NULL, NULL,
	    "events in all studies"),
	KEY(struct sm_res_crude, "patients", patients, NUM, SM_RK_POS, NULL, NULL,
	    "patients in all studies"),
	KEY(struct sm_res_crude, "proportion", proportion, NUM, SM_RK_PROB, NULL, NULL,
	    "events / patients"),
	KEY(struct sm_res_crude, "exact_ci", exact_ci, PAIR, 0, NULL, NULL,
	    "Clopper-Pearson interval"),
};
static OBJ(crude_keys, struct sm_res_crude, "analyses[].crude");

/* analyses[].zero_events */
static const struct sm_rkey zero_events_keys_k[] = {
	KEY(struct sm_res_zero_events, "n_total", n_total, NUM, SM_RK_POS, NULL, NULL,
	    "patients"),
	KEY(struct sm_res_zero_events, "level", level, NUM, SM_RK_POS, NULL, NULL,
	    "confidence level (percent, one-sided)"),
	KEY(struct sm_res_zero_events, "upper_exact", upper_exact, NUM, SM_RK_PROB, NULL, NULL,
	    "exact one-sided upper bound"),
	KEY(struct sm_res_zero_events, "upper_rule_of_three", upper_rule_of_three, NUM, SM_RK_NONNEG, NULL, NULL,
	    "3 / n"),
};
static OBJ(zero_events_keys, struct sm_res_zero_events, "analyses[].zero_events");

/* analyses[].egger */
static const struct sm_rkey egger_keys_k[] = {
	KEY(struct sm_res_egger, "stat", stat, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "test statistic"),
	KEY(struct sm_res_egger, "df", df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "degrees of freedom"),
	KEY(struct sm_res_egger, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_egger, "slope", slope, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "slope on the standard error"),
	KEY(struct sm_res_egger, "limit", limit, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "limit estimate (se -> 0)"),
	KEY(struct sm_res_egger, "limit_ci_lb", limit_ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its lower CI bound"),
	KEY(struct sm_res_egger, "limit_ci_ub", limit_ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its upper CI bound"),
	KEY(struct sm_res_egger, "model", model, STR, 0, NULL, NULL,
	    "the regression model in words"),
};
static OBJ(egger_keys, struct sm_res_egger, "analyses[].egger");

/* analyses[].begg */
static const struct sm_rkey begg_keys_k[] = {
	KEY(struct sm_res_begg, "tau", tau, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "Kendall's tau"),
	KEY(struct sm_res_begg, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_begg, "p_method", p_method, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "exact or normal approximation"),
	KEY(struct sm_res_begg, "statistic_name", statistic_name, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "name of the statistic"),
	KEY(struct sm_res_begg, "statistic", statistic, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "the statistic"),
};
static OBJ(begg_keys, struct sm_res_begg, "analyses[].begg");

/* analyses[].failsafe */
static const struct sm_rkey failsafe_keys_k[] = {
	KEY(struct sm_res_failsafe, "rosenthal", rosenthal, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "Rosenthal's fail-safe N"),
	KEY(struct sm_res_failsafe, "rosenthal_p", rosenthal_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_failsafe, "orwin", orwin, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "Orwin's fail-safe N"),
	KEY(struct sm_res_failsafe, "orwin_target", orwin_target, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "Orwin's target"),
	KEY(struct sm_res_failsafe, "rosenberg", rosenberg, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "Rosenberg's fail-safe N"),
	KEY(struct sm_res_failsafe, "rosenberg_p", rosenberg_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
};
static OBJ(failsafe_keys, struct sm_res_failsafe, "analyses[].failsafe");

/* analyses[].trimfill.filled[] */
static const struct sm_rkey filled_keys_k[] = {
	KEY(struct sm_res_filled, "yi", yi, NUM, 0, NULL, NULL,
	    "imputed effect"),
	KEY(struct sm_res_filled, "vi", vi, NUM, SM_RK_NONNEG, NULL, NULL,
	    "its variance"),
};
static OBJ(filled_keys, struct sm_res_filled, "analyses[].trimfill.filled[]");

/* analyses[].trimfill.transformed */
static const struct sm_rkey trimfill_transformed_keys_k[] = {
	KEY(struct sm_res_trimfill_transformed, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "adjusted estimate, display scale"),
	KEY(struct sm_res_trimfill_transformed, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_trimfill_transformed, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
};
static OBJ(trimfill_transformed_keys, struct sm_res_trimfill_transformed,
	   "analyses[].trimfill.transformed");

/* analyses[].small_study */
static const struct sm_rkey small_study_keys_k[] = {
	KEY(struct sm_res_small_study, "min_k", min_k, NUM, SM_RK_INT | SM_RK_POS, NULL, NULL,
	    "fewest studies for which Egger's and Begg's tests and trim and fill are presented "
	    "(--small-study-min-k, default 10)"),
	KEY(struct sm_res_small_study, "below_min_k", below_min_k, BOOL, 0, NULL, NULL,
	    "k is below min_k: the values are computed but figures and the report leave them out"),
};
static OBJ(small_study_keys, struct sm_res_small_study, "analyses[].small_study");

/* analyses[].trimfill */
static const struct sm_rkey trimfill_keys_k[] = {
	KEY(struct sm_res_trimfill, "k0", k0, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "imputed studies"),
	KEY(struct sm_res_trimfill, "k0_se", k0_se, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "standard error of k0"),
	KEY(struct sm_res_trimfill, "side", side, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "side of the funnel the studies are imputed on"),
	KEY(struct sm_res_trimfill, "estimator", estimator, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "L0"),
	KEY(struct sm_res_trimfill, "estimate", estimate, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "adjusted estimate"),
	KEY(struct sm_res_trimfill, "se", se, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "its standard error"),
	KEY(struct sm_res_trimfill, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_trimfill, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_trimfill, "p", p, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_trimfill, "tau2", tau2, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "tau2 of the filled analysis"),
	KEY(struct sm_res_trimfill, "transformed", transformed, OBJ, SM_RK_OPTIONAL, &trimfill_transformed_keys, NULL,
	    "the adjusted estimate and CI on the display scale"),
	KEY(struct sm_res_trimfill, "filled", filled, LIST, SM_RK_OPTIONAL, &filled_keys, NULL,
	    "the imputed studies"),
};
static OBJ(trimfill_keys, struct sm_res_trimfill, "analyses[].trimfill");

/* analyses[].fits[].transformed */
static const struct sm_rkey fit_transformed_keys_k[] = {
	KEY(struct sm_res_fit_transformed, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, display scale"),
	KEY(struct sm_res_fit_transformed, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_fit_transformed, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
};
static OBJ(fit_transformed_keys, struct sm_res_fit_transformed, "analyses[].fits[].transformed");

/* analyses[].fits[] */
static const struct sm_rkey fit_keys_k[] = {
	KEY(struct sm_res_fit, "method", method, STR, 0, NULL, NULL,
	    "its method label"),
	KEY(struct sm_res_fit, "model", model, STR, SM_RK_OPTIONAL, NULL, model_words,
	    "standard or multilevel"),
	KEY(struct sm_res_fit, "test", test, STR, 0, NULL, test_words,
	    "its test"),
	KEY(struct sm_res_fit, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, analysis scale"),
	KEY(struct sm_res_fit, "se", se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "standard error"),
	KEY(struct sm_res_fit, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_fit, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_fit, "stat", stat, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "test statistic"),
	KEY(struct sm_res_fit, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_fit, "transformed", transformed, OBJ, 0, &fit_transformed_keys, NULL,
	    "the display scale"),
	KEY(struct sm_res_fit, "glmm", glmm, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "its GLMM model (GLMM pooling)"),
	KEY(struct sm_res_fit, "weights", weights, NUMS, SM_RK_OPTIONAL, NULL, NULL,
	    "the studies' weights in this fit (percent), in the order of \"studies\""),
};
static OBJ(fit_keys, struct sm_res_fit, "analyses[].fits[]");

/* analyses[].mh */
static const struct sm_rkey mh_keys_k[] = {
	KEY(struct sm_res_mh, "k", k, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "tables"),
	KEY(struct sm_res_mh, "k_yi", k_yi, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "tables with a finite log ratio"),
	KEY(struct sm_res_mh, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, analysis scale"),
	KEY(struct sm_res_mh, "se", se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "standard error"),
	KEY(struct sm_res_mh, "stat", stat, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "z statistic"),
	KEY(struct sm_res_mh, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_mh, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_mh, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_mh, "Q", Q, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "heterogeneity Q"),
	KEY(struct sm_res_mh, "Q_df", Q_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_mh, "Q_p", Q_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_mh, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "I2 (percent)"),
	KEY(struct sm_res_mh, "H2", H2, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "H2"),
	KEY(struct sm_res_mh, "CMH", CMH, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "Cochran-Mantel-Haenszel statistic"),
	KEY(struct sm_res_mh, "CMH_p", CMH_p, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_mh, "BD", BD, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "Breslow-Day statistic"),
	KEY(struct sm_res_mh, "BD_p", BD_p, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_mh, "tarone", tarone, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "Tarone's statistic"),
	KEY(struct sm_res_mh, "tarone_p", tarone_p, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_mh, "k_pos", k_pos, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "tables with events"),
	KEY(struct sm_res_mh, "note", note, STR, SM_RK_NULLABLE, NULL, NULL,
	    "why an estimate is missing"),
};
static OBJ(mh_keys, struct sm_res_mh, "analyses[].mh");

/* analyses[].peto */
static const struct sm_rkey peto_keys_k[] = {
	KEY(struct sm_res_peto, "k", k, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "tables"),
	KEY(struct sm_res_peto, "k_yi", k_yi, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "tables with a finite log ratio"),
	KEY(struct sm_res_peto, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, analysis scale"),
	KEY(struct sm_res_peto, "se", se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "standard error"),
	KEY(struct sm_res_peto, "stat", stat, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "z statistic"),
	KEY(struct sm_res_peto, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_peto, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_peto, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_peto, "Q", Q, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "heterogeneity Q"),
	KEY(struct sm_res_peto, "Q_df", Q_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_peto, "Q_p", Q_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_peto, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "I2 (percent)"),
	KEY(struct sm_res_peto, "H2", H2, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "H2"),
};
static OBJ(peto_keys, struct sm_res_peto, "analyses[].peto");

/* analyses[].studies[].transformed */
static const struct sm_rkey study_transformed_keys_k[] = {
	KEY(struct sm_res_study_transformed, "yi", yi, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "effect, display scale"),
	KEY(struct sm_res_study_transformed, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_study_transformed, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
};
static OBJ(study_transformed_keys, struct sm_res_study_transformed, "analyses[].studies[].transformed");

/* analyses[].studies[].zero_cell */
static const struct sm_rkey zero_cell_keys_k[] = {
	KEY(struct sm_res_zero_cell, "added", added, NUM, SM_RK_NONNEG, NULL, NULL,
	    "correction added to each cell"),
	KEY(struct sm_res_zero_cell, "double_zero", double_zero, BOOL, 0, NULL, NULL,
	    "no events (or only events) in both arms"),
	KEY(struct sm_res_zero_cell, "dropped", dropped, BOOL, 0, NULL, NULL,
	    "left out of the model"),
	KEY(struct sm_res_zero_cell, "reason", reason, STR, SM_RK_NULLABLE, NULL, NULL,
	    "why corrected or left out"),
};
static OBJ(zero_cell_keys, struct sm_res_zero_cell, "analyses[].studies[].zero_cell");

/* analyses[].cumul_order */
static const struct sm_rkey cumul_order_keys_k[] = {
	KEY(struct sm_res_cumul_order, "by", by, STR, 0, NULL, NULL,
	    "year, input, or the study column the studies were ordered by"),
	KEY(struct sm_res_cumul_order, "studies", studies, NUMS, 0, NULL, NULL,
	    "the studies in the order added: indices into \"studies\" (from 0)"),
};
static OBJ(cumul_order_keys, struct sm_res_cumul_order, "analyses[].cumul_order");

/* analyses[].studies[].loo.transformed (and cumul's) */
static const struct sm_rkey refit_transformed_keys_k[] = {
	KEY(struct sm_res_fit_transformed, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, display scale"),
	KEY(struct sm_res_fit_transformed, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_fit_transformed, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
};
static OBJ(refit_transformed_keys, struct sm_res_fit_transformed,
	   "analyses[].studies[].loo.transformed");

/* analyses[].studies[].loo */
static const struct sm_rkey refit_keys_k[] = {
	KEY(struct sm_res_refit, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, analysis scale"),
	KEY(struct sm_res_refit, "se", se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "standard error"),
	KEY(struct sm_res_refit, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_refit, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_refit, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_refit, "tau2", tau2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "tau2"),
	KEY(struct sm_res_refit, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "I2 (percent)"),
	KEY(struct sm_res_refit, "Q", Q, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "heterogeneity Q"),
	KEY(struct sm_res_refit, "transformed", transformed, OBJ, SM_RK_OPTIONAL,
	    &refit_transformed_keys, NULL,
	    "estimate and CI on the display scale (PFT: the analysis' harmonic mean of ni)"),
};
static OBJ(refit_keys, struct sm_res_refit, "analyses[].studies[].loo");

/* analyses[].studies[].rd_interval */
static const struct sm_rkey rd_interval_keys_k[] = {
	KEY(struct sm_res_rd_interval, "method", method, STR, 0, NULL, interval_words,
	    "wald, or miettinen-nurminen (the score interval of the raw counts)"),
	KEY(struct sm_res_rd_interval, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower bound (risk difference)"),
	KEY(struct sm_res_rd_interval, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper bound"),
	KEY(struct sm_res_rd_interval, "reason", reason, STR, SM_RK_NULLABLE, NULL, NULL,
	    "why the score interval is used, or null"),
};
static OBJ(rd_interval_keys, struct sm_res_rd_interval, "analyses[].studies[].rd_interval");

/* analyses[].studies[] */
static const struct sm_rkey study_keys_k[] = {
	KEY(struct sm_res_study, "label", label, STR, 0, NULL, NULL,
	    "label"),
	KEY(struct sm_res_study, "study_id", study_id, STR, 0, NULL, NULL,
	    "study id"),
	KEY(struct sm_res_study, "group", group, STR, 0, NULL, NULL,
	    "the analysis it belongs to"),
	KEY(struct sm_res_study, "event", event, STR, SM_RK_NULLABLE, NULL, NULL,
	    "second label (e.g. the adverse event)"),
	KEY(struct sm_res_study, "year", year, NUM, SM_RK_OPTIONAL | SM_RK_INT | SM_RK_POS, NULL, NULL,
	    "year"),
	KEY(struct sm_res_study, "ai", ai, NUM, SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "events, treated"),
	KEY(struct sm_res_study, "n1i", n1i, NUM, SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "patients, treated"),
	KEY(struct sm_res_study, "ci", ci, NUM, SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "events, control"),
	KEY(struct sm_res_study, "n2i", n2i, NUM, SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "patients, control"),
	KEY(struct sm_res_study, "xi", xi, NUM, SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "events (one group)"),
	KEY(struct sm_res_study, "ni", ni, NUM, SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "patients (one group)"),
	KEY(struct sm_res_study, "yi", yi, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "effect, analysis scale"),
	KEY(struct sm_res_study, "vi", vi, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "its variance"),
	KEY(struct sm_res_study, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_study, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_study, "weight", weight, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_PCT, NULL, NULL,
	    "weight in the pooled estimate (percent): inverse variance, or the "
	    "Mantel-Haenszel or Peto weight (metafor weights()) under those methods"),
	KEY(struct sm_res_study, "transformed", transformed, OBJ, SM_RK_OPTIONAL, &study_transformed_keys, NULL,
	    "the display scale"),
	KEY(struct sm_res_study, "proportion", proportion, NUM, SM_RK_OPTIONAL | SM_RK_PROB, NULL, NULL,
	    "observed proportion xi / ni (proportions)"),
	KEY(struct sm_res_study, "exact_ci", exact_ci, PAIR, SM_RK_OPTIONAL, NULL, NULL,
	    "Clopper-Pearson interval (proportions)"),
	KEY(struct sm_res_study, "fisher_p", fisher_p, NUM, SM_RK_OPTIONAL | SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "Fisher's exact two-sided P of the row's table (2x2)"),
	KEY(struct sm_res_study, "rd_interval", rd_interval, OBJ, SM_RK_OPTIONAL, &rd_interval_keys, NULL,
	    "the interval the row shows and its method (measure RD)"),
	KEY(struct sm_res_study, "zero_cell", zero_cell, OBJ, 0, &zero_cell_keys, NULL,
	    "what was done about zero cells"),
	KEY(struct sm_res_study, "reason", reason, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "why the study was left out (\"excluded\" only)"),
	KEY(struct sm_res_study, "pooled_table", pooled_table, BOOL, SM_RK_OPTIONAL, NULL, NULL,
	    "\"excluded\" only: its table is in the Mantel-Haenszel or Peto estimate "
	    "(with its \"weight\") though its own effect size is not estimable"),
	KEY(struct sm_res_study, "subgroup", subgroup, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "its subgroup (analyses with subgroups)"),
	KEY(struct sm_res_study, "rstudent", rstudent, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "studentized deleted residual"),
	KEY(struct sm_res_study, "dffits", dffits, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "DFFITS"),
	KEY(struct sm_res_study, "cooks", cooks, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "Cook's distance"),
	KEY(struct sm_res_study, "cov_r", cov_r, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "covariance ratio"),
	KEY(struct sm_res_study, "tau2_del", tau2_del, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "tau2 without the study"),
	KEY(struct sm_res_study, "Q_del", Q_del, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "Q without the study"),
	KEY(struct sm_res_study, "hat", hat, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "hat value"),
	KEY(struct sm_res_study, "dfbs", dfbs, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "DFBETAS"),
	KEY(struct sm_res_study, "baujat_x", baujat_x, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "Baujat plot x: squared Pearson residual (yi - estimate)^2 / (vi + tau2), its contribution to Q"),
	KEY(struct sm_res_study, "baujat_y", baujat_y, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_NONNEG, NULL, NULL,
	    "Baujat plot y: (estimate without it - estimate)^2 / se(without it)^2, its influence on the result"),
	KEY(struct sm_res_study, "influential", influential, BOOL, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "metafor's influence flag"),
	KEY(struct sm_res_study, "outlier", outlier, BOOL, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "|rstudent| beyond the Bonferroni bound"),
	KEY(struct sm_res_study, "loo", loo, OBJ, SM_RK_OPTIONAL, &refit_keys, NULL,
	    "the analysis without this study"),
	KEY(struct sm_res_study, "cumul", cumul, OBJ, SM_RK_OPTIONAL, &refit_keys, NULL,
	    "the cumulative analysis up to this study"),
};
static OBJ(study_keys, struct sm_res_study, "analyses[].studies[]");

/* analyses[].multilevel.transformed */
static const struct sm_rkey transformed_ml_keys_k[] = {
	KEY(struct sm_res_transformed, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, display scale"),
	KEY(struct sm_res_transformed, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_transformed, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_transformed, "pi_lb", pi_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower prediction bound"),
	KEY(struct sm_res_transformed, "pi_ub", pi_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper prediction bound"),
};
static OBJ(transformed_ml_keys, struct sm_res_transformed, "analyses[].multilevel.transformed");

/* analyses[].robust */
static const struct sm_rkey robust_keys_k[] = {
	KEY(struct sm_res_robust, "method", method, STR, 0, NULL, NULL,
	    "CR1 or CR2"),
	KEY(struct sm_res_robust, "cluster", cluster, STR, 0, NULL, NULL,
	    "the cluster column"),
	KEY(struct sm_res_robust, "clusters", clusters, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "clusters"),
	KEY(struct sm_res_robust, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, analysis scale"),
	KEY(struct sm_res_robust, "se", se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "robust standard error"),
	KEY(struct sm_res_robust, "stat", stat, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "t statistic"),
	KEY(struct sm_res_robust, "df", df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "degrees of freedom"),
	KEY(struct sm_res_robust, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_robust, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_robust, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_robust, "df_method", df_method, STR, 0, NULL, NULL,
	    "how df were found (clusters - 1, Satterthwaite)"),
	KEY(struct sm_res_robust, "transformed", transformed, OBJ, 0, &fit_transformed_keys, NULL,
	    "the display scale"),
};
static OBJ(robust_keys, struct sm_res_robust, "analyses[].robust");

/* analyses[].multilevel */
static const struct sm_rkey multilevel_keys_k[] = {
	KEY(struct sm_res_multilevel, "model", model, STR, 0, NULL, model_words,
	    "multilevel"),
	KEY(struct sm_res_multilevel, "method", method, STR, 0, NULL, NULL,
	    "REML or ML"),
	KEY(struct sm_res_multilevel, "test", test, STR, 0, NULL, NULL,
	    "z or t"),
	KEY(struct sm_res_multilevel, "levels", levels, STRS, 0, NULL, NULL,
	    "the levels: the cluster column, then row"),
	KEY(struct sm_res_multilevel, "k", k, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "rows in the model"),
	KEY(struct sm_res_multilevel, "sigma2", sigma2, PAIR, 0, NULL, NULL,
	    "variance components, outermost first"),
	KEY(struct sm_res_multilevel, "sigma2_nlevels", sigma2_nlevels, PAIR, 0, NULL, NULL,
	    "clusters and rows"),
	KEY(struct sm_res_multilevel, "sigma2_at_zero", sigma2_at_zero, BOOL2, 0, NULL, NULL,
	    "a component whose maximum is at 0"),
	KEY(struct sm_res_multilevel, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, analysis scale"),
	KEY(struct sm_res_multilevel, "se", se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "standard error"),
	KEY(struct sm_res_multilevel, "stat", stat, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "test statistic"),
	KEY(struct sm_res_multilevel, "df", df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "df (t test)"),
	KEY(struct sm_res_multilevel, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_multilevel, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_multilevel, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_multilevel, "pi_lb", pi_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower prediction bound"),
	KEY(struct sm_res_multilevel, "pi_ub", pi_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper prediction bound"),
	KEY(struct sm_res_multilevel, "Q", Q, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "heterogeneity Q"),
	KEY(struct sm_res_multilevel, "Q_df", Q_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_multilevel, "Q_p", Q_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_multilevel, "logLik", logLik, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "the maximised (restricted) log-likelihood"),
	KEY(struct sm_res_multilevel, "transformed", transformed, OBJ, 0, &transformed_ml_keys, NULL,
	    "the display scale"),
	KEY(struct sm_res_multilevel, "robust", robust, OBJ, SM_RK_NULLABLE, &robust_keys, NULL,
	    "cluster-robust inference on it (--robust)"),
};
static OBJ(multilevel_keys, struct sm_res_multilevel, "analyses[].multilevel");

/* analyses[].unit_of_analysis.studies_with_several_rows[] */
static const struct sm_rkey several_rows_keys_k[] = {
	KEY(struct sm_res_several_rows, "study_id", study_id, STR, 0, NULL, NULL,
	    "study id"),
	KEY(struct sm_res_several_rows, "label", label, STR, 0, NULL, NULL,
	    "its label"),
	KEY(struct sm_res_several_rows, "rows", rows, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "rows of the study in this analysis"),
	KEY(struct sm_res_several_rows, "labels", labels, STRS, SM_RK_OPTIONAL, NULL, NULL,
	    "the rows' labels (left out under --no-studies)"),
};
static OBJ(several_rows_keys, struct sm_res_several_rows, "analyses[].unit_of_analysis.studies_with_several_rows[]");

/* analyses[].unit_of_analysis.shared_control_arms[] */
static const struct sm_rkey shared_control_keys_k[] = {
	KEY(struct sm_res_shared_control, "study_id", study_id, STR, 0, NULL, NULL,
	    "study id"),
	KEY(struct sm_res_shared_control, "label", label, STR, 0, NULL, NULL,
	    "its label"),
	KEY(struct sm_res_shared_control, "n_c", n_c, NUM, SM_RK_NONNEG, NULL, NULL,
	    "control patients"),
	KEY(struct sm_res_shared_control, "events_c", events_c, NUM, SM_RK_NONNEG, NULL, NULL,
	    "control events"),
	KEY(struct sm_res_shared_control, "rows", rows, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "rows sharing this control arm"),
	KEY(struct sm_res_shared_control, "labels", labels, STRS, SM_RK_OPTIONAL, NULL, NULL,
	    "their labels (left out under --no-studies)"),
};
static OBJ(shared_control_keys, struct sm_res_shared_control, "analyses[].unit_of_analysis.shared_control_arms[]");

/* analyses[].unit_of_analysis */
static const struct sm_rkey unit_keys_k[] = {
	KEY(struct sm_res_unit, "rows", rows, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "rows in the analysis"),
	KEY(struct sm_res_unit, "studies", studies, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "distinct studies"),
	KEY(struct sm_res_unit, "cluster", cluster, STR, 0, NULL, NULL,
	    "the cluster column"),
	KEY(struct sm_res_unit, "clusters", clusters, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "distinct clusters"),
	KEY(struct sm_res_unit, "studies_with_several_rows", studies_with_several_rows, LIST, 0, &several_rows_keys, NULL,
	    "studies that enter with several rows"),
	KEY(struct sm_res_unit, "shared_control_arms", shared_control_arms, LIST, 0, &shared_control_keys, NULL,
	    "control arms that enter more than once"),
};
static OBJ(unit_keys, struct sm_res_unit, "analyses[].unit_of_analysis");

/* coefficients[] */
static const struct sm_rkey coef_keys_k[] = {
	KEY(struct sm_res_coef, "name", name, STR, 0, NULL, NULL,
	    "the coefficient (intrcpt, a moderator or a level)"),
	KEY(struct sm_res_coef, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate"),
	KEY(struct sm_res_coef, "se", se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "standard error"),
	KEY(struct sm_res_coef, "stat", stat, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "test statistic"),
	KEY(struct sm_res_coef, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_coef, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_coef, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
};
static OBJ(coef_keys, struct sm_res_coef, "coefficients[]");

/* analyses[].subgroups.tests.common_effect */
static const struct sm_rkey between_keys_k[] = {
	KEY(struct sm_res_between, "model", model, STR, 0, NULL, NULL,
	    "the model in words"),
	KEY(struct sm_res_between, "subgroups", subgroups, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "subgroups compared"),
	KEY(struct sm_res_between, "Q", Q, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "Q between the subgroup estimates"),
	KEY(struct sm_res_between, "Q_df", Q_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_between, "Q_p", Q_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
};
static OBJ(between_keys, struct sm_res_between, "analyses[].subgroups.tests.common_effect");

/* analyses[].subgroups.tests.mixed_effects_common_tau2 */
static const struct sm_rkey mixed_keys_k[] = {
	KEY(struct sm_res_mixed, "model", model, STR, 0, NULL, NULL,
	    "the model in words"),
	KEY(struct sm_res_mixed, "method", method, STR, 0, NULL, NULL,
	    "tau2 estimator"),
	KEY(struct sm_res_mixed, "test", test, STR, 0, NULL, NULL,
	    "z or knha"),
	KEY(struct sm_res_mixed, "k", k, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies"),
	KEY(struct sm_res_mixed, "QM", QM, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "moderator test"),
	KEY(struct sm_res_mixed, "QM_df", QM_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_mixed, "QM_df2", QM_df2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its second df (F test)"),
	KEY(struct sm_res_mixed, "QM_p", QM_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_mixed, "QM_distribution", QM_distribution, STR, 0, NULL, NULL,
	    "chisq or F"),
	KEY(struct sm_res_mixed, "QE", QE, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "residual heterogeneity"),
	KEY(struct sm_res_mixed, "QE_df", QE_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_mixed, "QE_p", QE_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_mixed, "tau2", tau2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "residual tau2"),
	KEY(struct sm_res_mixed, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "residual I2"),
	KEY(struct sm_res_mixed, "R2", R2, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "R2 (percent)"),
	KEY(struct sm_res_mixed, "reference", reference, STR, 0, NULL, NULL,
	    "the reference level"),
	KEY(struct sm_res_mixed, "coefficients", coefficients, LIST, 0, &coef_keys, NULL,
	    "the coefficients"),
};
static OBJ(mixed_keys, struct sm_res_mixed, "analyses[].subgroups.tests.mixed_effects_common_tau2");

/* analyses[].subgroups.tests */
static const struct sm_rkey subgroup_tests_keys_k[] = {
	KEY(struct sm_res_subgroup_tests, "common_effect", common_effect, OBJ, SM_RK_NULLABLE, &between_keys, NULL,
	    "Q test of the subgroups' common-effect estimates"),
	KEY(struct sm_res_subgroup_tests, "random_effects_separate_tau2", random_effects_separate_tau2, OBJ, SM_RK_NULLABLE, &between_keys, NULL,
	    "Q test of their random-effects estimates, each subgroup with its own tau2 (meta's default)"),
	KEY(struct sm_res_subgroup_tests, "mixed_effects_common_tau2", mixed_effects_common_tau2, OBJ, SM_RK_NULLABLE, &mixed_keys, NULL,
	    "metafor's mixed-effects model, one tau2 for all subgroups (QM)"),
};
static OBJ(subgroup_tests_keys, struct sm_res_subgroup_tests, "analyses[].subgroups.tests");

/* analyses[].subgroups */
static const struct sm_rkey subgroups_of_keys_k[] = {
	KEY(struct sm_res_subgroups_of, "by", by, STR, 0, NULL, NULL,
	    "the subgroup column"),
	KEY(struct sm_res_subgroups_of, "source", source, STR, 0, NULL, NULL,
	    "study characteristic, outcome column or outcome field"),
	KEY(struct sm_res_subgroups_of, "levels", levels, STRS, 0, NULL, NULL,
	    "the subgroups, in order"),
	KEY(struct sm_res_subgroups_of, "groups", groups, LIST, SM_RK_LOOSE, &analysis_keys, NULL,
	    "one analysis per subgroup, with its weight (share of the total)"),
	KEY(struct sm_res_subgroups_of, "tests", tests, OBJ, 0, &subgroup_tests_keys, NULL,
	    "the tests for subgroup differences"),
};
static OBJ(subgroups_of_keys, struct sm_res_subgroups_of, "analyses[].subgroups");

/* analyses[].meta_regression.moderators[] */
static const struct sm_rkey moderator_keys_k[] = {
	KEY(struct sm_res_moderator, "name", name, STR, 0, NULL, NULL,
	    "the moderator"),
	KEY(struct sm_res_moderator, "source", source, STR, 0, NULL, NULL,
	    "where it comes from"),
	KEY(struct sm_res_moderator, "type", type, STR, 0, NULL, NULL,
	    "numeric or categorical"),
	KEY(struct sm_res_moderator, "unit", unit, STR, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "its unit"),
	KEY(struct sm_res_moderator, "min", min, NUM, SM_RK_OPTIONAL, NULL, NULL,
	    "smallest value"),
	KEY(struct sm_res_moderator, "max", max, NUM, SM_RK_OPTIONAL, NULL, NULL,
	    "largest value"),
	KEY(struct sm_res_moderator, "mean", mean, NUM, SM_RK_OPTIONAL, NULL, NULL,
	    "mean value"),
	KEY(struct sm_res_moderator, "levels", levels, STRS, SM_RK_OPTIONAL, NULL, NULL,
	    "levels (categorical)"),
	KEY(struct sm_res_moderator, "reference", reference, STR, SM_RK_OPTIONAL, NULL, NULL,
	    "the reference level (categorical)"),
	KEY(struct sm_res_moderator, "coefficients", coefficients, STRS, 0, NULL, NULL,
	    "the names of its coefficients"),
};
static OBJ(moderator_keys, struct sm_res_moderator, "analyses[].meta_regression.moderators[]");

/* analyses[].meta_regression.studies[].transformed */
static const struct sm_rkey yi_keys_k[] = {
	KEY(struct sm_res_yi, "yi", yi, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "effect, display scale"),
};
static OBJ(yi_keys, struct sm_res_yi, "analyses[].meta_regression.studies[].transformed");

/* analyses[].meta_regression.studies[] */
static const struct sm_rkey mr_study_keys_k[] = {
	KEY(struct sm_res_mr_study, "label", label, STR, 0, NULL, NULL,
	    "label"),
	KEY(struct sm_res_mr_study, "study_id", study_id, STR, 0, NULL, NULL,
	    "study id"),
	KEY(struct sm_res_mr_study, "moderators", moderators, CHARS, 0, NULL, NULL,
	    "the study's moderator values"),
	KEY(struct sm_res_mr_study, "yi", yi, NUM, 0, NULL, NULL,
	    "effect, analysis scale"),
	KEY(struct sm_res_mr_study, "vi", vi, NUM, SM_RK_NONNEG, NULL, NULL,
	    "its variance"),
	KEY(struct sm_res_mr_study, "weight", weight, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "weight (percent)"),
	KEY(struct sm_res_mr_study, "transformed", transformed, OBJ, 0, &yi_keys, NULL,
	    "the display scale"),
};
static OBJ(mr_study_keys, struct sm_res_mr_study, "analyses[].meta_regression.studies[]");

/* analyses[].meta_regression.bubble[].line.transformed */
static const struct sm_rkey line_display_keys_k[] = {
	KEY(struct sm_res_line_display, "function", function, STR, 0, NULL, transf_words,
	    "the back-transformation"),
	KEY(struct sm_res_line_display, "estimate", estimate, NUMS, 0, NULL, NULL,
	    "fitted values"),
	KEY(struct sm_res_line_display, "ci_lb", ci_lb, NUMS, 0, NULL, NULL,
	    "lower CI band"),
	KEY(struct sm_res_line_display, "ci_ub", ci_ub, NUMS, 0, NULL, NULL,
	    "upper CI band"),
	KEY(struct sm_res_line_display, "pi_lb", pi_lb, NUMS, SM_RK_NULLABLE, NULL, NULL,
	    "lower prediction band"),
	KEY(struct sm_res_line_display, "pi_ub", pi_ub, NUMS, SM_RK_NULLABLE, NULL, NULL,
	    "upper prediction band"),
};
static OBJ(line_display_keys, struct sm_res_line_display, "analyses[].meta_regression.bubble[].line.transformed");

/* analyses[].meta_regression.bubble[].line */
static const struct sm_rkey line_keys_k[] = {
	KEY(struct sm_res_line, "x", x, NUMS, 0, NULL, NULL,
	    "moderator values (the grid)"),
	KEY(struct sm_res_line, "estimate", estimate, NUMS, 0, NULL, NULL,
	    "fitted values, analysis scale"),
	KEY(struct sm_res_line, "se", se, NUMS, 0, NULL, NULL,
	    "their standard errors"),
	KEY(struct sm_res_line, "ci_lb", ci_lb, NUMS, 0, NULL, NULL,
	    "lower CI band"),
	KEY(struct sm_res_line, "ci_ub", ci_ub, NUMS, 0, NULL, NULL,
	    "upper CI band"),
	KEY(struct sm_res_line, "pi_lb", pi_lb, NUMS, SM_RK_NULLABLE, NULL, NULL,
	    "lower prediction band"),
	KEY(struct sm_res_line, "pi_ub", pi_ub, NUMS, SM_RK_NULLABLE, NULL, NULL,
	    "upper prediction band"),
	KEY(struct sm_res_line, "transformed", transformed, OBJ, 0, &line_display_keys, NULL,
	    "the display scale"),
};
static OBJ(line_keys, struct sm_res_line, "analyses[].meta_regression.bubble[].line");

/* analyses[].meta_regression.bubble[] */
static const struct sm_rkey bubble_keys_k[] = {
	KEY(struct sm_res_bubble, "moderator", moderator, STR, 0, NULL, NULL,
	    "the moderator on the x axis"),
	KEY(struct sm_res_bubble, "unit", unit, STR, SM_RK_NULLABLE, NULL, NULL,
	    "its unit"),
	KEY(struct sm_res_bubble, "axis_label", axis_label, STR, 0, NULL, NULL,
	    "the x axis label"),
	KEY(struct sm_res_bubble, "others", others, STR, 0, NULL, NULL,
	    "the other moderators held at (none, their means)"),
	KEY(struct sm_res_bubble, "line", line, OBJ, 0, &line_keys, NULL,
	    "the fitted line with its bands"),
};
static OBJ(bubble_keys, struct sm_res_bubble, "analyses[].meta_regression.bubble[]");

/* analyses[].meta_regression */
static const struct sm_rkey metareg_keys_k[] = {
	KEY(struct sm_res_metareg, "model", model, STR, 0, NULL, NULL,
	    "the model in words"),
	KEY(struct sm_res_metareg, "method", method, STR, 0, NULL, NULL,
	    "tau2 estimator"),
	KEY(struct sm_res_metareg, "test", test, STR, 0, NULL, NULL,
	    "z or knha"),
	KEY(struct sm_res_metareg, "k", k, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies"),
	KEY(struct sm_res_metareg, "p", p, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "coefficients"),
	KEY(struct sm_res_metareg, "moderators", moderators, LIST, 0, &moderator_keys, NULL,
	    "the moderators"),
	KEY(struct sm_res_metareg, "coefficients", coefficients, LIST, 0, &coef_keys, NULL,
	    "the coefficients"),
	KEY(struct sm_res_metareg, "stat_name", stat_name, STR, 0, NULL, NULL,
	    "z or t"),
	KEY(struct sm_res_metareg, "df", df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "df (t tests)"),
	KEY(struct sm_res_metareg, "QM", QM, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "omnibus moderator test"),
	KEY(struct sm_res_metareg, "QM_df", QM_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_metareg, "QM_df2", QM_df2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its second df (F test)"),
	KEY(struct sm_res_metareg, "QM_p", QM_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_metareg, "QM_distribution", QM_distribution, STR, 0, NULL, NULL,
	    "chisq or F"),
	KEY(struct sm_res_metareg, "QE", QE, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "residual heterogeneity"),
	KEY(struct sm_res_metareg, "QE_df", QE_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_metareg, "QE_p", QE_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_metareg, "tau2", tau2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "residual tau2"),
	KEY(struct sm_res_metareg, "tau2_se", tau2_se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its standard error"),
	KEY(struct sm_res_metareg, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "residual I2"),
	KEY(struct sm_res_metareg, "H2", H2, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "residual H2"),
	KEY(struct sm_res_metareg, "R2", R2, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "R2 (percent)"),
	KEY(struct sm_res_metareg, "transformed_function", transformed_function, STR, 0, NULL, transf_words,
	    "the back-transformation of the lines"),
	KEY(struct sm_res_metareg, "studies", studies, LIST, SM_RK_OPTIONAL, &mr_study_keys, NULL,
	    "per study: moderator values, yi, vi, weight"),
	KEY(struct sm_res_metareg, "bubble", bubble, LIST, 0, &bubble_keys, NULL,
	    "per numeric moderator: the fitted line for a bubble plot"),
};
static OBJ(metareg_keys, struct sm_res_metareg, "analyses[].meta_regression");

/* analyses[].glmm */
static const struct sm_rkey glmm_keys_k[] = {
	KEY(struct sm_res_glmm, "model", model, STR, 0, NULL, NULL,
	    "UM.FS, UM.RS, CM.EL or CM.AL"),
	KEY(struct sm_res_glmm, "model_name", model_name, STR, 0, NULL, NULL,
	    "the model in words"),
	KEY(struct sm_res_glmm, "method", method, STR, 0, NULL, NULL,
	    "ML (random effects) or FE"),
	KEY(struct sm_res_glmm, "nAGQ", nAGQ, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "adaptive Gauss-Hermite points"),
	KEY(struct sm_res_glmm, "k", k, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies in the model"),
	KEY(struct sm_res_glmm, "k_all", k_all, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies given"),
	KEY(struct sm_res_glmm, "k_omitted", k_omitted, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies left out (no events in either arm, ...)"),
	KEY(struct sm_res_glmm, "k_yi", k_yi, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies with a finite log odds ratio"),
	KEY(struct sm_res_glmm, "tau2", tau2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "between-study variance"),
	KEY(struct sm_res_glmm, "se_tau2", se_tau2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its standard error (CM.EL)"),
	KEY(struct sm_res_glmm, "sigma2", sigma2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "variance of the random study effects (UM.RS)"),
	KEY(struct sm_res_glmm, "vt", vt, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "typical within-study variance"),
	KEY(struct sm_res_glmm, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "I2 (percent)"),
	KEY(struct sm_res_glmm, "H2", H2, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "H2"),
	KEY(struct sm_res_glmm, "QE_wald", QE_wald, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "Wald-type test for heterogeneity"),
	KEY(struct sm_res_glmm, "QE_wald_df", QE_wald_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_glmm, "QE_wald_p", QE_wald_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_glmm, "QE_lrt", QE_lrt, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "likelihood-ratio test for heterogeneity"),
	KEY(struct sm_res_glmm, "QE_lrt_df", QE_lrt_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_glmm, "QE_lrt_p", QE_lrt_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_glmm, "loglik", loglik, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "the maximised marginal log-likelihood"),
};
static OBJ(glmm_keys, struct sm_res_glmm, "analyses[].glmm");

/* analyses[].rare_events.methods[] */
static const struct sm_rkey rare_method_keys_k[] = {
	KEY(struct sm_res_rare_method, "method", method, STR, 0, NULL, NULL,
	    "IV, MH, PETO or GLMM"),
	KEY(struct sm_res_rare_method, "measure", measure, STR, 0, NULL, NULL,
	    "OR or RD"),
	KEY(struct sm_res_rare_method, "glmm", glmm, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the GLMM model, or null"),
	KEY(struct sm_res_rare_method, "model", model, STR, 0, NULL, NULL,
	    "the model in words"),
	KEY(struct sm_res_rare_method, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, display scale"),
	KEY(struct sm_res_rare_method, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_rare_method, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_rare_method, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_rare_method, "log_estimate", log_estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "estimate, log scale (ratios)"),
	KEY(struct sm_res_rare_method, "se", se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its standard error"),
	KEY(struct sm_res_rare_method, "tau2", tau2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "tau2 (random effects)"),
	KEY(struct sm_res_rare_method, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL | SM_RK_PCT, NULL, NULL,
	    "I2 (percent) as the method's fit reports it: Q-based for IV, MH and Peto, from tau2 and the typical within-study variance for the GLMMs"),
	KEY(struct sm_res_rare_method, "null", null, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "the value of no difference (1 for ratios, 0 for differences)"),
	KEY(struct sm_res_rare_method, "k_used", k_used, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies the method used"),
	KEY(struct sm_res_rare_method, "note", note, STR, SM_RK_NULLABLE, NULL, NULL,
	    "why the row could not be computed, or null"),
};
static OBJ(rare_method_keys, struct sm_res_rare_method, "analyses[].rare_events.methods[]");

/* analyses[].rare_events */
static const struct sm_rkey rare_keys_k[] = {
	KEY(struct sm_res_rare, "k", k, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies"),
	KEY(struct sm_res_rare, "k_double_zero", k_double_zero, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies without events in either arm"),
	KEY(struct sm_res_rare, "k_zero_cell", k_zero_cell, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies with a zero cell"),
	KEY(struct sm_res_rare, "level", level, NUM, SM_RK_POS, NULL, NULL,
	    "confidence level"),
	KEY(struct sm_res_rare, "methods", methods, LIST, 0, &rare_method_keys, NULL,
	    "one row per method"),
};
static OBJ(rare_keys, struct sm_res_rare, "analyses[].rare_events");

/* analyses[].sensitivity.rows[] */
static const struct sm_rkey sens_row_keys_k[] = {
	KEY(struct sm_res_sens_row, "label", label, STR, 0, NULL, NULL,
	    "what the row changes: All studies, Excluding high risk of bias, Excluding FIELD, "
	    "Common effect, Random effects, Trim-and-fill adjusted, Multilevel ..., "
	    "Cluster-robust, Rare events: GLMM ..."),
	KEY(struct sm_res_sens_row, "method", method, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the method of the row's model (DL, FE, MH, REML, ML, cr1 ...)"),
	KEY(struct sm_res_sens_row, "model", model, STR, SM_RK_NULLABLE, NULL, NULL,
	    "standard, multilevel, or the GLMM (GLMM UM.FS)"),
	KEY(struct sm_res_sens_row, "k", k, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies in the row's model (trim and fill: with the filled ones)"),
	KEY(struct sm_res_sens_row, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "pooled estimate (analysis scale)"),
	KEY(struct sm_res_sens_row, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower confidence bound"),
	KEY(struct sm_res_sens_row, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper confidence bound"),
	KEY(struct sm_res_sens_row, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_sens_row, "tau2", tau2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "between-study variance (null for common-effect, multilevel and robust rows)"),
	KEY(struct sm_res_sens_row, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "I2 (percent; null where the model has none)"),
	KEY(struct sm_res_sens_row, "transformed", transformed, OBJ, 0, &fit_transformed_keys, NULL,
	    "estimate and CI on the display scale"),
	KEY(struct sm_res_sens_row, "excluded", excluded, STRS, 0, NULL, NULL,
	    "the studies the row leaves out (ids)"),
	KEY(struct sm_res_sens_row, "note", note, STR, SM_RK_NULLABLE, NULL, NULL,
	    "why a row is null, or what qualifies it"),
};
static OBJ(sens_row_keys, struct sm_res_sens_row, "analyses[].sensitivity.rows[]");

/* analyses[].sensitivity */
static const struct sm_rkey sensitivity_keys_k[] = {
	KEY(struct sm_res_sensitivity, "high_risk_of_bias", high_risk_of_bias, STR, 0, NULL, NULL,
	    "which judgments count as high risk of bias"),
	KEY(struct sm_res_sensitivity, "exclude_field", exclude_field, STR, SM_RK_NULLABLE, NULL, NULL,
	    "--sensitivity-exclude FIELD[=VALUE], or null"),
	KEY(struct sm_res_sensitivity, "rows", rows, LIST, 0, &sens_row_keys, NULL,
	    "one row per sensitivity analysis"),
};
static OBJ(sensitivity_keys, struct sm_res_sensitivity, "analyses[].sensitivity");

/* analyses[].influence_summary */
static const struct sm_rkey influence_summary_keys_k[] = {
	KEY(struct sm_res_influence_summary, "computed", computed, BOOL, 0, NULL, NULL,
	    "the influence diagnostics were computed"),
	KEY(struct sm_res_influence_summary, "influential", influential, STRS, 0, NULL, NULL,
	    "labels of the studies metafor flags as influential"),
	KEY(struct sm_res_influence_summary, "outliers", outliers, STRS, 0, NULL, NULL,
	    "labels of the studies with |rstudent| above the bound"),
	KEY(struct sm_res_influence_summary, "cooks_above_median", cooks_above_median, STRS, 0, NULL, NULL,
	    "labels of the studies with Cook's distance above the chi-square(1) median"),
	KEY(struct sm_res_influence_summary, "rstudent_bound", rstudent_bound, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "the Bonferroni bound qnorm(1 - 0.05/(2k))"),
	KEY(struct sm_res_influence_summary, "cooks_bound", cooks_bound, NUM, SM_RK_POS, NULL, NULL,
	    "qchisq(0.5, 1)"),
#define PLOT_LINE(name, field, flags, doc) \
	KEY(struct sm_res_influence_summary, name, field, NUM, SM_RK_OPTIONAL | (flags), NULL, NULL, doc)
	PLOT_LINE("rstudent_line", rstudent_line, SM_RK_POS, "rstudent panel lines at +-qnorm(0.975)"),
	PLOT_LINE("dffits_bound", dffits_bound, SM_RK_POS, "|DFFITS| bound 3 sqrt(p/(k - p))"),
	PLOT_LINE("hat_mean", hat_mean, SM_RK_POS, "mean hat value p/k"),
	PLOT_LINE("hat_bound", hat_bound, SM_RK_POS, "hat bound 3p/k"),
	PLOT_LINE("dfbs_bound", dfbs_bound, SM_RK_POS, "|DFBETAS| bound 1"),
	PLOT_LINE("cov_r_line", cov_r_line, SM_RK_POS, "covariance ratio reference 1"),
	PLOT_LINE("weight_mean", weight_mean, SM_RK_POS, "mean weight 100/k (percent)"),
	PLOT_LINE("tau2_line", tau2_line, SM_RK_NULLABLE | SM_RK_NONNEG, "tau2 of the full fit (tau2.del panel)"),
	PLOT_LINE("QE_line", QE_line, SM_RK_NULLABLE | SM_RK_NONNEG, "Q of the full fit (QE.del panel)"),
	PLOT_LINE("QE_df", QE_df, SM_RK_POS, "k - p, the expected Q (QE.del panel)"),
#undef PLOT_LINE
	KEY(struct sm_res_influence_summary, "method", method, STR, 0, NULL, NULL,
	    "the criteria in words"),
};
static OBJ(influence_summary_keys, struct sm_res_influence_summary, "analyses[].influence_summary");

/* analyses[].evidence_of_absence */
static const struct sm_rkey absence_keys_k[] = {
	KEY(struct sm_res_absence, "level_one_sided", level_one_sided, NUM, SM_RK_POS, NULL, NULL,
	    "level of the one-sided bounds (percent)"),
	KEY(struct sm_res_absence, "control_risk_per_1000", control_risk_per_1000, NUM, SM_RK_NONNEG, NULL, NULL,
	    "the control risk the back-calculation uses"),
	KEY(struct sm_res_absence, "control_risk_source", control_risk_source, STR, 0, NULL, NULL,
	    "which control risk that is"),
	KEY(struct sm_res_absence, "rd_method", rd_method, STR, 0, NULL, NULL,
	    "the risk difference's model"),
	KEY(struct sm_res_absence, "rd_per_1000", rd_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "Mantel-Haenszel risk difference per 1000"),
	KEY(struct sm_res_absence, "rd_ci_lb_per_1000", rd_ci_lb_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its lower bound (two-sided level)"),
	KEY(struct sm_res_absence, "rd_ci_ub_per_1000", rd_ci_ub_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its upper bound"),
	KEY(struct sm_res_absence, "rd_upper_per_1000", rd_upper_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its one-sided upper bound"),
	KEY(struct sm_res_absence, "backcalc_method", backcalc_method, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the pooled effect the back-calculation uses"),
	KEY(struct sm_res_absence, "backcalc_per_1000", backcalc_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "excess risk per 1000 from the pooled effect at the control risk"),
	KEY(struct sm_res_absence, "backcalc_ci_lb_per_1000", backcalc_ci_lb_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its lower bound"),
	KEY(struct sm_res_absence, "backcalc_ci_ub_per_1000", backcalc_ci_ub_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its upper bound"),
	KEY(struct sm_res_absence, "backcalc_upper_per_1000", backcalc_upper_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its one-sided upper bound"),
	KEY(struct sm_res_absence, "zero_events", zero_events, BOOL, 0, NULL, NULL,
	    "no events in any study"),
	KEY(struct sm_res_absence, "patients_t", patients_t, NUM, SM_RK_NONNEG, NULL, NULL,
	    "treated patients, once per study (largest arm)"),
	KEY(struct sm_res_absence, "patients_c", patients_c, NUM, SM_RK_NONNEG, NULL, NULL,
	    "control patients, once per study"),
	KEY(struct sm_res_absence, "exact_upper_per_1000", exact_upper_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "no events: exact one-sided bound on the treated risk"),
	KEY(struct sm_res_absence, "rule_of_three_per_1000", rule_of_three_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "no events: 3 / patients_t"),
	KEY(struct sm_res_absence, "excluded_above_per_1000", excluded_above_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "the data exclude an excess risk above this"),
	KEY(struct sm_res_absence, "excluded_method", excluded_method, STR, SM_RK_NULLABLE, NULL, NULL,
	    "which bound that is"),
	KEY(struct sm_res_absence, "harm_margin_per_1000", harm_margin_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "the harm margin (settings), or null"),
	KEY(struct sm_res_absence, "margin_excluded", margin_excluded, BOOL, SM_RK_NULLABLE, NULL, NULL,
	    "the bound is below the margin"),
	KEY(struct sm_res_absence, "power", power, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "power of the optimal information size (percent)"),
	KEY(struct sm_res_absence, "ois_total", ois_total, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "patients (1:1) needed to exclude the margin"),
	KEY(struct sm_res_absence, "information_fraction", information_fraction, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "patients observed / ois_total"),
	KEY(struct sm_res_absence, "ois_method", ois_method, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the formula of ois_total"),
	KEY(struct sm_res_absence, "statement", statement, STR, 0, NULL, NULL,
	    "the finding in words"),
};
static OBJ(absence_keys, struct sm_res_absence, "analyses[].evidence_of_absence");

/* analyses[] */
static const struct sm_rkey analysis_keys_k[] = {
	KEY(struct sm_res_analysis, "name", name, STR, 0, NULL, NULL,
	    "the analysis (outcome or domain)"),
	KEY(struct sm_res_analysis, "model", model, STR, SM_RK_OPTIONAL, NULL, model_words,
	    "the model the pooled keys come from: standard or multilevel"),
	KEY(struct sm_res_analysis, "measure", measure, STR, 0, NULL, measure_words,
	    "effect measure"),
	KEY(struct sm_res_analysis, "method", method, STR, 0, NULL, NULL,
	    "pooling method label"),
	KEY(struct sm_res_analysis, "test", test, STR, 0, NULL, test_words,
	    "z or knha"),
	KEY(struct sm_res_analysis, "level", level, NUM, SM_RK_POS, NULL, NULL,
	    "confidence level"),
	KEY(struct sm_res_analysis, "k", k, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies in the model"),
	KEY(struct sm_res_analysis, "k_rows", k_rows, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "rows in the data"),
	KEY(struct sm_res_analysis, "tau2_estimator", tau2_estimator, STR, 0, NULL, NULL,
	    "tau2 estimator or none"),
	KEY(struct sm_res_analysis, "add", add, NUM, SM_RK_NONNEG, NULL, NULL,
	    "continuity correction"),
	KEY(struct sm_res_analysis, "to", to, STR, 0, NULL, to_words,
	    "which studies get it"),
	KEY(struct sm_res_analysis, "drop00", drop00, BOOL, 0, NULL, NULL,
	    "double zeros left out"),
	KEY(struct sm_res_analysis, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "pooled estimate, analysis scale"),
	KEY(struct sm_res_analysis, "se", se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its standard error"),
	KEY(struct sm_res_analysis, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_analysis, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_analysis, "stat", stat, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "test statistic"),
	KEY(struct sm_res_analysis, "df", df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df (t tests)"),
	KEY(struct sm_res_analysis, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_analysis, "pi_lb", pi_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower prediction bound"),
	KEY(struct sm_res_analysis, "pi_ub", pi_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper prediction bound"),
	KEY(struct sm_res_analysis, "tau2", tau2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "between-study variance"),
	KEY(struct sm_res_analysis, "tau2_se", tau2_se, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its standard error"),
	KEY(struct sm_res_analysis, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "I2 (percent)"),
	KEY(struct sm_res_analysis, "H2", H2, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "H2"),
	KEY(struct sm_res_analysis, "Q", Q, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "heterogeneity Q"),
	KEY(struct sm_res_analysis, "Q_df", Q_df, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "its df"),
	KEY(struct sm_res_analysis, "Q_p", Q_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its P value"),
	KEY(struct sm_res_analysis, "rstudent_bound", rstudent_bound, NUM, SM_RK_NULLABLE | SM_RK_OPTIONAL, NULL, NULL,
	    "Bonferroni bound for |rstudent|"),
	KEY(struct sm_res_analysis, "tau2_ci", tau2_ci, PAIR, 0, NULL, NULL,
	    "Q-profile CI of tau2"),
	KEY(struct sm_res_analysis, "I2_ci", I2_ci, PAIR, 0, NULL, NULL,
	    "CI of I2"),
	KEY(struct sm_res_analysis, "H2_ci", H2_ci, PAIR, 0, NULL, NULL,
	    "CI of H2"),
	KEY(struct sm_res_analysis, "transformed", transformed, OBJ, 0, &transformed_keys, NULL,
	    "pooled values on the display scale"),
	KEY(struct sm_res_analysis, "totals", totals, OBJ, SM_RK_OPTIONAL, &totals_keys, NULL,
	    "events and patients per arm"),
	KEY(struct sm_res_analysis, "crude", crude, OBJ, SM_RK_OPTIONAL, &crude_keys, NULL,
	    "crude pooled incidence (proportions)"),
	KEY(struct sm_res_analysis, "zero_events", zero_events, OBJ, SM_RK_OPTIONAL, &zero_events_keys, NULL,
	    "upper bounds when no study has an event (proportions)"),
	KEY(struct sm_res_analysis, "display_per", display_per, NUM, SM_RK_OPTIONAL | SM_RK_POS, NULL, NULL,
	    "proportions are shown per this many patients (100, 1000, ...): the smallest power "
	    "of ten from 100 at which the crude incidence (the exact upper bound without events) "
	    "is at least 1"),
	KEY(struct sm_res_analysis, "egger", egger, OBJ, 0, &egger_keys, NULL,
	    "Egger's regression test"),
	KEY(struct sm_res_analysis, "begg", begg, OBJ, 0, &begg_keys, NULL,
	    "Begg's rank correlation test"),
	KEY(struct sm_res_analysis, "failsafe", failsafe, OBJ, 0, &failsafe_keys, NULL,
	    "fail-safe N"),
	KEY(struct sm_res_analysis, "trimfill", trimfill, OBJ, 0, &trimfill_keys, NULL,
	    "trim and fill"),
	KEY(struct sm_res_analysis, "small_study", small_study, OBJ, SM_RK_OPTIONAL, &small_study_keys, NULL,
	    "whether the small-study results are presented"),
	KEY(struct sm_res_analysis, "fits", fits, LIST, 0, &fit_keys, NULL,
	    "other models fitted beside this one (the common-effect row)"),
	KEY(struct sm_res_analysis, "sigma2", sigma2, PAIR, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "the multilevel model's variance components, outermost first (model multilevel)"),
	KEY(struct sm_res_analysis, "sigma2_nlevels", sigma2_nlevels, PAIR, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "clusters and rows of those levels"),
	KEY(struct sm_res_analysis, "multilevel", multilevel, OBJ, SM_RK_OPTIONAL | SM_RK_NULLABLE, &multilevel_keys, NULL,
	    "the three-level model beside the row-level result, when a study has several rows"),
	KEY(struct sm_res_analysis, "robust", robust, OBJ, SM_RK_OPTIONAL | SM_RK_NULLABLE, &robust_keys, NULL,
	    "cluster-robust inference on the pooled model (--robust)"),
	KEY(struct sm_res_analysis, "mh", mh, OBJ, SM_RK_OPTIONAL, &mh_keys, NULL,
	    "Mantel-Haenszel pooling (2x2 data)"),
	KEY(struct sm_res_analysis, "peto", peto, OBJ, SM_RK_OPTIONAL, &peto_keys, NULL,
	    "Peto pooling (2x2 data, OR)"),
	KEY(struct sm_res_analysis, "glmm", glmm, OBJ, SM_RK_OPTIONAL, &glmm_keys, NULL,
	    "the GLMM when it pools (--method GLMM)"),
	KEY(struct sm_res_analysis, "rare_events", rare_events, OBJ, SM_RK_OPTIONAL, &rare_keys, NULL,
	    "the rare-event method comparison (2x2 data)"),
	KEY(struct sm_res_analysis, "influence_summary", influence_summary, OBJ, SM_RK_OPTIONAL, &influence_summary_keys, NULL,
	    "influential studies and outliers by label (k >= 2)"),
	KEY(struct sm_res_analysis, "cumul_order", cumul_order, OBJ, SM_RK_OPTIONAL, &cumul_order_keys, NULL,
	    "the order of the cumulative analysis (studies[].cumul)"),
	KEY(struct sm_res_analysis, "evidence_of_absence", evidence_of_absence, OBJ, SM_RK_OPTIONAL, &absence_keys, NULL,
	    "the excess risk the data exclude (2x2 data)"),
	KEY(struct sm_res_analysis, "sensitivity", sensitivity, OBJ, SM_RK_OPTIONAL, &sensitivity_keys, NULL,
	    "the sensitivity table: the pooled result under other choices"),
	KEY(struct sm_res_analysis, "studies", studies, LIST, SM_RK_OPTIONAL, &study_keys, NULL,
	    "the studies in the model"),
	KEY(struct sm_res_analysis, "excluded", excluded, LIST, SM_RK_OPTIONAL, &study_keys, NULL,
	    "the studies left out, with the reason"),
	KEY(struct sm_res_analysis, "aggregate", aggregate, STR, SM_RK_OPTIONAL, NULL, bound_words,
	    "in an aggregate analysis: which bound it is"),
	KEY(struct sm_res_analysis, "unit_of_analysis", unit_of_analysis, OBJ, SM_RK_OPTIONAL | SM_RK_NULLABLE, &unit_keys, NULL,
	    "studies with several rows and repeated control arms"),
	KEY(struct sm_res_analysis, "aggregate_lower", aggregate_lower, REF, SM_RK_OPTIONAL | SM_RK_NULLABLE, &analysis_keys, NULL,
	    "the analysis of one row per study, lower bounds (--aggregate)"),
	KEY(struct sm_res_analysis, "aggregate_upper", aggregate_upper, REF, SM_RK_OPTIONAL | SM_RK_NULLABLE, &analysis_keys, NULL,
	    "the same, upper bounds"),
	KEY(struct sm_res_analysis, "subgroups", subgroups, OBJ, SM_RK_OPTIONAL, &subgroups_of_keys, NULL,
	    "its subgroups and the tests for subgroup differences (--by)"),
	KEY(struct sm_res_analysis, "meta_regression", meta_regression, OBJ, SM_RK_OPTIONAL | SM_RK_NULLABLE, &metareg_keys, NULL,
	    "the meta-regression (--mods); null when it could not be fitted"),
	KEY(struct sm_res_analysis, "weight", weight, NUM, SM_RK_OPTIONAL | SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "a subgroup's share of its analysis (percent)"),
	KEY(struct sm_res_analysis, "warnings", warnings, STRS, 0, NULL, NULL,
	    "what the reader must know (corrections, statistics not computed and why)"),
};
static OBJ(analysis_keys, struct sm_res_analysis, "analyses[]");

/* domain_table.rows[].absolute */
static const struct sm_rkey absolute_keys_k[] = {
	KEY(struct sm_res_absolute, "control_per_1000", control_per_1000, NUM, 0, NULL, NULL,
	    "control risk per 1000"),
	KEY(struct sm_res_absolute, "treated_per_1000", treated_per_1000, NUM, 0, NULL, NULL,
	    "treated risk per 1000"),
	KEY(struct sm_res_absolute, "treated_ci_lb_per_1000", treated_ci_lb_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its lower bound"),
	KEY(struct sm_res_absolute, "treated_ci_ub_per_1000", treated_ci_ub_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its upper bound"),
	KEY(struct sm_res_absolute, "difference_per_1000", difference_per_1000, NUM, 0, NULL, NULL,
	    "difference per 1000"),
	KEY(struct sm_res_absolute, "difference_ci_lb_per_1000", difference_ci_lb_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its lower bound"),
	KEY(struct sm_res_absolute, "difference_ci_ub_per_1000", difference_ci_ub_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its upper bound"),
};
static OBJ(absolute_keys, struct sm_res_absolute, "domain_table.rows[].absolute");

/* domain_table.rows[] */
static const struct sm_rkey domain_row_keys_k[] = {
	KEY(struct sm_res_domain_row, "analysis", analysis, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the analysis"),
	KEY(struct sm_res_domain_row, "measure", measure, STR, 0, NULL, NULL,
	    "effect measure"),
	KEY(struct sm_res_domain_row, "k", k, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "rows"),
	KEY(struct sm_res_domain_row, "k_studies", k_studies, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "distinct studies"),
	KEY(struct sm_res_domain_row, "events_t", events_t, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "events, treated"),
	KEY(struct sm_res_domain_row, "n_t", n_t, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "patients, treated"),
	KEY(struct sm_res_domain_row, "events_c", events_c, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "events, control"),
	KEY(struct sm_res_domain_row, "n_c", n_c, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "patients, control"),
	KEY(struct sm_res_domain_row, "n_t_by_study", n_t_by_study, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "treated patients counted once per study"),
	KEY(struct sm_res_domain_row, "n_c_by_study", n_c_by_study, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "control patients counted once per study"),
	KEY(struct sm_res_domain_row, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "pooled estimate, display scale"),
	KEY(struct sm_res_domain_row, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "lower CI bound"),
	KEY(struct sm_res_domain_row, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "upper CI bound"),
	KEY(struct sm_res_domain_row, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P value"),
	KEY(struct sm_res_domain_row, "I2", I2, NUM, SM_RK_NULLABLE | SM_RK_PCT, NULL, NULL,
	    "I2 (percent)"),
	KEY(struct sm_res_domain_row, "tau2", tau2, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "tau2"),
	KEY(struct sm_res_domain_row, "egger_p", egger_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "Egger P"),
	KEY(struct sm_res_domain_row, "begg_p", begg_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "Begg P"),
	KEY(struct sm_res_domain_row, "direction", direction, STR, SM_RK_NULLABLE, NULL, NULL,
	    "which arm has more events"),
	KEY(struct sm_res_domain_row, "verdict", verdict, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the row in words"),
	KEY(struct sm_res_domain_row, "verdict_code", verdict_code, STR, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, verdict_words,
	    "the verdict's code (2x2 data), or null"),
	KEY(struct sm_res_domain_row, "verdict_basis", verdict_basis, STR, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "the rule behind the verdict"),
	KEY(struct sm_res_domain_row, "excess_upper_per_1000", excess_upper_per_1000, NUM, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "the largest excess risk per 1000 the data exclude"),
	KEY(struct sm_res_domain_row, "harm_margin_per_1000", harm_margin_per_1000, NUM, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "the harm margin, or null"),
	KEY(struct sm_res_domain_row, "p_bh", p_bh, NUM, SM_RK_OPTIONAL | SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "P adjusted across domains (Benjamini-Hochberg)"),
	KEY(struct sm_res_domain_row, "signal_bh", signal_bh, BOOL, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "p_bh <= alpha"),
	KEY(struct sm_res_domain_row, "p_dfdr", p_dfdr, NUM, SM_RK_OPTIONAL | SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "the body system's double-FDR adjusted P"),
	KEY(struct sm_res_domain_row, "signal_dfdr", signal_dfdr, BOOL, SM_RK_OPTIONAL | SM_RK_NULLABLE, NULL, NULL,
	    "the body system is flagged by the double FDR"),
	KEY(struct sm_res_domain_row, "terms_flagged_dfdr", terms_flagged_dfdr, NUM, SM_RK_OPTIONAL | SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "its terms flagged by the double FDR"),
	KEY(struct sm_res_domain_row, "absolute", absolute, OBJ, SM_RK_NULLABLE, &absolute_keys, NULL,
	    "absolute effects per 1000 (2x2 ratio measures)"),
};
static OBJ(domain_row_keys, struct sm_res_domain_row, "domain_table.rows[]");

/* domain_table */
static const struct sm_rkey domain_table_keys_k[] = {
	KEY(struct sm_res_domain_table, "arm_labels", arm_labels, STRS, 0, NULL, NULL,
	    "treated and control arm labels"),
	KEY(struct sm_res_domain_table, "level", level, NUM, SM_RK_POS, NULL, NULL,
	    "confidence level"),
	KEY(struct sm_res_domain_table, "counting", counting, STR, 0, NULL, NULL,
	    "how patients are counted"),
	KEY(struct sm_res_domain_table, "rows", rows, LIST, 0, &domain_row_keys, NULL,
	    "one per analysis"),
};
static OBJ(domain_table_keys, struct sm_res_domain_table, "domain_table");

/* summary_of_findings.rows[].downgrades[] */
static const char *const certainty_words[] = { "high", "moderate", "low", "very low", NULL };
static const char *const rating_words[] = { "not serious", "serious", "very serious", NULL };
static const char *const sof_domain_words[] = { "risk of bias", "inconsistency", "indirectness",
						"imprecision", "publication bias", NULL };
static const struct sm_rkey sof_downgrade_keys_k[] = {
	KEY(struct sm_res_sof_downgrade, "domain", domain, STR, 0, NULL, sof_domain_words,
	    "GRADE domain"),
	KEY(struct sm_res_sof_downgrade, "rating", rating, STR, 0, NULL, rating_words,
	    "not serious, serious or very serious"),
	KEY(struct sm_res_sof_downgrade, "footnote", footnote, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the mark of its footnote, or null"),
};
static OBJ(sof_downgrade_keys, struct sm_res_sof_downgrade,
	   "summary_of_findings.rows[].downgrades[]");

/* summary_of_findings.rows[] */
static const struct sm_rkey sof_row_keys_k[] = {
	KEY(struct sm_res_sof_row, "analysis", analysis, STR, 0, NULL, NULL,
	    "the analysis"),
	KEY(struct sm_res_sof_row, "outcome", outcome, STR, 0, NULL, NULL,
	    "the outcome as the table names it"),
	KEY(struct sm_res_sof_row, "importance", importance, STR, SM_RK_NULLABLE, NULL, NULL,
	    "critical, important, not important, or null"),
	KEY(struct sm_res_sof_row, "measure", measure, STR, 0, NULL, NULL,
	    "effect measure"),
	KEY(struct sm_res_sof_row, "studies", studies, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "studies"),
	KEY(struct sm_res_sof_row, "participants", participants, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "participants (each study once)"),
	KEY(struct sm_res_sof_row, "certainty", certainty, STR, 0, NULL, certainty_words,
	    "certainty of the evidence"),
	KEY(struct sm_res_sof_row, "downgrades", downgrades, LIST, 0, &sof_downgrade_keys, NULL,
	    "GRADEpro's five domains"),
	KEY(struct sm_res_sof_row, "estimate", estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "relative effect, display scale"),
	KEY(struct sm_res_sof_row, "ci_lb", ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its lower bound"),
	KEY(struct sm_res_sof_row, "ci_ub", ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its upper bound"),
	KEY(struct sm_res_sof_row, "control_per_1000", control_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "assumed risk with control per 1000"),
	KEY(struct sm_res_sof_row, "control_source", control_source, STR, 0, NULL, NULL,
	    "review (given) or studies (control events / patients)"),
	KEY(struct sm_res_sof_row, "treated_per_1000", treated_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "corresponding risk with intervention per 1000"),
	KEY(struct sm_res_sof_row, "treated_ci_lb_per_1000", treated_ci_lb_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its lower bound"),
	KEY(struct sm_res_sof_row, "treated_ci_ub_per_1000", treated_ci_ub_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its upper bound"),
	KEY(struct sm_res_sof_row, "difference_per_1000", difference_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "risk difference per 1000"),
	KEY(struct sm_res_sof_row, "difference_ci_lb_per_1000", difference_ci_lb_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its lower bound"),
	KEY(struct sm_res_sof_row, "difference_ci_ub_per_1000", difference_ci_ub_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its upper bound"),
};
static OBJ(sof_row_keys, struct sm_res_sof_row, "summary_of_findings.rows[]");

/* summary_of_findings.footnotes[] */
static const struct sm_rkey sof_footnote_keys_k[] = {
	KEY(struct sm_res_sof_footnote, "mark", mark, STR, 0, NULL, NULL,
	    "a, b, c ..."),
	KEY(struct sm_res_sof_footnote, "text", text, STR, 0, NULL, NULL,
	    "the reason for rating down"),
};
static OBJ(sof_footnote_keys, struct sm_res_sof_footnote, "summary_of_findings.footnotes[]");

/* summary_of_findings */
static const struct sm_rkey sof_keys_k[] = {
	KEY(struct sm_res_sof, "arm_labels", arm_labels, STRS, 0, NULL, NULL,
	    "treated and control arm labels"),
	KEY(struct sm_res_sof, "level", level, NUM, SM_RK_POS, NULL, NULL,
	    "confidence level"),
	KEY(struct sm_res_sof, "rows", rows, LIST, 0, &sof_row_keys, NULL,
	    "one per rated analysis"),
	KEY(struct sm_res_sof, "footnotes", footnotes, LIST, 0, &sof_footnote_keys, NULL,
	    "the reasons for rating down, by mark"),
};
static OBJ(sof_keys, struct sm_res_sof, "summary_of_findings");

/* multiplicity.domains[] */
static const struct sm_rkey mult_domain_keys_k[] = {
	KEY(struct sm_res_mult_domain, "analysis", analysis, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the analysis (body system)"),
	KEY(struct sm_res_mult_domain, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "its pooled P, unadjusted"),
	KEY(struct sm_res_mult_domain, "p_bh", p_bh, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "Benjamini-Hochberg across domains"),
	KEY(struct sm_res_mult_domain, "signal_bh", signal_bh, BOOL, SM_RK_NULLABLE, NULL, NULL,
	    "p_bh <= alpha"),
	KEY(struct sm_res_mult_domain, "dfdr_body_system_p", dfdr_body_system_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "smallest within-system BH-adjusted term P"),
	KEY(struct sm_res_mult_domain, "dfdr_p", dfdr_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "that, BH-adjusted across body systems"),
	KEY(struct sm_res_mult_domain, "signal_dfdr", signal_dfdr, BOOL, SM_RK_NULLABLE, NULL, NULL,
	    "dfdr_p <= alpha (body system flagged)"),
	KEY(struct sm_res_mult_domain, "terms", terms, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "its terms (rows)"),
	KEY(struct sm_res_mult_domain, "terms_flagged", terms_flagged, NUM, SM_RK_NULLABLE | SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "terms flagged by the double FDR"),
};
static OBJ(mult_domain_keys, struct sm_res_mult_domain, "multiplicity.domains[]");

/* multiplicity.terms[] */
static const struct sm_rkey mult_term_keys_k[] = {
	KEY(struct sm_res_mult_term, "analysis", analysis, STR, SM_RK_NULLABLE, NULL, NULL,
	    "its analysis (body system)"),
	KEY(struct sm_res_mult_term, "label", label, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the row's label"),
	KEY(struct sm_res_mult_term, "event", event, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the row's event term"),
	KEY(struct sm_res_mult_term, "p", p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "Fisher's exact P, unadjusted"),
	KEY(struct sm_res_mult_term, "p_within_bh", p_within_bh, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "BH-adjusted within its body system"),
	KEY(struct sm_res_mult_term, "signal_dfdr", signal_dfdr, BOOL, 0, NULL, NULL,
	    "flagged by the double FDR"),
};
static OBJ(mult_term_keys, struct sm_res_mult_term, "multiplicity.terms[]");

/* multiplicity */
static const struct sm_rkey multiplicity_keys_k[] = {
	KEY(struct sm_res_multiplicity, "alpha", alpha, NUM, SM_RK_PROB, NULL, NULL,
	    "the FDR level, 1 - level/100"),
	KEY(struct sm_res_multiplicity, "bh_method", bh_method, STR, 0, NULL, NULL,
	    "Benjamini-Hochberg in words"),
	KEY(struct sm_res_multiplicity, "dfdr_method", dfdr_method, STR, 0, NULL, NULL,
	    "the double FDR in words"),
	KEY(struct sm_res_multiplicity, "dfdr_note", dfdr_note, STR, SM_RK_NULLABLE, NULL, NULL,
	    "why the double FDR is not computed, or null"),
	KEY(struct sm_res_multiplicity, "domains", domains, LIST, 0, &mult_domain_keys, NULL,
	    "one per analysis"),
	KEY(struct sm_res_multiplicity, "terms", terms, LIST, SM_RK_NULLABLE, &mult_term_keys, NULL,
	    "every term (row) of every analysis, or null"),
};
static OBJ(multiplicity_keys, struct sm_res_multiplicity, "multiplicity");

/* aggregate_tables[] */
static const struct sm_rkey aggregate_table_keys_k[] = {
	KEY(struct sm_res_aggregate_table, "id", id, STR, 0, NULL, NULL,
	    "its id in the review"),
	KEY(struct sm_res_aggregate_table, "name", name, STR, 0, NULL, NULL,
	    "what is compared"),
	KEY(struct sm_res_aggregate_table, "events_t", events_t, NUM, SM_RK_NONNEG, NULL, NULL,
	    "events, treated"),
	KEY(struct sm_res_aggregate_table, "n_t", n_t, NUM, SM_RK_POS, NULL, NULL,
	    "patients, treated"),
	KEY(struct sm_res_aggregate_table, "events_c", events_c, NUM, SM_RK_NONNEG, NULL, NULL,
	    "events, control"),
	KEY(struct sm_res_aggregate_table, "n_c", n_c, NUM, SM_RK_POS, NULL, NULL,
	    "patients, control"),
	KEY(struct sm_res_aggregate_table, "note", note, STR, SM_RK_NULLABLE, NULL, NULL,
	    "where the counts come from"),
	KEY(struct sm_res_aggregate_table, "risk_t_per_1000", risk_t_per_1000, NUM, SM_RK_NONNEG, NULL, NULL,
	    "treated risk per 1000"),
	KEY(struct sm_res_aggregate_table, "risk_c_per_1000", risk_c_per_1000, NUM, SM_RK_NONNEG, NULL, NULL,
	    "control risk per 1000"),
	KEY(struct sm_res_aggregate_table, "level", level, NUM, SM_RK_POS, NULL, NULL,
	    "confidence level"),
	KEY(struct sm_res_aggregate_table, "fisher_p", fisher_p, NUM, SM_RK_NULLABLE | SM_RK_PROB, NULL, NULL,
	    "Fisher's exact two-sided P"),
	KEY(struct sm_res_aggregate_table, "or_estimate", or_estimate, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "conditional maximum-likelihood odds ratio"),
	KEY(struct sm_res_aggregate_table, "or_ci_lb", or_ci_lb, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its exact lower bound"),
	KEY(struct sm_res_aggregate_table, "or_ci_ub", or_ci_ub, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its exact upper bound"),
	KEY(struct sm_res_aggregate_table, "or_method", or_method, STR, 0, NULL, NULL,
	    "the test and estimate in words"),
	KEY(struct sm_res_aggregate_table, "rd_per_1000", rd_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "risk difference per 1000"),
	KEY(struct sm_res_aggregate_table, "rd_ci_lb_per_1000", rd_ci_lb_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its score lower bound"),
	KEY(struct sm_res_aggregate_table, "rd_ci_ub_per_1000", rd_ci_ub_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its score upper bound"),
	KEY(struct sm_res_aggregate_table, "rd_upper_per_1000", rd_upper_per_1000, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "its one-sided upper bound (excess risk excluded above)"),
	KEY(struct sm_res_aggregate_table, "rd_method", rd_method, STR, 0, NULL, NULL,
	    "the interval in words"),
	KEY(struct sm_res_aggregate_table, "statement", statement, STR, 0, NULL, NULL,
	    "the comparison in words"),
};
static OBJ(aggregate_table_keys, struct sm_res_aggregate_table, "aggregate_tables[]");

/* check.analyses[] */
static const struct sm_rkey check_analysis_keys_k[] = {
	KEY(struct sm_res_check_analysis, "name", name, STR, 0, NULL, NULL,
	    "the reported analysis"),
	KEY(struct sm_res_check_analysis, "reproduced", reproduced, BOOL, 0, NULL, NULL,
	    "every reported value agrees"),
	KEY(struct sm_res_check_analysis, "values_compared", values_compared, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "values compared"),
};
static OBJ(check_analysis_keys, struct sm_res_check_analysis, "check.analyses[]");

/* check.findings[] */
static const struct sm_rkey check_finding_keys_k[] = {
	KEY(struct sm_res_check_finding, "kind", kind, STR, 0, NULL, NULL,
	    "count, value, self-contradiction, direction, not computable, unmatched, prisma, "
	    "claim or method"),
	KEY(struct sm_res_check_finding, "analysis", analysis, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the analysis"),
	KEY(struct sm_res_check_finding, "field", field, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the reported key or PRISMA step"),
	KEY(struct sm_res_check_finding, "reported", reported, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "as reported"),
	KEY(struct sm_res_check_finding, "computed", computed, NUM, SM_RK_NULLABLE, NULL, NULL,
	    "as recomputed"),
	KEY(struct sm_res_check_finding, "tolerance", tolerance, NUM, SM_RK_NULLABLE | SM_RK_NONNEG, NULL, NULL,
	    "the rounding tolerance"),
	KEY(struct sm_res_check_finding, "message", message, STR, 0, NULL, NULL,
	    "the finding in words"),
};
static OBJ(check_finding_keys, struct sm_res_check_finding, "check.findings[]");

/* check */
static const struct sm_rkey check_keys_k[] = {
	KEY(struct sm_res_check, "disagreements", disagreements, NUM, SM_RK_INT | SM_RK_NONNEG, NULL, NULL,
	    "findings"),
	KEY(struct sm_res_check, "tolerance_rule", tolerance_rule, STR, 0, NULL, NULL,
	    "how rounding is allowed for"),
	KEY(struct sm_res_check, "analyses", analyses, LIST, 0, &check_analysis_keys, NULL,
	    "per reported analysis"),
	KEY(struct sm_res_check, "findings", findings, LIST, 0, &check_finding_keys, NULL,
	    "every disagreement"),
};
static OBJ(check_keys, struct sm_res_check, "check");

/* results document */
static const struct sm_rkey sm_res_doc_schema_k[] = {
	KEY(struct sm_res, "results_version", results_version, NUM, SM_RK_INT | SM_RK_POS, NULL, NULL,
	    "version of this document's layout"),
	KEY(struct sm_res, "safemeta", safemeta, STR, 0, NULL, NULL,
	    "version of safemeta that wrote it"),
	KEY(struct sm_res, "input", input, STR, SM_RK_NULLABLE, NULL, NULL,
	    "the review's file name (its path relative to its own folder)"),
	KEY(struct sm_res, "settings", settings, OBJ, 0, &settings_keys, NULL,
	    "the settings the analyses ran with"),
	KEY(struct sm_res, "review", review, OBJ, 0, &review_keys, NULL,
	    "the review's own sections"),
	KEY(struct sm_res, "analyses", analyses, LIST, 0, &analysis_keys, NULL,
	    "one per outcome (domain)"),
	KEY(struct sm_res, "multiplicity", multiplicity, OBJ, SM_RK_OPTIONAL, &multiplicity_keys, NULL,
	    "the domains' P values adjusted for multiplicity"),
	KEY(struct sm_res, "domain_table", domain_table, OBJ, SM_RK_OPTIONAL, &domain_table_keys, NULL,
	    "the safety-domain table"),
	KEY(struct sm_res, "summary_of_findings", summary_of_findings, OBJ, SM_RK_OPTIONAL, &sof_keys, NULL,
	    "the GRADE summary of findings, when the review rates certainty"),
	KEY(struct sm_res, "aggregate_tables", aggregate_tables, LIST, SM_RK_OPTIONAL, &aggregate_table_keys, NULL,
	    "the review's 2x2 comparisons reported only in total"),
	KEY(struct sm_res, "check", check, OBJ, SM_RK_OPTIONAL, &check_keys, NULL,
	    "what check finds: reported against recomputed values"),
};
OBJ(sm_res_doc_schema, struct sm_res, "results document");
const struct sm_rkey *sm_rkey_find(const struct sm_robj *o, const char *key, size_t len)
{
	for (size_t i = 0; i < o->nkeys; i++)
		if (strlen(o->keys[i].key) == len && !memcmp(o->keys[i].key, key, len))
			return &o->keys[i];
	return NULL;
}
