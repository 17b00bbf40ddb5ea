/*
 * Begg & Mazumdar rank test against every ranktest object of every golden
 * dataset (yi/vi taken from the golden escalc), plus the cases metafor
 * cannot do: exact p-values for 171 <= k <= SM_KENDALL_EXACT_MAX_N, the
 * normal fallback beyond, and k = 10^6.
 */
#include "sm_test.h"

#include "sm_golden.h"
#include "sm_kendall.h"
#include "sm_ranktest.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REL 1e-10
#define ABS 1e-12

static double *num_array(const cJSON *node, const char *path, size_t *n)
{
	*n = sm_golden_len(node, path);
	double *v = calloc(*n ? *n : 1, sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < *n; i++)
		assert_true(sm_golden_num_at(node, path, i, &v[i]));
	return v;
}

static double num(const cJSON *node, const char *path)
{
	double v;
	if (!sm_golden_num(node, path, &v))
		fail_msg("golden value %s missing", path);
	return v;
}

static int flag(const cJSON *node, const char *path)
{
	const cJSON *b = sm_golden_get(node, path);
	assert_non_null(b);
	return cJSON_IsTrue(b);
}

static void check_one(const char *where, const cJSON *m)
{
	size_t k, k2;
	double *yi = num_array(m, "escalc/yi", &k);
	double *vi = num_array(m, "escalc/vi", &k2);
	assert_int_equal(k, k2);
	const cJSON *g = sm_golden_get(m, "ranktest");
	assert_non_null(g);
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_ranktest *r = NULL;
	sm_status st = sm_ranktest_run(ctx, yi, vi, k, &r);
	if (sm_golden_get(g, "error")) {
		assert_int_not_equal(st, SM_OK);
		goto done;
	}
	assert_int_equal(st, SM_OK);
	sm_check_close(r->tau, num(g, "tau"), REL, ABS, "%s tau", where);
	const char *method = sm_golden_str(g, "pval_method");
	assert_non_null(method);
	assert_string_equal(r->pval_method_name, method);
	double prel = r->pval_method == SM_PVAL_EXACT ? 1e-12 : REL;
	sm_check_close(r->pval, num(g, "pval"), prel, 0, "%s pval", where);
	assert_int_equal(r->ties_yi_star, flag(g, "ties_in_standardized_yi"));
	assert_int_equal(r->ties_vi, flag(g, "ties_in_vi"));
	assert_string_equal(r->statistic_name, sm_golden_str(g, "statistic_name"));
	sm_check_close(r->statistic, num(g, "statistic"), REL, ABS, "%s statistic", where);
	sm_check_close(r->normal_z, num(g, "normal/z"), REL, ABS, "%s normal z", where);
	sm_check_close(r->normal_pval, num(g, "normal/pval"), REL, 0, "%s normal p", where);
	for (size_t i = 0; i < k; i++) {
		double want;
		assert_true(sm_golden_num_at(g, "yi_star", i, &want));
		sm_check_close(r->yi_star[i], want, REL, ABS, "%s yi_star[%zu]", where, i);
	}
done:
	sm_ranktest_free(r);
	sm_ctx_free(ctx);
	free(yi);
	free(vi);
}

