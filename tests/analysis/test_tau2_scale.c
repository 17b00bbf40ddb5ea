/*
 * Fisher scoring and the root searches at every scale: multiplying yi by c
 * and vi by c^2 multiplies tau2 by c^2 exactly in theory, so a full-precision
 * estimator must give tau2(c) / c^2 = tau2(1) to rounding for any c (an
 * absolute stopping rule cannot: above tau2 = 8192 its 1e-12 is below the
 * spacing of doubles and scoring alternated between two neighbours until
 * "did not converge").  A maximum at tau2 = 0 must be found as exactly 0.
 * The leave-one-out fast path (sm_ifit) must agree with exact refits there.
 */
#include "sm_test.h"

#include "sm_confint.h"
#include "sm_influence.h"
#include "sm_rma.h"
#include "sm_trimfill.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-11

static const double Y[] = {120.5, -80.1, 10.3, 200.9, -150.2, 35.7, 60.2, -12.8};
static const double V[] = {1.2, 2.5, 0.7, 3.1, 1.9, 0.4, 2.2, 0.9};
#define K 8

static const enum sm_method ITER[] = {SM_ML, SM_REML, SM_EB, SM_PM};

static void fit_scaled(const double *y, const double *v, size_t k, double c,
		       enum sm_method m, double stepadj, struct sm_rma_fit *f)
{
	double ys[32], vs[32];
	for (size_t i = 0; i < k; i++) {
		ys[i] = y[i] * c;
		vs[i] = v[i] * c * c;
	}
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_tight(m, SM_TEST_Z);
	o.ctl.stepadj = stepadj;
	sm_status st = sm_rma_fit(ctx, ys, vs, k, &o, f);
	if (st)
		print_error("%s at scale %g: %s\n", sm_method_name(m), c, sm_ctx_error(ctx)->msg);
	assert_int_equal(st, SM_OK);
	sm_ctx_free(ctx);
}

/* tau2 of these data is ~1.3e4 at c = 1 and 1.3e12 at c = 1e4. */
static void test_tau2_scales_with_the_data(void **state)
{
	(void)state;
	static const double scales[] = {1e-3, 1, 10, 1e2, 1e4};
	static const double stepadj[] = {1, 0.5};
	for (size_t a = 0; a < 2; a++) {
		for (size_t m = 0; m < sizeof ITER / sizeof ITER[0]; m++) {
			struct sm_rma_fit ref;
			fit_scaled(Y, V, K, 1, ITER[m], stepadj[a], &ref);
			assert_true(ref.tau2 > 8192);
			for (size_t s = 0; s < sizeof scales / sizeof scales[0]; s++) {
				double c = scales[s];
				struct sm_rma_fit f;
				fit_scaled(Y, V, K, c, ITER[m], stepadj[a], &f);
				sm_check_close(f.tau2 / (c * c), ref.tau2, REL, 0,
					       "%s stepadj %g scale %g tau2",
					       sm_method_name(ITER[m]), stepadj[a], c);
				sm_check_close(f.b / c, ref.b, REL, 0, "%s scale %g b",
					       sm_method_name(ITER[m]), c);
				sm_check_close(f.I2, ref.I2, REL, 0, "%s scale %g I2",
					       sm_method_name(ITER[m]), c);
			}
		}
	}
}

/* Q below k - 1: every estimator's maximum is at the boundary, while the HE
 * start is 0.31 (metafor with threshold 1e-14 stops at 8e-15 (ML), 6e-15
 * (REML), 3e-15 (EB) by halving its steps towards 0). */
static const double Y0[] = {0.01, -0.01, 0.005, 1.3, -1.2, 1.1};
static const double V0[] = {0.01, 0.012, 0.011, 1, 1.1, 0.9};

static void test_boundary_is_exactly_zero(void **state)
{
	(void)state;
	static const double scales[] = {1e-4, 1, 1e4};
	for (size_t m = 0; m < sizeof ITER / sizeof ITER[0]; m++) {
		for (size_t s = 0; s < sizeof scales / sizeof scales[0]; s++) {
			struct sm_rma_fit f;
			fit_scaled(Y0, V0, 6, scales[s], ITER[m], 1, &f);
			if (f.tau2 != 0 || f.I2 != 0)
				print_error("%s scale %g: tau2 %.17g I2 %.17g\n",
					    sm_method_name(ITER[m]), scales[s], f.tau2, f.I2);
			assert_true(f.tau2 == 0);
			assert_true(f.I2 == 0);
			assert_true(f.H2 == 1);
		}
	}
}

/* At the estimate the score of ML and REML vanishes to rounding. */
static void test_score_vanishes_at_large_tau2(void **state)
{
	(void)state;
	struct sm_rma_fit f;
	fit_scaled(Y, V, K, 100, SM_ML, 1, &f);
	double a = 0, sw = 0;
	for (int i = 0; i < K; i++) {
		double w = 1 / (V[i] * 1e4 + f.tau2), r = Y[i] * 100 - f.b;
		a += w * w * r * r;
		sw += w;
	}
	sm_check_close(a, sw, 1e-12, 0, "ML score at tau2 = %g", f.tau2);
}

