/*
 * Separate outcomes versus subgroups (issue 13 item 4): the 16 adverse-event
 * domains of data/msc-iv-rct.json are separate outcomes, one analysis each,
 * equal to metafor's per-domain fits (tests/golden/msc-table3), and never
 * tested against each other; --outcome-by chooses the outcome field; a
 * subgroup column of the same rows gives one analysis with subgroups.
 */
#include "sm_test.h"

#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static cJSON *build(const char *path, const struct sm_analysis_opts *opts)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, path);
	if (!r)
		fail_msg("%s: %s", path, sm_ctx_error(ctx)->msg);
	cJSON *res = sm_results_build(ctx, r, opts);
	if (!res)
		fail_msg("%s: %s", path, sm_ctx_error(ctx)->msg);
	sm_review_free(r);
	sm_ctx_free(ctx);
	return res;
}

static const cJSON *golden_analysis(const cJSON *gold, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, get(gold, "analyses"))
		if (!strcmp(get(a, "name")->valuestring, name))
			return a;
	return NULL;
}

/* The review's domains are its analyses, each metafor's DL fit of that
 * domain, and nothing compares them with each other. */
static void domains_are_separate_outcomes(void **state)
{
	(void)state;
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	cJSON *res = build("data/msc-iv-rct.json", &opts);
	char *text = sm_test_slurp("tests/golden/msc-table3/expected.json");
	cJSON *gold = cJSON_Parse(text);
	free(text);
	assert_non_null(gold);
	assert_string_equal(get(get(res, "settings"), "outcome_by")->valuestring, "domain");
	assert_null(get(res, "subgroups")); /* the old between-domains "Q = 16.19, df = 15" */
	const cJSON *analyses = get(res, "analyses"), *a;
	assert_int_equal(cJSON_GetArraySize(analyses), 16);
	int compared = 0;
	cJSON_ArrayForEach(a, analyses) {
		const char *name = get(a, "name")->valuestring;
		assert_null(get(a, "subgroups"));
		assert_null(get(a, "meta_regression"));
		const cJSON *ga = golden_analysis(gold, name);
		assert_non_null(ga);
		const cJSON *fit = get(get(get(get(ga, "measures"), "OR"), "fits"), "DL");
		assert_int_equal((int)num(a, "k"), (int)num(fit, "k"));
		static const char *const keys[][2] = {
			{ "estimate", "b" }, { "se", "se" }, { "p", "pval" }, { "tau2", "tau2" },
			{ "Q", "QE" }, { "Q_p", "QEp" }, { "I2", "I2" },
		};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			sm_check_close(num(a, keys[i][0]), num(fit, keys[i][1]), 1e-9, 1e-12, "%s %s",
				       name, keys[i][0]);
			compared++;
		}
	}
	assert_int_equal(compared, 16 * 7);
	cJSON_Delete(gold);
	cJSON_Delete(res);
}

/* --outcome-by none pools every row in one analysis; event splits by the
 * event label; still no test between the analyses. */
static void outcome_by_chooses_the_field(void **state)
{
	(void)state;
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.outcome_by = "none";
	cJSON *res = build("data/msc-iv-rct.json", &opts);
	const cJSON *analyses = get(res, "analyses");
	assert_int_equal(cJSON_GetArraySize(analyses), 1);
	assert_string_equal(get(cJSON_GetArrayItem(analyses, 0), "name")->valuestring, "all");
	assert_int_equal((int)num(cJSON_GetArrayItem(analyses, 0), "k_rows"), 236);
	assert_true(cJSON_IsNull(get(get(res, "settings"), "outcome_by")));
	cJSON_Delete(res);
	opts.outcome_by = "event";
	res = build("data/msc-iv-rct.json", &opts);
	assert_true(cJSON_GetArraySize(get(res, "analyses")) > 16);
	assert_null(get(res, "subgroups"));
	cJSON_Delete(res);
}

/* The same rows with the domain as a subgroup column (tests/golden/msc-
 * table3/input.csv calls it "group"): one analysis "all" over all 236 rows,
 * its 16 subgroups, and the tests for subgroup differences. */
static void subgroup_column_gives_one_analysis(void **state)
{
	(void)state;
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.measure = "OR";
	opts.method = "DL";
	cJSON *res = build("tests/golden/msc-table3/input.csv", &opts);
	const cJSON *analyses = get(res, "analyses");
	assert_int_equal(cJSON_GetArraySize(analyses), 1);
	const cJSON *all = cJSON_GetArrayItem(analyses, 0);
	assert_int_equal((int)num(all, "k"), 236);
	const cJSON *sg = get(all, "subgroups");
	assert_string_equal(get(sg, "by")->valuestring, "group");
	assert_int_equal(cJSON_GetArraySize(get(sg, "groups")), 16);
	/* the shares of the total weight add up to 100 % */
	double total = 0;
	const cJSON *g;
	cJSON_ArrayForEach(g, get(sg, "groups"))
		total += num(g, "weight");
	sm_check_close(total, 100, 1e-12, 0, "weight shares");
	/* every study carries its subgroup */
	const cJSON *st;
	cJSON_ArrayForEach(st, get(all, "studies"))
		assert_non_null(get(st, "subgroup"));
	assert_true(cJSON_IsObject(get(get(sg, "tests"), "common_effect")));
	cJSON_Delete(res);
}

/* A subgroup whose studies all leave the model (double zeros dropped) is
 * listed with k = 0 and left out of the tests; with one subgroup left the
 * tests are null and the analysis' warnings say why.  --no-studies keeps
 * the subgroups' results without their rows. */
static void empty_subgroup(void **state)
{
	(void)state;
	static const char csv[] = "study,ai,n1i,ci,n2i,subgroup\n"
				  "A,1,20,3,20,oral\nB,2,30,5,30,oral\nC,4,40,4,40,oral\n"
				  "D,0,25,0,25,IV\nE,0,30,0,31,IV\n";
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_parse_csv(ctx, "e.csv", csv, sizeof csv - 1);
	assert_non_null(r);
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.drop00 = opts.drop00_set = 1;
	opts.no_studies = 1;
	cJSON *res = sm_results_build(ctx, r, &opts);
	assert_non_null(res);
	const cJSON *all = cJSON_GetArrayItem(get(res, "analyses"), 0);
	assert_int_equal((int)num(all, "k"), 3);
	const cJSON *sg = get(all, "subgroups");
	const cJSON *iv = cJSON_GetArrayItem(get(sg, "groups"), 1);
	assert_string_equal(get(iv, "name")->valuestring, "IV");
	assert_int_equal((int)num(iv, "k"), 0);
	assert_int_equal((int)num(iv, "k_rows"), 2);
	sm_check_close(num(cJSON_GetArrayItem(get(sg, "groups"), 0), "weight"), 100, 1e-12, 0,
		       "the only subgroup with studies has all the weight");
	assert_null(get(cJSON_GetArrayItem(get(sg, "groups"), 0), "studies"));
	assert_true(cJSON_IsNull(get(get(sg, "tests"), "common_effect")));
	const cJSON *w;
	int said = 0;
	cJSON_ArrayForEach(w, get(all, "warnings"))
		said |= strstr(w->valuestring, "subgroups by 'subgroup': test for subgroup "
			       "differences: 1 subgroup with studies") != NULL;
	assert_true(said);
	cJSON_Delete(res);
	sm_review_free(r);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(domains_are_separate_outcomes),
		cmocka_unit_test(outcome_by_chooses_the_field),
		cmocka_unit_test(subgroup_column_gives_one_analysis),
		cmocka_unit_test(empty_subgroup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
