/*
 * The unit of analysis on the MSC review (data/msc-iv-rct.json), whose
 * adverse events are reported per term: the infections domain pools 44
 * rows from 21 trials, Lin et al. 2017 seven times; in the nervous-system
 * domain the two treated arms of Dawson et al. 2020 share one control arm
 * of 61 patients.  Also the per-study bounds worked out by hand from the
 * CSV, and the fallbacks (generic data cannot be aggregated, one row per
 * cluster leaves the standard model).
 */
#include "sm_test.h"

#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INFECTIONS "Infections and infestations"
#define NERVOUS "Nervous system disorder"

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static cJSON *run(const char *input, const struct sm_analysis_opts *opts)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, input);
	assert_non_null(r);
	cJSON *res = sm_results_build(ctx, r, opts);
	if (!res)
		fail_msg("%s: %s", input, sm_ctx_error(ctx)->msg);
	sm_review_free(r);
	sm_ctx_free(ctx);
	return res;
}

static const cJSON *analysis(const cJSON *res, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, get(res, "analyses"))
		if (!strcmp(get(a, "name")->valuestring, name))
			return a;
	fail_msg("no analysis '%s'", name);
	return NULL;
}

static const cJSON *entry(const cJSON *list, const char *study_id)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, list)
		if (!strcmp(get(e, "study_id")->valuestring, study_id))
			return e;
	return NULL;
}

static int has_warning(const cJSON *a, const char *text)
{
	const cJSON *w;
	cJSON_ArrayForEach(w, get(a, "warnings"))
		if (strstr(w->valuestring, text))
			return 1;
	return 0;
}

static void infections_rows(void **state)
{
	(void)state;
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	cJSON *res = run("data/msc-iv-rct.json", &o);
	const cJSON *a = analysis(res, INFECTIONS);
	const cJSON *u = get(a, "unit_of_analysis");
	assert_int_equal((int)num(u, "rows"), 44);
	assert_int_equal((int)num(u, "studies"), 21);
	assert_int_equal((int)num(a, "k"), 44);
	const cJSON *several = get(u, "studies_with_several_rows");
	assert_int_equal(cJSON_GetArraySize(several), 10);
	/* Lin et al. 2017 is the trial counted seven times, and the only one */
	const cJSON *lin = entry(several, "lin2017");
	assert_non_null(lin);
	assert_string_equal(get(lin, "label")->valuestring, "Lin et al., 2017");
	assert_int_equal((int)num(lin, "rows"), 7);
	const cJSON *labels = get(lin, "labels");
	assert_int_equal(cJSON_GetArraySize(labels), 7);
	assert_string_equal(cJSON_GetArrayItem(labels, 0)->valuestring, "Lin et al., 2017 (a)");
	assert_string_equal(cJSON_GetArrayItem(labels, 6)->valuestring, "Lin et al., 2017 (g)");
	const cJSON *e;
	int rows = 0;
	cJSON_ArrayForEach(e, several) {
		rows += (int)num(e, "rows");
		if (e != lin)
			assert_true(num(e, "rows") < 7);
	}
	/* 44 rows = 11 single-row trials + the 33 rows of the other 10 */
	assert_int_equal(44 - rows, 21 - 10);
	assert_true(has_warning(a, "the 44 rows come from 21 studies, and 10 studies contribute "
				   "several rows"));
	assert_true(has_warning(a, "lin2017: 7 rows"));
	/* the trial's four identical control arms of Skyler et al. 2015 */
	const cJSON *sk = entry(get(u, "shared_control_arms"), "skyler2015");
	assert_non_null(sk);
	assert_int_equal((int)num(sk, "n_c"), 16);
	assert_int_equal((int)num(sk, "events_c"), 0);
	assert_int_equal((int)num(sk, "rows"), 4);
	/* Lin's control arm has different counts on each row: no shared arm */
	assert_null(entry(get(u, "shared_control_arms"), "lin2017"));
	/* the multilevel block is there without asking, next to the row model */
	assert_string_equal(get(a, "model")->valuestring, "standard");
	const cJSON *ml = get(a, "multilevel");
	assert_true(cJSON_IsObject(ml));
	assert_int_equal((int)cJSON_GetArrayItem(get(ml, "sigma2_nlevels"), 0)->valuedouble, 21);
	assert_int_equal((int)cJSON_GetArrayItem(get(ml, "sigma2_nlevels"), 1)->valuedouble, 44);
	/* the paper's P = 0.036 is the row-level one; the trial-level model
	 * does not reach 0.05 */
	assert_true(fabs(num(a, "p") - 0.036) < 0.0005);
	assert_true(num(ml, "p") > 0.05);
	cJSON_Delete(res);
}

