/*
 * test_rvalue_analysis.c -- the sentences of an analysis in report
 * templates ({{analysis|pooled}}, |heterogeneity, |small_study,
 * |influence, |unit) on real
 * results: the MSC review (a domain with trim and fill, one below the
 * small-study minimum), the bundled 70-study SAE review (2 events in 1496
 * patients, a Freeman-Tukey estimate that back-transforms to 0), a review
 * of proportions without events, and one of a single study.  Hand-checked
 * numbers where they are simple: 27/7 = 3.86 (3/10 vs 1/10), 2/1496 =
 * 1.34 per 1000 (exact 95% CI 0.16 to 4.82, R binom.test), 1 - 0.05^(1/500)
 * = 5.97 per 1000 and 3/500 = 6.00 per 1000.
 */
#include "sm_test.h"

#include "sm_render_test.h"
#include "sm_rvalue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *analysis_named(const cJSON *doc, const char *prefix)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItem(doc, "analyses"))
		if (!strncmp(cJSON_GetObjectItem(a, "name")->valuestring, prefix, strlen(prefix)))
			return a;
	fail_msg("no analysis %s", prefix);
	return NULL;
}

static char *say(const cJSON *doc, const cJSON *a, const char *text)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rscope sc = { doc, a, NULL, "t.tmpl", 1, NULL };
	char *out = sm_rvalue_expand(ctx, &sc, text);
	if (!out)
		fail_msg("%s", sm_diag_format(sm_ctx_error(ctx)));
	sm_ctx_free(ctx);
	return out;
}

static void expect(const cJSON *doc, const cJSON *a, const char *text, const char *want)
{
	char *got = say(doc, a, text);
	assert_string_equal(got, want);
	free(got);
}

static double num(const cJSON *o, const char *path)
{
	char key[64];
	snprintf(key, sizeof key, "%s", path);
	const cJSON *v = o;
	for (char *k = strtok(key, "."); k; k = strtok(NULL, "."))
		v = cJSON_GetObjectItem(v, k);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

/* A tested domain: estimate with CI and p, heterogeneity with the
 * prediction interval, Egger, Begg and trim and fill with the adjusted OR. */
static void test_comparison(void **state)
{
	(void)state;
	cJSON *doc = sm_render_load_json("tests/fixtures/results/msc-iv-rct.results.json");
	const cJSON *a = analysis_named(doc, "General disorders");
	char want[400];
	snprintf(want, sizeof want, "The pooled OR from 36 comparisons was %.2f (95%% CI %.2f to "
		 "%.2f; p = %.3f).", num(a, "transformed.estimate"), num(a, "transformed.ci_lb"),
		 num(a, "transformed.ci_ub"), num(a, "p"));
	expect(doc, a, "{{analysis|pooled}}", want);
	snprintf(want, sizeof want, "Heterogeneity: I\u00b2 = %.1f%%, \u03c4\u00b2 = %.4f (Q = "
		 "%.2f on 35 df, p = %.3f); 95%% prediction interval %.2f to %.2f.", num(a, "I2"),
		 num(a, "tau2"), num(a, "Q"), num(a, "Q_p"), num(a, "transformed.pi_lb"),
		 num(a, "transformed.pi_ub"));
	expect(doc, a, "{{analysis|heterogeneity}}", want);
	snprintf(want, sizeof want, "Egger\u2019s test p = %.3f; Begg\u2019s test p = %.3f. Trim "
		 "and fill imputed 10 studies on the left: adjusted OR %.2f (95%% CI %.2f to "
		 "%.2f).", num(a, "egger.p"), num(a, "begg.p"),
		 num(a, "trimfill.transformed.estimate"), num(a, "trimfill.transformed.ci_lb"),
		 num(a, "trimfill.transformed.ci_ub"));
	expect(doc, a, "{{analysis|small_study}}", want);
	/* k = 4 is below the minimum of 10: the tests are not presented */
	a = analysis_named(doc, "Musculoskeletal");
	expect(doc, a, "{{analysis|small_study}}",
	       "k = 4: fewer than 10 studies, tests for funnel asymmetry not shown.");
	cJSON_Delete(doc);
}

/* One study: no heterogeneity, no prediction interval. */
static void test_one_study(void **state)
{
	(void)state;
	cJSON *doc = sm_render_load_json("tests/fixtures/render/k1.results.json");
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "analyses"), 0);
	char *got = say(doc, a, "{{analysis|pooled}}");
	assert_non_null(strstr(got, "The pooled OR from 1 comparison was 3.86 (95% CI 0.33 to "
				    "45.57; p = 0.284)."));
	free(got);
	expect(doc, a, "{{analysis|heterogeneity}}",
	       "Heterogeneity: not applicable (one study); no prediction interval.");
	expect(doc, a, "{{analysis|small_study}}",
	       "k = 1: fewer than 10 studies, tests for funnel asymmetry not shown.");
	cJSON_Delete(doc);
}

/* Rare events: per 1000 patients, the crude incidence with its exact CI,
 * no 0.00 [0.00, 0.00] and no test against 0. */
