/*
 * The per-study extras (src/analysis/sm_study_extra.c): a study given as an
 * effect size (yi, vi) has no 2x2 table, so its Fisher's exact P is null and
 * no warning is written for it (one warning per study at k = 10^6 was a
 * quarter of a gigabyte); a 2x2 study keeps its P (R fisher.test).
 */
#include "sm_test.h"

#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <string.h>

static cJSON *results_of(struct sm_ctx *ctx, const char *path)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	struct sm_review *r = sm_review_load_any_opts(ctx, path, NULL);
	assert_non_null(r);
	cJSON *res = sm_results_build(ctx, r, &opts);
	sm_review_free(r);
	assert_non_null(res);
	return res;
}

static int mentions(const cJSON *list, const char *needle)
{
	const cJSON *w;
	int n = 0;
	cJSON_ArrayForEach(w, list)
		n += cJSON_IsString(w) && strstr(w->valuestring, needle) != NULL;
	return n;
}

static void effect_sizes_have_no_fisher_test(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *res = results_of(ctx, "examples/generic.csv");
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "analyses"), 0);
	const cJSON *s, *studies = cJSON_GetObjectItemCaseSensitive(a, "studies");
	assert_true(cJSON_GetArraySize(studies) > 1);
	cJSON_ArrayForEach(s, studies)
		assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "fisher_p")));
	assert_int_equal(mentions(cJSON_GetObjectItemCaseSensitive(a, "warnings"), "Fisher"), 0);
	assert_int_equal(mentions(cJSON_GetObjectItemCaseSensitive(res, "warnings"), "Fisher"), 0);
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

static void tables_keep_their_fisher_test(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *res = results_of(ctx, "examples/minimal-review.json");
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "analyses"), 0);
	const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "studies"), 0);
	/* Smith 2010, 12/40 vs 8/41: fisher.test(matrix(c(12, 28, 8, 33), 2))$p.value */
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(s, "fisher_p");
	assert_true(cJSON_IsNumber(p));
	sm_check_close(p->valuedouble, 0.31161066959449785, 1e-9, 0, "Smith 2010 Fisher P");
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(effect_sizes_have_no_fisher_test),
		cmocka_unit_test(tables_keep_their_fisher_test),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
