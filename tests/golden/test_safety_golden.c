/*
 * The safety statistics of issue 15 items 3-5 against R
 * (tests/golden/safety/safety.json, generator tests/golden/gen/safety.R):
 *  - Fisher's exact test: the P value as fisher.test gives it (1e-9
 *    relative); the conditional MLE and exact interval against fisher.test's
 *    own equations solved tightly in R (1e-6), and against fisher.test's
 *    printed values at 1e-3: R's uniroot stops at its default tolerance
 *    (.Machine$double.eps^0.25 on the odds-ratio scale), so those agree
 *    only to about 1e-4;
 *  - the Miettinen-Nurminen interval against an R implementation coded from
 *    the paper with a different constrained-MLE route (1e-6 relative, 1e-12
 *    absolute);
 *  - Benjamini-Hochberg against p.adjust and the double FDR against an R
 *    implementation of Mehrotra & Heyse (2004) (1e-12);
 *  - the optimal information size against the closed form and the power
 *    curve solved in R (exact integers);
 *  - the MSC review end to end: each domain's pooled P (metafor DL), Fisher's
 *    P per row, BH across domains, the double FDR of the rows, and the
 *    evidence of absence (rma.mh RD per 1000 and its one-sided bound, the
 *    back-calculated OR, the patients once per study) at 1e-9 relative.
 * The number of values compared is asserted, so a reference that stops
 * being read fails.
 */
#include "sm_test.h"

#include "sm_absence.h"
#include "sm_exact2x2.h"
#include "sm_fdr.h"
#include "sm_results.h"
#include "sm_review_read.h"
#include "sm_stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long compared;
static double worst_exact; /* largest relative difference at the 1e-6 level */

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* numbers, with R's infinities written as "Inf" */
static double val(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		return v->valuedouble;
	if (cJSON_IsString(v))
		return !strcmp(v->valuestring, "Inf") ? INFINITY : -INFINITY;
	return NAN;
}

static double num(const cJSON *o, const char *key)
{
	return val(get(o, key));
}

static void same(double got, double want, double rel, double abs_tol, const char *what, int i)
{
	if (isinf(want)) {
		assert_true(isinf(got) && (got > 0) == (want > 0));
	} else {
		sm_check_close(got, want, rel, abs_tol, "%s [%d]", what, i);
		if (rel <= 1e-6 && want != 0 && isfinite(got))
			worst_exact = fmax(worst_exact, fabs(got - want) / fabs(want));
	}
	compared++;
}

static cJSON *doc;

static int setup(void **state)
{
	(void)state;
	char *text = sm_test_slurp("tests/golden/safety/safety.json");
	doc = cJSON_Parse(text);
	free(text);
	return doc ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cJSON_Delete(doc);
	return 0;
}

static void fisher(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	int i = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, get(doc, "fisher")) {
		struct sm_fisher f;
		assert_int_equal(sm_fisher_exact(ctx, num(t, "a"), num(t, "n1"), num(t, "c"),
						 num(t, "n2"), 95, &f), SM_OK);
		same(f.p, num(t, "p"), 1e-9, 1e-15, "fisher p", i);
		same(f.estimate, num(t, "estimate"), 1e-6, 1e-12, "fisher estimate", i);
		same(f.ci_lb, num(t, "ci_lb"), 1e-6, 1e-12, "fisher ci_lb", i);
		same(f.ci_ub, num(t, "ci_ub"), 1e-6, 1e-12, "fisher ci_ub", i);
		/* R's own printed values, up to its uniroot tolerance */
		same(f.estimate, num(t, "estimate_r"), 1e-3, 1e-4, "fisher.test estimate", i);
		same(f.ci_lb, num(t, "ci_lb_r"), 1e-3, 1e-4, "fisher.test ci_lb", i);
		same(f.ci_ub, num(t, "ci_ub_r"), 1e-3, 1e-4, "fisher.test ci_ub", i);
		i++;
	}
	assert_int_equal(i, 12);
	sm_ctx_free(ctx);
}

