/*
 * Where metafor refuses, safemeta refuses with a reason (never a number
 * that depends on rounding), and what it does compute stays: Egger's test
 * and trim-and-fill on a rank-1 design, trim-and-fill whose k0 cycles,
 * influence diagnostics of a fit with var(b) = 0, failed deletion refits
 * (hat kept, flags three-valued), Begg's ties as cor.test groups them.
 * The cases are hand-made; the metafor behaviour each mirrors is stated.
 */
#include "sm_test.h"

#include "sm_influence.h"
#include "sm_ranktest.h"
#include "sm_regtest.h"
#include "sm_rma.h"
#include "sm_trimfill.h"

#include <math.h>
#include <string.h>

static void expect_refusal(struct sm_ctx *ctx, sm_status st, const char *words)
{
	assert_int_equal(st, SM_EINPUT);
	const char *msg = sm_ctx_error(ctx)->msg;
	if (!strstr(msg, words))
		print_error("message \"%s\" lacks \"%s\"\n", msg, words);
	assert_non_null(strstr(msg, words));
	sm_ctx_clear_error(ctx);
}

/* metafor: regtest() stops with "Model matrix no longer of full rank"
 * (lm drops sqrt(vi)); trimfill()'s side model has an NA slope. */
static void test_egger_rank_one(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	static const double y[] = {0.1, 0.5, -0.2, 0.9, 0.3};
	double v[5];
	struct sm_regtest r;
	struct sm_rma_fit full;
	struct sm_trimfill t;
	static const enum sm_method ms[] = {SM_FE, SM_DL, SM_REML};
	/* all equal, and equal up to 1e-9 relative (rounding must not decide) */
	static const double spread[] = {0, 1e-9, 3e-8};
	for (size_t s = 0; s < 3; s++) {
		for (int i = 0; i < 5; i++)
			v[i] = 0.04 * (1 + spread[s] * (i - 2));
		for (size_t m = 0; m < 3; m++) {
			struct sm_rma_opts o = sm_rma_tight(ms[m], SM_TEST_Z);
			expect_refusal(ctx, sm_regtest(ctx, y, v, 5, &o, &r), "rank 1");
			assert_int_equal(sm_rma_fit(ctx, y, v, 5, &o, &full), SM_OK);
			expect_refusal(ctx, sm_trimfill(ctx, y, v, 5, &o, &full, &t), "rank 1");
		}
		expect_refusal(ctx, sm_regtest_lm(ctx, y, v, 5, 95, &r), "rank 1");
	}
	/* k = 2 with equal sei, common effect (metafor refuses the same way) */
	struct sm_rma_opts fe = sm_rma_tight(SM_FE, SM_TEST_Z);
	expect_refusal(ctx, sm_regtest(ctx, y, v, 2, &fe, &r), "rank 1");
	/* a spread of 1e-6 is a full-rank design for R's QR and for metafor's
	 * eigenvalue check (X'X's smallest eigenvalue ~ 1e-15 * k here: no) */
	for (int i = 0; i < 5; i++)
		v[i] = 0.04 * (1 + 1e-6 * (i - 2));
	expect_refusal(ctx, sm_regtest(ctx, y, v, 5, &fe, &r), "numerically singular");
	for (int i = 0; i < 5; i++)
		v[i] = 0.04 * (1 + 0.1 * (i - 2));
	assert_int_equal(sm_regtest(ctx, y, v, 5, &fe, &r), SM_OK);
	assert_true(isfinite(r.pval) && r.pval > 0 && r.pval < 1);
	sm_ctx_free(ctx);
}

/* DL trim-and-fill of these data: k0 runs 0, 1, 0, 1, ... (metafor: "Trim
 * and fill algorithm did not converge."). */
static void test_trimfill_cycle(void **state)
{
	(void)state;
	static const double y[] = {1.32592, 16.9631, 0.557121, 0.555786, 1.43447, 0.905849,
				   1.25572, 0.66592};
	static const double v[] = {0.0567173, 30.8899, 0.36101, 0.0928842, 1.78524, 0.226397,
				   0.144465, 0.630781};
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_tight(SM_DL, SM_TEST_Z);
	struct sm_rma_fit full;
	struct sm_trimfill t;
	assert_int_equal(sm_rma_fit(ctx, y, v, 8, &o, &full), SM_OK);
	expect_refusal(ctx, sm_trimfill(ctx, y, v, 8, &o, &full, &t), "cycles through 0, 1");
	expect_refusal(ctx, sm_trimfill_path(ctx, y, v, 8, &o, &full, SM_TRIMFILL_EXACT, &t),
		       "did not converge");
	/* REML converges on the same data (k0 = 0) */
	o = sm_rma_tight(SM_REML, SM_TEST_Z);
	assert_int_equal(sm_rma_fit(ctx, y, v, 8, &o, &full), SM_OK);
	assert_int_equal(sm_trimfill(ctx, y, v, 8, &o, &full, &t), SM_OK);
	assert_int_equal(t.k0, 0);
	sm_trimfill_release(&t);
	sm_ctx_free(ctx);
}

