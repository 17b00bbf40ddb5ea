/*
 * Fail-safe N against every `fsn` object of every golden dataset (yi/vi
 * from the golden escalc), the rounding rule, and Orwin's infinite N.
 */
#include "sm_test.h"

#include "sm_fsn.h"
#include "sm_golden.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define REL 1e-10
#define ABS 1e-13

static double num(const cJSON *node, const char *path)
{
	double v;
	if (!sm_golden_num(node, path, &v))
		fail_msg("golden value %s missing", path);
	return v;
}

static void check_fsn(const char *where, const char *name, const cJSON *g,
		      const struct sm_fsn *f)
{
	assert_string_equal(f->type, sm_golden_str(g, "type"));
	/* fsnum is an integer (or Inf): exact */
	sm_check_close(f->fsnum, num(g, "fsnum"), 0, 0, "%s %s fsnum", where, name);
	sm_check_close(f->alpha, num(g, "alpha"), 0, 0, "%s %s alpha", where, name);
	sm_check_close(f->pval, num(g, "pval"), REL, ABS, "%s %s pval", where, name);
	sm_check_close(f->meanes, num(g, "meanes"), REL, ABS, "%s %s meanes", where, name);
	sm_check_close(f->target, num(g, "target"), REL, ABS, "%s %s target", where, name);
}

static void check_one(const char *where, const cJSON *m)
{
	size_t k = sm_golden_len(m, "escalc/yi");
	assert_int_equal(k, sm_golden_len(m, "escalc/vi"));
	double *yi = calloc(k, sizeof *yi), *vi = calloc(k, sizeof *vi);
	assert_true(yi && vi);
	for (size_t i = 0; i < k; i++) {
		assert_true(sm_golden_num_at(m, "escalc/yi", i, &yi[i]));
		assert_true(sm_golden_num_at(m, "escalc/vi", i, &vi[i]));
	}
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_fsn_all f;
	assert_int_equal(sm_fsn_run(ctx, yi, vi, k, 0.05, &f), SM_OK);
	check_fsn(where, "Rosenthal", sm_golden_get(m, "fsn/Rosenthal"), &f.rosenthal);
	check_fsn(where, "Orwin", sm_golden_get(m, "fsn/Orwin"), &f.orwin);
	check_fsn(where, "Orwin_weighted", sm_golden_get(m, "fsn/Orwin_weighted"),
		  &f.orwin_weighted);
	check_fsn(where, "Rosenberg", sm_golden_get(m, "fsn/Rosenberg"), &f.rosenberg);
	sm_ctx_free(ctx);
	free(yi);
	free(vi);
}

static void test_golden(void **state)
{
	(void)state;
	size_t nds, checked = 0;
	char **ds = sm_golden_datasets(&nds);
	for (size_t d = 0; d < nds; d++) {
		struct sm_golden *gd = sm_golden_load(ds[d]);
		assert_non_null(gd);
		const cJSON *an = sm_golden_get(sm_golden_root(gd), "analyses");
		for (int a = 0; a < cJSON_GetArraySize(an); a++) {
			const cJSON *ms = sm_golden_get(cJSON_GetArrayItem(an, a), "measures");
			const cJSON *m;
			cJSON_ArrayForEach(m, ms) {
				if (!sm_golden_get(m, "fsn"))
					continue;
				char where[160];
				snprintf(where, sizeof where, "%s/%d/%s", ds[d], a, m->string);
				check_one(where, m);
				checked++;
			}
		}
		sm_golden_free(gd);
		free(ds[d]);
	}
	free(ds);
	printf("fsn: %zu golden results compared\n", checked);
	assert_true(checked >= 48);
}

static void test_rounding(void **state)
{
	(void)state;
	double eps = sqrt(DBL_EPSILON);
	assert_true(sm_fsn_round(4.0) == 4);
	assert_true(sm_fsn_round(4.0 + 1e-12) == 4);  /* noise above an integer */
	assert_true(sm_fsn_round(4.0 - 1e-12) == 4);  /* noise below */
	assert_true(sm_fsn_round(4.0 + 4 * eps) == 5); /* genuinely above */
	assert_true(sm_fsn_round(3.2) == 4);
	assert_true(sm_fsn_round(-2.5) == 0);
	assert_true(isinf(sm_fsn_round(INFINITY)));
}

/* Orwin with mean effect 0: target 0 can never be reached, N = Inf; and
 * the Stouffer Z is 0, so Rosenthal's p is 1/2 and N is 0. */
static void test_orwin_infinite(void **state)
{
	(void)state;
	double yi[] = {-1, 1}, vi[] = {0.25, 0.25};
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_fsn_all f;
	assert_int_equal(sm_fsn_run(ctx, yi, vi, 2, 0.05, &f), SM_OK);
	assert_true(isinf(f.orwin.fsnum) && f.orwin.fsnum > 0);
	assert_true(isinf(f.orwin_weighted.fsnum));
	assert_true(f.rosenthal.fsnum == 0);
	sm_check_close(f.rosenthal.pval, 0.5, 1e-15, 0, "Rosenthal p at Z = 0");
	/* Rosenthal by hand: yi = (1, 1), vi = 0.25 -> zi = 2, Z = 4/sqrt(2),
	 * N = 2 (Z/1.6449)^2 - 2 = 3.91... -> 4 */
	double y2[] = {1, 1};
	assert_int_equal(sm_fsn_run(ctx, y2, vi, 2, 0.05, &f), SM_OK);
	double z = 4 / sqrt(2.0), crit = 1.6448536269514722;
	assert_true(f.rosenthal.fsnum == ceil(2 * (z / crit) * (z / crit) - 2));
	assert_true(f.rosenthal.fsnum == 4);
	assert_int_equal(sm_fsn_run(ctx, y2, vi, 0, 0.05, &f), SM_EINPUT);
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_fsn_run(ctx, y2, vi, 2, 1.5, &f), SM_EINPUT);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_orwin_infinite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
