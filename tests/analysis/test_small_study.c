/*
 * test_small_study.c -- the small-study minimum (README "Small-study
 * effects"): Egger's and Begg's tests and trim and fill are computed at any
 * k but flagged below the minimum; the default is 10 (Cochrane Handbook
 * 13.3.5.4, meta's k.min), a review setting and the option set it, the
 * option winning; a bad setting is refused naming the field.
 */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A made-up review of k 2x2 studies with the given settings JSON. */
static char *review_text(int k, const char *settings)
{
	char *studies = strdup(""), *outcomes = strdup("");
	for (int i = 0; i < k; i++) {
		char *s = sm_asprintf("%s%s{\"id\":\"s%d\",\"label\":\"Study %d\"}", studies,
				      i ? "," : "", i, i);
		/* unequal study sizes, so Egger's regression has a slope */
		char *o = sm_asprintf("%s%s{\"study\":\"s%d\",\"ai\":%d,\"n1i\":%d,\"ci\":%d,"
				      "\"n2i\":%d}", outcomes, i ? "," : "", i, 3 + i, 20 + 15 * i,
				      2 + 2 * i, 21 + 14 * i);
		free(studies);
		free(outcomes);
		studies = s;
		outcomes = o;
	}
	char *t = sm_asprintf("{\"safemeta_review\":1,\"metadata\":{\"id\":\"t\",\"title\":\"T\"},"
			      "\"settings\":{%s},\"studies\":[%s],\"outcomes\":[%s]}",
			      settings, studies, outcomes);
	free(studies);
	free(outcomes);
	return t;
}

struct run {
	cJSON *res;
	const cJSON *a, *ss;
};

static struct run analyse(int k, const char *settings, int option)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *text = review_text(k, settings);
	struct sm_review *r = sm_review_parse(ctx, "t.json", text, strlen(text));
	if (!r)
		fail_msg("%s", sm_diag_format(sm_ctx_error(ctx)));
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	o.small_study_min_k = option;
	struct run run = { sm_results_build(ctx, r, &o), NULL, NULL };
	assert_non_null(run.res);
	run.a = cJSON_GetArrayItem(cJSON_GetObjectItem(run.res, "analyses"), 0);
	run.ss = cJSON_GetObjectItem(run.a, "small_study");
	assert_non_null(run.ss);
	sm_review_free(r);
	free(text);
	sm_ctx_free(ctx);
	return run;
}

static double min_k(const struct run *r)
{
	return cJSON_GetObjectItem(r->ss, "min_k")->valuedouble;
}

static int below(const struct run *r)
{
	const cJSON *b = cJSON_GetObjectItem(r->ss, "below_min_k");
	assert_true(cJSON_IsBool(b));
	return cJSON_IsTrue(b);
}

static double egger_p(const struct run *r)
{
	const cJSON *p = cJSON_GetObjectItem(cJSON_GetObjectItem(r->a, "egger"), "p");
	return cJSON_IsNumber(p) ? p->valuedouble : NAN;
}

static void test_default_and_settings(void **state)
{
	(void)state;
	/* k = 5: below the default 10; the tests are still computed */
	struct run r = analyse(5, "\"method\":\"DL\"", 0);
	assert_true(min_k(&r) == 10);
	assert_true(below(&r));
	assert_true(isfinite(egger_p(&r)));
	const cJSON *begg = cJSON_GetObjectItem(cJSON_GetObjectItem(r.a, "begg"), "p");
	assert_true(cJSON_IsNumber(begg));
	const cJSON *k0 = cJSON_GetObjectItem(cJSON_GetObjectItem(r.a, "trimfill"), "k0");
	assert_true(cJSON_IsNumber(k0));
	cJSON_Delete(r.res);
	/* k = 10 meets the default */
	r = analyse(10, "\"method\":\"DL\"", 0);
	assert_false(below(&r));
	cJSON_Delete(r.res);
	/* the review's setting */
	r = analyse(5, "\"method\":\"DL\",\"small_study_min_k\":5", 0);
	assert_true(min_k(&r) == 5);
	assert_false(below(&r));
	cJSON_Delete(r.res);
	/* the option wins over the review */
	r = analyse(5, "\"method\":\"DL\",\"small_study_min_k\":5", 6);
	assert_true(min_k(&r) == 6);
	assert_true(below(&r));
	cJSON_Delete(r.res);
	r = analyse(5, "\"method\":\"DL\"", 3);
	assert_true(min_k(&r) == 3);
	assert_false(below(&r));
	cJSON_Delete(r.res);
}

static void expect_refused(const char *settings, const char *message)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *text = review_text(3, settings);
	assert_null(sm_review_parse(ctx, "t.json", text, strlen(text)));
	char *got = sm_diag_format(sm_ctx_error(ctx));
	if (!strstr(got, message))
		fail_msg("got: %s\nwant: %s", got, message);
	free(got);
	free(text);
	sm_ctx_free(ctx);
}

static void test_bad_setting(void **state)
{
	(void)state;
	expect_refused("\"small_study_min_k\":0", "field 'settings.small_study_min_k'");
	expect_refused("\"small_study_min_k\":2.5", "field 'settings.small_study_min_k'");
	expect_refused("\"small_study_min_k\":\"ten\"", "field 'settings.small_study_min_k'");
	expect_refused("\"small_study_min_k\":2000000",
		       "field 'settings.small_study_min_k': expected a whole number of studies "
		       "from 1 to 1000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_and_settings),
		cmocka_unit_test(test_bad_setting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
