/* rma/tau2/trimfill invariants and hand-checked cases. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_confint.h"
#include "sm_rma.h"
#include "sm_trimfill.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const double Y[] = {0.1, 0.5, -0.2, 0.9, 0.3, 1.4};
static const double V[] = {0.04, 0.09, 0.05, 0.2, 0.01, 0.3};
#define K 6

static void test_fe_by_hand(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_defaults(SM_FE, SM_TEST_Z);
	struct sm_rma_fit f;
	assert_int_equal(sm_rma_fit(ctx, Y, V, K, &o, &f), SM_OK);
	double sw = 0, swy = 0;
	for (int i = 0; i < K; i++) {
		sw += 1 / V[i];
		swy += Y[i] / V[i];
	}
	double b = swy / sw, q = 0;
	for (int i = 0; i < K; i++)
		q += (Y[i] - b) * (Y[i] - b) / V[i];
	sm_check_close(f.b, b, 1e-14, 0, "FE b");
	sm_check_close(f.se, sqrt(1 / sw), 1e-14, 0, "FE se");
	sm_check_close(f.QE, q, 1e-13, 0, "FE QE");
	assert_true(isnan(f.se_tau2));
	sm_check_close(f.pi_lb, f.ci_lb, 1e-15, 0, "FE PI equals CI");
	sm_ctx_free(ctx);
}

static void test_dl_identities(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_defaults(SM_DL, SM_TEST_Z);
	struct sm_rma_fit f;
	assert_int_equal(sm_rma_fit(ctx, Y, V, K, &o, &f), SM_OK);
	assert_true(f.tau2 > 0);
	/* DL: I2 = (QE - (k-1))/QE when tau2 > 0 */
	sm_check_close(f.I2, 100 * (f.QE - (K - 1)) / f.QE, 1e-12, 0, "DL I2 identity");
	double w[K], s = 0;
	sm_rma_weights(ctx, &f, V, K, w);
	for (int i = 0; i < K; i++)
		s += w[i];
	sm_check_close(s, 100, 1e-13, 0, "weights sum to 100");
	sm_ctx_free(ctx);
}

static void test_iterative_solve_their_equations(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_fit f;
	/* PM: Q(tau2) = k - 1 at the estimate */
	struct sm_rma_opts o = sm_rma_tight(SM_PM, SM_TEST_Z);
	assert_int_equal(sm_rma_fit(ctx, Y, V, K, &o, &f), SM_OK);
	double q = 0;
	for (int i = 0; i < K; i++)
		q += (Y[i] - f.b) * (Y[i] - f.b) / (V[i] + f.tau2);
	sm_check_close(q, K - 1, 1e-10, 0, "PM equation");
	/* ML: score sum w^2 (y-b)^2 = sum w at the estimate */
	o = sm_rma_tight(SM_ML, SM_TEST_Z);
	assert_int_equal(sm_rma_fit(ctx, Y, V, K, &o, &f), SM_OK);
	double a = 0, bsum = 0;
	for (int i = 0; i < K; i++) {
		double w = 1 / (V[i] + f.tau2);
		a += w * w * (Y[i] - f.b) * (Y[i] - f.b);
		bsum += w;
	}
	/* interior optimum: score equation; at the boundary tau2 = 0 the
	 * score must point below zero (these data: ML stops within ~1e-13 of
	 * the boundary) */
	if (f.tau2 > 1e-8)
		sm_check_close(a, bsum, 1e-9, 0, "ML score equation");
	else
		assert_true(a <= bsum);
	/* REML on strongly heterogeneous data has an interior optimum */
	double y2[] = {-1, 2, 0.5, 3, -2, 1};
	o = sm_rma_tight(SM_ML, SM_TEST_Z);
	assert_int_equal(sm_rma_fit(ctx, y2, V, K, &o, &f), SM_OK);
	assert_true(f.tau2 > 0);
	a = bsum = 0;
	for (int i = 0; i < K; i++) {
		double w = 1 / (V[i] + f.tau2);
		a += w * w * (y2[i] - f.b) * (y2[i] - f.b);
		bsum += w;
	}
	sm_check_close(a, bsum, 1e-9, 0, "ML score equation (interior)");
	sm_ctx_free(ctx);
}