static void miettinen_nurminen(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	int i = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, get(doc, "mn")) {
		double lb, ub, lb1, ub1;
		double a = num(t, "a"), n1 = num(t, "n1"), c = num(t, "c"), n2 = num(t, "n2");
		assert_int_equal(sm_mn_interval(ctx, a, n1, c, n2, sm_qnorm_upper(0.025), &lb, &ub),
				 SM_OK);
		assert_int_equal(sm_mn_interval(ctx, a, n1, c, n2, sm_qnorm_upper(0.05), &lb1, &ub1),
				 SM_OK);
		same(lb, num(t, "ci_lb"), 1e-6, 1e-12, "MN lb", i);
		same(ub, num(t, "ci_ub"), 1e-6, 1e-12, "MN ub", i);
		same(ub1, num(t, "upper_one_sided"), 1e-6, 1e-12, "MN one-sided", i);
		/* the bounds are where the score statistic is +-z */
		if (lb > -1)
			sm_check_close(sm_mn_score(a, n1, c, n2, lb), sm_qnorm_upper(0.025), 1e-6, 1e-6,
				       "Z at lb [%d]", i);
		i++;
	}
	assert_int_equal(i, 12);
	sm_ctx_free(ctx);
}

static double *numbers(const cJSON *arr, size_t *n)
{
	*n = (size_t)cJSON_GetArraySize(arr);
	double *v = calloc(*n ? *n : 1, sizeof *v);
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
		v[i++] = val(e);
	return v;
}

static void benjamini_hochberg(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	int i = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, get(doc, "bh")) {
		size_t n, m;
		double *p = numbers(get(c, "p"), &n), *want = numbers(get(c, "adjusted"), &m);
		double *got = calloc(n, sizeof *got);
		assert_int_equal(sm_bh_adjust(ctx, p, n, got), SM_OK);
		for (size_t j = 0; j < n; j++)
			same(got[j], want[j], 1e-12, 0, "BH", (int)j);
		free(p);
		free(want);
		free(got);
		i++;
	}
	assert_int_equal(i, 4);
	sm_ctx_free(ctx);
}

static void check_dfdr(const struct sm_dfdr *df, const cJSON *want, size_t n, size_t ng)
{
	size_t m;
	double *gp = numbers(get(want, "group_p"), &m);
	double *ga = numbers(get(want, "group_adj"), &m);
	double *ta = numbers(get(want, "term_adj"), &m);
	for (size_t g = 0; g < ng; g++) {
		same(df->group_p[g], gp[g], 1e-12, 0, "dfdr group p", (int)g);
		same(df->group_adj[g], ga[g], 1e-12, 0, "dfdr group adj", (int)g);
		assert_int_equal(df->group_flag[g],
				 cJSON_IsTrue(cJSON_GetArrayItem(get(want, "group_flag"), (int)g)));
	}
	for (size_t j = 0; j < n; j++) {
		same(df->term_adj[j], ta[j], 1e-12, 0, "dfdr term adj", (int)j);
		assert_int_equal(df->term_flag[j],
				 cJSON_IsTrue(cJSON_GetArrayItem(get(want, "term_flag"), (int)j)));
	}
	free(gp);
	free(ga);
	free(ta);
}

static void double_fdr(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	const cJSON *c;
	int cases = 0, flagged = 0;
	cJSON_ArrayForEach(c, get(doc, "dfdr")) {
		size_t n, m;
		double *p = numbers(get(c, "p"), &n), *gd = numbers(get(c, "group"), &m);
		size_t *g = calloc(n, sizeof *g), ng = 0;
		for (size_t j = 0; j < n; j++) {
			g[j] = (size_t)gd[j];
			ng = g[j] + 1 > ng ? g[j] + 1 : ng;
		}
		struct sm_dfdr df;
		double alpha = num(c, "alpha");
		assert_int_equal(sm_dfdr_run(ctx, p, g, n, ng, alpha, alpha, &df), SM_OK);
		check_dfdr(&df, get(c, "result"), n, ng);
		for (size_t j = 0; j < n; j++)
			flagged += df.term_flag[j];
		sm_dfdr_release(&df);
		free(p);
		free(gd);
		free(g);
		cases++;
	}
	assert_int_equal(cases, 2);
	assert_true(flagged > 0); /* the cases flag something: a test that can fail */
	sm_ctx_free(ctx);
}

static void information_size(void **state)
{
	(void)state;
	const cJSON *c;
	int i = 0;
	cJSON_ArrayForEach(c, get(doc, "ois")) {
		double got = sm_absence_ois(num(c, "p0"), num(c, "margin"), num(c, "level"),
					    num(c, "power"));
		same(got, num(c, "total"), 0, 0, "OIS", i);
		same(got, num(c, "total_by_power"), 0, 0, "OIS by power", i);
		i++;
	}
	assert_int_equal(i, 4);
}

