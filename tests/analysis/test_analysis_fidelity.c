/*
 * What an analysis records when metafor's answer is a refusal, an NA, an
 * infinity or a single study (issue 20): refit failures in the analysis'
 * warnings with hat kept, null flags where nothing was computed, the
 * "<key>_infinite" siblings, the cumulative row of k = 1, the Peto H2, an
 * explicit add for PFT/PAS, trim-and-fill non-convergence.  Each case is
 * built from a CSV text; the expected numbers are metafor's (stated).
 */
#include "sm_test.h"

#include "sm_json_out.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct run {
	struct sm_ctx *ctx;
	struct sm_review *review;
	cJSON *results;
	const cJSON *a; /* the first analysis */
};

static void run_csv(struct run *r, const char *csv, const char *measure, const char *method,
		    const char *test, double add, int drop00)
{
	memset(r, 0, sizeof *r);
	r->ctx = sm_ctx_new();
	r->review = sm_review_parse_csv(r->ctx, "case.csv", csv, strlen(csv));
	assert_non_null(r->review);
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	o.measure = measure;
	o.method = method;
	o.test = test;
	o.by = "";
	if (add >= 0) {
		o.add = add;
		o.add_set = 1;
	}
	o.drop00 = drop00;
	o.drop00_set = 1;
	r->results = sm_results_build(r->ctx, r->review, &o);
	if (!r->results)
		print_error("%s\n", sm_ctx_error(r->ctx)->msg);
	assert_non_null(r->results);
	r->a = cJSON_GetArrayItem(cJSON_GetObjectItem(r->results, "analyses"), 0);
	assert_non_null(r->a);
}

static void run_free(struct run *r)
{
	cJSON_Delete(r->results);
	sm_review_free(r->review);
	sm_ctx_free(r->ctx);
}

