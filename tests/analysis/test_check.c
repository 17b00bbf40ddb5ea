/* Tests of `check`: reported values against recomputed results, the
 * paper's own contradictions, and the rounding tolerance. */
#include "sm_test.h"

#include "sm_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *load_fixture(const char *name)
{
	char rel[256];
	snprintf(rel, sizeof rel, "tests/fixtures/results/%s.results.json", name);
	char *path = sm_test_path(rel);
	char *text = sm_test_slurp(path);
	cJSON *doc = cJSON_Parse(text);
	assert_non_null(doc);
	free(text);
	free(path);
	return doc;
}

static struct sm_check *run(struct sm_ctx *ctx, const cJSON *doc)
{
	struct sm_check *c = sm_check_run(ctx, doc);
	assert_non_null(c);
	return c;
}

/* The single finding of this kind, analysis and field (fails otherwise). */
static const struct sm_check_finding *find(const struct sm_check *c, enum sm_check_kind kind,
					   const char *analysis, const char *field)
{
	const struct sm_check_finding *hit = NULL;
	int n = 0;
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct sm_check_finding *f = &c->findings[i];
		int same = analysis ? f->analysis && !strcmp(f->analysis, analysis) : !f->analysis;
		if (f->kind == kind && same && !strcmp(f->field, field)) {
			hit = f;
			n++;
		}
	}
	if (n != 1)
		fail_msg("%d findings of kind %d for %s/%s; expected 1", n, (int)kind,
			 analysis ? analysis : "-", field);
	return hit;
}

static int count_kind(const struct sm_check *c, enum sm_check_kind kind, const char *analysis)
{
	int n = 0;
	for (size_t i = 0; i < c->n_findings; i++)
		n += c->findings[i].kind == kind &&
		     (!analysis || (c->findings[i].analysis &&
				    !strcmp(c->findings[i].analysis, analysis)));
	return n;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' does not contain '%s'", hay, needle);
}

static void tolerance_from_printed_precision(void **state)
{
	(void)state;
	assert_int_equal(sm_check_decimals(0.29), 2);
	assert_int_equal(sm_check_decimals(46.512), 3);
	assert_int_equal(sm_check_decimals(-0.00272), 5);
	assert_int_equal(sm_check_decimals(1e-05), 5);
	assert_int_equal(sm_check_decimals(2.5e-05), 6);
	assert_int_equal(sm_check_decimals(36), 0);
	assert_int_equal(sm_check_decimals(1.5e20), 0);
	assert_int_equal(sm_check_decimals(NAN), -1);
	sm_check_close(sm_check_tolerance(0.29), 0.005, 1e-12, 0, "0.29");
	sm_check_close(sm_check_tolerance(3.197), 0.0005, 1e-12, 0, "3.197");
	sm_check_close(sm_check_tolerance(36), 0.5, 1e-12, 0, "36");
}

static const char *const not_reproduced[] = {
	"Immune system disorders", "Gastrointestinal disorders", "Cardiac disorders",
	"Vascular disorders", "SAEs deaths",
};

static void msc_five_domains_do_not_reproduce(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *doc = load_fixture("msc-iv-rct");
	struct sm_check *c = run(ctx, doc);
	assert_int_equal(c->n_analyses, 16);
	int bad = 0;
	for (size_t i = 0; i < c->n_analyses; i++) {
		int expect_bad = 0;
		for (size_t j = 0; j < 5; j++)
			expect_bad |= !strcmp(c->analyses[i].name, not_reproduced[j]);
		if (c->analyses[i].reproduced == expect_bad)
			fail_msg("%s: reproduced = %d", c->analyses[i].name,
				 c->analyses[i].reproduced);
		bad += expect_bad;
		assert_int_equal(c->analyses[i].values_compared, 12);
	}
	assert_int_equal(bad, 5);
	/* Each of the five: the paper's k against the rows in the data. */
	static const int k_paper[] = { 4, 40, 19, 8, 14 }, k_data[] = { 3, 39, 16, 7, 13 };
	for (size_t j = 0; j < 5; j++) {
		const struct sm_check_finding *f = find(c, SM_CHECK_COUNT, not_reproduced[j], "k");
		assert_int_equal((int)f->reported, k_paper[j]);
		assert_int_equal((int)f->computed, k_data[j]);
	}
	const struct sm_check_finding *f = find(c, SM_CHECK_COUNT, "Cardiac disorders", "k");
	assert_contains(f->message, "the paper's analysis used k = 19 comparisons; the data have 16");
	assert_contains(f->message, "bound 3.0078 implies k = 19");
	/* The eleven that reproduce have no value disagreement at all. */
	for (size_t i = 0; i < c->n_analyses; i++)
		if (c->analyses[i].reproduced)
			assert_int_equal(count_kind(c, SM_CHECK_VALUE, c->analyses[i].name), 0);
	sm_check_free(c);
	cJSON_Delete(doc);
	sm_ctx_free(ctx);
}

