/* Tests of the evidence of absence (sm_absence.h), the aggregate 2x2
 * comparisons (sm_aggregate_tables.h), the influence summary, the claims and
 * tests `check` compares, and `check --accept` (sm_check_accept.h), on
 * hand-made reviews whose answers are worked out here. */
#include "sm_test.h"

#include "sm_absence.h"
#include "sm_check.h"
#include "sm_check_accept.h"
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

static cJSON *analyse(struct sm_ctx *ctx, const char *text, const struct sm_analysis_opts *o)
{
	struct sm_review *r = sm_review_parse(ctx, "t.json", text, strlen(text));
	if (!r)
		fail_msg("%s", sm_ctx_error(ctx)->msg);
	struct sm_analysis_opts dflt;
	sm_analysis_opts_init(&dflt);
	cJSON *res = sm_results_build(ctx, r, o ? o : &dflt);
	if (!res)
		fail_msg("%s", sm_ctx_error(ctx)->msg);
	sm_review_free(r);
	return res;
}

#define HEAD "{\"safemeta_review\": 1, \"metadata\": {\"id\": \"t\", \"title\": \"t\"}, "

/* No events in any arm: the exact one-sided 95% bound on the treated risk
 * is 1 - 0.05^(1/n), n the treated patients once per study: trial a has
 * two rows (50 and 50 treated) and b one (100): n = 150, not 200. */
static const char zero_review[] = HEAD
	"\"settings\": {\"arm_labels\": [\"MSC\", \"Control\"], \"harm_margin_per_1000\": 25},"
	"\"studies\": [{\"id\": \"a\", \"label\": \"A\"}, {\"id\": \"b\", \"label\": \"B\"}],"
	"\"outcomes\": [{\"study\": \"a\", \"event\": \"x\", \"ai\": 0, \"n1i\": 50, "
	"\"ci\": 0, \"n2i\": 40},"
	"{\"study\": \"a\", \"event\": \"y\", \"ai\": 0, \"n1i\": 50, \"ci\": 0, \"n2i\": 40},"
	"{\"study\": \"b\", \"ai\": 0, \"n1i\": 100, \"ci\": 0, \"n2i\": 90}]}";

