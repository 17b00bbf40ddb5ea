/*
 * Peto's method (rma.peto) against every `peto` object of every 2x2 golden
 * dataset, counts read from its input.csv; hand-checked single-table case
 * and metafor's refusal when one outcome never occurs.
 */
#include "sm_test.h"

#include "sm_golden.h"
#include "sm_peto.h"

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

static void check_peto(const char *where, const cJSON *g, const struct sm_golden_tables *t)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_peto_result *r = NULL;
	assert_int_equal(sm_peto_run(ctx, t->ai, t->n1i, t->ci, t->n2i, t->k, 95, &r), SM_OK);
	assert_int_equal(r->k, (size_t)num(g, "k"));
	assert_int_equal(r->k_yi, (size_t)num(g, "k.yi"));
	assert_int_equal(r->k_pos, (size_t)num(g, "k.pos"));
	static const char *keys[] = {"b", "b_exp", "se", "zval", "pval", "ci.lb", "ci.ub",
				     "QE", "QEdf", "QEp", "I2", "H2"};
	double got[] = {r->b, r->b_exp, r->se, r->zval, r->pval, r->ci_lb, r->ci_ub,
			r->QE, r->QEdf, r->QEp, r->I2, r->H2};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		sm_check_close(got[i], num(g, keys[i]), REL, ABS, "%s %s", where, keys[i]);
	for (size_t i = 0; i < t->k; i++) {
		double y, v;
		assert_true(sm_golden_num_at(g, "yi", i, &y));
		assert_true(sm_golden_num_at(g, "vi", i, &v));
		sm_check_close(r->yi[i], y, REL, ABS, "%s yi[%zu]", where, i);
		sm_check_close(r->vi[i], v, REL, ABS, "%s vi[%zu]", where, i);
	}
	sm_peto_result_free(r);
	sm_ctx_free(ctx);
}

static void test_golden(void **state)
{
	(void)state;
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
			const cJSON *g = sm_golden_get(ana, "measures/OR/peto");
			if (!g)
				continue;
			struct sm_golden_tables t;
			sm_golden_tables_load(csv, ana, &t);
			char where[160];
			snprintf(where, sizeof where, "%s/%d peto", ds[d], a);
			check_peto(where, g, &t);
			checked++;
			sm_golden_tables_release(&t);
		}
		sm_golden_csv_free(csv);
		sm_golden_free(gd);
		free(ds[d]);
	}
	free(ds);
	printf("peto: %zu golden results compared\n", checked);
	assert_true(checked >= 16);
}

/* One table 2/10 vs 1/10 plus one without events: Ei = 3*10/20 = 1.5,
 * Vi = 3*17*(1/2)(1/2)/19, b = 0.5/Vi; the empty table has Vi = 0, so
 * k_pos = 1 and metafor's QEp = 1, I2 = 0, H2 = 1. */
static void test_hand_checked(void **state)
{
	(void)state;
	double ai[] = {2, 0}, n1i[] = {10, 5}, ci[] = {1, 0}, n2i[] = {10, 5};
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_peto_result *r;
	assert_int_equal(sm_peto_run(ctx, ai, n1i, ci, n2i, 2, 95, &r), SM_OK);
	double v = 3.0 * 17.0 * 0.25 / 19.0;
	sm_check_close(r->b, 0.5 / v, 1e-14, 0, "peto b");
	sm_check_close(r->se, 1 / sqrt(v), 1e-14, 0, "peto se");
	sm_check_close(r->yi[0], 0.5 / v, 1e-14, 0, "peto yi");
	sm_check_close(r->vi[0], 1 / v, 1e-14, 0, "peto vi");
	assert_true(isnan(r->yi[1]));
	assert_int_equal(r->k_pos, 1);
	assert_int_equal(r->k_yi, 1);
	assert_true(r->QE == 0 && r->QEp == 1 && r->I2 == 0 && r->H2 == 1);
	sm_peto_result_free(r);
	sm_ctx_free(ctx);
}

static void test_no_events(void **state)
{
	(void)state;
	double zero[] = {0, 0}, n[] = {10, 12};
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_peto_result *r = NULL;
	assert_int_equal(sm_peto_run(ctx, zero, n, zero, n, 2, 95, &r), SM_EINPUT);
	assert_null(r);
	const struct sm_diag *e = sm_ctx_error(ctx);
	assert_non_null(e);
	assert_non_null(strstr(e->msg, "peto"));
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_hand_checked),
		cmocka_unit_test(test_no_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
