/* The GRADE summary of findings: absolute effects per 1000 checked by hand
 * against GRADEpro's formulas, footnote marks, participants, warnings. */
#include "sm_test.h"

#include "sm_review.h"
#include "sm_sof.h"

#include <math.h>
#include <string.h>

/* A domain table with four analyses (display-scale effects). */
static const char *const results_text =
	"{\"domain_table\":{\"arm_labels\":[\"Drug\",\"Placebo\"],\"level\":95,\"rows\":["
	"{\"analysis\":\"or\",\"measure\":\"OR\",\"k\":5,\"k_studies\":4,\"events_c\":20,"
	"\"n_c\":100,\"n_t\":110,\"n_t_by_study\":90,\"n_c_by_study\":80,"
	"\"estimate\":2,\"ci_lb\":1,\"ci_ub\":4},"
	"{\"analysis\":\"rr\",\"measure\":\"RR\",\"k\":3,\"k_studies\":3,\"events_c\":9,"
	"\"n_c\":60,\"n_t\":61,\"n_t_by_study\":null,\"n_c_by_study\":null,"
	"\"estimate\":0.5,\"ci_lb\":0.25,\"ci_ub\":1.5},"
	"{\"analysis\":\"rd\",\"measure\":\"RD\",\"k\":2,\"k_studies\":2,\"events_c\":10,"
	"\"n_c\":200,\"n_t\":200,\"n_t_by_study\":200,\"n_c_by_study\":200,"
	"\"estimate\":0.02,\"ci_lb\":-0.01,\"ci_ub\":0.05},"
	"{\"analysis\":\"pr\",\"measure\":\"PR\",\"k\":2,\"k_studies\":2,\"events_c\":null,"
	"\"n_c\":null,\"n_t\":50,\"n_t_by_study\":50,\"n_c_by_study\":null,"
	"\"estimate\":0.1,\"ci_lb\":0.05,\"ci_ub\":0.2}]}}";

static const char *const grade_text =
	"[{\"analysis\":\"or\",\"certainty\":\"low\",\"importance\":\"critical\","
	"\"risk_of_bias\":{\"rating\":\"serious\",\"footnote\":\"Open-label trials.\"},"
	"\"imprecision\":{\"rating\":\"serious\",\"footnote\":\"Few events.\"}},"
	"{\"analysis\":\"rr\",\"outcome\":\"Relative risk outcome\",\"certainty\":\"moderate\","
	"\"control_risk_per_1000\":50,"
	"\"risk_of_bias\":{\"rating\":\"very serious\",\"footnote\":\"Open-label trials.\"}},"
	"{\"analysis\":\"missing\",\"certainty\":\"high\"},"
	"{\"analysis\":\"rd\",\"certainty\":\"high\"},"
	"{\"analysis\":\"pr\",\"certainty\":\"very low\"}]";