/* All yi equal, knha: s2w = 0, var(b) = 0.  metafor's influence() stops
 * (chol of vb fails); leave1out() gives its rows. */
static void test_influence_undefined(void **state)
{
	(void)state;
	static const double y[] = {0.25, 0.25, 0.25, 0.25, 0.25};
	static const double v[] = {0.1, 0.2, 0.05, 0.3, 0.15};
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_tight(SM_DL, SM_TEST_KNHA);
	struct sm_rma_fit full;
	assert_int_equal(sm_rma_fit(ctx, y, v, 5, &o, &full), SM_OK);
	assert_true(full.se == 0);
	assert_true(isinf(full.stat) && full.stat > 0);
	assert_true(full.pval == 0);
	struct sm_influence inf;
	assert_int_equal(sm_influence(ctx, y, v, 5, &o, &full, &inf), SM_OK);
	assert_true(inf.undefined);
	for (int i = 0; i < 5; i++) {
		assert_true(isnan(inf.rstudent[i]) && isnan(inf.dffits[i]) && isnan(inf.hat[i]));
		assert_int_equal(inf.inf[i], SM_FLAG_NA);
		sm_check_close(inf.loo[i].estimate, 0.25, 1e-15, 0, "loo %d estimate", i + 1);
	}
	sm_influence_release(&inf);
	/* the z test has var(b) > 0: everything is defined */
	o = sm_rma_tight(SM_DL, SM_TEST_Z);
	assert_int_equal(sm_rma_fit(ctx, y, v, 5, &o, &full), SM_OK);
	assert_int_equal(sm_influence(ctx, y, v, 5, &o, &full, &inf), SM_OK);
	assert_false(inf.undefined);
	for (int i = 0; i < 5; i++) {
		/* metafor: a residual below 100 eps is 0, so rstudent is 0 */
		assert_true(inf.rstudent[i] == 0);
		assert_int_not_equal(inf.inf[i], SM_FLAG_NA);
	}
	sm_influence_release(&inf);
	sm_ctx_free(ctx);
}

/* Every yi equal: Egger's slope is exactly 0 whatever the common value
 * (a direct fit leaves rounding noise, which knha's standard error of 0
 * turns into an infinite statistic of random sign); the intercept is it. */
static void test_egger_constant_yi(void **state)
{
	(void)state;
	static const double v[] = {0.1, 0.2, 0.05, 0.3, 0.15};
	static const double c[] = {0.25, 1.0 / 3, -7.1, 1e5 + 0.1, 0};
	struct sm_ctx *ctx = sm_ctx_new();
	for (size_t j = 0; j < sizeof c / sizeof c[0]; j++) {
		double y[5] = {c[j], c[j], c[j], c[j], c[j]};
		struct sm_regtest r;
		struct sm_rma_opts o = sm_rma_tight(SM_REML, SM_TEST_KNHA);
		assert_int_equal(sm_regtest(ctx, y, v, 5, &o, &r), SM_OK);
		assert_true(r.b[1] == 0 && r.se[1] == 0);
		assert_true(isnan(r.stat) && isnan(r.pval));
		assert_true(r.est == c[j]);
		o = sm_rma_tight(SM_REML, SM_TEST_Z);
		assert_int_equal(sm_regtest(ctx, y, v, 5, &o, &r), SM_OK);
		assert_true(r.b[1] == 0 && r.stat == 0 && r.pval == 1);
	}
	sm_ctx_free(ctx);
}

/* Every yi equal: trim-and-fill has k0 = 0 and returns the fit itself
 * (metafor iterates on the rounding noise of yi - b and may not converge). */