static const cJSON *analysis_named(const cJSON *res, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, get(res, "analyses"))
		if (!strcmp(get(a, "name")->valuestring, name))
			return a;
	fail_msg("no analysis '%s'", name);
	return NULL;
}

static void msc_end_to_end(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, "data/msc-iv-rct.json");
	assert_non_null(r);
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	cJSON *res = sm_results_build(ctx, r, &opts);
	assert_non_null(res);
	const cJSON *want = get(doc, "msc");
	const cJSON *mult = get(get(res, "multiplicity"), "domains");
	static const char *const keys[] = {
		"rd_per_1000", "rd_ci_lb_per_1000", "rd_ci_ub_per_1000", "rd_upper_per_1000",
		"control_risk_per_1000", "backcalc_per_1000", "backcalc_ci_lb_per_1000",
		"backcalc_ci_ub_per_1000", "backcalc_upper_per_1000", "patients_t", "patients_c",
	};
	int i = 0;
	size_t terms = 0;
	const cJSON *w;
	cJSON_ArrayForEach(w, get(want, "analyses")) {
		const cJSON *a = analysis_named(res, get(w, "name")->valuestring);
		same(num(a, "p"), num(w, "p"), 1e-9, 1e-15, "domain p", i);
		const cJSON *ev = get(a, "evidence_of_absence");
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			same(num(ev, keys[k]), num(w, keys[k]), 1e-9, 1e-12, keys[k], i);
		const cJSON *m = cJSON_GetArrayItem(mult, i);
		assert_string_equal(get(m, "analysis")->valuestring, get(w, "name")->valuestring);
		same(num(m, "p_bh"), num(w, "p_bh"), 1e-9, 1e-15, "p_bh", i);
		/* every row is in the model here (0.5 added, double zeros kept) */
		assert_int_equal(cJSON_GetArraySize(get(a, "excluded")), 0);
		int j = 0;
		const cJSON *s;
		cJSON_ArrayForEach(s, get(a, "studies")) {
			same(num(s, "fisher_p"), val(cJSON_GetArrayItem(get(w, "fisher_p"), j)), 1e-9,
			     1e-15, "row fisher p", j);
			j++;
		}
		assert_int_equal(j, cJSON_GetArraySize(get(w, "fisher_p")));
		terms += (size_t)j;
		i++;
	}
	assert_int_equal(i, 16);
	/* the double FDR over the rows, against R */
	const cJSON *dw = get(want, "dfdr");
	const cJSON *tl = get(get(res, "multiplicity"), "terms");
	assert_int_equal((size_t)cJSON_GetArraySize(tl), terms);
	int j = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, tl) {
		same(num(t, "p_within_bh"), val(cJSON_GetArrayItem(get(dw, "term_adj"), j)), 1e-9,
		     1e-15, "row within-BH", j);
		assert_int_equal(cJSON_IsTrue(get(t, "signal_dfdr")),
				 cJSON_IsTrue(cJSON_GetArrayItem(get(dw, "term_flag"), j)));
		j++;
	}
	for (int g = 0; g < 16; g++) {
		const cJSON *m = cJSON_GetArrayItem(mult, g);
		same(num(m, "dfdr_body_system_p"), val(cJSON_GetArrayItem(get(dw, "group_p"), g)),
		     1e-9, 1e-15, "body system p", g);
		same(num(m, "dfdr_p"), val(cJSON_GetArrayItem(get(dw, "group_adj"), g)), 1e-9,
		     1e-15, "body system adjusted p", g);
	}
	cJSON_Delete(res);
	sm_review_free(r);
	sm_ctx_free(ctx);
}

static void totals(void **state)
{
	(void)state;
	/* fisher 12 x 7, MN 12 x 3, BH 21, DFDR 2 x (6 x 2 + 24), OIS 8, MSC:
	 * 16 x (1 + 11 + 1) + 236 rows + 236 within-BH + 16 x 2 */
	long want = 84 + 36 + 21 + 2 * (12 + 24) + 8 + 16 * 13 + 236 + 236 + 32;
	printf("safety golden: %ld values compared, largest relative difference %.3g at the 1e-6 "
	       "tolerance\n", compared, worst_exact);
	assert_int_equal(compared, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fisher),
		cmocka_unit_test(miettinen_nurminen),
		cmocka_unit_test(benjamini_hochberg),
		cmocka_unit_test(double_fdr),
		cmocka_unit_test(information_size),
		cmocka_unit_test(msc_end_to_end),
		cmocka_unit_test(totals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
