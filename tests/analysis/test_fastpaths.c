/*
 * The O(1)-per-fit paths of the many-fits analyses against exact refits:
 * leave-one-out of the iterative estimators (ML, REML, EB, PM), cumulative
 * fits of every estimator, trim-and-fill (trimmed fits, side, filled fit)
 * and the Newton search of the Q-profile bounds.  Each must give what the
 * exact computation gives to rounding, and must really be taken (few or no
 * exact refits), on easy data and on data with tiny variances and funnel
 * asymmetry.  Correctness tests, not timing tests.
 */
#include "sm_test.h"

#include "sm_confint.h"
#include "sm_influence.h"
#include "sm_regtest.h"
#include "sm_trimfill.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-12

struct data {
	double *y, *v;
	size_t k;
};

/* vi ~ U(0.01, 0.5), yi ~ N(0.2, vi + 0.1); `hard`: every 7th variance
 * 1000 times smaller, and the small studies with effects below 0.2 left
 * out (funnel asymmetry, so that trim-and-fill fills). */
static struct data make_data(size_t want, int hard, unsigned long seed)
{
	struct data d = {malloc(want * sizeof *d.y), malloc(want * sizeof *d.v), 0};
	assert_non_null(d.y);
	assert_non_null(d.v);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, seed);
	for (size_t n = 0; d.k < want; n++) {
		double v = 0.01 + 0.49 * gsl_rng_uniform(r);
		if (hard && n % 7 == 0)
			v *= 1e-3;
		double y = 0.2 + gsl_ran_gaussian(r, sqrt(v + 0.1));
		if (hard && v > 0.3 && y < 0.2)
			continue;
		d.y[d.k] = y;
		d.v[d.k++] = v;
	}
	gsl_rng_free(r);
	return d;
}

static void data_free(struct data *d)
{
	free(d->y);
	free(d->v);
}

static void cmp_rows(const struct sm_loo_row *a, const struct sm_loo_row *b, const char *what,
		     size_t i)
{
	double scale = fmax(fabs(b->estimate), b->se);
	sm_check_close(a->estimate, b->estimate, REL, REL * scale, "%s %zu estimate", what, i);
	sm_check_close(a->se, b->se, REL, 0, "%s %zu se", what, i);
	sm_check_close(a->ci_lb, b->ci_lb, REL, REL * scale, "%s %zu ci_lb", what, i);
	sm_check_close(a->ci_ub, b->ci_ub, REL, REL * scale, "%s %zu ci_ub", what, i);
	/* a p-value far in the tail amplifies the statistic's rounding */
	sm_check_close(a->pval, b->pval, 1e-9, 1e-300, "%s %zu p", what, i);
	sm_check_close(a->QE, b->QE, REL, 0, "%s %zu QE", what, i);
	sm_check_close(a->QEp, b->QEp, 1e-9, 1e-300, "%s %zu QEp", what, i);
	sm_check_close(a->tau2, b->tau2, 1e-11, 1e-15, "%s %zu tau2", what, i);
	sm_check_close(a->I2, b->I2, 1e-11, 1e-13, "%s %zu I2", what, i);
	sm_check_close(a->vt, b->vt, REL, 0, "%s %zu vt", what, i);
}

static void row_of_fit(const struct sm_rma_fit *f, struct sm_loo_row *r)
{
	*r = (struct sm_loo_row){f->b, f->se, f->stat, f->df, f->pval, f->ci_lb, f->ci_ub,
				 f->QE, f->QEp, f->tau2, f->I2, f->H2, f->vt};
}

static struct sm_rma_opts opts_of(enum sm_method m, enum sm_test t, int tight)
{
	return tight ? sm_rma_tight(m, t) : sm_rma_defaults(m, t);
}

/* Leave-one-out of the iterative estimators: the fast rows against
 * sm_influence_refit for a sample of deletions, and few exact refits. */
