/*
 * sm_domain_table.h -- the safety-domain table: one row per analysis
 * (domain) with its counts, pooled effect, heterogeneity, bias tests, a
 * direction-of-evidence verdict and GRADE-style absolute effects.
 *
 * Computed in the analysis stage from the analyses already written into the
 * results document, so the renderer only formats numbers.  Counting rules
 * (also written into the table as "counting"):
 *   k          comparisons, i.e. rows that entered the model;
 *   k_studies  distinct study_id among those rows;
 *   events_*, n_*  summed over comparisons: a patient of a study with
 *              several comparisons in a domain is counted once per row;
 *   n_*_by_study   each study counted once, with its largest arm size.
 * The verdict follows the confidence interval of the pooled effect: for
 * OR/RR/Peto OR a ratio interval entirely below 1 (RD: below 0) means
 * fewer events in the treated arm, whatever a paper's prose says.  For 2x2
 * data it also states the evidence of absence (sm_absence.h), U = the
 * largest excess risk per 1000 the data exclude, M = the harm margin:
 *   increased        "More events with ARM"         interval above the null
 *   decreased        "Fewer events with ARM"        interval below the null
 *   margin_excluded  "Excess risk above M per 1000 excluded"       U < M
 *   inconclusive     "Inconclusive: cannot exclude M per 1000"     U >= M
 *   no_difference    "No significant difference; excess risk above U per
 *                    1000 excluded"                 no margin set, U > 0
 *                    "...; no excess risk (upper bound -U per 1000)"  U <= 0
 * (verdict_code holds the code, verdict_basis the rule in words).  Other
 * data keep "No significant difference" / "Fewer events with ARM" / ...
 * Absolute effects: control risk p0 = events_c / n_c; treated risk from the
 * pooled ratio: OR: p1 = OR p0 / (1 - p0 + OR p0); RR: p1 = RR p0 (capped
 * at 1); RD: p1 = p0 + RD (clamped to [0, 1]); all per 1000.
 *
 * Ownership: sm_domain_table_json() returns a new cJSON object (caller
 * deletes); results is borrowed.
 */
#ifndef SM_DOMAIN_TABLE_H
#define SM_DOMAIN_TABLE_H

#include "sm_ctx.h"

#include <cjson/cJSON.h>

enum sm_direction {
	SM_DIR_FEWER = -1,  /* interval entirely on the "fewer events" side */
	SM_DIR_NONE = 0,    /* interval includes the null value */
	SM_DIR_MORE = 1,    /* interval entirely on the "more events" side */
	SM_DIR_NA = 2       /* no comparison (single-arm data) or no interval */
};

/* Direction from the pooled interval on the model scale (log ratio for
 * OR/RR/PETO, the raw difference for RD/GEN).  Proportions have no
 * control arm: SM_DIR_NA. */
enum sm_direction sm_domain_direction(const char *measure, double ci_lb, double ci_ub);

/* "Fewer events with MSC" etc.; for GEN "Lower values with ..."; NULL for
 * SM_DIR_NA.  Newly allocated. */
char *sm_domain_verdict(const char *measure, enum sm_direction dir, const char *arm1);

struct sm_domain_verdict {
	const char *code;  /* static */
	char *text;        /* allocated; NULL: no evidence-of-absence verdict */
	const char *basis; /* static */
};

/* The 2x2 verdict from the direction, U and M (NAN when none); text NULL
 * when there is no bound (then sm_domain_verdict's words apply). */
struct sm_domain_verdict sm_domain_verdict_of(enum sm_direction dir, double upper,
					      double margin, const char *arm1);

/* Treated-arm risk (0..1) implied by control risk p0 and the pooled effect
 * on the display scale (OR, RR or RD); NAN when the measure has no such
 * conversion or the inputs are not finite. */
double sm_domain_treated_risk(const char *measure, double p0, double effect);

/* Distinct studies (study_id) among an analysis' "studies" rows; -1 when
 * the rows are not in the document (analyze --no-studies). */
int sm_domain_table_studies(const cJSON *analysis);
/* The same with the rows a streamed build kept out of the tree
 * (sm_row_index.h; NULL: every row in the tree). */
struct sm_row_index;
int sm_domain_table_studies_indexed(const cJSON *analysis, const struct sm_row_index *index);

/* {"counting", "arm_labels", "level", "rows": [...]} from a results
 * document (needs "analyses" and "review"."settings"."arm_labels").  NULL
 * only when out of memory (recorded in ctx). */
cJSON *sm_domain_table_json(struct sm_ctx *ctx, const cJSON *results);
cJSON *sm_domain_table_json_indexed(struct sm_ctx *ctx, const cJSON *results,
				    const struct sm_row_index *index);

#endif
