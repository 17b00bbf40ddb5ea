/* The measures' vocabulary: the names of the scales they are pooled on
 * (the funnel's x axis when it is not a ratio's log axis). */
#include "sm_test.h"

#include "sm_measure.h"

#include <string.h>

static void test_scale_titles(void **state)
{
	(void)state;
	static const char *const want[][2] = {
		{ "OR", "Log odds ratio" }, { "RR", "Log risk ratio" },
		{ "PETO", "Log Peto odds ratio" }, { "RD", "Risk difference" },
		{ "PR", "Proportion" }, { "PLO", "Log odds (proportion)" },
		{ "PAS", "Arcsine-transformed proportion" },
		{ "PFT", "Freeman\xe2\x80\x93Tukey transformed proportion" },
		{ "GEN", "Effect size" }, { "HR", "Log hazard ratio" },
		{ "IRR", "Log incidence rate ratio" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(sm_measure_scale_title(want[i][0]), want[i][1]);
	/* unknown codes are generic effect sizes, as elsewhere */
	assert_string_equal(sm_measure_scale_title("XYZ"), "Effect size");
	assert_string_equal(sm_measure_scale_title(NULL), "Effect size");
	/* a ratio is pooled on its log; other scales are drawn as pooled */
	for (int m = SM_OR; m <= SM_GEN; m++) {
		const char *code = sm_measure_name((enum sm_measure)m);
		int ratio = sm_measure_axis(code) == SM_AXIS_RATIO;
		assert_int_equal(ratio, sm_measure_transf((enum sm_measure)m) == SM_TRANSF_EXP);
		assert_int_equal(ratio, !strncmp(sm_measure_scale_title(code), "Log ", 4) &&
					       strstr(sm_measure_scale_title(code), "ratio"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_titles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
