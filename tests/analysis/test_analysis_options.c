/* The table of analysis options: each option sets what it says, refuses
 * what it cannot take with the command line's message, and the README's
 * table is generated from it. */
#include "sm_test.h"

#include "sm_analysis_options.h"

#include <stdlib.h>
#include <string.h>

static void test_table_is_well_formed(void **state)
{
	(void)state;
	size_t n;
	const struct sm_aopt *t = sm_analysis_options(&n);
	assert_true(n >= 18);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(t[i].set);
		assert_true(strlen(t[i].help) > 0);
		/* a value has a name in --help; a flag has none */
		assert_int_equal(t[i].metavar != NULL, t[i].value != SM_AOPT_NONE);
		assert_int_equal(t[i].choices != NULL, t[i].value == SM_AOPT_OPTIONAL);
		assert_ptr_equal(sm_analysis_option_named(t[i].name), &t[i]);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(t[i].name, t[j].name);
	}
	assert_null(sm_analysis_option_named("output"));
}

static void set_ok(struct sm_analysis_opts *o, const char *name, const char *value)
{
	struct sm_ctx *ctx = sm_ctx_new();
	assert_int_equal(sm_analysis_opts_set(ctx, o, name, value), SM_OK);
	sm_ctx_free(ctx);
}

static void test_values_are_stored(void **state)
{
	(void)state;
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	set_ok(&o, "add", "0.25");
	set_ok(&o, "level", "90");
	set_ok(&o, "method", "REML");
	set_ok(&o, "outcome-by", "event");
	set_ok(&o, "drop00", NULL);
	set_ok(&o, "stepadj", "1");
	assert_true(o.add == 0.25 && o.add_set == 1);
	assert_true(o.level == 90 && o.level_set == 1);
	assert_string_equal(o.method, "REML");
	assert_string_equal(o.outcome_by, "event");
	assert_true(o.drop00 == 1 && o.drop00_set == 1);
	assert_true(o.stepadj == 1);
	assert_null(o.robust);
	set_ok(&o, "robust", NULL); /* alone: CR1, as metafor's robust() */
	assert_string_equal(o.robust, "cr1");
	set_ok(&o, "robust", "cr2");
	assert_string_equal(o.robust, "cr2");
}

static void set_fails(const char *name, const char *value, const char *message)
{
	struct sm_analysis_opts o;
	sm_analysis_opts_init(&o);
	struct sm_ctx *ctx = sm_ctx_new();
	assert_int_equal(sm_analysis_opts_set(ctx, &o, name, value), SM_EINPUT);
	char *m = sm_diag_format(sm_ctx_error(ctx));
	assert_non_null(m);
	assert_string_equal(m, message);
	free(m);
	sm_ctx_free(ctx);
}

static void test_bad_values_are_refused(void **state)
{
	(void)state;
	set_fails("add", "-1", "option '--add': expected a non-negative number, got '-1'");
	set_fails("add", "0.5x", "option '--add': expected a non-negative number, got '0.5x'");
	set_fails("level", "100", "option '--level': expected a percentage between 0 and 100, "
		  "got '100'");
	set_fails("stepadj", "0", "option '--stepadj': expected a number in (0, 1], got '0'");
	set_fails("model", "nested", "option '--model': expected standard or multilevel, "
		  "got 'nested'");
	set_fails("robust", "cr3", "option '--robust': expected cr1, cr2 or none, got 'cr3'");
	set_fails("cluster", "", "option '--cluster': expected a column name, got ''");
	set_fails("outcome-by", "arm", "option '--outcome-by': expected domain, event or none, "
		  "got 'arm'");
	set_fails("nope", "1", "unknown option '--nope'");
	set_fails("drop00", "yes", "option '--drop00' takes no value, got 'yes'");
	set_fails("method", NULL, "option '--method' needs a value");
}

static void test_readme_lists_the_table(void **state)
{
	(void)state;
	char *want = sm_analysis_options_markdown();
	assert_non_null(want);
	assert_non_null(strstr(want, "| `--robust[=T]` |"));
	assert_non_null(strstr(want, "metafor \\| revman5 \\| cochrane2025"));
	sm_test_readme_block("<!-- analysis-options:begin -->\n", "<!-- analysis-options:end -->",
			     want, "src/analysis/sm_analysis_options.c");
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_well_formed),
		cmocka_unit_test(test_values_are_stored),
		cmocka_unit_test(test_bad_values_are_refused),
		cmocka_unit_test(test_readme_lists_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
