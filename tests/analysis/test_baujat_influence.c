/*
 * The Baujat coordinates and the reference lines of plot(influence())
 * against R metafor 3.8: every case of tests/golden/baujat-influence/
 * reference.json (made by tests/golden/gen/baujat_influence.R, dat.bcg with
 * RR REML, DL, FE (tau2 = 0) and OR REML) is analysed with its options; each
 * study's baujat_x / baujat_y and the influence_summary's lines must be
 * metafor's at 1e-6 relative (the references are converged with a tight
 * control; absolute 1e-9 for values near 0, e.g. a baujat_y of a study
 * whose omission barely moves the estimate).
 */
#include "sm_test.h"

#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-6
#define ABS 1e-9

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *const LINES[] = { "rstudent_line", "dffits_bound", "hat_mean", "hat_bound",
				     "dfbs_bound",    "cov_r_line",   "weight_mean", "tau2_line",
				     "QE_line",       "QE_df",        "cooks_bound" };

static long run_case(const cJSON *c, int n)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.measure = str(c, "measure");
	opts.method = str(c, "method");
	opts.by = "none";
	struct sm_ctx *ctx = sm_ctx_new();
	char where[120];
	snprintf(where, sizeof where, "case %d (%s %s)", n, opts.measure, opts.method);
	static const char *const cols[] = { "ablat", "alloc" }; /* the CSV's extra columns */
	struct sm_load_opts lo = { cols, 2 };
	struct sm_review *r = sm_review_load_any_opts(ctx, "tests/golden/subgroups-metareg/bcg.csv",
						      &lo);
	assert_non_null(r);
	cJSON *res = sm_results_build(ctx, r, &opts);
	if (!res) {
		print_error("%s: %s\n", where, sm_ctx_error(ctx)->msg);
		fail();
	}
	const cJSON *a = cJSON_GetArrayItem(get(res, "analyses"), 0);
	const cJSON *studies = get(a, "studies"), *labels = get(c, "labels");
	const cJSON *summary = get(a, "influence_summary");
	int k = cJSON_GetArraySize(labels);
	assert_int_equal(cJSON_GetArraySize(studies), k);
	long compared = 0;
	for (int i = 0; i < k; i++) {
		const cJSON *s = cJSON_GetArrayItem(studies, i);
		assert_string_equal(str(s, "label"), cJSON_GetArrayItem(labels, i)->valuestring);
		sm_check_close(num(s, "baujat_x"),
			       cJSON_GetArrayItem(get(c, "baujat_x"), i)->valuedouble, REL, ABS,
			       "%s study %d baujat_x", where, i + 1);
		sm_check_close(num(s, "baujat_y"),
			       cJSON_GetArrayItem(get(c, "baujat_y"), i)->valuedouble, REL, ABS,
			       "%s study %d baujat_y", where, i + 1);
		compared += 2;
	}
	for (size_t j = 0; j < sizeof LINES / sizeof LINES[0]; j++) {
		sm_check_close(num(summary, LINES[j]), num(c, LINES[j]), REL, ABS, "%s %s", where,
			       LINES[j]);
		compared++;
	}
	cJSON_Delete(res);
	sm_review_free(r);
	sm_ctx_free(ctx);
	return compared;
}

static void every_case(void **state)
{
	(void)state;
	char *text = sm_test_slurp("tests/golden/baujat-influence/reference.json");
	cJSON *ref = cJSON_Parse(text);
	free(text);
	assert_non_null(ref);
	const cJSON *c;
	int n = 0;
	long compared = 0;
	cJSON_ArrayForEach(c, get(ref, "cases"))
		compared += run_case(c, ++n);
	cJSON_Delete(ref);
	printf("compared %ld Baujat coordinates and plot lines in %d cases with metafor\n",
	       compared, n);
	assert_int_equal(n, 4);
	assert_int_equal(compared, 4 * (2 * 13 + 11));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