static void msc_self_contradictions(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *doc = load_fixture("msc-iv-rct");
	struct sm_check *c = run(ctx, doc);
	/* Deaths: P = 0.37 with Z = -2.09 (-> 0.037), CI excluding 0. */
	const struct sm_check_finding *f = find(c, SM_CHECK_SELF, "SAEs deaths", "p");
	sm_check_close(f->computed, 0.036618, 0, 1e-5, "P implied by Z = -2.09");
	assert_contains(f->message, "P = 0.37 contradicts its own Z = -2.09, which gives P = 0.037");
	f = find(c, SM_CHECK_SELF, "SAEs deaths", "ci");
	assert_contains(f->message, "CI (-1.3 to -0.04) excludes 0, yet its P = 0.37");
	/* Gastrointestinal: Z = -0.00272 with P = 0.988 (-> 0.998). */
	f = find(c, SM_CHECK_SELF, "Gastrointestinal disorders", "p");
	sm_check_close(f->computed, 0.99783, 0, 1e-5, "P implied by Z = -0.00272");
	assert_contains(f->message, "which gives P = 0.998");
	/* Renal: Q P 0.917, but Q = 0.895 on 5 df gives 0.971; the data agree
	 * with the paper's Q, so renal still reproduces. */
	f = find(c, SM_CHECK_SELF, "Renal & urinary disorders", "Q_p");
	sm_check_close(f->computed, 0.97059, 0, 1e-5, "Q P implied by Q = 0.895, df 5");
	assert_contains(f->message, "Q = 0.895 on 5 df, which gives P = 0.971");
	assert_int_equal(count_kind(c, SM_CHECK_VALUE, "Renal & urinary disorders"), 0);
	/* Hematological: a regression-test P with k = 2. */
	f = find(c, SM_CHECK_UNDEFINED, "Hematological or oncological disorders", "egger_p");
	sm_check_close(f->reported, 0.8987, 0, 0, "reported egger p");
	/* Only these four domains contradict themselves. */
	assert_int_equal(count_kind(c, SM_CHECK_SELF, NULL), 4);
	/* Stated study counts against Table 3 (seed README). */
	f = find(c, SM_CHECK_COUNT, "Infections and infestations", "studies_stated");
	assert_int_equal((int)f->reported, 20);
	assert_int_equal((int)f->computed, 21);
	/* PRISMA: 207 - 169 = 38, but 36 included. */
	f = find(c, SM_CHECK_PRISMA, NULL, "studies included");
	assert_int_equal((int)f->computed, 38);
	assert_int_equal((int)f->reported, 36);
	sm_check_free(c);
	cJSON_Delete(doc);
	sm_ctx_free(ctx);
}

static void msc_text_report(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *doc = load_fixture("msc-iv-rct");
	struct sm_check *c = run(ctx, doc);
	char *t = sm_check_text(c, "msc-iv-rct.json");
	assert_contains(t, "summary: 11 of 16 reported analyses reproduce; not reproduced: "
			   "Immune system disorders, Gastrointestinal disorders, Cardiac disorders, "
			   "Vascular disorders, SAEs deaths\n");
	assert_contains(t, "PRISMA flow:\n  - studies included [prisma]: ");
	assert_contains(t, "\nRenal & urinary disorders: reproduced, with remarks");
	free(t);
	cJSON *j = sm_check_json(c);
	assert_int_equal(cJSON_GetObjectItem(j, "disagreements")->valueint, (int)c->n_findings);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "findings")),
			 (int)c->n_findings);
	cJSON_Delete(j);
	sm_check_free(c);
	cJSON_Delete(doc);
	sm_ctx_free(ctx);
}

/* A small results document with one OR analysis and what a paper said. */
static cJSON *synthetic(const char *reported)
{
	char buf[2048];
	snprintf(buf, sizeof buf,
		 "{\"settings\":{\"level\":95},\"analyses\":[{\"name\":\"all\",\"measure\":\"OR\","
		 "\"tau2_estimator\":\"DL\",\"k\":5,\"estimate\":-0.4123,\"ci_lb\":-0.8012,"
		 "\"ci_ub\":-0.0234,\"stat\":-2.078,\"p\":0.0377,\"Q\":3.1,\"Q_df\":4,"
		 "\"Q_p\":0.5412,\"tau2\":0,\"I2\":0,\"studies\":[]}],"
		 "\"review\":{\"prisma_findings\":[],\"reported\":{\"analyses\":[%s]}}}",
		 reported);
	cJSON *doc = cJSON_Parse(buf);
	assert_non_null(doc);
	return doc;
}

static void agreement_gives_no_findings(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *doc = synthetic("{\"name\":\"all\",\"k\":5,\"estimate\":-0.41,\"ci_lb\":-0.8,"
			       "\"ci_ub\":-0.02,\"z\":-2.08,\"p\":0.038,\"Q\":3.1,\"Q_p\":0.54,"
			       "\"tau2\":0,\"I2\":0}");
	struct sm_check *c = run(ctx, doc);
	assert_int_equal(c->n_findings, 0);
	assert_true(c->analyses[0].reproduced);
	assert_int_equal(c->analyses[0].values_compared, 9); /* k is a count */
	sm_check_free(c);
	cJSON_Delete(doc);
	/* One unit more in the last decimal is beyond the rounding. */
	doc = synthetic("{\"name\":\"all\",\"estimate\":-0.42}");
	c = run(ctx, doc);
	assert_int_equal(c->n_findings, 1);
	assert_int_equal(c->findings[0].kind, SM_CHECK_VALUE);
	sm_check_close(c->findings[0].tolerance, 0.005, 1e-12, 0, "tolerance");
	assert_false(c->analyses[0].reproduced);
	sm_check_free(c);
	cJSON_Delete(doc);
	sm_ctx_free(ctx);
}

