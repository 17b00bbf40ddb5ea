/*
 * The weights a forest plot draws, against R metafor 3.8-1
 * (tests/golden/forest-weights/reference.json, made by
 * tests/golden/gen/forest_weights.R): every case is one `safemeta analyze`
 * run (sm_results_build with its options) and one of its analyses.
 *
 *  - Mantel-Haenszel (OR, RR, RD) and Peto pooling: each row's "weight" is
 *    weights(rma.mh) / weights(rma.peto), also for rows without an effect
 *    size of their own ("excluded", "pooled_table": true), double-zero
 *    tables at 0; the estimate pools every table (mh.k / peto.k, totals);
 *  - random effects: "weight" is weights(rma.uni) of the model and the
 *    common-effect fit's "weights" those of rma.uni(method = "FE");
 *  - proportions: the observed proportion and binom.test's exact interval
 *    per study and crude, the one-sided bound of data without events.
 *
 * Rows are lined up with R's by their counts (the first unused row with the
 * same table).  Tolerance 1e-9 relative, 1e-12 absolute near 0 (closed
 * forms; REML converged tightly in both), well inside the brief's 1e-6.
 * The weights function itself is also checked by hand on small tables.
 */
#include "sm_test.h"

#include "sm_results.h"
#include "sm_review_read.h"
#include "sm_weights.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF "tests/golden/forest-weights/reference.json"
#define REL 1e-9
#define ABS 1e-12

static long compared;
static double max_rel;

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static double at(const cJSON *arr, int i)
{
	const cJSON *v = cJSON_GetArrayItem(arr, i);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void same(double got, double want, const char *where, const char *what)
{
	if (isfinite(want) && fabs(want) > ABS && isfinite(got))
		max_rel = fmax(max_rel, fabs(got - want) / fabs(want));
	sm_check_close(got, want, REL, ABS, "%s: %s", where, what);
	compared++;
}

static const char *opt(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The results of the case's run. */
static cJSON *run(const cJSON *c)
{
	const cJSON *o = get(c, "options");
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	opts.measure = opt(o, "measure");
	opts.method = opt(o, "method");
	opts.to = opt(o, "to");
	opts.by = "none";
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, get(c, "input")->valuestring);
	cJSON *res = r ? sm_results_build(ctx, r, &opts) : NULL;
	if (!res) {
		print_error("%s: %s\n", get(c, "name")->valuestring, sm_ctx_error(ctx)->msg);
		fail();
	}
	sm_review_free(r);
	sm_ctx_free(ctx);
	return res;
}

static const cJSON *analysis_named(const cJSON *res, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, get(res, "analyses"))
		if (!strcmp(get(a, "name")->valuestring, name))
			return a;
	print_error("no analysis %s\n", name);
	fail();
	return NULL;
}

/* The R row of the same table not used yet; -1 when none. */
static int match_row(const cJSON *rows, const cJSON *s, int *used, const char *const *keys,
		     int nkeys)
{
	int n = cJSON_GetArraySize(get(rows, keys[0]));
	for (int i = 0; i < n; i++) {
		int hit = !used[i];
		for (int k = 0; k < nkeys && hit; k++)
			hit = at(get(rows, keys[k]), i) == num(s, keys[k]);
		if (hit) {
			used[i] = 1;
			return i;
		}
	}
	return -1;
}

static const char *const TABLE[] = { "ai", "n1i", "ci", "n2i" };

/* Mantel-Haenszel or Peto: every row's weight, the rows outside "studies"
 * flagged as pooled, the pooled tables counted. */