static void test_k1_and_k0(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_defaults(SM_REML, SM_TEST_KNHA);
	struct sm_rma_fit f;
	assert_int_equal(sm_rma_fit(ctx, Y, V, 1, &o, &f), SM_OK);
	assert_true(f.tau2 == 0);
	assert_int_equal(f.test, SM_TEST_Z);
	assert_int_equal(sm_rma_fit(ctx, Y, V, 0, &o, &f), SM_EINPUT);
	sm_ctx_free(ctx);
}

static void test_nonconvergence_reported(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_defaults(SM_REML, SM_TEST_Z);
	o.ctl.maxiter = 1;
	o.ctl.threshold = 1e-300;
	struct sm_rma_fit f;
	assert_int_equal(sm_rma_fit(ctx, Y, V, K, &o, &f), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "did not converge"));
	sm_ctx_free(ctx);
}

static void test_trimfill_symmetric_k0_zero(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	/* perfectly symmetric funnel: nothing to fill, the fit is returned */
	double y[] = {-0.4, 0.4, -0.2, 0.2, 0};
	double v[] = {0.1, 0.1, 0.05, 0.05, 0.01};
	struct sm_rma_opts o = sm_rma_defaults(SM_FE, SM_TEST_Z);
	struct sm_rma_fit f;
	sm_rma_fit(ctx, y, v, 5, &o, &f);
	struct sm_trimfill t;
	assert_int_equal(sm_trimfill(ctx, y, v, 5, &o, &f, &t), SM_OK);
	assert_int_equal(t.k0, 0);
	assert_int_equal(t.k, 5);
	sm_check_close(t.fit.b, f.b, 0, 0, "k0 = 0 keeps the fit");
	sm_trimfill_release(&t);
	sm_ctx_free(ctx);
}

static void test_confint_brackets_estimate(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_tight(SM_PM, SM_TEST_Z);
	struct sm_rma_fit f;
	sm_rma_fit(ctx, Y, V, K, &o, &f);
	struct sm_confint c;
	assert_int_equal(sm_confint_tau2(ctx, Y, V, K, &f, 95, 0, &c), SM_OK);
	/* the PM estimate solves Q = k-1, which lies between the quantiles */
	assert_true(c.tau2.ci_lb <= f.tau2 && f.tau2 <= c.tau2.ci_ub);
	sm_ctx_free(ctx);
}

static void test_dl_million_fast(void **state)
{
	(void)state;
	size_t k = 1000000;
	double *y = sm_alloc_array(2 * k, sizeof *y), *v = y + k;
	assert_non_null(y);
	unsigned s = 12345;
	for (size_t i = 0; i < k; i++) {
		s = s * 1103515245u + 12345u;
		y[i] = (double)(s >> 16) / 65536.0 - 0.5;
		v[i] = 0.01 + (double)(i % 100) / 100.0;
	}
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_defaults(SM_DL, SM_TEST_Z);
	struct sm_rma_fit f;
	clock_t t0 = clock();
	assert_int_equal(sm_rma_fit(ctx, y, v, k, &o, &f), SM_OK);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	print_message("DL fit of k = 10^6: %.3f s\n", secs);
	assert_true(secs < 1.0);
	assert_true(isfinite(f.b) && f.tau2 >= 0);
	free(y);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fe_by_hand),
		cmocka_unit_test(test_dl_identities),
		cmocka_unit_test(test_iterative_solve_their_equations),
		cmocka_unit_test(test_k1_and_k0),
		cmocka_unit_test(test_nonconvergence_reported),
		cmocka_unit_test(test_trimfill_symmetric_k0_zero),
		cmocka_unit_test(test_confint_brackets_estimate),
		cmocka_unit_test(test_dl_million_fast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
