/*
 * Numeric building blocks of the large-k paths: the compensated sum, the
 * chi-square quantile beyond GSL's range (the Q-profile interval at
 * k = 10^5 and more needs it), and power-series sums over prefixes and
 * banks of centres against direct sums.
 */
#include "sm_test.h"

#include "sm_confint.h"
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

/* ---- lane pairs against one sum at a time, to the bit ------------------ */

static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* Terms over 60 orders of magnitude, both signs, exact cancellations and
 * zeros: where a compensated sum's correction does most work. */
static double wild(gsl_rng *r, size_t i)
{
	double u = gsl_rng_uniform(r) - 0.5;
	if (i % 11 == 0)
		return 0;
	return u * pow(10, (double)(i % 61) - 30);
}

/* sm_ksum2's lanes end where two sm_ksum of the same terms end: the same
 * sum and the same correction. */
static void test_ksum2_lanes(void **state)
{
	(void)state;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 7);
	struct sm_ksum2 v = {{0, 0}, {0, 0}};
	struct sm_ksum a = {0, 0}, b = {0, 0};
	for (size_t i = 0; i < 200000; i++) {
		double x = wild(r, i), y = i % 7 == 0 ? -x : wild(r, i + 3);
		sm_ksum2_add(&v, (sm_v2d){x, y});
		sm_ksum_add(&a, x);
		sm_ksum_add(&b, y);
	}
	struct sm_ksum l0 = sm_ksum2_lane(&v, 0), l1 = sm_ksum2_lane(&v, 1);
	assert_true(same_bits(l0.s, a.s) && same_bits(l0.c, a.c));
	assert_true(same_bits(l1.s, b.s) && same_bits(l1.c, b.c));
	assert_true(same_bits(sm_ksum_get(&l0), sm_ksum_get(&a)));
	gsl_rng_free(r);
}

/* A centre's power sums (two at a time in sm_pseries.c) are those of one
 * power and one compensated sum at a time, to the bit: all k and every
 * block prefix, for an odd and an even number of sums per row. */
static void test_pseries_bits(void **state)
{
	(void)state;
	struct data d = make_data(3000);
	double rhos[] = {0.5, 0.125, 0.3};
	for (size_t ri = 0; ri < sizeof rhos / sizeof rhos[0]; ri++) {
		struct sm_pseries ps;
		assert_int_equal(sm_pseries_init_prefix(NULL, &ps, d.y, d.v, d.k, 0.05,
							 rhos[ri], 100, 1), SM_OK);
		size_t ns = ps.n + 3, len = 3 * ns;
		struct sm_ksum *acc = calloc(len, sizeof *acc);
		double *pw = malloc(len * sizeof *pw);
		assert_non_null(acc);
		assert_non_null(pw);
		for (size_t j = 0; j < d.k; j++) {
			double u = d.v[j] + ps.c, iu = ps.umin / u, z = d.y[j] - ps.yc, p = iu;
			for (size_t t = 0; t < ns; t++, p *= iu) {
				pw[t] = p;
				pw[ns + t] = z * p;
				pw[2 * ns + t] = z * z * p;
			}
			for (size_t t = 0; t < len; t++)
				sm_ksum_add(&acc[t], pw[t]);
			const double *tab = (j + 1) % 100 == 0 ? ps.pm + ((j + 1) / 100 - 1) * len
							       : j + 1 == d.k ? ps.m : NULL;
			for (size_t t = 0; tab && t < len; t++)
				assert_true(same_bits(tab[t], sm_ksum_get(&acc[t])));
		}
		free(acc);
		free(pw);
		sm_pseries_release(&ps);
	}
	free(d.y);
	free(d.v);
}

/* The weighted least-squares solve (weights made in its first pass, lane
 * pairs) gives the bits of the plain loops it replaced: intercept-only and
 * two columns (with zeros in the moderator, whose terms are left out). */
