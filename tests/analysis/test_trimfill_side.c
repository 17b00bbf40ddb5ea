/*
 * test_trimfill_side.c -- from SM_TRIMFILL_FAST_K studies on, an analysis
 * takes trim-and-fill's side from Egger's slope instead of fitting the
 * meta-regression yi ~ sqrt(vi) a second time (src/analysis/
 * sm_analysis_json.c, write_trimfill).  The trimfill block of the results
 * must be, to the bit, what sm_trimfill() gives when it fits the side
 * itself with the analysis' options: missing studies on the left and on
 * the right, REML and DL, z and knha tests, and every yi equal (Egger's
 * slope is exactly 0 there, a direct fit's is rounding noise whose sign
 * decides the side, so the slope must not be taken).
 */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_results.h"
#include "sm_review_read.h"
#include "sm_rma.h"
#include "sm_run_settings.h"
#include "sm_trimfill.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct data {
	double *y, *v;
	size_t k;
};

/* Studies with the small ones of low effect left out (asymmetry, so k0 > 0),
 * mirrored when sign is -1 (missing on the other side); flat: every yi
 * the same. */
static struct data make_data(size_t k, double sign, int flat, unsigned long seed)
{
	struct data d = {malloc(k * sizeof *d.y), malloc(k * sizeof *d.v), 0};
	assert_non_null(d.y);
	assert_non_null(d.v);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, seed);
	while (d.k < k) {
		double v = 0.01 + 0.49 * gsl_rng_uniform(r);
		double y = 0.2 + gsl_ran_gaussian(r, sqrt(v + 0.1));
		if (v > 0.3 && y < 0.2)
			continue;
		d.y[d.k] = flat ? 0.1 : sign * y;
		d.v[d.k++] = v;
	}
	gsl_rng_free(r);
	return d;
}

static char *csv_of(const struct data *d)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "study,yi,vi\n");
	for (size_t i = 0; i < d->k; i++) {
		char line[96];
		int n = snprintf(line, sizeof line, "s%zu,%.17g,%.17g\n", i + 1, d->y[i], d->v[i]);
		sm_buf_append(&b, line, (size_t)n);
	}
	return sm_buf_take(&b);
}

/* The member is want to the bit (null for NaN, as the results write it). */
static void same(const cJSON *o, const char *key, double want)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
	if (isnan(want)) {
		assert_true(cJSON_IsNull(n));
		return;
	}
	assert_true(cJSON_IsNumber(n));
	if (n->valuedouble != want)
		fail_msg("trimfill.%s: %.17g, expected %.17g", key, n->valuedouble, want);
}

static void check(const struct data *d, const char *method, const char *test)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *text = csv_of(d);
	struct sm_review *r = sm_review_parse_csv(ctx, "t.csv", text, strlen(text));
	if (!r)
		fail_msg("%s", sm_diag_format(sm_ctx_error(ctx)));
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	o.method = method;
	o.test = test;
	o.no_studies = 1;
	cJSON *res = sm_results_build(ctx, r, &o);
	if (!res)
		fail_msg("%s", sm_diag_format(sm_ctx_error(ctx)));
	const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "analyses"), 0);
	const cJSON *tf = cJSON_GetObjectItem(a, "trimfill");
	assert_non_null(tf);

	/* the reference: trim and fill fitting its side model itself */
	struct sm_run_settings s;
	assert_int_equal(sm_run_settings_resolve(ctx, r, &o, &s), SM_OK);
	struct sm_rma_opts ro = sm_run_settings_rma(&s);
	struct sm_rma_fit full;
	assert_int_equal(sm_rma_fit(ctx, d->y, d->v, d->k, &ro, &full), SM_OK);
	struct sm_trimfill t;
	sm_status st = sm_trimfill(ctx, d->y, d->v, d->k, &ro, &full, &t);
	if (st != SM_OK) {
		/* the analysis failed it the same way: k0 null */
		assert_false(cJSON_IsNumber(cJSON_GetObjectItem(tf, "k0")));
		sm_ctx_clear_error(ctx);
	} else {
		const char *side = cJSON_GetObjectItem(tf, "side")->valuestring;
		assert_string_equal(side, t.side_right ? "right" : "left");
		same(tf, "k0", (double)t.k0);
		same(tf, "k0_se", t.se_k0);
		same(tf, "estimate", t.fit.b);
		same(tf, "se", t.fit.se);
		same(tf, "ci_lb", t.fit.ci_lb);
		sm_trimfill_release(&t);
	}
	cJSON_Delete(res);
	sm_review_free(r);
	free(text);
	sm_ctx_free(ctx);
}

static void test_sides(void **state)
{
	(void)state;
	struct data left = make_data(2500, 1, 0, 99), right = make_data(2500, -1, 0, 99);
	check(&left, "REML", "z");
	check(&right, "REML", "z");
	check(&left, "REML", "knha");
	check(&right, "DL", "knha");
	check(&left, "DL", "z");
	free(left.y);
	free(left.v);
	free(right.y);
	free(right.v);
}

static void test_all_equal(void **state)
{
	(void)state;
	struct data flat = make_data(SM_TRIMFILL_FAST_K + 200, 1, 1, 8);
	/* 0.1 and seed 8: the direct fit's slope is negative noise, side "right" */
	check(&flat, "DL", "z");
	check(&flat, "REML", "z");
	free(flat.y);
	free(flat.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sides),
		cmocka_unit_test(test_all_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