static void nervous_shared_control(void **state)
{
	(void)state;
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	cJSON *res = run("data/msc-iv-rct.json", &o);
	const cJSON *a = analysis(res, NERVOUS);
	const cJSON *shared = get(get(a, "unit_of_analysis"), "shared_control_arms");
	const cJSON *dawson = entry(shared, "dawson2020");
	assert_non_null(dawson);
	assert_int_equal((int)num(dawson, "n_c"), 61);
	assert_int_equal((int)num(dawson, "events_c"), 0);
	assert_int_equal((int)num(dawson, "rows"), 2);
	const cJSON *labels = get(dawson, "labels");
	assert_string_equal(cJSON_GetArrayItem(labels, 0)->valuestring, "Dawson et al., 2020 (a)");
	assert_string_equal(cJSON_GetArrayItem(labels, 1)->valuestring, "Dawson et al., 2020 (b)");
	assert_true(has_warning(a, "dawson2020: 0/61 in 2 rows"));
	/* only that and Shi et al. 2022's arm of 35 */
	assert_int_equal(cJSON_GetArraySize(shared), 2);
	assert_non_null(entry(shared, "shi2022"));
	cJSON_Delete(res);
}

static const cJSON *agg_study(const cJSON *a, const char *key, const char *study)
{
	const cJSON *s;
	cJSON_ArrayForEach(s, get(get(a, key), "studies"))
		if (!strcmp(get(s, "study_id")->valuestring, study))
			return s;
	fail_msg("%s has no study %s", key, study);
	return NULL;
}

/* Lin et al. 2017, infections (CSV): treated 1, 13, 13, 6, 0, 2, 1 of 56
 * (largest 13, sum 36); control 0, 20, 22, 7, 2, 5, 1 of 54 (largest 22,
 * sum 57, so at most 54). */
static void aggregate_bounds(void **state)
{
	(void)state;
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	o.aggregate = o.aggregate_set = 1;
	cJSON *res = run("data/msc-iv-rct.json", &o);
	const cJSON *a = analysis(res, INFECTIONS);
	const cJSON *lo = agg_study(a, "aggregate_lower", "lin2017");
	const cJSON *up = agg_study(a, "aggregate_upper", "lin2017");
	assert_int_equal((int)num(lo, "ai"), 13);
	assert_int_equal((int)num(lo, "ci"), 22);
	assert_int_equal((int)num(up, "ai"), 36);
	assert_int_equal((int)num(up, "ci"), 54);
	assert_int_equal((int)num(lo, "n1i"), 56);
	assert_int_equal((int)num(up, "n2i"), 54);
	assert_string_equal(get(lo, "label")->valuestring, "Lin et al., 2017");
	assert_int_equal((int)num(get(a, "aggregate_lower"), "k"), 21);
	assert_string_equal(get(get(a, "aggregate_upper"), "aggregate")->valuestring, "upper");
	/* a study with one row is the same in both */
	const cJSON *gu = agg_study(a, "aggregate_upper", "gu2020");
	assert_int_equal((int)num(gu, "ai"), 10);
	assert_int_equal((int)num(agg_study(a, "aggregate_lower", "gu2020"), "ai"), 10);
	/* the brief's range: P 0.18 (lower) to 0.34 (upper) instead of 0.036 */
	assert_true(fabs(num(get(a, "aggregate_lower"), "p") - 0.18) < 0.005);
	assert_true(fabs(num(get(a, "aggregate_upper"), "p") - 0.34) < 0.005);
	/* Dawson et al. 2020's rows are two treated arms (56 and 63 patients) */
	const cJSON *nerv = analysis(res, NERVOUS);
	assert_true(has_warning(nerv, "dawson2020 (treated 56 to 63)"));
	assert_int_equal((int)num(agg_study(nerv, "aggregate_upper", "dawson2020"), "n1i"), 63);
	cJSON_Delete(res);
}