static void test_trimfill_constant_yi(void **state)
{
	(void)state;
	static const double v[] = {0.1, 0.2, 0.05, 0.3, 0.15, 0.07, 0.4};
	static const double c[] = {0.25, 1.0 / 3, -7.1, 1e5 + 0.1, 0.1 + 0.2};
	static const enum sm_method ms[] = {SM_FE, SM_DL, SM_REML, SM_PM};
	struct sm_ctx *ctx = sm_ctx_new();
	for (size_t j = 0; j < sizeof c / sizeof c[0]; j++) {
		double y[7];
		for (int i = 0; i < 7; i++)
			y[i] = c[j];
		for (size_t m = 0; m < sizeof ms / sizeof ms[0]; m++) {
			struct sm_rma_opts o = sm_rma_tight(ms[m], SM_TEST_Z);
			struct sm_rma_fit full;
			struct sm_trimfill t;
			assert_int_equal(sm_rma_fit(ctx, y, v, 7, &o, &full), SM_OK);
			sm_status st = sm_trimfill(ctx, y, v, 7, &o, &full, &t);
			if (st)
				print_error("c = %g %s: %s\n", c[j], sm_method_name(ms[m]),
					    sm_ctx_error(ctx)->msg);
			assert_int_equal(st, SM_OK);
			assert_int_equal(t.k0, 0);
			assert_int_equal(t.k, 7);
			assert_true(t.fit.b == full.b);
			sm_trimfill_release(&t);
		}
	}
	sm_ctx_free(ctx);
}

/* PM: without study 4, 5 or 6 the median absolute deviation is 0, tau2.max
 * is 100 and Q(100) > k - 2: the refit fails (metafor: NA rows).  hat and
 * weight come from the full fit and stay (metafor keeps them); the flag is
 * TRUE only where hat > 3/k would make it so, else NA. */
static void test_failed_refit_keeps_hat(void **state)
{
	(void)state;
	static const double y[] = {0, 0.1, -0.1, 1000, 2000, 3000};
	static const double v[] = {1, 1, 1, 1, 1, 1};
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_tight(SM_PM, SM_TEST_Z);
	struct sm_rma_fit full;
	assert_int_equal(sm_rma_fit(ctx, y, v, 6, &o, &full), SM_OK);
	struct sm_influence inf;
	assert_int_equal(sm_influence(ctx, y, v, 6, &o, &full, &inf), SM_OK);
	assert_int_equal(sm_ctx_warning_count(ctx), 3);
	assert_non_null(strstr(sm_ctx_warning(ctx, 0), "without study 4"));
	for (int i = 0; i < 6; i++) {
		sm_check_close(inf.hat[i], 1.0 / 6, 1e-15, 0, "hat %d", i + 1);
		sm_check_close(inf.weight[i], 100.0 / 6, 1e-13, 0, "weight %d", i + 1);
		int failed = i >= 3;
		assert_int_equal(isnan(inf.loo[i].estimate), failed);
		assert_int_equal(isnan(inf.dffits[i]), failed);
		/* hat = 1/6 is not above 3/6: no criterion holds for certain */
		if (failed)
			assert_int_equal(inf.inf[i], SM_FLAG_NA);
		else
			assert_int_not_equal(inf.inf[i], SM_FLAG_NA);
	}
	sm_influence_release(&inf);
	sm_ctx_free(ctx);
}

/* Two vi that differ in the last bit but print alike (1/3 + 1/37 + 1/5 +
 * 1/35 against 1/5 + 1/35 + 1/3 + 1/37): cor.test's tie table makes one
 * group of 3 of the pairs 2 + 2; metafor's p is 0.27194762399473527. */
static void test_begg_cortest_ties(void **state)
{
	(void)state;
	double y[5], v[5];
	static const double a[] = {3, 5, 3, 5, 4}, c[] = {5, 3, 5, 3, 4};
	for (int i = 0; i < 5; i++) {
		double b = 40 - a[i], d = 40 - c[i];
		y[i] = log(a[i] / b) - log(c[i] / d);
		v[i] = 1 / a[i] + 1 / b + 1 / c[i] + 1 / d;
	}
	assert_true(v[0] != v[1]); /* the premise: distinct doubles */
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_ranktest *r;
	assert_int_equal(sm_ranktest_run(ctx, y, v, 5, &r), SM_OK);
	sm_check_close(r->tau, -0.5, 1e-15, 0, "tau");
	sm_check_close(r->pval, 0.27194762399473527, 1e-12, 0, "p (normal, ties)");
	sm_ranktest_free(r);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_egger_rank_one),
		cmocka_unit_test(test_trimfill_cycle),
		cmocka_unit_test(test_influence_undefined),
		cmocka_unit_test(test_egger_constant_yi),
		cmocka_unit_test(test_trimfill_constant_yi),
		cmocka_unit_test(test_failed_refit_keeps_hat),
		cmocka_unit_test(test_begg_cortest_ties),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
