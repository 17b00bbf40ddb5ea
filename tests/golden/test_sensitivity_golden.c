/*
 * The sensitivity table (issue 16 item 1) against metafor
 * (tests/golden/sensitivity/sensitivity.json, generator
 * tests/golden/gen/sensitivity.R), at 1e-6 relative:
 *  - the bundled MSC review, every domain (DL, OR, 0.5 to zero cells):
 *    all studies, excluding high risk of bias (overall judgments are null
 *    there: any domain "high"), excluding Phase=Early phase, the
 *    common-effect model and trim and fill;
 *  - metadat's dat.bcg (RR, REML): all, excluding alloc = random, FE and
 *    trim and fill.
 * Invariants beside R: the "Random effects" row of a DL analysis is the
 * analysis itself, the trim-and-fill refit reproduces the analysis'
 * trimfill estimate, the multilevel and GLMM rows are the values of their
 * own blocks, display values are exp() of the log ones, and each exclusion
 * row lists exactly the excluded studies.  The number of values compared
 * is asserted.
 */
#include "sm_test.h"

#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct golden {
	cJSON *doc;
	long compared;
	double worst;
};

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void same(struct golden *g, double got, double want, double rel, const char *what,
		 const char *where)
{
	if (isnan(want)) {
		assert_true(isnan(got));
	} else {
		sm_check_close(got, want, rel, 1e-12, "%s: %s", where, what);
		if (want != 0)
			g->worst = fmax(g->worst, fabs(got - want) / fabs(want));
	}
	g->compared++;
}

static const cJSON *row_labelled(const cJSON *a, const char *label)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, get(get(a, "sensitivity"), "rows"))
		if (!strcmp(get(r, "label")->valuestring, label))
			return r;
	return NULL;
}

/* A row against R's refit of the same studies (NULL: metafor had none). */
static void row_vs_r(struct golden *g, const cJSON *a, const char *label, const cJSON *want,
		     const char *where)
{
	const cJSON *row = row_labelled(a, label);
	if (cJSON_IsNull(want) || !want) {
		/* no fit in R: no row, or a row with null numbers and a note */
		assert_true(!row || (isnan(num(row, "estimate")) && cJSON_IsString(get(row, "note"))));
		return;
	}
	assert_non_null(row);
	static const char *const keys[] = { "k", "estimate", "ci_lb", "ci_ub", "p", "tau2", "I2" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		same(g, num(row, keys[i]), num(want, keys[i]), 1e-6, keys[i], where);
	const cJSON *t = get(row, "transformed");
	same(g, num(t, "estimate"), exp(num(want, "estimate")), 1e-6, "transformed", where);
}

static int listed(const cJSON *row, const char *id)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, get(row, "excluded"))
		if (!strcmp(e->valuestring, id))
			return 1;
	return 0;
}

/* Invariants that tie rows to the analysis' other blocks. */
static void row_invariants(struct golden *g, const cJSON *a, const char *where)
{
	const cJSON *all = row_labelled(a, "All studies"), *re = row_labelled(a, "Random effects");
	assert_non_null(all);
	assert_non_null(re);
	same(g, num(all, "estimate"), num(a, "estimate"), 1e-15, "all = pooled", where);
	same(g, num(re, "estimate"), num(a, "estimate"), 1e-15, "RE = pooled (DL)", where);
	const cJSON *tf = row_labelled(a, "Trim-and-fill adjusted");
	if (tf)
		same(g, num(tf, "estimate"), num(get(a, "trimfill"), "estimate"), 1e-9,
		     "trim-and-fill refit = trimfill", where);
	const cJSON *ml = row_labelled(a, "Multilevel (rows within clusters)");
	if (ml)
		same(g, num(ml, "estimate"), num(get(a, "multilevel"), "estimate"), 1e-15,
		     "multilevel", where);
	const cJSON *m;
	cJSON_ArrayForEach(m, get(get(a, "rare_events"), "methods")) {
		if (!cJSON_IsString(get(m, "glmm")))
			continue;
		char label[64];
		snprintf(label, sizeof label, "Rare events: GLMM %s", get(m, "glmm")->valuestring);
		const cJSON *r = row_labelled(a, label);
		assert_non_null(r);
		same(g, num(get(r, "transformed"), "estimate"), num(m, "estimate"), 1e-15, label,
		     where);
		same(g, exp(num(r, "estimate")), num(m, "estimate"), 1e-12, "exp(log OR)", where);
	}
}