/* Without --aggregate the keys are null; generic data cannot be bounded. */
static void aggregate_fallbacks(void **state)
{
	(void)state;
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	cJSON *res = run("data/msc-iv-rct.json", &o);
	assert_true(cJSON_IsNull(get(analysis(res, INFECTIONS), "aggregate_lower")));
	cJSON_Delete(res);
	o.aggregate = o.aggregate_set = 1;
	res = run("tests/golden/multilevel/assink2016.csv", &o);
	const cJSON *a = cJSON_GetArrayItem(get(res, "analyses"), 0);
	assert_true(cJSON_IsNull(get(a, "aggregate_lower")));
	assert_true(cJSON_IsNull(get(a, "aggregate_upper")));
	assert_true(has_warning(a, "need event counts"));
	cJSON_Delete(res);
}

/* --model multilevel where every cluster has one row: the standard model. */
static void one_row_per_cluster(void **state)
{
	(void)state;
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	o.model = "multilevel";
	cJSON *res = run("examples/minimal-review.json", &o);
	const cJSON *a = cJSON_GetArrayItem(get(res, "analyses"), 0);
	assert_string_equal(get(a, "model")->valuestring, "standard");
	assert_true(cJSON_IsNull(get(a, "multilevel")));
	assert_true(cJSON_IsNull(get(a, "sigma2")));
	assert_true(has_warning(a, "every cluster has one row"));
	assert_int_equal(cJSON_GetArraySize(get(get(a, "unit_of_analysis"),
						"studies_with_several_rows")), 0);
	cJSON_Delete(res);
}

/* Clusters by a study characteristic: the schools of one district. */
static void characteristic_cluster(void **state)
{
	(void)state;
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	cJSON *res = run("tests/golden/multilevel/konstantopoulos2011-schools.json", &o);
	const cJSON *a = cJSON_GetArrayItem(get(res, "analyses"), 0);
	/* by study (the default) every school is its own cluster */
	assert_true(cJSON_IsNull(get(a, "multilevel")));
	assert_int_equal((int)num(get(a, "unit_of_analysis"), "clusters"), 56);
	cJSON_Delete(res);
	o.cluster = "district";
	res = run("tests/golden/multilevel/konstantopoulos2011-schools.json", &o);
	a = cJSON_GetArrayItem(get(res, "analyses"), 0);
	const cJSON *u = get(a, "unit_of_analysis");
	assert_string_equal(get(u, "cluster")->valuestring, "district");
	assert_int_equal((int)num(u, "clusters"), 11);
	assert_int_equal((int)num(u, "studies"), 56);
	const cJSON *ml = get(a, "multilevel");
	assert_true(cJSON_IsObject(ml));
	assert_string_equal(cJSON_GetArrayItem(get(ml, "levels"), 0)->valuestring, "district");
	cJSON_Delete(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(infections_rows),
		cmocka_unit_test(nervous_shared_control),
		cmocka_unit_test(aggregate_bounds),
		cmocka_unit_test(aggregate_fallbacks),
		cmocka_unit_test(one_row_per_cluster),
		cmocka_unit_test(characteristic_cluster),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
