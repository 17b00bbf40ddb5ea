/*
 * End to end against R metafor 3.8-1 / clubSandwich 0.5.8: `safemeta
 * analyze` (reader, settings, results builder) on the inputs of
 * tests/golden/multilevel/ and on the MSC review must give the references
 * of tests/golden/multilevel/multilevel.json (generator
 * tests/golden/gen/multilevel.R):
 *  - --model multilevel (REML, ML, --test knha = rma.mv test "t"): the
 *    pooled keys, "sigma2", "sigma2_nlevels", the "multilevel" block and
 *    the row weights;
 *  - --robust (CR1) and --robust cr2 on the multilevel and the rma.uni fits;
 *  - --cluster district on a review whose studies are schools;
 *  - the MSC review's default run: the automatic "multilevel" block of
 *    every domain with several rows per trial, the detection lists (built
 *    independently in R), and --aggregate's lower and upper per-trial fits.
 * Tolerance 1e-9 relative, 1e-12 absolute (the references are exact
 * maxima; see test_multilevel.c), inside the project's 1e-6.
 */
#include "sm_test.h"

#include "sm_results.h"
#include "sm_review_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-9
#define ABS 1e-12
#define DIR "tests/golden/multilevel/"

static long compared;

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static double at(const cJSON *o, const char *key, int i)
{
	const cJSON *v = cJSON_GetArrayItem(get(o, key), i);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void same(double got, double want, const char *where, const char *what)
{
	sm_check_close(got, want, REL, ABS, "%s %s", where, what);
	compared++;
}

static cJSON *load_golden(void)
{
	char *text = sm_test_slurp(DIR "multilevel.json");
	cJSON *doc = cJSON_Parse(text);
	free(text);
	assert_non_null(doc);
	return doc;
}

static cJSON *run(const char *input, struct sm_analysis_opts *opts)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, input);
	if (!r)
		fail_msg("%s: %s", input, sm_ctx_error(ctx)->msg);
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
	cJSON_ArrayForEach(a, get(res, "analyses")) {
		if (!name || !strcmp(get(a, "name")->valuestring, name))
			return a;
	}
	fail_msg("no analysis '%s'", name ? name : "(first)");
	return NULL;
}

/* Our pooled keys (o: the analysis, or its "multilevel" block) against
 * one rma.mv fit of the reference. */
static void cmp_ml(const cJSON *o, const cJSON *g, const char *where)
{
	int t = get(g, "tval") != NULL;
	for (int j = 0; j < 2; j++) {
		same(at(o, "sigma2", j), at(g, "sigma2", j), where, j ? "sigma2[1]" : "sigma2[0]");
		same(at(o, "sigma2_nlevels", j), at(g, "s.nlevels", j), where, "sigma2_nlevels");
	}
	same(num(o, "estimate"), num(g, "b"), where, "estimate");
	same(num(o, "se"), num(g, "se"), where, "se");
	same(num(o, "stat"), num(g, t ? "tval" : "zval"), where, "stat");
	if (t)
		same(num(o, "df"), num(g, "dfs"), where, "df");
	else
		assert_true(cJSON_IsNull(get(o, "df")));
	same(num(o, "p"), num(g, "pval"), where, "p");
	same(num(o, "ci_lb"), num(g, "ci.lb"), where, "ci_lb");
	same(num(o, "ci_ub"), num(g, "ci.ub"), where, "ci_ub");
	same(num(o, "pi_lb"), num(g, "pi.lb"), where, "pi_lb");
	same(num(o, "pi_ub"), num(g, "pi.ub"), where, "pi_ub");
	same(num(o, "Q"), num(g, "QE"), where, "Q");
	same(num(o, "Q_df"), num(g, "QEdf"), where, "Q_df");
	same(num(o, "Q_p"), num(g, "QEp"), where, "Q_p");
}