static void check_loo(const struct data *d, enum sm_method m, enum sm_test t, int tight)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = opts_of(m, t, tight);
	struct sm_rma_fit full;
	assert_int_equal(sm_rma_fit(ctx, d->y, d->v, d->k, &o, &full), SM_OK);
	struct sm_influence inf;
	assert_int_equal(sm_influence(ctx, d->y, d->v, d->k, &o, &full, &inf), SM_OK);
	char what[64];
	snprintf(what, sizeof what, "loo %s/%s/%s k=%zu", sm_method_name(m), sm_test_name(t),
		 tight ? "tight" : "default", d->k);
	/* PM with metafor's root tolerance is refitted exactly by design */
	if (m != SM_PM || tight)
		assert_true(inf.refits <= d->k / 100);
	for (size_t i = 0; i < d->k; i += d->k / 40 + 1) {
		struct sm_loo_row fast = inf.loo[i];
		double tau2_del = inf.tau2_del[i], rst = inf.rstudent[i], hat = inf.hat[i];
		assert_int_equal(sm_influence_refit(ctx, d->y, d->v, d->k, &o, &full, i, &inf),
				 SM_OK);
		cmp_rows(&fast, &inf.loo[i], what, i);
		sm_check_close(tau2_del, inf.tau2_del[i], 1e-11, 1e-15, "%s %zu tau2_del", what,
			       i);
		sm_check_close(rst, inf.rstudent[i], 1e-10, 1e-13, "%s %zu rstudent", what, i);
		sm_check_close(hat, inf.hat[i], REL, 0, "%s %zu hat", what, i);
	}
	sm_influence_release(&inf);
	sm_ctx_free(ctx);
}

static void test_loo_iterative(void **state)
{
	(void)state;
	struct data easy = make_data(3000, 0, 20261121), hard = make_data(2000, 1, 7);
	enum sm_method ms[] = {SM_ML, SM_REML, SM_EB, SM_PM};
	for (size_t j = 0; j < sizeof ms / sizeof ms[0]; j++) {
		check_loo(&easy, ms[j], SM_TEST_Z, 1);
		check_loo(&hard, ms[j], SM_TEST_Z, 1);
	}
	check_loo(&easy, SM_REML, SM_TEST_KNHA, 1);
	check_loo(&easy, SM_REML, SM_TEST_Z, 0);
	check_loo(&hard, SM_EB, SM_TEST_Z, 0);
	check_loo(&easy, SM_PM, SM_TEST_Z, 0);
	data_free(&easy);
	data_free(&hard);
}

/* Cumulative fits of every estimator: fast rows against sm_rma_fit of the
 * prefix for a sample of prefixes (all of the first 40). */
static void check_cumul(const struct data *d, enum sm_method m, enum sm_test t)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_tight(m, t);
	struct sm_loo_row *rows = calloc(d->k, sizeof *rows);
	assert_non_null(rows);
	size_t refits = 0;
	assert_int_equal(sm_cumul_path(ctx, d->y, d->v, d->k, &o, SM_LOO_AUTO, rows, &refits),
			 SM_OK);
	assert_true(refits <= 16 + d->k / 100);
	char what[64];
	snprintf(what, sizeof what, "cumul %s/%s k=%zu", sm_method_name(m), sm_test_name(t),
		 d->k);
	for (size_t i = 1; i < d->k; i += i < 40 ? 1 : d->k / 50) {
		struct sm_rma_fit f;
		struct sm_ctx *c2 = sm_ctx_new();
		if (sm_rma_fit(c2, d->y, d->v, i + 1, &o, &f) == SM_OK) {
			struct sm_loo_row r;
			row_of_fit(&f, &r);
			cmp_rows(&rows[i], &r, what, i);
		}
		sm_ctx_free(c2);
	}
	free(rows);
	sm_ctx_free(ctx);
}

static void test_cumul(void **state)
{
	(void)state;
	struct data easy = make_data(3000, 0, 11), hard = make_data(1500, 1, 12);
	for (int m = SM_FE; m <= SM_PM; m++) {
		check_cumul(&easy, (enum sm_method)m, SM_TEST_Z);
		check_cumul(&hard, (enum sm_method)m, SM_TEST_Z);
	}
	check_cumul(&easy, SM_DL, SM_TEST_KNHA);
	check_cumul(&easy, SM_REML, SM_TEST_KNHA);
	data_free(&easy);
	data_free(&hard);
}

