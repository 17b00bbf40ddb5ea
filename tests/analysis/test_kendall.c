/*
 * Kendall's tau-b (Knight's O(n log n) algorithm) against an O(n^2) pair
 * count on random data with ties; the exact null distribution against
 * brute-force enumeration of all permutations (n <= 8) and against values
 * computed with exact integer arithmetic (Mahonian numbers / n!, 20 digits)
 * beyond the n = 170 where R's counts overflow.
 */
#include "sm_test.h"

#include "sm_kendall.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

/* Small deterministic generator so that failures reproduce. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct ref_counts {
	int64_t conc, disc, tx, ty, txy;
};

static struct ref_counts ref_pairs(const double *x, const double *y, size_t n)
{
	struct ref_counts r = {0};
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			double dx = x[i] - x[j], dy = y[i] - y[j];
			if (dx == 0 && dy == 0)
				r.txy++;
			if (dx == 0)
				r.tx++;
			if (dy == 0)
				r.ty++;
			if (dx * dy > 0)
				r.conc++;
			else if (dx * dy < 0)
				r.disc++;
		}
	}
	return r;
}

/* var S from the tie groups found by an O(n^2) scan, cor.test's formula. */
static double ref_var_s(const double *x, const double *y, size_t n)
{
	double s[2][3] = {{0}};
	const double *v[2] = {x, y};
	for (int a = 0; a < 2; a++) {
		for (size_t i = 0; i < n; i++) {
			int first = 1;
			double t = 0;
			for (size_t j = 0; j < n; j++) {
				if (v[a][j] == v[a][i]) {
					t++;
					if (j < i)
						first = 0;
				}
			}
			if (!first || t < 2)
				continue;
			s[a][0] += t * (t - 1);
			s[a][1] += t * (t - 1) * (t - 2);
			s[a][2] += t * (t - 1) * (2 * t + 5);
		}
	}
	double dn = (double)n;
	return (dn * (dn - 1) * (2 * dn + 5) - s[0][2] - s[1][2]) / 18 +
	       s[0][0] * s[1][0] / (2 * dn * (dn - 1)) +
	       s[0][1] * s[1][1] / (9 * dn * (dn - 1) * (dn - 2));
}

static void check_random(size_t n, unsigned levels_x, unsigned levels_y, uint64_t seed)
{
	double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
	assert_non_null(x);
	assert_non_null(y);
	for (size_t i = 0; i < n; i++) {
		x[i] = (double)(rng_next(&seed) % levels_x) - levels_x / 2.0;
		/* y partly follows x so that tau is not near 0 */
		y[i] = (double)(rng_next(&seed) % levels_y) + (i % 3 == 0 ? x[i] : 0);
	}
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_kendall k;
	assert_int_equal(sm_kendall_tau_b(ctx, x, y, n, &k), SM_OK);
	struct ref_counts r = ref_pairs(x, y, n);
	assert_int_equal(k.concordant, r.conc);
	assert_int_equal(k.discordant, r.disc);
	assert_int_equal(k.n1, r.tx);
	assert_int_equal(k.n2, r.ty);
	assert_int_equal(k.n3, r.txy);
	int64_t n0 = (int64_t)n * (int64_t)(n - 1) / 2;
	double want = (double)(r.conc - r.disc) / sqrt((double)(n0 - r.tx) * (double)(n0 - r.ty));
	sm_check_close(k.tau_b, want, 1e-14, 0, "tau_b n=%zu", n);
	sm_check_close(k.var_s, ref_var_s(x, y, n), 1e-13, 0, "var_s n=%zu", n);
	sm_ctx_free(ctx);
	free(x);
	free(y);
}

static void test_tau_b_random_with_ties(void **state)
{
	(void)state;
	check_random(2, 5, 5, 1);
	check_random(3, 2, 2, 2);
	check_random(17, 4, 3, 3);
	check_random(100, 10, 7, 4);
	check_random(257, 1000000, 1000000, 5); /* practically no ties */
	check_random(1000, 30, 50, 6);
	check_random(1500, 3, 1000, 7);
}

/* Perfectly (anti)monotone data with tie blocks at n = 10^6: tau_b is
 * exactly +1 / -1, and the O(n log n) path must finish quickly. */
static void test_tau_b_large(void **state)
{
	(void)state;
	size_t n = 1000000;
	double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
	assert_non_null(x);
	assert_non_null(y);
	for (size_t i = 0; i < n; i++) {
		size_t j = (i * 7919) % n; /* shuffled order */
		x[i] = (double)(j / 10);
		y[i] = -(double)(j / 10) * 3;
	}
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_kendall k;
	clock_t t0 = clock();
	assert_int_equal(sm_kendall_tau_b(ctx, x, y, n, &k), SM_OK);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	sm_check_close(k.tau_b, -1.0, 1e-15, 0, "tau_b antimonotone");
	assert_int_equal(k.n1, (int64_t)(n / 10) * 45);
	assert_int_equal(k.n3, k.n1);
	assert_int_equal(k.concordant, 0);
	assert_true(secs < 10.0);
	sm_ctx_free(ctx);
	free(x);
	free(y);
}

static void test_tau_b_constant_and_errors(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_kendall k;
	double x[] = {1, 2, 3}, c[] = {4, 4, 4}, bad[] = {1, NAN, 3};
	assert_int_equal(sm_kendall_tau_b(ctx, x, c, 3, &k), SM_OK);
	assert_true(isnan(k.tau_b));
	assert_int_equal(sm_kendall_tau_b(ctx, x, bad, 3, &k), SM_EINPUT);
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_kendall_tau_b(ctx, x, x, 1, &k), SM_EINPUT);
	sm_ctx_free(ctx);
}