static void check_tables(const cJSON *c, const cJSON *a, const char *where)
{
	const cJSON *rows = get(c, "rows"), *w = get(c, "weights");
	int n = cJSON_GetArraySize(w), seen = 0;
	int *used = calloc((size_t)n, sizeof *used);
	const char *lists[] = { "studies", "excluded" };
	for (int l = 0; l < 2; l++) {
		const cJSON *s;
		cJSON_ArrayForEach(s, get(a, lists[l])) {
			int i = match_row(rows, s, used, TABLE, 4);
			assert_true(i >= 0);
			same(num(s, "weight"), at(w, i), where, "weight");
			if (l == 1)
				assert_true(cJSON_IsTrue(get(s, "pooled_table")));
			else
				assert_null(get(s, "pooled_table"));
			seen++;
		}
	}
	assert_int_equal(seen, n);
	free(used);
	const char *method = opt(get(c, "options"), "method");
	const cJSON *block = get(a, !strcmp(method, "PETO") ? "peto" : "mh");
	assert_int_equal((int)num(block, "k"), (int)num(c, "k"));
	same(num(a, "estimate"), num(c, "estimate"), where, "estimate");
	const cJSON *tot = get(a, "totals"), *want = get(c, "totals");
	static const char *const keys[] = { "events_t", "n_t", "events_c", "n_c" };
	for (int i = 0; i < 4; i++)
		same(num(tot, keys[i]), num(want, keys[i]), where, keys[i]);
}

/* Random effects and the common-effect fit beside it. */
static void check_iv(const cJSON *c, const cJSON *a, const char *where)
{
	const cJSON *rows = get(c, "rows"), *w = get(c, "weights"), *fw = get(c, "fe_weights");
	int n = cJSON_GetArraySize(w);
	int *used = calloc((size_t)n, sizeof *used);
	const cJSON *fits = get(a, "fits"), *fe = NULL, *f;
	cJSON_ArrayForEach(f, fits)
		if (!strcmp(get(f, "method")->valuestring, "FE"))
			fe = f;
	assert_non_null(fe);
	const cJSON *few = get(fe, "weights");
	assert_int_equal(cJSON_GetArraySize(few), cJSON_GetArraySize(get(a, "studies")));
	int j = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, get(a, "studies")) {
		int i = match_row(rows, s, used, TABLE, 4);
		assert_true(i >= 0);
		same(num(s, "weight"), at(w, i), where, "random-effects weight");
		same(at(few, j), at(fw, i), where, "common-effect weight");
		j++;
	}
	assert_int_equal(j, n);
	assert_int_equal((int)num(a, "k"), (int)num(c, "k"));
	same(num(a, "estimate"), num(c, "estimate"), where, "estimate");
	free(used);
}

static void check_prop(const cJSON *c, const cJSON *a, const char *where)
{
	const char *const keys[] = { "xi", "ni" };
	int n = cJSON_GetArraySize(get(c, "xi")), seen = 0;
	int *used = calloc((size_t)n, sizeof *used);
	const cJSON *s;
	cJSON_ArrayForEach(s, get(a, "studies")) {
		int i = match_row(c, s, used, keys, 2);
		assert_true(i >= 0);
		same(num(s, "proportion"), at(get(c, "proportion"), i), where, "proportion");
		const cJSON *ci = get(s, "exact_ci");
		same(at(ci, 0), at(get(c, "exact_lb"), i), where, "exact lower");
		same(at(ci, 1), at(get(c, "exact_ub"), i), where, "exact upper");
		seen++;
	}
	assert_int_equal(seen, n);
	free(used);
	const cJSON *cr = get(a, "crude"), *want = get(c, "crude");
	same(num(cr, "events"), num(want, "events"), where, "crude events");
	same(num(cr, "patients"), num(want, "patients"), where, "crude patients");
	same(num(cr, "proportion"), num(want, "proportion"), where, "crude proportion");
	same(at(get(cr, "exact_ci"), 0), num(want, "exact_lb"), where, "crude lower");
	same(at(get(cr, "exact_ci"), 1), num(want, "exact_ub"), where, "crude upper");
	const cJSON *z = get(c, "zero_events"), *ours = get(a, "zero_events");
	if (!z) {
		assert_true(ours == NULL || cJSON_IsNull(ours));
		return;
	}
	assert_true(cJSON_IsObject(ours));
	same(num(ours, "n_total"), num(z, "n_total"), where, "zero events n");
	same(num(ours, "upper_exact"), num(z, "upper_exact"), where, "one-sided bound");
	same(num(ours, "upper_rule_of_three"), num(z, "upper_rule_of_three"), where,
	     "rule of three");
}

