/* escalc: hand-computed 2x2 and proportion effects, the continuity
 * correction ledger, and input validation. */
#include "sm_test.h"

#include "sm_escalc.h"

#include <math.h>

static void test_or_rr_rd_no_zero(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	double ai = 9, n1 = 34, ci = 7, n2 = 19;
	struct sm_escalc_row r;
	struct sm_escalc_opts o = sm_escalc_defaults(SM_OR);
	assert_int_equal(sm_escalc_2x2(ctx, &ai, &n1, &ci, &n2, 1, &o, &r), SM_OK);
	/* log((9/25)/(7/12)) and 1/9 + 1/25 + 1/7 + 1/12 */
	sm_check_close(r.yi, log((9.0 / 25) / (7.0 / 12)), 1e-14, 0, "OR yi");
	sm_check_close(r.vi, 1.0 / 9 + 1.0 / 25 + 1.0 / 7 + 1.0 / 12, 1e-14, 0, "OR vi");
	assert_false(r.corrected);
	o = sm_escalc_defaults(SM_RR);
	sm_escalc_2x2(ctx, &ai, &n1, &ci, &n2, 1, &o, &r);
	sm_check_close(r.yi, log((9.0 / 34) / (7.0 / 19)), 1e-14, 0, "RR yi");
	sm_check_close(r.vi, 1.0 / 9 - 1.0 / 34 + 1.0 / 7 - 1.0 / 19, 1e-14, 0, "RR vi");
	o = sm_escalc_defaults(SM_RD);
	sm_escalc_2x2(ctx, &ai, &n1, &ci, &n2, 1, &o, &r);
	sm_check_close(r.yi, 9.0 / 34 - 7.0 / 19, 1e-14, 0, "RD yi");
	sm_ctx_free(ctx);
}

static void test_double_zero_corrected_not_dropped(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	double ai = 0, n1 = 10, ci = 0, n2 = 20;
	struct sm_escalc_row r;
	struct sm_escalc_opts o = sm_escalc_defaults(SM_RD);
	assert_int_equal(sm_escalc_2x2(ctx, &ai, &n1, &ci, &n2, 1, &o, &r), SM_OK);
	assert_true(r.corrected);
	assert_true(r.double_zero);
	assert_false(r.dropped);
	/* RD of a double-zero table is 0.5/11 - 0.5/21, not 0 */
	sm_check_close(r.yi, 0.5 / 11 - 0.5 / 21, 1e-14, 0, "RD double zero");
	o.drop00 = 1;
	sm_escalc_2x2(ctx, &ai, &n1, &ci, &n2, 1, &o, &r);
	assert_true(r.dropped);
	assert_true(isnan(r.yi));
	sm_ctx_free(ctx);
}

static void test_proportions(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	double x = 0, n = 10;
	struct sm_escalc_row r;
	struct sm_escalc_opts o = sm_escalc_defaults(SM_PLO);
	sm_escalc_prop(ctx, &x, &n, 1, &o, &r);
	assert_true(r.corrected);
	sm_check_close(r.yi, log(0.5 / 10.5), 1e-14, 0, "PLO yi");
	sm_check_close(r.vi, 1 / 0.5 + 1 / 10.5, 1e-14, 0, "PLO vi");
	o = sm_escalc_defaults(SM_PAS);
	sm_escalc_prop(ctx, &x, &n, 1, &o, &r);
	assert_false(r.corrected);
	sm_check_close(r.vi, 1.0 / 40, 1e-15, 0, "PAS vi");
	o = sm_escalc_defaults(SM_PFT);
	sm_escalc_prop(ctx, &x, &n, 1, &o, &r);
	sm_check_close(r.yi, (asin(0) + asin(sqrt(1.0 / 11))) / 2, 1e-14, 0, "PFT yi");
	sm_ctx_free(ctx);
}

static void test_invalid_counts(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	double ai = 12, n1 = 10, ci = 0, n2 = 20;
	struct sm_escalc_row r;
	struct sm_escalc_opts o = sm_escalc_defaults(SM_OR);
	assert_int_equal(sm_escalc_2x2(ctx, &ai, &n1, &ci, &n2, 1, &o, &r), SM_EINPUT);
	assert_non_null(sm_ctx_error(ctx));
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_or_rr_rd_no_zero),
		cmocka_unit_test(test_double_zero_corrected_not_dropped),
		cmocka_unit_test(test_proportions),
		cmocka_unit_test(test_invalid_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
