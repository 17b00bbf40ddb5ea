/*
 * The order of the cumulative meta-analysis (--cumul-order) against R
 * metafor's cumul(res, order = ...): every case of
 * tests/golden/cumul-order/reference.json (made by
 * tests/golden/gen/cumul_order.R) is analysed with its options; the
 * results' cumul_order must name the same order (by, and the studies'
 * labels in the order added) and each study's "cumul" must be metafor's fit
 * of the studies up to it.  Tolerance 1e-9 relative as the other goldens
 * (the references are converged with a tight control).
 */
#include "sm_test.h"

#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-9
#define ABS 1e-9

static long compared;

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static double at(const cJSON *arr, int i)
{
	const cJSON *v = cJSON_GetArrayItem(arr, i);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Step i of the reference against the refit of the study added there. */
static void cmp_step(const cJSON *fit, const cJSON *g, int i, const char *where)
{
	static const char *const keys[][2] = { { "estimate", "estimate" }, { "se", "se" },
					       { "ci_lb", "ci_lb" }, { "ci_ub", "ci_ub" },
					       { "p", "p" }, { "Q", "Q" }, { "I2", "I2" },
					       { "tau2", "tau2" } };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		const cJSON *arr = get(g, keys[k][1]);
		if (!cJSON_IsArray(arr))
			continue;
		double want = at(arr, i), got = num(fit, keys[k][0]);
		/* a refit of one study has I2 = 0 in metafor and Q = 0 */
		sm_check_close(got, want, REL, ABS, "%s step %d %s", where, i + 1, keys[k][0]);
		compared++;
	}
}

static void run_case(const cJSON *c, int n)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.measure = str(c, "measure");
	opts.method = str(c, "method");
	opts.by = "none";
	opts.cumul_order = str(c, "cumul_order");
	static const char *const cols[] = { "ablat", "alloc" };
	struct sm_load_opts lo = { cols, 2 };
	struct sm_ctx *ctx = sm_ctx_new();
	char where[160];
	snprintf(where, sizeof where, "case %d (%s %s, order %s)", n, opts.measure, opts.method,
		 str(c, "by"));
	struct sm_review *r = sm_review_load_any_opts(ctx, "tests/golden/subgroups-metareg/bcg.csv",
						      &lo);
	assert_non_null(r);
	cJSON *res = sm_results_build(ctx, r, &opts);
	if (!res) {
		print_error("%s: %s\n", where, sm_ctx_error(ctx)->msg);
		fail();
	}
	const cJSON *a = cJSON_GetArrayItem(get(res, "analyses"), 0);
	const cJSON *order = get(a, "cumul_order"), *studies = get(a, "studies");
	assert_non_null(order);
	assert_string_equal(str(order, "by"), str(c, "by"));
	const cJSON *idx = get(order, "studies"), *labels = get(c, "labels");
	int k = cJSON_GetArraySize(labels);
	assert_int_equal(cJSON_GetArraySize(idx), k);
	assert_int_equal(cJSON_GetArraySize(studies), k);
	for (int i = 0; i < k; i++) {
		const cJSON *s = cJSON_GetArrayItem(studies, (int)at(idx, i));
		assert_string_equal(str(s, "label"),
				    cJSON_GetArrayItem(labels, i)->valuestring);
		cmp_step(get(s, "cumul"), c, i, where);
	}
	cJSON_Delete(res);
	sm_review_free(r);
	sm_ctx_free(ctx);
}

static void every_case(void **state)
{
	(void)state;
	char *text = sm_test_slurp("tests/golden/cumul-order/reference.json");
	cJSON *ref = cJSON_Parse(text);
	free(text);
	assert_non_null(ref);
	const cJSON *c;
	int n = 0;
	cJSON_ArrayForEach(c, get(ref, "cases"))
		run_case(c, ++n);
	cJSON_Delete(ref);
	printf("compared %ld cumulative values in %d cases with metafor cumul(order = ...)\n",
	       compared, n);
	assert_int_equal(n, 7);
	assert_true(compared > 500);
}

/* An order column that does not exist is an input error naming it. */
static void unknown_column(void **state)
{
	(void)state;
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.by = "none";
	opts.cumul_order = "latitude";
	struct sm_ctx *ctx = sm_ctx_new();
	static const char *const cols[] = { "ablat", "alloc" };
	struct sm_load_opts lo = { cols, 2 };
	struct sm_review *r = sm_review_load_any_opts(ctx, "tests/golden/subgroups-metareg/bcg.csv",
						      &lo);
	assert_non_null(r);
	assert_null(sm_results_build(ctx, r, &opts));
	assert_int_equal(sm_ctx_error(ctx)->code, SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "latitude"));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "--cumul-order"));
	sm_review_free(r);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_case),
		cmocka_unit_test(unknown_column),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