static void cmp_robust(const cJSON *o, const cJSON *g, const char *where)
{
	assert_true(cJSON_IsObject(o));
	assert_string_equal(get(o, "method")->valuestring, get(g, "vbest")->valuestring);
	same(num(o, "estimate"), num(g, "b"), where, "robust estimate");
	same(num(o, "se"), num(g, "se"), where, "robust se");
	same(num(o, "stat"), num(g, "tval"), where, "robust stat");
	same(num(o, "df"), num(g, "dfs"), where, "robust df");
	same(num(o, "p"), num(g, "pval"), where, "robust p");
	same(num(o, "ci_lb"), num(g, "ci.lb"), where, "robust ci_lb");
	same(num(o, "ci_ub"), num(g, "ci.ub"), where, "robust ci_ub");
	same(num(o, "clusters"), num(g, "n_clusters"), where, "robust clusters");
}

static void cmp_weights(const cJSON *a, const cJSON *g, const char *where)
{
	const cJSON *studies = get(a, "studies");
	assert_int_equal(cJSON_GetArraySize(studies), cJSON_GetArraySize(get(g, "weights")));
	for (int i = 0; i < cJSON_GetArraySize(studies); i++)
		same(num(cJSON_GetArrayItem(studies, i), "weight"), at(g, "weights", i), where,
		     "weight");
}

/* --model multilevel with each method/test of the reference, and the
 * robust blocks of the REML fit. */
static void check_multilevel_model(const char *input, const cJSON *ml, const char *cluster,
				   const char *where)
{
	const cJSON *g;
	cJSON_ArrayForEach(g, ml) {
		for (int robust = 0; robust <= 2; robust++) {
			if (robust && !get(g, "robust"))
				continue;
			struct sm_analysis_opts o;
			sm_analysis_opts_init(&o);
			o.model = "multilevel";
			o.method = get(g, "method")->valuestring;
			o.test = !strcmp(get(g, "test")->valuestring, "t") ? "knha" : "z";
			o.cluster = cluster;
			o.robust = robust == 2 ? "cr2" : robust ? "cr1" : NULL;
			cJSON *res = run(input, &o);
			const cJSON *a = analysis(res, NULL);
			char w[600];
			snprintf(w, sizeof w, "%s --model multilevel %s", where, g->string);
			assert_string_equal(get(a, "model")->valuestring, "multilevel");
			assert_string_equal(get(a, "method")->valuestring,
					    get(g, "method")->valuestring);
			assert_string_equal(get(a, "test")->valuestring, get(g, "test")->valuestring);
			cmp_ml(a, g, w);
			cmp_ml(get(a, "multilevel"), g, w);
			same(num(get(a, "multilevel"), "logLik"), num(g, "logLik"), w, "logLik");
			assert_true(cJSON_IsNull(get(a, "tau2")));
			cmp_weights(a, g, w);
			if (robust) {
				const cJSON *gr = get(get(g, "robust"), robust == 2 ? "cr2" : "cr1");
				cmp_robust(get(a, "robust"), gr, w);
				cmp_robust(get(get(a, "multilevel"), "robust"), gr, w);
			}
			cJSON_Delete(res);
		}
	}
}

/* --robust on the standard (rma.uni) fits. */
static void check_uni_robust(const char *input, const cJSON *uni, const char *method,
			     const char *cluster, const char *where)
{
	const cJSON *u;
	cJSON_ArrayForEach(u, uni) {
		if (method && strcmp(u->string, method) != 0)
			continue;
		int knha = get(u, "s2w") != NULL;
		for (int robust = 1; robust <= 2; robust++) {
			struct sm_analysis_opts o;
			sm_analysis_opts_init(&o);
			o.method = get(u, "method")->valuestring;
			o.test = knha ? "knha" : "z";
			o.cluster = cluster;
			o.robust = robust == 2 ? "cr2" : "cr1";
			cJSON *res = run(input, &o);
			const cJSON *a = analysis(res, NULL);
			char w[600];
			snprintf(w, sizeof w, "%s rma.uni %s --robust %s", where, u->string, o.robust);
			same(num(a, "estimate"), num(u, "b"), w, "estimate");
			same(num(a, "tau2"), num(u, "tau2"), w, "tau2");
			const cJSON *gr = get(get(u, "robust"), robust == 2 ? "cr2" : "cr1");
			if (knha && robust == 1) {
				/* metafor's robust() of a knha fit scales its SE by s2w
				 * (sm_robust.h); ours is the sandwich of the model */
				same(num(get(a, "robust"), "se") * num(u, "s2w"), num(gr, "se"), w,
				     "robust se (knha)");
			} else {
				cmp_robust(get(a, "robust"), gr, w);
			}
			cJSON_Delete(res);
		}
	}
}