/* Trim-and-fill from prefix sums against the exact refits of every step. */
static void check_trimfill(const struct data *d, enum sm_method m)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_tight(m, SM_TEST_Z);
	struct sm_rma_fit full;
	assert_int_equal(sm_rma_fit(ctx, d->y, d->v, d->k, &o, &full), SM_OK);
	struct sm_trimfill a, b;
	assert_int_equal(sm_trimfill_path(ctx, d->y, d->v, d->k, &o, &full, SM_TRIMFILL_AUTO,
					  &a), SM_OK);
	assert_int_equal(sm_trimfill_path(ctx, d->y, d->v, d->k, &o, &full, SM_TRIMFILL_EXACT,
					  &b), SM_OK);
	const char *name = sm_method_name(m);
	assert_true(a.k0 > 0); /* the filled fit is tested too */
	assert_int_equal(a.exact_fits, 0);
	assert_true(b.exact_fits >= b.iterations);
	assert_int_equal(a.side_right, b.side_right);
	assert_int_equal(a.k0, b.k0);
	assert_int_equal(a.iterations, b.iterations);
	sm_check_close(a.se_k0, b.se_k0, REL, 0, "trimfill %s se_k0", name);
	struct sm_loo_row ra, rb;
	row_of_fit(&a.fit, &ra);
	row_of_fit(&b.fit, &rb);
	cmp_rows(&ra, &rb, "trimfill", (size_t)m);
	for (size_t i = 0; i < a.k; i++)
		sm_check_close(a.yi[i], b.yi[i], REL, 1e-15, "trimfill %s yi %zu", name, i);
	/* the side from Egger's slope (knha: the slope does not depend on the
	 * test) gives the same result to the bit */
	struct sm_rma_opts ko = sm_rma_tight(m, SM_TEST_KNHA);
	struct sm_regtest eg;
	struct sm_trimfill c;
	assert_int_equal(sm_regtest(ctx, d->y, d->v, d->k, &ko, &eg), SM_OK);
	assert_int_equal(sm_trimfill_slope(ctx, d->y, d->v, d->k, &o, &full, eg.b[1], &c), SM_OK);
	assert_int_equal(c.side_right, a.side_right);
	assert_int_equal(c.k0, a.k0);
	assert_true(c.fit.b == a.fit.b && c.fit.se == a.fit.se && c.se_k0 == a.se_k0);
	sm_trimfill_release(&c);
	sm_trimfill_release(&a);
	sm_trimfill_release(&b);
	sm_ctx_free(ctx);
}

static void test_trimfill(void **state)
{
	(void)state;
	struct data hard = make_data(2500, 1, 99), easy = make_data(4000, 0, 5);
	/* the mirror image: missing studies on the right */
	struct data right = make_data(2500, 1, 99);
	for (size_t i = 0; i < right.k; i++)
		right.y[i] = -right.y[i];
	for (int m = SM_FE; m <= SM_PM; m++) {
		check_trimfill(&hard, (enum sm_method)m);
		check_trimfill(&easy, (enum sm_method)m);
		check_trimfill(&right, (enum sm_method)m);
	}
	data_free(&hard);
	data_free(&easy);
	data_free(&right);
}

/* The Q-profile bounds found by Newton's method against Brent's method on
 * [0, max] at full precision (sm_tau2_q_root). */
static void test_confint_newton(void **state)
{
	(void)state;
	struct data d = make_data(5000, 1, 3);
	struct sm_ctx *ctx = sm_ctx_new();
	enum sm_method ms[] = {SM_DL, SM_REML};
	for (size_t j = 0; j < 2; j++) {
		struct sm_rma_opts o = sm_rma_tight(ms[j], SM_TEST_Z);
		struct sm_rma_fit f;
		assert_int_equal(sm_rma_fit(ctx, d.y, d.v, d.k, &o, &f), SM_OK);
		struct sm_confint ci;
		assert_int_equal(sm_confint_tau2(ctx, d.y, d.v, d.k, &f, 95, 0, &ci), SM_OK);
		assert_int_equal(ci.lb_sign, 0);
		assert_int_equal(ci.ub_sign, 0);
		struct sm_design des = {NULL, d.k, 1};
		struct sm_wls m;
		double *w = calloc(d.k, sizeof *w), ref[2];
		assert_non_null(w);
		assert_int_equal(sm_wls_init(ctx, &m, &des), SM_OK);
		double df = (double)d.k - 1;
		double target[2] = {sm_qchisq(0.975, df), sm_qchisq(0.025, df)};
		for (int b = 0; b < 2; b++)
			assert_int_equal(sm_tau2_q_root(ctx, &m, w, d.y, d.v, target[b], 0,
							ci.tau2_max, 0, 10000, &ref[b]), SM_OK);
		sm_check_close(ci.tau2.ci_lb, ref[0], 1e-13, 0, "confint lb");
		sm_check_close(ci.tau2.ci_ub, ref[1], 1e-13, 0, "confint ub");
		assert_true(ci.tau2.ci_lb < f.tau2 && f.tau2 < ci.tau2.ci_ub);
		sm_wls_release(&m);
		free(w);
	}
	sm_ctx_free(ctx);
	data_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loo_iterative),
		cmocka_unit_test(test_cumul),
		cmocka_unit_test(test_trimfill),
		cmocka_unit_test(test_confint_newton),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