static void test_rare_proportions(void **state)
{
	(void)state;
	cJSON *doc = sm_render_load_json("tests/fixtures/results/iv-sae-70.results.json");
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "analyses"), 0);
	char *got = say(doc, a, "{{analysis|pooled}} {{analysis|heterogeneity}} "
			"{{analysis|small_study}}");
	assert_non_null(strstr(got, "The crude incidence was 2 events in 1496 patients, 1.34 per "
				    "1000 (exact 95% CI 0.16 to 4.82)."));
	assert_non_null(strstr(got, "back-transforms to 0 although events occurred"));
	assert_null(strstr(got, "0.00 (95% CI 0.00 to 0.00"));
	assert_null(strstr(got, "0.00 per 1000"));
	assert_null(strstr(got, "interval 0.00 to 0.00"));
	assert_null(strstr(got, "p = 0.000"));
	assert_null(strstr(got, "p < 0.001)")); /* no test of the proportion against 0 */
	free(got);
	cJSON_Delete(doc);
	/* a proportion the model estimates visibly: per the same scale */
	doc = sm_render_load_json("tests/fixtures/results/iv-sae-70.results.json");
	cJSON *an = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "analyses"), 0);
	cJSON *tr = cJSON_GetObjectItem(an, "transformed");
	cJSON_ReplaceItemInObject(tr, "estimate", cJSON_CreateNumber(0.0012));
	cJSON_ReplaceItemInObject(tr, "ci_lb", cJSON_CreateNumber(0.0003));
	cJSON_ReplaceItemInObject(tr, "ci_ub", cJSON_CreateNumber(0.0041));
	got = say(doc, an, "{{analysis|pooled}}");
	assert_non_null(strstr(got, "The pooled proportion from 70 studies (pooled as the "
				    "Freeman\u2013Tukey double-arcsine-transformed proportion) was "
				    "1.20 per 1000 (95% CI 0.30 to 4.10)."));
	free(got);
	cJSON_Delete(doc);
}

/* No events at all: the exact one-sided upper bound and the rule of three,
 * in words. */
static void test_zero_events(void **state)
{
	(void)state;
	cJSON *doc = sm_render_load_json("tests/fixtures/render/zero-events.results.json");
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "analyses"), 0);
	expect(doc, a, "{{analysis|pooled}}",
	       "No events occurred in 500 patients (3 studies): the exact one-sided 95% upper "
	       "bound on the incidence is 5.97 per 1000 (rule of three: 6.00 per 1000); a pooled "
	       "incidence of zero would not be meaningful.");
	cJSON_Delete(doc);
}

/* Influence in words: the results' influential studies and Bonferroni
 * bound, and the leave-one-out range with the studies that give its ends
 * (found here by scanning the refits, independently of the report code). */
static void test_influence(void **state)
{
	(void)state;
	cJSON *doc = sm_render_load_json("tests/fixtures/results/msc-iv-rct.results.json");
	const cJSON *a = analysis_named(doc, "General disorders");
	char *got = say(doc, a, "{{analysis|influence}}");
	assert_non_null(strstr(got, "Influence (metafor\u2019s criteria): Lin et al., 2017 (a), "
				    "Lin et al., 2017 (b) and Lin et al., 2017 (c) were influential; "
				    "no studentized residual was beyond \u00b13.20 (Bonferroni)."));
	const cJSON *st, *lo = NULL, *hi = NULL;
	double lov = INFINITY, hiv = -INFINITY;
	cJSON_ArrayForEach(st, cJSON_GetObjectItem(a, "studies")) {
		double v = num(st, "loo.transformed.estimate");
		if (v < lov)
			lov = v, lo = st;
		if (v > hiv)
			hiv = v, hi = st;
	}
	char want[512];
	snprintf(want, sizeof want, "the OR ranged from %.2f (without %s) to %.2f (without %s).",
		 lov, cJSON_GetObjectItem(lo, "label")->valuestring, hiv,
		 cJSON_GetObjectItem(hi, "label")->valuestring);
	assert_non_null(strstr(got, want));
	free(got);
	cJSON_Delete(doc);
	/* one study: nothing to omit */
	doc = sm_render_load_json("tests/fixtures/render/k1.results.json");
	a = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "analyses"), 0);
	expect(doc, a, "{{analysis|influence}}", "Influence: not applicable (one study).");
	cJSON_Delete(doc);
}

/* Several rows per study: counts from unit_of_analysis and the multilevel
 * model's result (OR 1.369 [0.863, 2.171], p 0.1816 in the fixture); an
 * analysis of one row per study says nothing. */
static void test_unit_of_analysis(void **state)
{
	(void)state;
	cJSON *doc = sm_render_load_json("tests/fixtures/results/msc-iv-rct.results.json");
	const cJSON *a = analysis_named(doc, "General disorders");
	expect(doc, a, "{{analysis|unit}}",
	       "Unit of analysis: 36 rows from 22 studies; 10 studies contribute more than one "
	       "row, 7 control arms are counted more than once, so the rows are not independent. "
	       "A three-level model (rows within study, REML) gives OR 1.37 (95% CI 0.86 to 2.17; "
	       "p = 0.182); \u03c3\u00b2 between studies 0.0000, within studies 0.4812, beside the "
	       "row-level result above.");
	a = analysis_named(doc, "Musculoskeletal");
	expect(doc, a, "{{analysis|unit}}", "");
	/* without the multilevel model: the rows are said to be pooled as
	 * independent */
	cJSON *g = (cJSON *)analysis_named(doc, "General disorders");
	cJSON_DeleteItemFromObject(g, "multilevel");
	char *got = say(doc, g, "{{analysis|unit}}");
	assert_non_null(strstr(got, "treats them as independent"));
	free(got);
	cJSON_Delete(doc);
}

/* The formats are known to the template checker. */
static void test_checked(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	assert_int_equal(sm_rvalue_check(ctx, "t.tmpl", 1, "{{analysis|pooled}} "
					 "{{analysis|heterogeneity}} {{analysis|small_study}} "
					 "{{analysis|influence}} {{analysis|unit}}", 1),
			 SM_OK);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comparison),
		cmocka_unit_test(test_one_study),
		cmocka_unit_test(test_rare_proportions),
		cmocka_unit_test(test_zero_events),
		cmocka_unit_test(test_influence),
		cmocka_unit_test(test_unit_of_analysis),
		cmocka_unit_test(test_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