static void generic_datasets(void **state)
{
	(void)state;
	cJSON *doc = load_golden();
	long before = compared;
	const cJSON *c;
	cJSON_ArrayForEach(c, get(doc, "generic")) {
		const char *input = get(c, "input")->valuestring;
		const char *name = get(c, "name")->valuestring;
		check_multilevel_model(input, get(c, "multilevel"), NULL, name);
		check_uni_robust(input, get(c, "uni"), NULL, NULL, name);
		if (!strcmp(name, "konstantopoulos2011")) {
			/* the same model from the schools review, clustered by the
			 * study characteristic "district" */
			check_multilevel_model(DIR "konstantopoulos2011-schools.json",
					       get(c, "multilevel"), "district", "schools review");
		}
	}
	printf("generic: %ld values compared with metafor\n", compared - before);
	cJSON_Delete(doc);
}

/* The MSC review's own settings (DL, OR, 1/2 to zero cells): detection,
 * automatic multilevel block, robust DL fit and aggregates per domain. */
static void msc_detection(const cJSON *a, const cJSON *g, const char *where)
{
	const cJSON *u = get(a, "unit_of_analysis");
	assert_true(cJSON_IsObject(u));
	same(num(u, "rows"), num(g, "rows"), where, "rows");
	same(num(u, "studies"), num(g, "studies"), where, "studies");
	const char *lists[] = { "studies_with_several_rows", "shared_control_arms" };
	for (int l = 0; l < 2; l++) {
		const cJSON *ours = get(u, lists[l]), *gold = get(g, lists[l]);
		assert_int_equal(cJSON_GetArraySize(ours), cJSON_GetArraySize(gold));
		for (int i = 0; i < cJSON_GetArraySize(gold); i++) {
			const cJSON *x = cJSON_GetArrayItem(ours, i), *y = cJSON_GetArrayItem(gold, i);
			assert_string_equal(get(x, "study_id")->valuestring,
					    get(y, "study_id")->valuestring);
			assert_int_equal((int)num(x, "rows"), (int)num(y, "rows"));
			assert_int_equal(cJSON_GetArraySize(get(x, "labels")), (int)num(y, "rows"));
			if (l == 1) {
				assert_int_equal((int)num(x, "n_c"), (int)num(y, "n_c"));
				assert_int_equal((int)num(x, "events_c"), (int)num(y, "events_c"));
			}
		}
	}
}