static void test_golden(void **state)
{
	(void)state;
	size_t nds, checked = 0;
	char **ds = sm_golden_datasets(&nds);
	for (size_t d = 0; d < nds; d++) {
		struct sm_golden *gd = sm_golden_load(ds[d]);
		assert_non_null(gd);
		const cJSON *an = sm_golden_get(sm_golden_root(gd), "analyses");
		for (int a = 0; a < cJSON_GetArraySize(an); a++) {
			const cJSON *ms = sm_golden_get(cJSON_GetArrayItem(an, a), "measures");
			const cJSON *m;
			cJSON_ArrayForEach(m, ms) {
				if (!sm_golden_get(m, "ranktest"))
					continue;
				char where[160];
				snprintf(where, sizeof where, "%s/%d/%s", ds[d], a, m->string);
				check_one(where, m);
				checked++;
			}
		}
		sm_golden_free(gd);
		free(ds[d]);
	}
	free(ds);
	printf("ranktest: %zu golden results compared\n", checked);
	assert_true(checked >= 48); /* msc-table3: 16 analyses x OR, RR, RD */
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double unif(uint64_t *s)
{
	return ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
}

/* k untied studies where metafor gives NaN (k >= 171): still exact, equal
 * to the distribution evaluated at the concordant count, and close to the
 * normal approximation (the test is two-sided, p in [0, 1]). */
static void check_untied(size_t k, enum sm_pval_method want)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL + k;
	double *yi = malloc(k * sizeof *yi), *vi = malloc(k * sizeof *vi);
	assert_non_null(yi);
	assert_non_null(vi);
	for (size_t i = 0; i < k; i++) {
		vi[i] = 0.01 + unif(&s);
		yi[i] = 0.3 * sqrt(vi[i]) + (unif(&s) - 0.5); /* small-study effect */
	}
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_ranktest *r;
	assert_int_equal(sm_ranktest_run(ctx, yi, vi, k, &r), SM_OK);
	assert_int_equal(r->pval_method, want);
	assert_false(r->ties_yi_star || r->ties_vi);
	assert_true(r->pval >= 0 && r->pval <= 1);
	if (want == SM_PVAL_EXACT) {
		assert_string_equal(r->statistic_name, "T");
		double p;
		assert_int_equal(sm_kendall_exact_pval(ctx, k, (int64_t)r->statistic, &p),
				 SM_OK);
		sm_check_close(r->pval, p, 1e-15, 0, "exact p k=%zu", k);
		double t = (double)k * (k - 1) / 2;
		sm_check_close(r->tau, (2 * r->statistic - t) / t, 1e-12, 0, "tau k=%zu", k);
		assert_true(fabs(r->pval - r->normal_pval) < 0.01);
	} else {
		assert_string_equal(r->statistic_name, "z");
		sm_check_close(r->pval, r->normal_pval, 0, 0, "normal p k=%zu", k);
	}
	sm_ranktest_free(r);
	sm_ctx_free(ctx);
	free(yi);
	free(vi);
}

static void test_beyond_metafor(void **state)
{
	(void)state;
	check_untied(171, SM_PVAL_EXACT);
	check_untied(400, SM_PVAL_EXACT);
	check_untied(SM_KENDALL_EXACT_MAX_N + 1, SM_PVAL_NORMAL);
}

/* k = 10^6 with heavily tied vi (1000 distinct) and no relation between yi
 * and vi: normal (ties), tau near 0, in well under the time limit. */
static void test_million(void **state)
{
	(void)state;
	size_t k = 1000000;
	uint64_t s = 42;
	double *yi = malloc(k * sizeof *yi), *vi = malloc(k * sizeof *vi);
	assert_non_null(yi);
	assert_non_null(vi);
	for (size_t i = 0; i < k; i++) {
		vi[i] = 0.01 * (double)(1 + rng_next(&s) % 1000);
		yi[i] = unif(&s) - 0.5;
	}
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_ranktest *r;
	clock_t t0 = clock();
	assert_int_equal(sm_ranktest_run(ctx, yi, vi, k, &r), SM_OK);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("ranktest k=10^6: %.2f s\n", secs);
	assert_int_equal(r->pval_method, SM_PVAL_NORMAL_TIES);
	assert_true(r->ties_vi);
	assert_true(fabs(r->tau) < 0.01);
	assert_true(secs < 20);
	sm_ranktest_free(r);
	sm_ctx_free(ctx);
	free(yi);
	free(vi);
}

static void test_errors_and_constant(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_ranktest *r = NULL;
	double yi[] = {0.1, 0.2, 0.3}, vi[] = {0.1, 0.2, 0.3}, v0[] = {0.1, 0, 0.3};
	assert_int_equal(sm_ranktest_run(ctx, yi, vi, 1, &r), SM_EINPUT);
	assert_null(r);
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_ranktest_run(ctx, yi, v0, 3, &r), SM_EINPUT);
	sm_ctx_clear_error(ctx);
	/* all vi equal: tau undefined, as cor.test's NA */
	double same[] = {0.2, 0.2, 0.2};
	assert_int_equal(sm_ranktest_run(ctx, yi, same, 3, &r), SM_OK);
	assert_true(isnan(r->tau) && isnan(r->pval) && isnan(r->statistic));
	assert_int_equal(r->pval_method, SM_PVAL_NORMAL_TIES);
	sm_ranktest_free(r);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_beyond_metafor),
		cmocka_unit_test(test_million),
		cmocka_unit_test(test_errors_and_constant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
