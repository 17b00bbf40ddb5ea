/*
 * Mantel-Haenszel (rma.mh) against every `mh` object of every 2x2 golden
 * dataset, counts read from its input.csv; hand-checked cases for what
 * metafor returns as NA (R or S = 0), a single informative table, the
 * double-zero table in the RD denominator, and input errors.
 */
#include "sm_test.h"

#include "sm_golden.h"
#include "sm_mh.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-10
#define ABS 1e-13

static double num(const cJSON *node, const char *path)
{
	double v;
	if (!sm_golden_num(node, path, &v))
		fail_msg("golden value %s missing", path);
	return v;
}

static void check_scalar(const char *where, const cJSON *g, const char *key, double got)
{
	sm_check_close(got, num(g, key), REL, ABS, "%s %s", where, key);
}

static void check_mh(const char *where, const cJSON *g, const struct sm_golden_tables *t,
		     enum sm_mh_measure m)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_mh_result *r = NULL;
	assert_int_equal(sm_mh_run(ctx, m, t->ai, t->n1i, t->ci, t->n2i, t->k, 95, &r), SM_OK);
	assert_int_equal(r->k, (size_t)num(g, "k"));
	assert_int_equal(r->k_yi, (size_t)num(g, "k.yi"));
	check_scalar(where, g, "b", r->b);
	check_scalar(where, g, "se", r->se);
	check_scalar(where, g, "zval", r->zval);
	check_scalar(where, g, "pval", r->pval);
	check_scalar(where, g, "ci.lb", r->ci_lb);
	check_scalar(where, g, "ci.ub", r->ci_ub);
	check_scalar(where, g, "QE", r->QE);
	check_scalar(where, g, "QEdf", r->QEdf);
	check_scalar(where, g, "QEp", r->QEp);
	check_scalar(where, g, "I2", r->I2);
	check_scalar(where, g, "H2", r->H2);
	if (m != SM_MH_RD)
		check_scalar(where, g, "b_exp", r->b_exp);
	else
		assert_true(isnan(r->b_exp));
	if (m == SM_MH_OR) {
		static const char *keys[] = {"CMH", "CMHp", "CO", "COp", "BD", "BDp", "TA", "TAp"};
		double got[] = {r->CMH, r->CMHp, r->CO, r->COp, r->BD, r->BDp, r->TA, r->TAp};
		for (size_t i = 0; i < 8; i++)
			check_scalar(where, g, keys[i], got[i]);
		assert_int_equal(r->k_pos, (long)num(g, "k.pos"));
	} else {
		assert_int_equal(r->k_pos, -1);
		assert_true(isnan(r->CMH) && isnan(r->BD));
	}
	assert_null(r->note);
	for (size_t i = 0; i < t->k; i++) {
		double y, v;
		assert_true(sm_golden_num_at(g, "yi", i, &y));
		assert_true(sm_golden_num_at(g, "vi", i, &v));
		sm_check_close(r->yi[i], y, REL, ABS, "%s yi[%zu]", where, i);
		sm_check_close(r->vi[i], v, REL, ABS, "%s vi[%zu]", where, i);
	}
	sm_mh_result_free(r);
	sm_ctx_free(ctx);
}

static void test_golden(void **state)
{
	(void)state;
	static const char *names[] = {"OR", "RR", "RD"};
	size_t nds, checked = 0;
	char **ds = sm_golden_datasets(&nds);
	for (size_t d = 0; d < nds; d++) {
		struct sm_golden *gd = sm_golden_load(ds[d]);
		assert_non_null(gd);
		const cJSON *root = sm_golden_root(gd);
		const char *type = sm_golden_str(root, "meta/input_type");
		struct sm_golden_csv *csv = NULL;
		if (type && strcmp(type, "2x2") == 0)
			csv = sm_golden_csv_load(ds[d]);
		const cJSON *an = sm_golden_get(root, "analyses");
		for (int a = 0; csv && a < cJSON_GetArraySize(an); a++) {
			const cJSON *ana = cJSON_GetArrayItem(an, a);
			struct sm_golden_tables t;
			sm_golden_tables_load(csv, ana, &t);
			for (int m = 0; m < 3; m++) {
				char path[64], where[160];
				snprintf(path, sizeof path, "measures/%s/mh", names[m]);
				const cJSON *g = sm_golden_get(ana, path);
				if (!g)
					continue;
				snprintf(where, sizeof where, "%s/%d/%s mh", ds[d], a, names[m]);
				check_mh(where, g, &t, (enum sm_mh_measure)m);
				checked++;
			}
			sm_golden_tables_release(&t);
		}
		sm_golden_csv_free(csv);
		sm_golden_free(gd);
		free(ds[d]);
	}
	free(ds);
	printf("mh: %zu golden results compared\n", checked);
	assert_true(checked >= 48);
}