static void test_wls_bits(void **state)
{
	(void)state;
	struct data d = make_data(4000);
	size_t k = d.k;
	double *x = malloc(2 * k * sizeof *x), *w = malloc(k * sizeof *w);
	assert_non_null(x);
	assert_non_null(w);
	for (size_t i = 0; i < k; i++) {
		x[i] = 1;
		x[k + i] = i % 9 == 0 ? 0 : sqrt(d.v[i]);
	}
	double tau2s[] = {0, 0.037, 2.5};
	for (size_t p = 1; p <= 2; p++)
		for (size_t ti = 0; ti < sizeof tau2s / sizeof tau2s[0]; ti++) {
			double tau2 = tau2s[ti];
			struct sm_design des = {p == 2 ? x : NULL, k, p};
			struct sm_wls m;
			assert_int_equal(sm_wls_init(NULL, &m, &des), SM_OK);
			assert_int_equal(sm_wls_solve_tau2(NULL, &m, d.y, w, d.v, tau2), SM_OK);
			/* the reference: one sum per pass, as before */
			struct sm_ksum s[6] = {{0, 0}};
			for (size_t i = 0; i < k; i++) {
				double wi = 1 / (d.v[i] + tau2);
				assert_true(same_bits(w[i], wi));
				double c1 = p == 2 ? x[k + i] : 0;
				sm_ksum_add(&s[0], wi);
				sm_ksum_add(&s[1], wi * d.y[i]);
				if (p == 1) {
					sm_ksum_add(&s[2], wi * wi);
					sm_ksum_add(&s[3], wi * wi * wi);
				} else if (c1 != 0) {
					sm_ksum_add(&s[2], 1 * c1 * wi);
					sm_ksum_add(&s[3], c1 * c1 * wi);
					sm_ksum_add(&s[4], c1 * wi * d.y[i]);
				}
			}
			if (p == 1) {
				assert_true(same_bits(m.sw2, sm_ksum_get(&s[2])));
				assert_true(same_bits(m.sw3, sm_ksum_get(&s[3])));
			}
			struct sm_ksum rss = {0, 0}, sw = {0, 0}, ypp = {0, 0};
			for (size_t i = 0; i < k; i++) {
				double f = 0;
				f += sm_design_at(&des, i, 0) * m.b[0];
				if (p == 2)
					f += x[k + i] * m.b[1];
				double r = d.y[i] - f, wi = w[i], wr = wi * r;
				sm_ksum_add(&rss, wi * r * r);
				sm_ksum_add(&sw, wi);
				sm_ksum_add(&ypp, wr * wr);
			}
			assert_true(same_bits(m.rss, sm_ksum_get(&rss)));
			assert_true(same_bits(m.sum_w, sm_ksum_get(&sw)));
			assert_true(same_bits(m.ypp, sm_ksum_get(&ypp)));
			if (p == 1) {
				double ir = 1 / sqrt(sm_ksum_get(&s[0]));
				struct sm_ksum bs = {0, 0};
				for (size_t i = 0; i < k; i++)
					sm_ksum_add(&bs, (ir * ir * 1.0 * w[i]) * d.y[i]);
				assert_true(same_bits(m.b[0], sm_ksum_get(&bs)));
			} else {
				/* X'WX and X'Wy, which the solve keeps in m1, m2 */
				double xtwx[4] = {sm_ksum_get(&s[0]), sm_ksum_get(&s[2]),
						  sm_ksum_get(&s[2]), sm_ksum_get(&s[3])};
				double xwy[2] = {sm_ksum_get(&s[1]), sm_ksum_get(&s[4])};
				for (size_t q = 0; q < 4; q++)
					assert_true(same_bits(m.m1[q], xtwx[q]));
				for (size_t a = 0; a < 2; a++) {
					assert_true(same_bits(m.m2[a], xwy[a]));
					/* b = (X'WX)^-1 X'Wy with the solve's inverse */
					double bb = 0;
					for (size_t c = 0; c < 2; c++)
						bb += m.vb[a * 2 + c] * xwy[c];
					assert_true(same_bits(m.b[a], bb));
				}
			}
			sm_wls_release(&m);
		}
	free(x);
	free(w);
	free(d.y);
	free(d.v);
}

/* The tau^2 interval's one-pass sums (lanes, four divisions at a time) are
 * six scalar compensated sums' bits, also for a k that leaves a tail. */
static void test_confint_sums_bits(void **state)
{
	(void)state;
	struct data d = make_data(4003);
	double ts[] = {0, 0.02, 7.5};
	for (size_t ti = 0; ti < sizeof ts / sizeof ts[0]; ti++)
		for (size_t k = d.k - 3; k <= d.k; k++) {
			double got[6], c = 0.17, t = ts[ti];
			sm_confint_q_sums(d.y, d.v, k, c, t, got);
			struct sm_ksum s[6] = {{0, 0}};
			for (size_t i = 0; i < k; i++) {
				double w = 1 / (d.v[i] + t), z = d.y[i] - c, w2 = w * w;
				sm_ksum_add(&s[0], w);
				sm_ksum_add(&s[1], w * z);
				sm_ksum_add(&s[2], w * z * z);
				sm_ksum_add(&s[3], w2);
				sm_ksum_add(&s[4], w2 * z);
				sm_ksum_add(&s[5], w2 * z * z);
			}
			for (int a = 0; a < 6; a++)
				assert_true(same_bits(got[a], sm_ksum_get(&s[a])));
		}
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
		cmocka_unit_test(test_ksum2_lanes),
		cmocka_unit_test(test_pseries_bits),
		cmocka_unit_test(test_wls_bits),
		cmocka_unit_test(test_confint_sums_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
