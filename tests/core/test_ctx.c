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
	sm_ctx_truncate_warnings(ctx, 25); /* beyond the end: nothing */
	assert_int_equal(sm_ctx_warning_count(ctx), 20);
	sm_ctx_truncate_warnings(ctx, 5);
	assert_int_equal(sm_ctx_warning_count(ctx), 5);
	assert_string_equal(sm_ctx_warning(ctx, 4), "warning 4");
	assert_null(sm_ctx_warning(ctx, 5));
	sm_ctx_warn(ctx, "again");
	assert_string_equal(sm_ctx_warning(ctx, 5), "again");
	sm_ctx_clear_warnings(ctx);
	assert_int_equal(sm_ctx_warning_count(ctx), 0);
	sm_ctx_free(ctx);
}

/* A counted object: the cache slot must destroy exactly what it owns. */
struct counted {
	int *destroyed;
};

static void destroy_counted(void *obj)
{
	struct counted *c = obj;
	(*c->destroyed)++;
	free(c);
}

static struct counted *counted_new(int *destroyed)
{
	struct counted *c = malloc(sizeof *c);
	assert_non_null(c);
	c->destroyed = destroyed;
	return c;
}

static void cache_slot_owns_its_object(void **state)
{
	(void)state;
	static const char key_a = 'a', key_b = 'b';
	int gone_a = 0, gone_b = 0;
	struct sm_ctx *ctx = sm_ctx_new();
	assert_null(sm_ctx_cache(ctx, &key_a));
	struct counted *a = counted_new(&gone_a);
	sm_ctx_set_cache(ctx, &key_a, a, destroy_counted);
	assert_ptr_equal(sm_ctx_cache(ctx, &key_a), a);
	/* another stage's key does not see it, and NULL is no key */
	assert_null(sm_ctx_cache(ctx, &key_b));
	assert_null(sm_ctx_cache(ctx, NULL));
	/* setting the same object again must not destroy it */
	sm_ctx_set_cache(ctx, &key_a, a, destroy_counted);
	assert_int_equal(gone_a, 0);
	/* replacing destroys the old one, once */
	struct counted *b = counted_new(&gone_b);
	sm_ctx_set_cache(ctx, &key_b, b, destroy_counted);
	assert_int_equal(gone_a, 1);
	assert_null(sm_ctx_cache(ctx, &key_a));
	assert_ptr_equal(sm_ctx_cache(ctx, &key_b), b);
	/* errors and warnings being cleared leave the slot alone */
	SM_FAIL(ctx, SM_EINPUT, "x");
	sm_ctx_clear_error(ctx);
	sm_ctx_clear_warnings(ctx);
	assert_ptr_equal(sm_ctx_cache(ctx, &key_b), b);
	sm_ctx_free(ctx);
	assert_int_equal(gone_b, 1);
	assert_int_equal(gone_a, 1);
	assert_null(sm_ctx_cache(NULL, &key_a));
}

/* A cleared internal error (out of memory) is counted and kept, so that a
 * stage can fail with it; a step's own input error is simply cleared. */
static void cleared_internal_error_is_kept(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	assert_non_null(ctx);
	SM_FAIL(ctx, SM_EINPUT, "a step failed for these data");
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_ctx_internal_cleared(ctx), 0);
	SM_FAIL(ctx, SM_EINTERNAL, "out of memory (step %d)", 1);
	sm_ctx_clear_error(ctx);
	assert_null(sm_ctx_error(ctx));
	assert_int_equal(sm_ctx_internal_cleared(ctx), 1);
	SM_FAIL(ctx, SM_EINTERNAL, "out of memory (step %d)", 2);
	sm_ctx_clear_error(ctx);
	assert_int_equal(sm_ctx_internal_cleared(ctx), 2);
	assert_int_equal(sm_ctx_raise_cleared(ctx), SM_EINTERNAL);
	const struct sm_diag *d = sm_ctx_error(ctx);
	assert_non_null(d);
	assert_int_equal(d->code, SM_EINTERNAL);
	assert_string_equal(d->msg, "out of memory (step 2)");
	/* a recorded error is not replaced */
	sm_ctx_clear_error(ctx);
	SM_FAIL(ctx, SM_EOUTPUT, "cannot write");
	sm_ctx_raise_cleared(ctx);
	assert_int_equal(sm_ctx_error(ctx)->code, SM_EOUTPUT);
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
		cmocka_unit_test(cleared_internal_error_is_kept),
		cmocka_unit_test(cache_slot_owns_its_object),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
