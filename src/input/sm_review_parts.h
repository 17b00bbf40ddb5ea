/*
 * sm_review_parts.h -- the parts of the review JSON reader, one file each
 * (internal to src/input).  Each checks its part of the tree and fills the
 * review in v->r; the first error stops everything.
 */
#ifndef SM_REVIEW_PARTS_H
#define SM_REVIEW_PARTS_H

#include "sm_jv.h"
#include "sm_limits.h"
#include "sm_reported.h"

/* Appended to "file too large; expected at most 16 MiB" for a review JSON:
 * the way out for big data. */
#define SM_RV_JSON_HINT \
	" for a review JSON (put larger outcome tables in a CSV file: " \
	"\"outcomes\": {\"csv\": \"FILE\"})"

/* The review JSON in text (checked UTF-8, NUL-terminated, borrowed); the
 * body of sm_review_load once the file is in memory.  NULL on error. */
struct sm_review *sm_rv_load_text(struct sm_ctx *ctx, const char *path, const char *text,
				  size_t len, const struct sm_load_opts *load);

/* A bare CSV in data (NUL-terminated, borrowed); NULL on error. */
struct sm_review *sm_rv_load_csv_text(struct sm_ctx *ctx, const char *path, const char *data,
				      size_t len, const struct sm_load_opts *load);

/* "studies" (required array). */
sm_status sm_rv_studies(struct sm_jv *v, const cJSON *root, const struct sm_jpath *rootp);
/* "outcomes": an array of rows, or {"csv": ..., "ignore": [...]}. */
sm_status sm_rv_outcomes(struct sm_jv *v, const cJSON *root, const struct sm_jpath *rootp);
/* "settings" (already read) against the data kind; applies outcome_by. */
sm_status sm_rv_settings_check(struct sm_jv *v, const struct sm_jpath *rootp);
/* "prisma", "risk_of_bias", "tables", "reported": checked, then detached
 * from root into the review. */
sm_status sm_rv_prisma(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp);
sm_status sm_rv_risk_of_bias(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp);
sm_status sm_rv_tables(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp);
sm_status sm_rv_reported(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp);
/* "grade": GRADE ratings per analysis (sm_review_grade.c). */
sm_status sm_rv_grade(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp);
/* "aggregate_tables" (before "reported", whose comparisons name them), and
 * the parts of "reported" that refer to them or state claims. */
sm_status sm_rv_aggregate_tables(struct sm_jv *v, cJSON *root, const struct sm_jpath *rootp);
sm_status sm_rv_comparisons(struct sm_jv *v, const cJSON *rep, const struct sm_jpath *p);
sm_status sm_rv_claims(struct sm_jv *v, const cJSON *analysis, const struct sm_jpath *p);

#endif
