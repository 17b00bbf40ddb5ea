/*
 * Numeric building blocks of the large-k paths: the compensated sum, the
 * chi-square quantile beyond GSL's range (the Q-profile interval at
 * k = 10^5 and more needs it), and power-series sums over prefixes and
 * banks of centres against direct sums.
 */
#include "sm_test.h"

#include "sm_pseries.h"
#include "sm_stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Compensation recovers what plain summation loses; the result is the
 * correctly rounded sum for these sequences. */
static void test_ksum(void **state)
{
	(void)state;
	struct sm_ksum a = {0, 0};
	sm_ksum_add(&a, 1e16);
	sm_ksum_add(&a, 1);
	sm_ksum_add(&a, -1e16);
	assert_true(sm_ksum_get(&a) == 1);
	struct sm_ksum b = {0, 0};
	double plain = 0;
	for (int i = 0; i < 1000000; i++) {
		sm_ksum_add(&b, 0.1);
		plain += 0.1;
	}
	assert_true(sm_ksum_get(&b) == 100000);
	assert_true(plain != 100000);
	/* the order of magnitudes does not matter */
	struct sm_ksum c = {0, 0};
	sm_ksum_add(&c, 1);
	sm_ksum_add(&c, 1e100);
	sm_ksum_add(&c, 1);
	sm_ksum_add(&c, -1e100);
	assert_true(sm_ksum_get(&c) == 2);
}

/* The quantile inverts the distribution function to rounding, where GSL's
 * own quantile returns NaN (large df) and where it works (same value). */
static void test_qchisq_large_df(void **state)
{
	(void)state;
	/* the library's context switches GSL's aborting error handler off */
	struct sm_ctx *ctx = sm_ctx_new();
	double dfs[] = {49999, 99999, 999999, 1e7, 1e8};
	double ps[] = {1e-10, 0.025, 0.5, 0.975, 1 - 1e-10};
	for (size_t i = 0; i < sizeof dfs / sizeof dfs[0]; i++) {
		double prev = 0;
		for (size_t j = 0; j < sizeof ps / sizeof ps[0]; j++) {
			double q = sm_qchisq(ps[j], dfs[i]);
			assert_true(isfinite(q) && q > prev);
			prev = q;
			if (ps[j] < 0.5)
				sm_check_close(gsl_cdf_chisq_P(q, dfs[i]), ps[j], 1e-9, 0,
					       "P(qchisq(%g, %g))", ps[j], dfs[i]);
			else
				sm_check_close(gsl_cdf_chisq_Q(q, dfs[i]), 1 - ps[j], 1e-9, 0,
					       "Q(qchisq(%g, %g))", ps[j], dfs[i]);
		}
	}
	/* where GSL works its value is kept */
	double q = sm_qchisq(0.025, 9999);
	assert_true(q == gsl_cdf_chisq_Pinv(0.025, 9999));
	/* Wilson-Hilferty at df = 1e6 to its own accuracy (~1e-9 relative) */
	double z = gsl_cdf_ugaussian_Pinv(0.975), h = 2.0 / 9e6;
	sm_check_close(sm_qchisq(0.975, 1e6), 1e6 * pow(1 - h + z * sqrt(h), 3), 1e-8, 0,
		       "qchisq(0.975, 1e6) against Wilson-Hilferty");
	sm_ctx_free(ctx);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median by selection against a sorted copy: odd and even n, many
 * ties, sorted and reversed input (the cases that hurt a naive pivot). */
static void test_median(void **state)
{
	(void)state;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 9);
	size_t ns[] = {1, 2, 3, 16, 17, 18, 1000, 1001, 100000};
	for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
		for (int kind = 0; kind < 4; kind++) {
			size_t n = ns[j];
			double *x = malloc(n * sizeof *x), *s = malloc(n * sizeof *s);
			assert_non_null(x);
			assert_non_null(s);
			for (size_t i = 0; i < n; i++) {
				double u = gsl_rng_uniform(r);
				x[i] = kind == 0 ? u : kind == 1 ? floor(5 * u)
				       : kind == 2 ? (double)i : -(double)i;
			}
			memcpy(s, x, n * sizeof *s);
			qsort(s, n, sizeof *s, cmp_d);
			double want = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
			assert_true(sm_median(x, n) == want);
			free(x);
			free(s);
		}
	}
	double t[] = {1, 2, 3, 4, 100};
	sm_check_close(sm_mad(t, 5), 1.4826, 1e-15, 0, "mad"); /* |x - 3| median 1 */
	assert_true(isnan(sm_median(t, 0)));
	gsl_rng_free(r);
}

struct data {
	double *y, *v;
	size_t k;
};

static struct data make_data(size_t k)
{
	struct data d = {malloc(k * sizeof(double)), malloc(k * sizeof(double)), k};
	assert_non_null(d.y);
	assert_non_null(d.v);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 42);
	for (size_t i = 0; i < k; i++) {
		d.v[i] = (i % 5 == 0 ? 1e-3 : 1) * (0.01 + 0.49 * gsl_rng_uniform(r));
		d.y[i] = 0.2 + 2 * (gsl_rng_uniform(r) - 0.5);
	}
	gsl_rng_free(r);
	return d;
}

