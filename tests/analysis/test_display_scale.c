/*
 * test_display_scale.c -- the scale proportions are shown on
 * (sm_display_scale.h): the decades where it changes, the cap, the values
 * that have nothing smaller to show; and what the analysis writes for the
 * bundled 70-study SAE review (2 events in 1496 patients: per 1000) and
 * for proportions without events (per the exact upper bound).
 */
#include "sm_test.h"

#include "sm_display_scale.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdlib.h>

static void test_rule(void **state)
{
	(void)state;
	/* at least 1 % is shown per 100 (a percentage) */
	assert_true(sm_display_scale_per(1) == 100);
	assert_true(sm_display_scale_per(0.5) == 100);
	assert_true(sm_display_scale_per(0.01) == 100);
	/* just below a decade moves to the next: 0.99 per 100 would print
	 * two significant digits, 9.99 per 1000 prints three */
	assert_true(sm_display_scale_per(0.00999) == 1000);
	assert_true(sm_display_scale_per(0.001) == 1000);
	assert_true(sm_display_scale_per(2.0 / 1496) == 1000);
	assert_true(sm_display_scale_per(0.000999) == 1e4);
	assert_true(sm_display_scale_per(1e-4) == 1e4);
	assert_true(sm_display_scale_per(1e-5) == 1e5);
	assert_true(sm_display_scale_per(1e-6) == 1e6);
	/* the cap: rarer still is shown per million */
	assert_true(sm_display_scale_per(1e-9) == SM_DISPLAY_PER_MAX);
	/* nothing smaller to show */
	assert_true(sm_display_scale_per(0) == 100);
	assert_true(sm_display_scale_per(NAN) == 100);
	assert_true(sm_display_scale_per(-0.1) == 100);
	assert_true(sm_display_scale_per(1.5) == 100);
}

static cJSON *analyse(const char *rel)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *path = sm_test_path(rel);
	struct sm_review *r = sm_review_load_any(ctx, path);
	if (!r)
		fail_msg("%s", sm_diag_format(sm_ctx_error(ctx)));
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	cJSON *res = sm_results_build(ctx, r, &o);
	assert_non_null(res);
	sm_review_free(r);
	free(path);
	sm_ctx_free(ctx);
	return res;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static void test_written(void **state)
{
	(void)state;
	cJSON *res = analyse("data/iv-sae-70.json");
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "analyses"), 0);
	const cJSON *crude = cJSON_GetObjectItem(a, "crude");
	assert_true(num(crude, "events") == 2 && num(crude, "patients") == 1496);
	assert_true(num(a, "display_per") == 1000);
	cJSON_Delete(res);
	/* 0 events in 500 patients: the exact one-sided upper bound
	 * 1 - 0.05^(1/500) = 0.00597 sets the scale */
	res = analyse("tests/fixtures/render/zero-events.csv");
	a = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "analyses"), 0);
	sm_check_close(num(cJSON_GetObjectItem(a, "zero_events"), "upper_exact"),
		       1 - pow(0.05, 1.0 / 500), 1e-12, 0, "upper bound");
	assert_true(num(a, "display_per") == 1000);
	cJSON_Delete(res);
	/* comparisons have no display scale of proportions */
	res = analyse("examples/minimal-review.json");
	a = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "analyses"), 0);
	assert_null(cJSON_GetObjectItem(a, "display_per"));
	cJSON_Delete(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_written),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
