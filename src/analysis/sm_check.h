/*
 * sm_check.h -- compare what a paper reported with the recomputed results.
 *
 * Input is a results document (from sm_results_build) whose "review" holds
 * the review's "reported" section.  Each reported analysis is matched by
 * name with a computed one and every reported value is compared with the
 * recomputed value, allowing for rounding:
 *
 *   Tolerance rule.  A review file keeps printed values as JSON numbers, so
 *   the printed precision is read from the shortest decimal form that reads
 *   back as the same double (0.29 -> 2 decimals, 1e-05 -> 5, 46.512 -> 3);
 *   the tolerance is half a unit in that last decimal (0.29 -> +-0.005).
 *   Trailing zeros are lost in JSON ("0.30" reads as 0.3), which only makes
 *   the tolerance wider.  An exact zero carries no precision at all ("0",
 *   "0.0000"), so it takes the finest precision of the same key among the
 *   review's other reported analyses (tau2 = 0 beside tau2 = 0.3754 ->
 *   +-0.00005), or 0 decimals when there is none.
 *
 * Besides reported-vs-recomputed values, the check looks for the paper's
 * own contradictions, each judged with the same rounding intervals: a P
 * that does not follow from its Z, a Q P that does not follow from Q on
 * k - 1 df, an I² that does not follow from Q (DL and common-effect models,
 * I² = (Q - df) / Q), a CI that excludes the null while P > 1 - level (or
 * the reverse), an estimate outside its CI, Z and estimate of opposite
 * signs, a test reported for a k where it cannot be computed; counts: the
 * k of the paper's analysis (also implied by its studentized-residual
 * bound z(1 - 0.05 / 2k)) against the rows in the data, and the stated
 * number of studies against the distinct studies; and the PRISMA findings
 * of the results ("review"."prisma_findings"); claims in words
 * ("reported.analyses[].claims": "no influential study" against the studies
 * metafor's influence() flags, with those whose Cook's distance is above
 * the chi-square(1) median named; "no outlier" against |rstudent| above the
 * Bonferroni bound); and tests the reported data cannot support
 * ("reported.comparisons": a t-test on the counts of an aggregate 2x2
 * table, which are two independent proportions, with Fisher's exact test of
 * the same counts in the message).
 *
 * An analysis "reproduces" when its k and every reported value agree with
 * the recomputation, apart from values the paper itself contradicts.
 *
 * Ownership: sm_check_run() returns a report freed with sm_check_free();
 * it owns all its strings.  sm_check_json() and sm_check_text() return new
 * objects the caller frees (cJSON_Delete / free).
 */
#ifndef SM_CHECK_H
#define SM_CHECK_H

#include "sm_ctx.h"

#include <cjson/cJSON.h>
#include <stddef.h>

enum sm_check_kind {
	SM_CHECK_COUNT,      /* k or the number of studies differs */
	SM_CHECK_VALUE,      /* reported value differs from the recomputed one */
	SM_CHECK_SELF,       /* reported values contradict each other */
	SM_CHECK_DIRECTION,  /* sign misread or the wrong scale */
	SM_CHECK_UNDEFINED,  /* a statistic reported where it cannot exist */
	SM_CHECK_UNMATCHED,  /* a reported analysis with no computed one */
	SM_CHECK_PRISMA,     /* PRISMA flow arithmetic */
	SM_CHECK_CLAIM,      /* a claim in words the recomputed results contradict */
	SM_CHECK_METHOD      /* a test the reported data cannot support */
};

struct sm_check_finding {
	enum sm_check_kind kind;
	char *analysis;   /* NULL for review-level findings (PRISMA) */
	char *field;      /* reported key ("p", "k", ...) or PRISMA step */
	double reported;  /* NAN when not applicable */
	double computed;  /* recomputed or implied value; NAN when none */
	double tolerance; /* NAN when not applicable */
	char *message;    /* what disagrees and its likely cause */
};

struct sm_check_analysis {
	char *name;
	int reproduced; /* 1: k and every value agree (see above) */
	size_t values_compared;
};

struct sm_check {
	size_t n_findings;
	struct sm_check_finding *findings;
	size_t n_analyses;
	struct sm_check_analysis *analyses; /* reported analyses, in order */
};

/* NULL on out of memory or when results is not a results document. */
struct sm_check *sm_check_run(struct sm_ctx *ctx, const cJSON *results);
/* The same for a document being built whose streamed text rows are kept
 * out of the tree (sm_row_index.h; NULL: every row in the tree). */
struct sm_row_index;
struct sm_check *sm_check_run_indexed(struct sm_ctx *ctx, const cJSON *results,
				      const struct sm_row_index *rows);
void sm_check_free(struct sm_check *check);

/* Number of findings that are disagreements (all of them are). */
static inline size_t sm_check_count(const struct sm_check *c)
{
	return c ? c->n_findings : 0;
}

/* Decimals printed, from the shortest round-trip form of v (see above);
 * -1 for NaN or infinity. */
int sm_check_decimals(double v);
/* Half a unit in the last printed decimal of v. */
double sm_check_tolerance(double v);

/* {"analyses": [{name, reproduced, values_compared}], "findings": [...],
 *  "disagreements": n, "tolerance_rule": "..."}. */
cJSON *sm_check_json(const struct sm_check *check);
/* A readable report, grouped by analysis, ending with a summary line. */
char *sm_check_text(const struct sm_check *check, const char *input);

#endif
