/*
 * Leave-one-out / influence at scale (k = 10^5): the O(k) fast path (closed
 * forms and power-series sums) must give what an exact refit of the k - 1
 * other studies gives, column by column, for a sample of deletions.  A
 * correctness test, not a timing test.
 */
#include "sm_test.h"

#include "sm_influence.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K 100000
#define REL 1e-12

struct data {
	double *y, *v;
};

/* vi ~ U(0.01, 0.5), yi ~ N(0.2, vi + 0.1), fixed seed. */
static struct data make_data(void)
{
	struct data d = {malloc(K * sizeof *d.y), malloc(K * sizeof *d.v)};
	assert_non_null(d.y);
	assert_non_null(d.v);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 20261121);
	for (size_t i = 0; i < K; i++) {
		d.v[i] = 0.01 + 0.49 * gsl_rng_uniform(r);
		d.y[i] = 0.2 + gsl_ran_gaussian(r, sqrt(d.v[i] + 0.1));
	}
	gsl_rng_free(r);
	return d;
}

/* Copy of one deletion's values: loo row fields then influence columns. */
struct snap {
	double v[24];
};

static struct snap take(const struct sm_influence *f, size_t i)
{
	const struct sm_loo_row *r = &f->loo[i];
	struct snap s = {{r->estimate, r->se, r->stat, r->df, r->pval, r->ci_lb, r->ci_ub,
			  r->QE, r->QEp, r->tau2, r->I2, r->H2, r->vt,
			  f->rstudent[i], f->resid[i], f->resid_se[i], f->hat[i], f->weight[i],
			  f->cov_r[i], f->tau2_del[i], f->QE_del[i],
			  f->dffits[i], f->dfbs[i], f->cook_d[i]}};
	return s;
}

static const char *const names[24] = {
	"estimate", "se", "stat", "df", "pval", "ci.lb", "ci.ub", "QE", "QEp", "tau2",
	"I2", "H2", "vt", "rstudent", "resid", "resid.se", "hat", "weight", "cov.r",
	"tau2.del", "QE.del", "dffits", "dfbs", "cook.d"};

/* dffits, dfbs and cook.d are functions of b - b(-i), a difference of two
 * estimates each exact to rounding relative to |b|: their tolerance is that
 * absolute error propagated (linear for the first two, quadratic for cook.d). */
static void compare(const struct snap *fast, const struct snap *exact, double b, size_t i,
		    const char *what)
{
	double db = b - exact->v[0];
	for (int c = 0; c < 24; c++) {
		double tol = 0;
		if (c >= 21 && db != 0)
			tol = (c == 23 ? 2 : 1) * fabs(exact->v[c]) * REL * fabs(b) / fabs(db);
		sm_check_close(fast->v[c], exact->v[c], REL, tol, "%s deletion %zu %s", what,
			       i + 1, names[c]);
	}
}

static void check_method(const struct data *d, enum sm_method m, enum sm_test t)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_rma_opts o = sm_rma_defaults(m, t);
	struct sm_rma_fit full;
	assert_int_equal(sm_rma_fit(ctx, d->y, d->v, K, &o, &full), SM_OK);
	struct sm_influence inf;
	assert_int_equal(sm_influence(ctx, d->y, d->v, K, &o, &full, &inf), SM_OK);
	/* the largest residual and the largest weight, plus spread-out studies */
	size_t pick[8] = {0, K / 7, K / 3, K / 2, K - 1, 0, 0, 12345};
	for (size_t i = 0; i < K; i++) {
		if (fabs(d->y[i] - full.b) > fabs(d->y[pick[5]] - full.b))
			pick[5] = i;
		if (d->v[i] < d->v[pick[6]])
			pick[6] = i;
	}
	char what[32];
	snprintf(what, sizeof what, "%s/%s", sm_method_name(m), sm_test_name(t));
	for (int j = 0; j < 8; j++) {
		size_t i = pick[j];
		struct snap fast = take(&inf, i);
		assert_true(isfinite(fast.v[0]));
		assert_int_equal(sm_influence_refit(ctx, d->y, d->v, K, &o, &full, i, &inf),
				 SM_OK);
		struct snap exact = take(&inf, i);
		compare(&fast, &exact, full.b, i, what);
	}
	assert_int_equal(sm_ctx_warning_count(ctx), 0);
	sm_influence_release(&inf);
	sm_ctx_free(ctx);
}

static void test_fast_equals_exact(void **state)
{
	(void)state;
	struct data d = make_data();
	enum sm_method ms[] = {SM_FE, SM_DL, SM_HE, SM_HS, SM_SJ};
	for (size_t j = 0; j < sizeof ms / sizeof ms[0]; j++)
		check_method(&d, ms[j], SM_TEST_Z);
	check_method(&d, SM_DL, SM_TEST_KNHA);
	free(d.y);
	free(d.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_equals_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
