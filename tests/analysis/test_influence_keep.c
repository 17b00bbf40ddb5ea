/*
 * test_influence_keep.c -- sm_influence_keep(SM_INF_SUMMARY), what an
 * analysis without per-study rows computes, gives the columns it keeps
 * (rstudent, cook_d, inf), the refit count and `undefined` bit for bit as
 * the full result, leaves the others NULL, for the fast path (k >= 16),
 * exact refits (k < 16, SM_LOO_EXACT), several estimators, and a fit of
 * variance 0 (knha with every yi equal).
 */
#include "sm_test.h"

#include "sm_influence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* Returns `undefined` of the full result. */
static int compare(const double *yi, const double *vi, size_t k, enum sm_method m,
		    enum sm_test test, enum sm_loo_path path)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_defaults(m, test);
	struct sm_rma_fit full;
	assert_int_equal(sm_rma_fit(ctx, yi, vi, k, &o, &full), SM_OK);
	struct sm_influence all, sum;
	assert_int_equal(sm_influence_keep(ctx, yi, vi, k, &o, &full, path, SM_INF_ALL, &all),
			 SM_OK);
	assert_int_equal(sm_influence_keep(ctx, yi, vi, k, &o, &full, path, SM_INF_SUMMARY,
					   &sum), SM_OK);
	assert_non_null(all.loo);
	assert_null(sum.loo);
	assert_null(sum.resid);
	assert_null(sum.hat);
	assert_null(sum.dfbs);
	assert_int_equal(sum.k, k);
	assert_int_equal(sum.refits, all.refits);
	assert_int_equal(sum.undefined, all.undefined);
	assert_true(same_bits(sum.rstudent_crit, all.rstudent_crit));
	for (size_t i = 0; i < k; i++) {
		if (!same_bits(sum.rstudent[i], all.rstudent[i]) ||
		    !same_bits(sum.cook_d[i], all.cook_d[i]) || sum.inf[i] != all.inf[i]) {
			print_error("study %zu of %zu, method %d: %.17g %.17g %d against "
				    "%.17g %.17g %d\n", i, k, (int)m, sum.rstudent[i],
				    sum.cook_d[i], sum.inf[i], all.rstudent[i], all.cook_d[i],
				    all.inf[i]);
			fail();
		}
	}
	int undefined = all.undefined;
	sm_influence_release(&all);
	sm_influence_release(&sum);
	sm_ctx_free(ctx);
	return undefined;
}

static void fill(double *yi, double *vi, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		yi[i] = 0.3 * (double)((i * 7919) % 101) / 101 - 0.1;
		vi[i] = 0.01 + 0.2 * (double)((i * 104729) % 89) / 89;
	}
	yi[k / 2] = 2.5; /* an outlier, so that the flags are not all 0 */
}

static void test_summary_matches_full(void **state)
{
	(void)state;
	static const enum sm_method methods[] = { SM_FE, SM_DL, SM_REML, SM_PM, SM_SJ };
	static const size_t ks[] = { 5, 15, 40, 2000 };
	for (size_t j = 0; j < sizeof ks / sizeof *ks; j++) {
		size_t k = ks[j];
		double *yi = malloc(k * sizeof *yi), *vi = malloc(k * sizeof *vi);
		assert_non_null(yi);
		assert_non_null(vi);
		fill(yi, vi, k);
		for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
			compare(yi, vi, k, methods[m], SM_TEST_Z, SM_LOO_AUTO);
			compare(yi, vi, k, methods[m], SM_TEST_KNHA, SM_LOO_AUTO);
			if (k <= 40)
				compare(yi, vi, k, methods[m], SM_TEST_Z, SM_LOO_EXACT);
		}
		free(yi);
		free(vi);
	}
}

static void test_undefined_fit(void **state)
{
	(void)state;
	double yi[20], vi[20];
	for (size_t i = 0; i < 20; i++) {
		yi[i] = 0.4;
		vi[i] = 0.05 + 0.01 * (double)i;
	}
	assert_true(compare(yi, vi, 20, SM_DL, SM_TEST_KNHA, SM_LOO_AUTO));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_matches_full),
		cmocka_unit_test(test_undefined_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