static cJSON *load_ref(void)
{
	char *path = sm_test_path(REF);
	char *text = sm_test_slurp(path);
	assert_non_null(text);
	cJSON *ref = cJSON_Parse(text);
	assert_non_null(ref);
	free(text);
	free(path);
	return ref;
}

static void test_against_metafor(void **state)
{
	(void)state;
	cJSON *ref = load_ref();
	const cJSON *c;
	int ncases = 0;
	cJSON_ArrayForEach(c, get(ref, "cases")) {
		const char *name = get(c, "name")->valuestring;
		cJSON *res = run(c);
		const cJSON *a = analysis_named(res, get(c, "analysis")->valuestring);
		if (get(c, "fe_weights"))
			check_iv(c, a, name);
		else if (get(c, "rows"))
			check_tables(c, a, name);
		else
			check_prop(c, a, name);
		cJSON_Delete(res);
		ncases++;
	}
	assert_int_equal(ncases, (int)num(get(ref, "meta"), "cases"));
	print_message("forest weights: %d cases, %ld values compared with metafor, largest "
		      "relative difference %.3g (tolerance %g)\n", ncases, compared, max_rel, REL);
	assert_true(compared > 400);
	cJSON_Delete(ref);
}

/* By hand: one table of each kind, a double-zero table weighs 0, and no
 * weight at all leaves every weight undefined. */
static void test_by_hand(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	/* ai/n1i, ci/n2i: 2/10 vs 4/10 and 0/5 vs 0/5 */
	const double ai[] = { 2, 0 }, n1i[] = { 10, 5 }, ci[] = { 4, 0 }, n2i[] = { 10, 5 };
	double w[2];
	assert_int_equal(sm_weights_2x2(ctx, SM_MH_OR, ai, n1i, ci, n2i, 2, w), SM_OK);
	sm_check_close(w[0], 100, 1e-15, 0, "OR: the only weighted table");
	sm_check_close(w[1], 0, 0, 0, "OR: double zero");
	/* RD: n1i n2i / Ni = 5 and 2.5 */
	assert_int_equal(sm_weights_2x2(ctx, SM_MH_RD, ai, n1i, ci, n2i, 2, w), SM_OK);
	sm_check_close(w[0], 100 * 5 / 7.5, 1e-15, 0, "RD");
	sm_check_close(w[1], 100 * 2.5 / 7.5, 1e-15, 0, "RD double zero");
	/* Peto: xt yt n1 n2 / (N^2 (N - 1)) = 6 * 14 * 100 / (400 * 19) */
	assert_int_equal(sm_weights_2x2(ctx, SM_MH_PETO, ai, n1i, ci, n2i, 2, w), SM_OK);
	sm_check_close(w[0], 100, 1e-15, 0, "Peto");
	sm_check_close(w[1], 0, 0, 0, "Peto double zero");
	/* RR: ci n1i / Ni, no control events anywhere: no estimate */
	const double c0[] = { 0, 0 };
	assert_int_equal(sm_weights_2x2(ctx, SM_MH_RR, ai, n1i, c0, n2i, 2, w), SM_OK);
	assert_true(isnan(w[0]) && isnan(w[1]));
	/* bad counts are refused */
	const double bad[] = { 12, 0 };
	assert_int_equal(sm_weights_2x2(ctx, SM_MH_OR, bad, n1i, ci, n2i, 2, w), SM_EINPUT);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_against_metafor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