/* Count inversions of all n! permutations (Heap's algorithm). */
static void enumerate(size_t n, double *counts)
{
	int perm[8], c[8] = {0};
	for (size_t i = 0; i < n; i++)
		perm[i] = (int)i;
	for (;;) {
		int inv = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				inv += perm[i] > perm[j];
		counts[inv]++;
		size_t i = 1;
		while (i < n && c[i] >= (int)i) {
			c[i] = 0;
			i++;
		}
		if (i >= n)
			break;
		int sw = (i % 2 == 0) ? 0 : c[i];
		int t = perm[sw];
		perm[sw] = perm[i];
		perm[i] = t;
		c[i]++;
	}
}

static void test_exact_vs_enumeration(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	for (size_t n = 1; n <= 8; n++) {
		double counts[29] = {0}, fact = 1;
		for (size_t i = 2; i <= n; i++)
			fact *= (double)i;
		enumerate(n, counts);
		int64_t m = (int64_t)(n * (n - 1) / 2);
		double cum = 0;
		for (int64_t q = 0; q <= m; q++) {
			cum += counts[q];
			double p;
			assert_int_equal(sm_kendall_exact_cdf(ctx, n, q, &p), SM_OK);
			sm_check_close(p, cum / fact, 1e-14, 0, "P(T <= %lld), n=%zu",
				       (long long)q, n);
		}
		double p;
		assert_int_equal(sm_kendall_exact_cdf(ctx, n, -1, &p), SM_OK);
		assert_true(p == 0);
		assert_int_equal(sm_kendall_exact_cdf(ctx, n, m + 5, &p), SM_OK);
		assert_true(p == 1);
	}
	sm_ctx_free(ctx);
}

/* Reference values: exact Mahonian counts summed and divided by n! in
 * integer arithmetic, printed to 20 significant digits. */
static void test_exact_vs_big_integers(void **state)
{
	(void)state;
	static const struct {
		size_t n;
		int64_t q;
		double p;
	} ref[] = {
		{50, 0, 3.287949416633158067e-65},
		{50, 100, 4.2673563796914924604e-26},
		{50, 300, 2.0194769885261895462e-8},
		{50, 612, 0.5},
		{171, 1000, 1.0721257304551394711e-103},
		{171, 5000, 3.3999213763504140327e-10},
		{171, 7267, 0.5},
		{300, 10000, 1.0966023717784370483e-53},
		{300, 20000, 0.002581469102311559676},
	};
	struct sm_ctx *ctx = sm_ctx_new();
	for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
		double p;
		assert_int_equal(sm_kendall_exact_cdf(ctx, ref[i].n, ref[i].q, &p), SM_OK);
		sm_check_close(p, ref[i].p, 1e-13, 0, "P(T <= %lld), n=%zu",
			       (long long)ref[i].q, ref[i].n);
	}
	sm_ctx_free(ctx);
}

/* Two-sided p-value rule of cor.test and the symmetry of the distribution,
 * including upper-half cdf values and the largest supported n. */
static void test_exact_pval_rule(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	double p, lo, hi;
	/* n = 4, M = 6: counts 1 3 5 6 5 3 1 over 24 */
	assert_int_equal(sm_kendall_exact_pval(ctx, 4, 0, &p), SM_OK);
	sm_check_close(p, 2.0 / 24, 1e-15, 0, "p(q=0)");
	assert_int_equal(sm_kendall_exact_pval(ctx, 4, 5, &p), SM_OK);
	sm_check_close(p, 2 * 4.0 / 24, 1e-15, 0, "p(q=5)");
	assert_int_equal(sm_kendall_exact_pval(ctx, 4, 3, &p), SM_OK);
	assert_true(p == 1);
	/* k = 2: the only outcomes give p = 1 (golden: statistic 0, p 1) */
	assert_int_equal(sm_kendall_exact_pval(ctx, 2, 0, &p), SM_OK);
	assert_true(p == 1);
	assert_int_equal(sm_kendall_exact_cdf(ctx, 300, 30000, &hi), SM_OK);
	assert_int_equal(sm_kendall_exact_cdf(ctx, 300, 44850 - 30000 - 1, &lo), SM_OK);
	sm_check_close(hi + lo, 1.0, 1e-15, 0, "symmetry n=300");
	size_t n = SM_KENDALL_EXACT_MAX_N;
	int64_t m = (int64_t)n * (int64_t)(n - 1) / 2;
	assert_int_equal(sm_kendall_exact_pval(ctx, n, m / 2 - 20000, &p), SM_OK);
	/* ~3.8 sd below the centre: the normal approximation is close */
	double sd = sqrt((double)n * (n - 1) * (2.0 * n + 5) / 72);
	double z = -20000.0 / sd;
	assert_true(fabs(p - erfc(-z / sqrt(2.0))) < 2e-3);
	assert_int_equal(sm_kendall_exact_cdf(ctx, n + 1, 0, &p), SM_EINPUT);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tau_b_random_with_ties),
		cmocka_unit_test(test_tau_b_large),
		cmocka_unit_test(test_tau_b_constant_and_errors),
		cmocka_unit_test(test_exact_vs_enumeration),
		cmocka_unit_test(test_exact_vs_big_integers),
		cmocka_unit_test(test_exact_pval_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