static int setup(void **state)
{
	struct golden *g = calloc(1, sizeof *g);
	char *text = sm_test_slurp("tests/golden/sensitivity/sensitivity.json");
	g->doc = cJSON_Parse(text);
	free(text);
	assert_non_null(g->doc);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct golden *g = *state;
	cJSON_Delete(g->doc);
	free(g);
	return 0;
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

static void msc(void **state)
{
	struct golden *g = *state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, "data/msc-iv-rct.json");
	assert_non_null(r);
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.sensitivity_exclude = "Phase=Early phase";
	cJSON *res = sm_results_build(ctx, r, &opts);
	assert_non_null(res);
	int n = 0;
	const cJSON *w;
	cJSON_ArrayForEach(w, get(g->doc, "msc")) {
		const char *name = get(w, "name")->valuestring;
		const cJSON *a = analysis_named(res, name);
		row_vs_r(g, a, "All studies", get(w, "all"), name);
		row_vs_r(g, a, "Excluding high risk of bias", get(w, "rob"), name);
		row_vs_r(g, a, "Excluding Phase=Early phase", get(w, "flag"), name);
		row_vs_r(g, a, "Common effect", get(w, "fe"), name);
		row_vs_r(g, a, "Trim-and-fill adjusted", get(w, "trimfill"), name);
		row_invariants(g, a, name);
		/* shi2012 is high in four domains, hare2009 in none */
		const cJSON *rob = row_labelled(a, "Excluding high risk of bias");
		const cJSON *s;
		cJSON_ArrayForEach(s, get(a, "studies")) {
			const char *id = get(s, "study_id")->valuestring;
			if (!strcmp(id, "shi2012"))
				assert_true(listed(rob, id));
			if (!strcmp(id, "hare2009"))
				assert_false(listed(rob, id));
		}
		n++;
	}
	assert_int_equal(n, 16);
	cJSON_Delete(res);
	sm_review_free(r);
	sm_ctx_free(ctx);
}

static void bcg(void **state)
{
	struct golden *g = *state;
	struct sm_ctx *ctx = sm_ctx_new();
	static const char *const cols[] = { "group" };
	struct sm_load_opts lo = { cols, 1 };
	struct sm_review *r = sm_review_load_any_opts(ctx, "tests/golden/bcg/input.csv", &lo);
	assert_non_null(r);
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.outcome_by = "none";
	opts.measure = "RR";
	opts.method = "REML";
	opts.sensitivity_exclude = "group=random";
	cJSON *res = sm_results_build(ctx, r, &opts);
	assert_non_null(res);
	const cJSON *a = cJSON_GetArrayItem(get(res, "analyses"), 0);
	const cJSON *w = get(g->doc, "bcg");
	row_vs_r(g, a, "All studies", get(w, "all"), "bcg");
	row_vs_r(g, a, "Excluding group=random", get(w, "flag"), "bcg");
	row_vs_r(g, a, "Common effect", get(w, "fe"), "bcg");
	row_vs_r(g, a, "Trim-and-fill adjusted", get(w, "trimfill"), "bcg");
	const cJSON *flag = row_labelled(a, "Excluding group=random");
	assert_int_equal(cJSON_GetArraySize(get(flag, "excluded")), 7);
	assert_true(listed(flag, "Aronson, 1948"));
	cJSON_Delete(res);
	sm_review_free(r);
	sm_ctx_free(ctx);
}

static void bad_field(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, "data/msc-iv-rct.json");
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.sensitivity_exclude = "no_such_field";
	assert_null(sm_results_build(ctx, r, &opts));
	assert_int_equal(sm_ctx_error(ctx)->code, SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "--sensitivity-exclude"));
	sm_review_free(r);
	sm_ctx_free(ctx);
}

static void totals(void **state)
{
	struct golden *g = *state;
	printf("sensitivity golden: %ld values compared, largest relative difference %.3g\n",
	       g->compared, g->worst);
	assert_int_equal(g->compared, 786);
	assert_true(g->worst < 1e-6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msc),
		cmocka_unit_test(bcg),
		cmocka_unit_test(bad_field),
		cmocka_unit_test(totals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
