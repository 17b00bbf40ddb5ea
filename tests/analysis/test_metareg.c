/* The rank decision on a design, predictions of a fitted model and R^2:
 * hand-checked cases (the fits themselves are compared with metafor in
 * tests/golden/test_subgroups_metareg.c). */
#include "sm_test.h"

#include "sm_metareg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K 6

/* Columns: intercept, x, and a third column set per test. */
static void design(double *x, const double *third)
{
	static const double xs[K] = { 1, 2, 4, 7, 11, 16 };
	for (size_t i = 0; i < K; i++) {
		x[i] = 1;
		x[K + i] = xs[i];
		x[2 * K + i] = third ? third[i] : 0;
	}
}

static void full_rank_and_collinear(void **state)
{
	(void)state;
	double x[3 * K], work[3 * K];
	double sq[K];
	for (size_t i = 0; i < K; i++)
		sq[i] = (double)(i * i) - 3;
	design(x, sq);
	assert_int_equal(sm_design_redundant(x, K, 3, SM_RANK_TOL, work), 3);
	/* 3 + 2x is a combination of the first two columns */
	double comb[K];
	for (size_t i = 0; i < K; i++)
		comb[i] = 3 + 2 * x[K + i];
	design(x, comb);
	assert_int_equal(sm_design_redundant(x, K, 3, SM_RANK_TOL, work), 2);
	/* a constant column is collinear with the intercept */
	double c[K] = { 5, 5, 5, 5, 5, 5 };
	design(x, c);
	assert_int_equal(sm_design_redundant(x, K, 3, SM_RANK_TOL, work), 2);
	/* a zero column is redundant too */
	design(x, NULL);
	assert_int_equal(sm_design_redundant(x, K, 3, SM_RANK_TOL, work), 2);
}

/* The decision is relative to each column's own norm: rescaling a column
 * by 1e-12 or 1e12 changes nothing, and a combination disturbed by less
 * than the tolerance is still a combination. */
static void rank_is_scale_free(void **state)
{
	(void)state;
	double x[3 * K], work[3 * K], sq[K];
	for (double scale = 1e-12; scale <= 1e12; scale *= 1e6) {
		for (size_t i = 0; i < K; i++)
			sq[i] = scale * ((double)(i * i) - 3);
		design(x, sq);
		assert_int_equal(sm_design_redundant(x, K, 3, SM_RANK_TOL, work), 3);
		for (size_t i = 0; i < K; i++)
			sq[i] = scale * (3 + 2 * x[K + i] + (i % 2 ? 1e-9 : -1e-9));
		design(x, sq);
		assert_int_equal(sm_design_redundant(x, K, 3, SM_RANK_TOL, work), 2);
		/* a disturbance well above the tolerance keeps the column */
		for (size_t i = 0; i < K; i++)
			sq[i] = scale * (3 + 2 * x[K + i] + (i % 2 ? 1e-3 : -1e-3));
		design(x, sq);
		assert_int_equal(sm_design_redundant(x, K, 3, SM_RANK_TOL, work), 3);
	}
}

/* pred = x'b, se = sqrt(x' vb x), CI and PI with z (and t for knha). */
static void predictions(void **state)
{
	(void)state;
	double b[2] = { 0.5, -0.25 };
	double vb[4] = { 0.04, -0.01, -0.01, 0.09 };
	struct sm_rma_mods m;
	memset(&m, 0, sizeof m);
	m.p = 2;
	m.k = 10;
	m.b = b;
	m.vb = vb;
	m.tau2 = 0.3;
	m.test = SM_TEST_Z;
	m.df = NAN;
	double xnew[2] = { 1, 2 };
	struct sm_metareg_pred pr;
	sm_metareg_predict(&m, xnew, 95, &pr);
	/* x' vb x = 0.04 - 2 * 0.02 + 4 * 0.09 = 0.36 */
	sm_check_close(pr.pred, 0.0, 0, 1e-15, "pred");
	sm_check_close(pr.se, 0.6, 1e-15, 0, "se");
	double z = 1.959963984540054;
	sm_check_close(pr.ci_lb, -z * 0.6, 1e-14, 0, "ci_lb");
	sm_check_close(pr.pi_ub, z * sqrt(0.36 + 0.3), 1e-14, 0, "pi_ub");
	m.test = SM_TEST_KNHA;
	m.df = 8;
	sm_metareg_predict(&m, xnew, 95, &pr);
	double t8 = 2.306004135204166; /* qt(0.975, 8) */
	sm_check_close(pr.ci_ub, t8 * 0.6, 1e-12, 0, "knha ci_ub");
}

/* R^2: 0 when every yi is equal (FE), as metafor; for random effects the
 * share of tau2 the moderators explain, never below 0. */
static void r_squared(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	double yi[4] = { 0.2, 0.2, 0.2, 0.2 }, vi[4] = { 0.1, 0.2, 0.3, 0.4 };
	struct sm_rma_mods m;
	memset(&m, 0, sizeof m);
	m.QE = 0;
	m.QE_df = 2;
	struct sm_rma_opts fe = sm_rma_tight(SM_FE, SM_TEST_Z);
	double R2 = -1;
	assert_int_equal(sm_metareg_R2(ctx, yi, vi, 4, &fe, &m, &R2), SM_OK);
	sm_check_close(R2, 0, 0, 0, "R2 of equal yi");
	double y2[4] = { 0.1, 0.9, -0.7, 1.5 };
	struct sm_rma_opts dl = sm_rma_tight(SM_DL, SM_TEST_Z);
	struct sm_rma_fit f0;
	assert_int_equal(sm_rma_fit(ctx, y2, vi, 4, &dl, &f0), SM_OK);
	m.tau2 = f0.tau2 / 4;
	assert_int_equal(sm_metareg_R2(ctx, y2, vi, 4, &dl, &m, &R2), SM_OK);
	sm_check_close(R2, 75, 1e-12, 0, "R2 = 100 (t0 - t) / t0");
	m.tau2 = 2 * f0.tau2;
	assert_int_equal(sm_metareg_R2(ctx, y2, vi, 4, &dl, &m, &R2), SM_OK);
	sm_check_close(R2, 0, 0, 0, "R2 at least 0");
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_rank_and_collinear),
		cmocka_unit_test(rank_is_scale_free),
		cmocka_unit_test(predictions),
		cmocka_unit_test(r_squared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