static void msc_aggregate(const cJSON *a, const cJSON *g, const char *where)
{
	const char *keys[] = { "aggregate_lower", "aggregate_upper" };
	const char *gk[] = { "lower", "upper" };
	for (int b = 0; b < 2; b++) {
		const cJSON *o = get(a, keys[b]), *r = get(get(g, "aggregate"), gk[b]);
		char w[700];
		snprintf(w, sizeof w, "%s %s", where, keys[b]);
		assert_true(cJSON_IsObject(o));
		assert_string_equal(get(o, "aggregate")->valuestring, gk[b]);
		same(num(o, "k"), num(r, "k"), w, "k");
		const cJSON *studies = get(o, "studies");
		assert_int_equal(cJSON_GetArraySize(studies), cJSON_GetArraySize(get(r, "ai")));
		for (int i = 0; i < cJSON_GetArraySize(studies); i++) {
			const cJSON *s = cJSON_GetArrayItem(studies, i);
			assert_string_equal(get(s, "study_id")->valuestring,
					    cJSON_GetArrayItem(get(r, "studies"), i)->valuestring);
			const char *cells[] = { "ai", "n1i", "ci", "n2i" };
			for (int j = 0; j < 4; j++)
				same(num(s, cells[j]), at(r, cells[j], i), w, cells[j]);
			same(num(s, "weight"), at(r, "weights", i), w, "weight");
		}
		static const char *const pairs[][2] = {
			{ "estimate", "b" }, { "se", "se" }, { "stat", "zval" }, { "p", "pval" },
			{ "ci_lb", "ci.lb" }, { "ci_ub", "ci.ub" }, { "tau2", "tau2" },
			{ "I2", "I2" }, { "Q", "QE" }, { "Q_p", "QEp" },
		};
		for (size_t j = 0; j < sizeof pairs / sizeof pairs[0]; j++)
			same(num(o, pairs[j][0]), num(r, pairs[j][1]), w, pairs[j][0]);
	}
}

static void msc_review(void **state)
{
	(void)state;
	cJSON *doc = load_golden();
	long before = compared;
	const cJSON *msc = get(doc, "msc");
	for (int robust = 1; robust <= 2; robust++) {
		struct sm_analysis_opts o;
		sm_analysis_opts_init(&o);
		o.robust = robust == 2 ? "cr2" : "cr1";
		o.aggregate = 1;
		o.aggregate_set = 1;
		cJSON *res = run("data/msc-iv-rct.json", &o);
		const cJSON *g;
		cJSON_ArrayForEach(g, get(msc, "analyses")) {
			const char *name = get(g, "name")->valuestring;
			const cJSON *a = analysis(res, name);
			char w[600];
			snprintf(w, sizeof w, "msc %s (%s)", name, o.robust);
			assert_string_equal(get(a, "model")->valuestring, "standard");
			assert_string_equal(get(a, "method")->valuestring, get(msc, "method")->valuestring);
			const cJSON *ml = get(a, "multilevel");
			if (cJSON_IsObject(get(g, "multilevel"))) {
				const cJSON *gr = get(get(g, "multilevel"), "REML");
				cmp_ml(ml, gr, w);
				cmp_robust(get(ml, "robust"), get(get(gr, "robust"),
								 robust == 2 ? "cr2" : "cr1"), w);
			} else {
				assert_true(cJSON_IsNull(ml));
			}
			const cJSON *dl = get(get(g, "uni"), "DL");
			same(num(a, "estimate"), num(dl, "b"), w, "DL estimate");
			cmp_robust(get(a, "robust"), get(get(dl, "robust"), robust == 2 ? "cr2" : "cr1"),
				   w);
			if (robust == 1) {
				msc_detection(a, get(g, "detection"), w);
				msc_aggregate(a, g, w);
			}
		}
		cJSON_Delete(res);
	}
	/* ML: --method ML makes the multilevel block ML too */
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	o.method = "ML";
	cJSON *res = run("data/msc-iv-rct.json", &o);
	const cJSON *g;
	cJSON_ArrayForEach(g, get(msc, "analyses")) {
		if (!cJSON_IsObject(get(g, "multilevel")))
			continue;
		const cJSON *ml = get(analysis(res, get(g, "name")->valuestring), "multilevel");
		assert_string_equal(get(ml, "method")->valuestring, "ML");
		char w[600];
		snprintf(w, sizeof w, "msc %s ML", get(g, "name")->valuestring);
		cmp_ml(ml, get(get(g, "multilevel"), "ML"), w);
	}
	cJSON_Delete(res);
	printf("msc: %ld values compared with metafor\n", compared - before);
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generic_datasets),
		cmocka_unit_test(msc_review),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