static void sign_and_scale_misreads(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	/* The paper turned the direction around: positive log OR. */
	cJSON *doc = synthetic("{\"name\":\"all\",\"estimate\":0.41,\"z\":-2.08}");
	struct sm_check *c = run(ctx, doc);
	const struct sm_check_finding *f = find(c, SM_CHECK_DIRECTION, "all", "estimate");
	assert_contains(f->message, "sign (direction) misread");
	f = find(c, SM_CHECK_SELF, "all", "z");
	assert_contains(f->message, "opposite signs");
	sm_check_free(c);
	cJSON_Delete(doc);
	/* The paper printed the odds ratio where the log OR was expected. */
	doc = synthetic("{\"name\":\"all\",\"estimate\":0.66}");
	c = run(ctx, doc);
	f = find(c, SM_CHECK_DIRECTION, "all", "estimate");
	assert_contains(f->message, "ratio scale");
	sm_check_free(c);
	cJSON_Delete(doc);
	sm_ctx_free(ctx);
}

static void zero_takes_precision_of_its_siblings(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	/* tau2 printed as 0 beside 0.3754 elsewhere: +-0.00005, so a
	 * recomputed 0.0002 disagrees; alone it would be +-0.5. */
	char buf[1024];
	snprintf(buf, sizeof buf,
		 "{\"settings\":{\"level\":95},\"analyses\":[{\"name\":\"a\",\"measure\":\"OR\","
		 "\"k\":3,\"tau2\":0.0002},{\"name\":\"b\",\"measure\":\"OR\",\"k\":3,"
		 "\"tau2\":0.3754}],\"review\":{\"reported\":{\"analyses\":["
		 "{\"name\":\"a\",\"tau2\":0},{\"name\":\"b\",\"tau2\":0.3754}]}}}");
	cJSON *doc = cJSON_Parse(buf);
	struct sm_check *c = run(ctx, doc);
	const struct sm_check_finding *f = find(c, SM_CHECK_VALUE, "a", "tau2");
	sm_check_close(f->tolerance, 0.00005, 1e-9, 0, "zero tolerance");
	assert_int_equal(c->n_findings, 1);
	sm_check_free(c);
	cJSON_Delete(doc);
	sm_ctx_free(ctx);
}

static void unmatched_and_prisma_only(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	cJSON *doc = synthetic("{\"name\":\"Cardiac\",\"k\":3}");
	struct sm_check *c = run(ctx, doc);
	find(c, SM_CHECK_UNMATCHED, "Cardiac", "name");
	sm_check_free(c);
	cJSON_Delete(doc);
	doc = load_fixture("tumorigenicity");
	c = run(ctx, doc);
	assert_int_equal(c->n_analyses, 0);
	/* two steps that do not add up, and the full-text step it never
	 * reports (reports assessed, reports excluded): counts missing */
	assert_int_equal(count_kind(c, SM_CHECK_PRISMA, NULL), 4);
	const struct sm_check_finding *miss = find(c, SM_CHECK_PRISMA, NULL, "reports excluded");
	assert_true(isnan(miss->reported) && isnan(miss->computed));
	assert_non_null(strstr(miss->message, "reports excluded: not reported"));
	/* the paper's paired t-test on the controlled studies' 6/2864 against
	 * 6/2359; its totals comparison names no test and is not flagged */
	const struct sm_check_finding *m = find(c, SM_CHECK_METHOD,
						"Malignancies, controlled studies", "test");
	assert_non_null(strstr(m->message, "6/2864 with 6/2359 by a paired t-test"));
	sm_check_close(m->reported, 0.819744, 0, 0, "reported p");
	assert_int_equal(c->n_findings, 5);
	sm_check_free(c);
	cJSON_Delete(doc);
	/* Not a results document: an input error. */
	doc = cJSON_Parse("{\"x\":1}");
	assert_null(sm_check_run(ctx, doc));
	assert_int_equal(sm_ctx_error(ctx)->code, SM_EINPUT);
	cJSON_Delete(doc);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tolerance_from_printed_precision),
		cmocka_unit_test(msc_five_domains_do_not_reproduce),
		cmocka_unit_test(msc_self_contradictions),
		cmocka_unit_test(msc_text_report),
		cmocka_unit_test(agreement_gives_no_findings),
		cmocka_unit_test(sign_and_scale_misreads),
		cmocka_unit_test(zero_takes_precision_of_its_siblings),
		cmocka_unit_test(unmatched_and_prisma_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