/* Direct sums over the first len studies, as the series should give them. */
static void direct(const struct data *d, size_t len, double t, double yc, double out[3][3],
		   double *lsum)
{
	struct sm_ksum s[3][3] = {{{0, 0}}}, ls = {0, 0};
	for (size_t i = 0; i < len; i++) {
		double w = 1 / (d->v[i] + t), z = d->y[i] - yc, wq = w;
		for (int q = 0; q < 3; q++, wq *= w) {
			sm_ksum_add(&s[q][0], wq);
			sm_ksum_add(&s[q][1], wq * z);
			sm_ksum_add(&s[q][2], wq * z * z);
		}
		sm_ksum_add(&ls, log(d->v[i] + t));
	}
	for (int q = 0; q < 3; q++)
		for (int a = 0; a < 3; a++)
			out[q][a] = sm_ksum_get(&s[q][a]);
	*lsum = sm_ksum_get(&ls);
}

static void check_prefix(const struct sm_pseries *ps, const struct data *d, size_t len,
			 double t)
{
	double got[3][3], want[3][3], lg, lw;
	assert_true(sm_pseries_sums(ps, len, t, 3, got));
	assert_true(sm_pseries_logsum_prefix(ps, len, t, &lg));
	direct(d, len, t, ps->yc, want, &lw);
	for (int q = 0; q < 3; q++)
		for (int a = 0; a < 3; a++) {
			/* the a = 1 sums are small differences; scale by their terms */
			double scale = sqrt(want[q][0] * want[q][2]);
			sm_check_close(got[q][a], want[q][a], 1e-14, 1e-14 * scale,
				       "len %zu t %g q %d a %d", len, t, q + 1, a);
		}
	sm_check_close(lg, lw, 1e-14, 1e-13, "len %zu t %g log sum", len, t);
}

/* Prefix sums (series at the last boundary plus the rest directly) against
 * direct sums, at the centre, inside the radius and at its edge; outside
 * it the series refuses. */
static void test_pseries_prefix(void **state)
{
	(void)state;
	struct data d = make_data(5000);
	struct sm_pseries ps;
	double c = 0.1, rho = 0.5;
	assert_int_equal(sm_pseries_init_prefix(NULL, &ps, d.y, d.v, d.k, c, rho, 64, 1), SM_OK);
	double edge = 0.999 * rho * ps.umin;
	double ts[] = {c, c + edge / 3, c - edge / 2, c + edge, c - edge};
	size_t lens[] = {1, 63, 64, 65, 1000, 4999, 5000};
	for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++)
		for (size_t j = 0; j < sizeof lens / sizeof lens[0]; j++)
			check_prefix(&ps, &d, lens[j], ts[i]);
	double out[3][3];
	assert_false(sm_pseries_sums(&ps, d.k, c + 1.01 * rho * ps.umin, 3, out));
	assert_false(sm_pseries_sums(&ps, d.k + 1, c, 3, out));
	sm_pseries_release(&ps);
	/* without logs the log sums are refused, the others kept */
	assert_int_equal(sm_pseries_init_prefix(NULL, &ps, d.y, d.v, d.k, c, 0.125, 100, 0),
			 SM_OK);
	double l;
	assert_false(sm_pseries_logsum_prefix(&ps, 500, c, &l));
	assert_true(sm_pseries_sums(&ps, 500, c, 1, out));
	sm_pseries_release(&ps);
	free(d.y);
	free(d.v);
}

/* A bank adds a centre where none covers t (when allowed), reuses it
 * within its radius, and stops at SM_PBANK_MAX. */
static void test_pbank(void **state)
{
	(void)state;
	struct data d = make_data(300);
	struct sm_pbank b;
	sm_pbank_init(&b, d.y, d.v, d.k, 0, 1, 0);
	assert_null(sm_pbank_get(&b, 0.1)); /* rho_new 0: no centres on demand */
	sm_pbank_release(&b);
	sm_pbank_init(&b, d.y, d.v, d.k, 0, 1, 0.25);
	const struct sm_pseries *p1 = sm_pbank_get(&b, 0.1);
	assert_non_null(p1);
	assert_true(sm_pbank_get(&b, 0.1 + 0.2 * p1->umin) == p1);
	assert_int_equal(b.n, 1);
	for (int i = 0; i < 40; i++)
		sm_pbank_get(&b, 0.5 * pow(2, i));
	assert_int_equal(b.n, SM_PBANK_MAX);
	assert_null(sm_pbank_get(&b, 1e30));
	assert_null(sm_pbank_get(&b, -1)); /* tau2 < 0 never gets a centre */
	sm_pbank_release(&b);
	free(d.y);
	free(d.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ksum),
		cmocka_unit_test(test_qchisq_large_df),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_pseries_prefix),
		cmocka_unit_test(test_pbank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