static void zero_events(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *res = analyse(ctx, zero_review, NULL);
	const cJSON *ev = get(cJSON_GetArrayItem(get(res, "analyses"), 0), "evidence_of_absence");
	assert_non_null(ev);
	assert_true(cJSON_IsTrue(get(ev, "zero_events")));
	assert_int_equal((int)num(ev, "patients_t"), 150);
	assert_int_equal((int)num(ev, "patients_c"), 130);
	double u = 1000 * (1 - pow(0.05, 1.0 / 150));
	sm_check_close(num(ev, "exact_upper_per_1000"), u, 1e-12, 0, "exact bound");
	sm_check_close(num(ev, "rule_of_three_per_1000"), 20, 1e-12, 0, "rule of three");
	sm_check_close(num(ev, "excluded_above_per_1000"), u, 1e-12, 0, "excluded");
	/* 19.8 < 25: the margin is excluded; exact information size: n per
	 * arm with 1 - 0.05^(1/n) < 0.025, i.e. n > log(0.05)/log(0.975) */
	assert_true(cJSON_IsTrue(get(ev, "margin_excluded")));
	sm_check_close(num(ev, "ois_total"), 2 * ceil(log(0.05) / log(0.975)), 0, 0, "exact OIS");
	assert_true(isnan(num(ev, "rd_per_1000")));
	assert_non_null(strstr(get(ev, "statement")->valuestring, "No events in 150 MSC"));
	const cJSON *row = cJSON_GetArrayItem(get(get(res, "domain_table"), "rows"), 0);
	assert_string_equal(get(row, "verdict_code")->valuestring, "margin_excluded");
	assert_string_equal(get(row, "verdict")->valuestring,
			    "Excess risk above 25 per 1000 excluded");
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

/* With events the bound is the MH risk difference's: RD + z(0.95) se; a
 * margin below it is not excluded, and the information size is the
 * non-inferiority formula at the pooled crude control risk. */
static const char events_review[] = HEAD
	"\"settings\": {\"measure\": \"OR\", \"method\": \"FE\"},"
	"\"studies\": [{\"id\": \"a\", \"label\": \"A\"}, {\"id\": \"b\", \"label\": \"B\"}],"
	"\"outcomes\": [{\"study\": \"a\", \"ai\": 6, \"n1i\": 100, \"ci\": 4, \"n2i\": 100},"
	"{\"study\": \"b\", \"ai\": 9, \"n1i\": 150, \"ci\": 7, \"n2i\": 140}]}";

static void margin_not_excluded(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	o.harm_margin = 10;
	o.harm_margin_set = 1;
	cJSON *res = analyse(ctx, events_review, &o);
	const cJSON *a = cJSON_GetArrayItem(get(res, "analyses"), 0);
	const cJSON *ev = get(a, "evidence_of_absence");
	double p0 = 11.0 / 240;
	sm_check_close(num(ev, "control_risk_per_1000"), 1000 * p0, 1e-12, 0, "p0");
	double rd = num(ev, "rd_per_1000"), lb = num(ev, "rd_ci_lb_per_1000");
	/* the two-sided 95% interval and the one-sided 95% bound share the se */
	double se = (rd - lb) / 1.959963984540054;
	sm_check_close(num(ev, "rd_upper_per_1000"), rd + 1.6448536269514722 * se, 1e-9, 0, "bound");
	assert_false(cJSON_IsTrue(get(ev, "margin_excluded")));
	assert_true(num(ev, "rd_upper_per_1000") >= 10);
	double z = 1.6448536269514722 + 0.8416212335729143;
	sm_check_close(num(ev, "ois_total"), 2 * ceil(z * z * 2 * p0 * (1 - p0) / 1e-4), 0, 0, "OIS");
	sm_check_close(num(ev, "information_fraction"), 490 / num(ev, "ois_total"), 1e-12, 0,
		       "fraction");
	/* back-calculation from the pooled (FE) OR at p0 */
	double or_ = exp(num(a, "estimate"));
	sm_check_close(num(ev, "backcalc_per_1000"), 1000 * (or_ * p0 / (1 - p0 + or_ * p0) - p0),
		       1e-12, 0, "back-calculated");
	const cJSON *row = cJSON_GetArrayItem(get(get(res, "domain_table"), "rows"), 0);
	assert_string_equal(get(row, "verdict")->valuestring, "Inconclusive: cannot exclude 10 per 1000");
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

/* Counts reported only in total, and a paired t-test on them. */
static const char aggregate_review[] = HEAD "\"studies\": [],"
	"\"aggregate_tables\": [{\"id\": \"c\", \"name\": \"Malignancies\", \"events_t\": 6, "
	"\"n_t\": 2864, \"events_c\": 6, \"n_c\": 2359}],"
	"\"reported\": {\"comparisons\": [{\"table\": \"c\", \"test\": \"paired t-test\", "
	"\"p\": 0.82}]}}";

static void aggregate_tables_and_their_test(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *res = analyse(ctx, aggregate_review, NULL);
	const cJSON *t = cJSON_GetArrayItem(get(res, "aggregate_tables"), 0);
	assert_non_null(t);
	/* fisher.test(matrix(c(6, 6, 2858, 2353), 2)): p-value = 0.7779 */
	sm_check_close(num(t, "fisher_p"), 0.777874400469754, 1e-9, 0, "fisher p");
	sm_check_close(num(t, "rd_per_1000"), 1000 * (6.0 / 2864 - 6.0 / 2359), 1e-12, 0, "rd");
	assert_true(num(t, "rd_ci_lb_per_1000") < num(t, "rd_per_1000"));
	assert_true(num(t, "rd_upper_per_1000") < num(t, "rd_ci_ub_per_1000"));
	struct sm_check *c = sm_check_run(ctx, res);
	assert_non_null(c);
	int method = 0;
	for (size_t i = 0; i < c->n_findings; i++) {
		if (c->findings[i].kind != SM_CHECK_METHOD)
			continue;
		method++;
		assert_string_equal(c->findings[i].analysis, "Malignancies");
		assert_non_null(strstr(c->findings[i].message, "paired t-test"));
		sm_check_close(c->findings[i].computed, 0.777874400469754, 1e-9, 0, "finding p");
	}
	assert_int_equal(method, 1);
	sm_check_free(c);
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

/* A paper's "no influential study" against metafor's flags: one study of
 * eight with a far larger effect is influential and an outlier (DL). */
static const char influence_review[] = HEAD
	"\"settings\": {\"measure\": \"GEN\", \"method\": \"DL\"},"
	"\"studies\": [{\"id\": \"s1\", \"label\": \"S1\"}, {\"id\": \"s2\", \"label\": \"S2\"},"
	"{\"id\": \"s3\", \"label\": \"S3\"}, {\"id\": \"s4\", \"label\": \"S4\"},"
	"{\"id\": \"s5\", \"label\": \"S5\"}, {\"id\": \"s6\", \"label\": \"S6\"},"
	"{\"id\": \"s7\", \"label\": \"S7\"}, {\"id\": \"s8\", \"label\": \"S8\"}],"
	"\"outcomes\": [{\"study\": \"s1\", \"yi\": 0.1, \"vi\": 0.04}, "
	"{\"study\": \"s2\", \"yi\": 0.3, \"vi\": 0.05},"
	"{\"study\": \"s3\", \"yi\": -0.1, \"vi\": 0.03}, {\"study\": \"s4\", \"yi\": 0.2, \"vi\": 0.04},"
	"{\"study\": \"s5\", \"yi\": 0.05, \"vi\": 0.06}, {\"study\": \"s6\", \"yi\": 0.15, \"vi\": 0.05},"
	"{\"study\": \"s7\", \"yi\": 0.0, \"vi\": 0.04}, {\"study\": \"s8\", \"yi\": 1.6, \"vi\": 0.01}],"
	"\"reported\": {\"analyses\": [{\"name\": \"all\", \"claims\": ["
	"{\"claim\": \"no influential study\", \"quote\": \"none was influential\"},"
	"{\"claim\": \"no outlier\"}]}]}}";

static void claims_against_influence(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *res = analyse(ctx, influence_review, NULL);
	const cJSON *inf = get(cJSON_GetArrayItem(get(res, "analyses"), 0), "influence_summary");
	assert_true(cJSON_IsTrue(get(inf, "computed")));
	assert_int_equal(cJSON_GetArraySize(get(inf, "influential")), 1);
	assert_string_equal(cJSON_GetArrayItem(get(inf, "influential"), 0)->valuestring, "S8");
	assert_string_equal(cJSON_GetArrayItem(get(inf, "outliers"), 0)->valuestring, "S8");
	assert_string_equal(cJSON_GetArrayItem(get(inf, "cooks_above_median"), 0)->valuestring,
			    "S8");
	struct sm_check *c = sm_check_run(ctx, res);
	int claims = 0;
	for (size_t i = 0; i < c->n_findings; i++) {
		if (c->findings[i].kind != SM_CHECK_CLAIM)
			continue;
		claims++;
		assert_non_null(strstr(c->findings[i].message, "S8"));
	}
	assert_int_equal(claims, 2);
	/* accepting these findings: nothing new; a findings file without the
	 * outlier claim makes it new */
	cJSON *j = sm_check_json(c);
	char *text = cJSON_Print(j);
	FILE *f = fopen("/tmp/sm_accept_test.json", "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	struct sm_check_accept a;
	assert_int_equal(sm_check_accept_run(ctx, c, "/tmp/sm_accept_test.json", &a), SM_OK);
	assert_int_equal(a.added + a.changed, 0);
	assert_int_equal(a.unchanged, c->n_findings);
	sm_check_accept_release(&a);
	cJSON *fs = cJSON_GetObjectItemCaseSensitive(j, "findings");
	cJSON *first = cJSON_GetArrayItem(fs, 0);
	cJSON_ReplaceItemInObjectCaseSensitive(first, "computed", cJSON_CreateNumber(7));
	cJSON_DeleteItemFromArray(fs, 1);
	char *text2 = cJSON_Print(j);
	f = fopen("/tmp/sm_accept_test.json", "w");
	fputs(text2, f);
	fclose(f);
	assert_int_equal(sm_check_accept_run(ctx, c, "/tmp/sm_accept_test.json", &a), SM_OK);
	assert_int_equal(a.changed, 1);
	assert_int_equal(a.added, 1);
	assert_non_null(strstr(a.text, "changed: claim finding in 'all' (no influential study)"));
	sm_check_accept_release(&a);
	/* a bad findings file is an input error at its position */
	f = fopen("/tmp/sm_accept_test.json", "w");
	fputs("{\"findings\": [{\"kind\": 3}]}", f);
	fclose(f);
	assert_int_equal(sm_check_accept_run(ctx, c, "/tmp/sm_accept_test.json", &a), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "findings[0].kind"));
	sm_ctx_clear_error(ctx);
	remove("/tmp/sm_accept_test.json");
	cJSON_free(text);
	cJSON_free(text2);
	cJSON_Delete(j);
	sm_check_free(c);
	cJSON_Delete(res);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zero_events),
		cmocka_unit_test(margin_not_excluded),
		cmocka_unit_test(aggregate_tables_and_their_test),
		cmocka_unit_test(claims_against_influence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