/* No events in the treated arms: R = 0, metafor returns NA for the
 * estimate and everything built on it; the CMH tests still exist. */
static void test_or_r_zero(void **state)
{
	(void)state;
	double ai[] = {0, 0}, n1i[] = {10, 12}, ci[] = {3, 2}, n2i[] = {10, 11};
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_mh_result *r;
	assert_int_equal(sm_mh_run(ctx, SM_MH_OR, ai, n1i, ci, n2i, 2, 95, &r), SM_OK);
	assert_true(isnan(r->b) && isnan(r->se) && isnan(r->pval) && isnan(r->ci_lb));
	assert_true(isnan(r->b_exp) && isnan(r->QE) && isnan(r->I2) && isnan(r->H2));
	assert_true(isnan(r->BD) && isnan(r->TA));
	assert_int_equal(r->k_pos, 0);
	assert_non_null(r->note);
	assert_true(isfinite(r->CMH) && isfinite(r->CO));
	/* both tables have a yi (1/2 added), so the QE df still exists */
	assert_int_equal(r->k_yi, 2);
	assert_true(r->QEdf == 1);
	sm_mh_result_free(r);
	assert_int_equal(sm_mh_run(ctx, SM_MH_RR, ci, n2i, ai, n1i, 2, 95, &r), SM_OK);
	assert_true(isnan(r->b) && isnan(r->b_exp));
	assert_non_null(r->note);
	sm_mh_result_free(r);
	sm_ctx_free(ctx);
}

/* One informative table plus a double-zero one: k_yi = 1 gives metafor's
 * QE = 0, QEp = 1, I2 = 0, H2 = 1; the double-zero table still enters
 * the RD denominator: b = (2*10/20 - 1*10/20)/(10*10/20 + 20*20/40) = 1/30. */
static void test_single_table_and_rd(void **state)
{
	(void)state;
	double ai[] = {2, 0}, n1i[] = {10, 20}, ci[] = {1, 0}, n2i[] = {10, 20};
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_mh_result *r;
	assert_int_equal(sm_mh_run(ctx, SM_MH_RD, ai, n1i, ci, n2i, 2, 95, &r), SM_OK);
	sm_check_close(r->b, 1.0 / 30, 1e-15, 0, "RD with double-zero table");
	assert_int_equal(r->k, 2);
	assert_int_equal(r->k_yi, 1);
	assert_true(isnan(r->yi[1]) && isnan(r->vi[1]));
	sm_check_close(r->yi[0], 0.1, 1e-15, 0, "RD yi");
	sm_check_close(r->vi[0], 0.2 * 0.8 / 10 + 0.1 * 0.9 / 10, 1e-15, 0, "RD vi");
	assert_true(r->QE == 0 && r->QEp == 1 && r->I2 == 0 && r->H2 == 1);
	assert_true(r->QEdf == 0);
	sm_mh_result_free(r);
	/* OR of the single 2x2 table: b = log(ad/bc) = log(2*9/(8*1)) */
	assert_int_equal(sm_mh_run(ctx, SM_MH_OR, ai, n1i, ci, n2i, 2, 95, &r), SM_OK);
	sm_check_close(r->b, log(18.0 / 8.0), 1e-14, 0, "OR single table");
	assert_int_equal(r->k_pos, 1);
	assert_true(isfinite(r->BD) && isnan(r->BDp));
	sm_mh_result_free(r);
	sm_ctx_free(ctx);
}

static void test_input_errors(void **state)
{
	(void)state;
	double ai[] = {11}, n1i[] = {10}, ci[] = {1}, n2i[] = {10}, zero[] = {0};
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_mh_result *r = NULL;
	assert_int_equal(sm_mh_run(ctx, SM_MH_OR, ai, n1i, ci, n2i, 1, 95, &r), SM_EINPUT);
	assert_null(r);
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_mh_run(ctx, SM_MH_OR, zero, zero, zero, zero, 1, 95, &r),
			 SM_EINPUT);
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_mh_run(ctx, SM_MH_RR, ci, n1i, ci, n2i, 1, 100, &r), SM_EINPUT);
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_mh_run(ctx, SM_MH_PETO, ci, n1i, ci, n2i, 1, 95, &r), SM_EINPUT);
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_mh_run(ctx, SM_MH_RD, ci, n1i, ci, n2i, 0, 95, &r), SM_EINPUT);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_or_r_zero),
		cmocka_unit_test(test_single_table_and_rd),
		cmocka_unit_test(test_input_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