static double n(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *s(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* control, treated [lb, ub], difference [lb, ub] per 1000 */
static void expect_absolute(const cJSON *row, const double *want)
{
	const char *keys[] = { "control_per_1000", "treated_per_1000", "treated_ci_lb_per_1000",
			       "treated_ci_ub_per_1000", "difference_per_1000",
			       "difference_ci_lb_per_1000", "difference_ci_ub_per_1000" };
	for (int i = 0; i < 7; i++)
		sm_check_close(n(row, keys[i]), want[i], 1e-12, 1e-9, "%s", keys[i]);
}

static void summary_of_findings(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_new();
	r->grade = cJSON_Parse(grade_text);
	cJSON *res = cJSON_Parse(results_text);
	cJSON *sof = sm_sof_json(ctx, r, res);
	assert_non_null(sof);
	/* the rating of an analysis that does not exist: left out, said */
	assert_int_equal(sm_ctx_warning_count(ctx), 1);
	assert_non_null(strstr(sm_ctx_warning(ctx, 0), "grade[2]: no analysis named \"missing\""));
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(sof, "rows");
	assert_int_equal(cJSON_GetArraySize(rows), 4);
	assert_true(n(sof, "level") == 95);

	/* OR 2 [1, 4], control 20/100: 2 x 0.2 / (1 - 0.2 + 2 x 0.2) = 1/3;
	 * OR 1 gives the control risk, OR 4: 0.8 / 1.6 = 1/2 */
	const cJSON *row = cJSON_GetArrayItem(rows, 0);
	const double or_want[] = { 200, 1000.0 / 3, 200, 500, 1000.0 / 3 - 200, 0, 300 };
	expect_absolute(row, or_want);
	assert_string_equal(s(row, "control_source"), "studies");
	assert_string_equal(s(row, "outcome"), "or");
	assert_string_equal(s(row, "importance"), "critical");
	assert_true(n(row, "studies") == 4);
	assert_true(n(row, "participants") == 170); /* each study once: 90 + 80 */
	const cJSON *dg = cJSON_GetObjectItemCaseSensitive(row, "downgrades");
	assert_int_equal(cJSON_GetArraySize(dg), 5);
	assert_string_equal(s(cJSON_GetArrayItem(dg, 0), "domain"), "risk of bias");
	assert_string_equal(s(cJSON_GetArrayItem(dg, 0), "footnote"), "a");
	assert_string_equal(s(cJSON_GetArrayItem(dg, 1), "rating"), "not serious");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(dg, 1), "footnote")));
	assert_string_equal(s(cJSON_GetArrayItem(dg, 3), "domain"), "imprecision");
	assert_string_equal(s(cJSON_GetArrayItem(dg, 3), "footnote"), "b");

	/* RR 0.5 [0.25, 1.5] with the review's control risk 50 per 1000 */
	row = cJSON_GetArrayItem(rows, 1);
	const double rr_want[] = { 50, 25, 12.5, 75, -25, -37.5, 25 };
	expect_absolute(row, rr_want);
	assert_string_equal(s(row, "control_source"), "review");
	assert_string_equal(s(row, "outcome"), "Relative risk outcome");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(row, "importance")));
	assert_true(n(row, "participants") == 121); /* no by-study counts: the rows' 61 + 60 */
	/* the same footnote text keeps its mark */
	dg = cJSON_GetObjectItemCaseSensitive(row, "downgrades");
	assert_string_equal(s(cJSON_GetArrayItem(dg, 0), "rating"), "very serious");
	assert_string_equal(s(cJSON_GetArrayItem(dg, 0), "footnote"), "a");

	/* RD 0.02 [-0.01, 0.05], control 10/200: 50 + 20 [-10, 50] per 1000 */
	row = cJSON_GetArrayItem(rows, 2);
	const double rd_want[] = { 50, 70, 40, 100, 20, -10, 50 };
	expect_absolute(row, rd_want);

	/* a proportion has no control arm: relative effect only */
	row = cJSON_GetArrayItem(rows, 3);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(row, "control_per_1000")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(row, "treated_per_1000")));
	sm_check_close(n(row, "estimate"), 0.1, 0, 0, "relative effect kept");

	const cJSON *notes = cJSON_GetObjectItemCaseSensitive(sof, "footnotes");
	assert_int_equal(cJSON_GetArraySize(notes), 2);
	assert_string_equal(s(cJSON_GetArrayItem(notes, 0), "mark"), "a");
	assert_string_equal(s(cJSON_GetArrayItem(notes, 0), "text"), "Open-label trials.");
	assert_string_equal(s(cJSON_GetArrayItem(notes, 1), "text"), "Few events.");
	cJSON_Delete(sof);
	cJSON_Delete(res);
	sm_review_free(r);
	sm_ctx_free(ctx);
}

/* No ratings: no block. */
static void no_ratings_no_block(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_new();
	cJSON *res = cJSON_Parse(results_text);
	assert_null(sm_sof_json(ctx, r, res));
	assert_null(sm_ctx_error(ctx));
	cJSON_Delete(res);
	sm_review_free(r);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_of_findings),
		cmocka_unit_test(no_ratings_no_block),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