/* k = 20 at tau2 ~ 1e8: the deletions go through sm_ifit's scoring (the
 * fast path) and must be what exact refits give, with no refit failing. */
static void test_loo_fast_path_at_large_tau2(void **state)
{
	(void)state;
	double y[20], v[20];
	for (int i = 0; i < 20; i++) {
		y[i] = 1e4 * sin(1.7 * i + 0.3);
		v[i] = 50 + 30 * cos(0.9 * i);
	}
	for (size_t m = 0; m < sizeof ITER / sizeof ITER[0]; m++) {
		struct sm_ctx *ctx = sm_ctx_new();
		struct sm_rma_opts o = sm_rma_tight(ITER[m], SM_TEST_Z);
		struct sm_rma_fit full;
		assert_int_equal(sm_rma_fit(ctx, y, v, 20, &o, &full), SM_OK);
		assert_true(full.tau2 > 1e7);
		struct sm_influence fast, exact;
		assert_int_equal(sm_influence_path(ctx, y, v, 20, &o, &full, SM_LOO_AUTO, &fast),
				 SM_OK);
		assert_int_equal(sm_influence_path(ctx, y, v, 20, &o, &full, SM_LOO_EXACT, &exact),
				 SM_OK);
		assert_int_equal(sm_ctx_warning_count(ctx), 0);
		for (int i = 0; i < 20; i++) {
			sm_check_close(fast.loo[i].tau2, exact.loo[i].tau2, 1e-10, 0,
				       "%s deletion %d tau2", sm_method_name(ITER[m]), i + 1);
			sm_check_close(fast.loo[i].estimate, exact.loo[i].estimate, 1e-10, 1e-9,
				       "%s deletion %d estimate", sm_method_name(ITER[m]), i + 1);
			sm_check_close(fast.dffits[i], exact.dffits[i], 1e-9, 1e-12,
				       "%s deletion %d dffits", sm_method_name(ITER[m]), i + 1);
		}
		struct sm_loo_row cf[20], ce[20];
		assert_int_equal(sm_cumul_path(ctx, y, v, 20, &o, SM_LOO_AUTO, cf, NULL), SM_OK);
		assert_int_equal(sm_cumul_path(ctx, y, v, 20, &o, SM_LOO_EXACT, ce, NULL), SM_OK);
		for (int i = 0; i < 20; i++)
			sm_check_close(cf[i].tau2, ce[i].tau2, 1e-10, 1e-12,
				       "%s cumulative %d tau2", sm_method_name(ITER[m]), i + 1);
		assert_int_equal(sm_ctx_warning_count(ctx), 0);
		sm_influence_release(&fast);
		sm_influence_release(&exact);
		sm_ctx_free(ctx);
	}
}

/* The Q-profile interval and trim-and-fill refits at tau2 ~ 1e12. */
static void test_confint_and_trimfill_scale(void **state)
{
	(void)state;
	struct sm_confint c1, c2;
	struct sm_rma_fit f1, f2;
	fit_scaled(Y, V, K, 1, SM_REML, 1, &f1);
	fit_scaled(Y, V, K, 1e4, SM_REML, 1, &f2);
	double y2[K], v2[K];
	for (int i = 0; i < K; i++) {
		y2[i] = Y[i] * 1e4;
		v2[i] = V[i] * 1e8;
	}
	struct sm_ctx *ctx = sm_ctx_new();
	assert_int_equal(sm_confint_tau2(ctx, Y, V, K, &f1, 95, 0, &c1), SM_OK);
	assert_int_equal(sm_confint_tau2(ctx, y2, v2, K, &f2, 95, 0, &c2), SM_OK);
	sm_check_close(c2.tau2.ci_lb / 1e8, c1.tau2.ci_lb, REL, 0, "tau2 ci lb");
	sm_check_close(c2.tau2.ci_ub / 1e8, c1.tau2.ci_ub, REL, 0, "tau2 ci ub");
	struct sm_rma_opts o = sm_rma_tight(SM_REML, SM_TEST_Z);
	struct sm_trimfill t1, t2;
	assert_int_equal(sm_trimfill(ctx, Y, V, K, &o, &f1, &t1), SM_OK);
	assert_int_equal(sm_trimfill(ctx, y2, v2, K, &o, &f2, &t2), SM_OK);
	assert_int_equal(t1.k0, t2.k0);
	sm_check_close(t2.fit.b / 1e4, t1.fit.b, REL, 0, "trimfill estimate");
	sm_check_close(t2.fit.tau2 / 1e8, t1.fit.tau2, REL, 0, "trimfill tau2");
	sm_trimfill_release(&t1);
	sm_trimfill_release(&t2);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tau2_scales_with_the_data),
		cmocka_unit_test(test_boundary_is_exactly_zero),
		cmocka_unit_test(test_score_vanishes_at_large_tau2),
		cmocka_unit_test(test_loo_fast_path_at_large_tau2),
		cmocka_unit_test(test_confint_and_trimfill_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