static const cJSON *at(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const cJSON *study(const struct run *r, int i)
{
	return cJSON_GetArrayItem(at(r->a, "studies"), i);
}

static int warning_with(const struct run *r, const char *words)
{
	const cJSON *w;
	cJSON_ArrayForEach(w, at(r->a, "warnings"))
		if (cJSON_IsString(w) && strstr(w->valuestring, words))
			return 1;
	return 0;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = at(o, key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

/* PM without study 4, 5 or 6 fails (tau2.max 100 too low); so do the
 * cumulative fits of 4 and 5 studies (metafor: NA rows, hat kept). */
static void test_refit_failures_recorded(void **state)
{
	(void)state;
	struct run r;
	run_csv(&r, "study,yi,vi\nA,0,1\nB,0.1,1.1\nC,-0.1,0.9\nD,1000,1\nE,2000,1.2\nF,3000,1\n",
		"GEN", "PM", "z", -1, 0);
	assert_true(warning_with(&r, "leave-one-out fit without study 4"));
	assert_true(warning_with(&r, "leave-one-out fit without study 6"));
	assert_true(warning_with(&r, "cumulative fit 4"));
	assert_int_equal(sm_ctx_warning_count(r.ctx), 0); /* moved, not printed twice */
	for (int i = 3; i < 6; i++) {
		const cJSON *s = study(&r, i);
		assert_true(cJSON_IsNull(at(at(s, "loo"), "estimate")));
		assert_true(cJSON_IsNull(at(s, "dffits")));
		assert_true(num(s, "hat") > 0);
		assert_true(cJSON_IsNumber(at(s, "weight")));
		/* no computed criterion holds and some were not computed */
		assert_true(cJSON_IsNull(at(s, "influential")));
		assert_true(cJSON_IsNull(at(s, "outlier")));
	}
	assert_true(cJSON_IsNumber(at(at(study(&r, 0), "loo"), "estimate")));
	assert_true(cJSON_IsNull(at(at(study(&r, 3), "cumul"), "estimate")));
	run_free(&r);
}

/* All yi equal with knha: se = 0, the statistic is +Inf with p = 0
 * (metafor: zval Inf, pval 0); influence() refuses, leave1out() works. */
static void test_infinite_and_undefined(void **state)
{
	(void)state;
	struct run r;
	run_csv(&r, "study,yi,vi\nA,0.25,0.1\nB,0.25,0.2\nC,0.25,0.05\nD,0.25,0.3\nE,0.25,0.15\n",
		"GEN", "DL", "knha", -1, 0);
	assert_true(cJSON_IsNull(at(r.a, "stat")));
	assert_int_equal((int)num(r.a, "stat_infinite"), 1);
	assert_true(num(r.a, "p") == 0);
	assert_null(at(r.a, "p_infinite"));
	assert_true(warning_with(&r, "influence: the pooled estimate has variance 0"));
	for (int i = 0; i < 5; i++) {
		const cJSON *s = study(&r, i);
		assert_true(cJSON_IsNull(at(s, "influential")));
		assert_true(cJSON_IsNull(at(s, "outlier")));
		assert_true(cJSON_IsNull(at(s, "rstudent")));
		assert_null(at(s, "rstudent_infinite"));
		sm_check_close(num(at(s, "loo"), "estimate"), 0.25, 1e-15, 0, "loo %d", i + 1);
	}
	run_free(&r);
}

/* Orwin's fail-safe N for a mean effect of 0 is Inf in metafor. */
static void test_orwin_infinite(void **state)
{
	(void)state;
	struct run r;
	run_csv(&r, "study,yi,vi\nA,0.5,0.1\nB,-0.5,0.1\nC,0.2,0.2\nD,-0.2,0.2\n", "GEN", "FE",
		"z", -1, 0);
	const cJSON *f = at(r.a, "failsafe");
	assert_true(cJSON_IsNull(at(f, "orwin")));
	assert_int_equal((int)num(f, "orwin_infinite"), 1);
	run_free(&r);
}

/* One study left after --drop00: metafor's cumul() gives its one row. */
static void test_k1_cumulative_row(void **state)
{
	(void)state;
	struct run r;
	run_csv(&r, "study,ai,n1i,ci,n2i\nA,0,20,0,20\nB,3,30,1,30\nC,0,25,0,25\n", "OR", "REML",
		"z", -1, 1);
	assert_int_equal((int)num(r.a, "k"), 1);
	const cJSON *c = at(study(&r, 0), "cumul");
	assert_non_null(c);
	/* log OR of 3/27 against 1/29 and its z-test p */
	double yi = log(3.0 / 27) - log(1.0 / 29);
	sm_check_close(num(c, "estimate"), yi, 1e-14, 0, "cumulative estimate");
	sm_check_close(num(c, "estimate"), num(r.a, "estimate"), 1e-15, 0, "equals the fit");
	sm_check_close(num(c, "p"), num(r.a, "p"), 1e-15, 0, "cumulative p");
	run_free(&r);
}

/* rma.peto's H2 = QE / (k - 1). */
static void test_peto_h2(void **state)
{
	(void)state;
	struct run r;
	run_csv(&r, "study,ai,n1i,ci,n2i\nA,4,50,9,50\nB,10,80,12,75\nC,2,40,8,41\n", "OR",
		"DL", "z", -1, 0);
	const cJSON *p = at(r.a, "peto");
	sm_check_close(num(p, "H2"), num(p, "Q") / num(p, "Q_df"), 1e-14, 0, "peto H2");
	run_free(&r);
}

/* escalc("PFT", xi, ni, add = 1/2) adds 1/2 to xi and to ni - xi of the
 * studies with 0 or ni events; without add nothing is added. */
static void test_pft_add(void **state)
{
	(void)state;
	const char *csv = "study,xi,ni\nA,0,20\nB,5,40\nC,30,30\n";
	struct run r, d;
	run_csv(&r, csv, "PFT", "DL", "z", 0.5, 0);
	run_csv(&d, csv, "PFT", "DL", "z", -1, 0);
	sm_check_close(num(r.a, "add"), 0.5, 0, 0, "recorded add");
	sm_check_close(num(d.a, "add"), 0, 0, 0, "default add");
	double x = 0.5, n = 21; /* study A corrected */
	double yi = (asin(sqrt(x / (n + 1))) + asin(sqrt((x + 1) / (n + 1)))) / 2;
	sm_check_close(num(study(&r, 0), "yi"), yi, 1e-15, 0, "PFT yi with add");
	sm_check_close(num(study(&r, 0), "vi"), 1 / (4 * n + 2), 1e-15, 0, "PFT vi with add");
	sm_check_close(num(study(&r, 1), "yi"), num(study(&d, 1), "yi"), 0, 0, "B untouched");
	sm_check_close(num(study(&d, 0), "vi"), 1.0 / 82, 1e-15, 0, "PFT vi without add");
	run_free(&r);
	run_free(&d);
}

/* DL trim-and-fill of these data cycles (k0 0, 1, 0, ...): metafor reports
 * non-convergence; the block is null with the reason. */
static void test_trimfill_cycle_null(void **state)
{
	(void)state;
	struct run r;
	run_csv(&r, "study,yi,vi\nA,1.32592,0.0567173\nB,16.9631,30.8899\nC,0.557121,0.36101\n"
		    "D,0.555786,0.0928842\nE,1.43447,1.78524\nF,0.905849,0.226397\n"
		    "G,1.25572,0.144465\nH,0.66592,0.630781\n", "GEN", "DL", "z", -1, 0);
	assert_true(cJSON_IsNull(at(at(r.a, "trimfill"), "k0")));
	assert_true(warning_with(&r, "trim-and-fill did not converge"));
	run_free(&r);
}

/* The writer's convention: null plus "<key>_infinite" only for +-Inf. */
static void test_json_infinite_convention(void **state)
{
	(void)state;
	cJSON *o = cJSON_CreateObject();
	sm_json_add_number(o, "a", INFINITY);
	sm_json_add_number(o, "b", -INFINITY);
	sm_json_add_number(o, "c", NAN);
	sm_json_add_number(o, "d", 2.5);
	sm_json_add_pair(o, "e", -INFINITY, 1);
	sm_json_add_pair(o, "f", 0, 1);
	char *text = cJSON_PrintUnformatted(o);
	assert_string_equal(text, "{\"a\":null,\"a_infinite\":1,\"b\":null,\"b_infinite\":-1,"
				  "\"c\":null,\"d\":2.5,\"e\":[null,1],\"e_infinite\":[-1,0],"
				  "\"f\":[0,1]}");
	free(text);
	cJSON_Delete(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refit_failures_recorded),
		cmocka_unit_test(test_infinite_and_undefined),
		cmocka_unit_test(test_orwin_infinite),
		cmocka_unit_test(test_k1_cumulative_row),
		cmocka_unit_test(test_peto_h2),
		cmocka_unit_test(test_pft_add),
		cmocka_unit_test(test_trimfill_cycle_null),
		cmocka_unit_test(test_json_infinite_convention),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
