/* Tests of the context: first error wins, formatting, warnings. */
#include "sm_test.h"

#include "sm_ctx.h"

#include <stdlib.h>
#include <string.h>

static void first_error_wins(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	assert_int_equal(SM_FAIL_POS(ctx, SM_EINPUT, "a.csv", 3, 7, "ai",
				     "column 'ai': expected an integer, got '%s'", "x"),
			 SM_EINPUT);
	assert_int_equal(SM_FAIL(ctx, SM_EOUTPUT, "second"), SM_EOUTPUT);
	const struct sm_diag *d = sm_ctx_error(ctx);
	assert_non_null(d);
	assert_int_equal(d->code, SM_EINPUT);
	assert_string_equal(d->field, "ai");
	char *text = sm_diag_format(d);
	assert_string_equal(text, "a.csv:3:7: column 'ai': expected an integer, got 'x'");
	free(text);
	sm_ctx_clear_error(ctx);
	assert_null(sm_ctx_error(ctx));
	sm_ctx_free(ctx);
}

static void format_omits_unknown_parts(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	SM_FAIL_POS(ctx, SM_EINPUT, "r.json", 0, 0, NULL, "empty file");
	char *text = sm_diag_format(sm_ctx_error(ctx));
	assert_string_equal(text, "r.json: empty file");
	free(text);
	sm_ctx_clear_error(ctx);
	SM_FAIL_POS(ctx, SM_EINPUT, "r.json", 12, 0, NULL, "bad");
	text = sm_diag_format(sm_ctx_error(ctx));
	assert_string_equal(text, "r.json:12: bad");
	free(text);
	sm_ctx_free(ctx);
}

static void warnings_keep_order(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	for (int i = 0; i < 20; i++)
		sm_ctx_warn(ctx, "warning %d", i);
	assert_int_equal(sm_ctx_warning_count(ctx), 20);
	assert_string_equal(sm_ctx_warning(ctx, 0), "warning 0");
	assert_string_equal(sm_ctx_warning(ctx, 19), "warning 19");
	assert_null(sm_ctx_warning(ctx, 20));
	sm_ctx_clear_warnings(ctx);
	assert_int_equal(sm_ctx_warning_count(ctx), 0);
	sm_ctx_free(ctx);
}

static void status_names(void **state)
{
	(void)state;
	assert_string_equal(sm_strerror(SM_OK), "success");
	assert_string_equal(sm_strerror(SM_EOUTPUT), "output could not be written");
	sm_ctx_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_error_wins),
		cmocka_unit_test(format_omits_unknown_parts),
		cmocka_unit_test(warnings_keep_order),
		cmocka_unit_test(status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
