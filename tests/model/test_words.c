/* The vocabulary in words: every key a review may report (examples/FORMAT.md,
 * "reported.analyses[]") has words for tables and sentences. */
#include "sm_test.h"

#include "sm_words.h"

#include <string.h>

static void test_reported_keys(void **state)
{
	(void)state;
	static const char *const keys[] = { "k", "studies_stated", "z", "p", "ci_lb", "ci_ub",
					    "Q", "Q_p", "tau2", "I2", "H2", "se", "pi_lb", "pi_ub",
					    "rstudent_bound", "begg_p", "egger_p" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *w = sm_words_reported(keys[i]);
		assert_non_null(w);
		if (!strcmp(w, keys[i]) || strchr(w, '_'))
			fail_msg("reported key '%s' has no words ('%s')", keys[i], w);
	}
	assert_string_equal(sm_words_reported("estimate"), "estimate");
	assert_string_equal(sm_words_reported("ci_lb"), "lower CI bound");
	assert_string_equal(sm_words_reported("rstudent_bound"), "studentized-residual bound");
	assert_string_equal(sm_words_reported("tau2"), "\u03c4\u00b2");
	assert_string_equal(sm_words_reported("unknown_key"), "unknown_key");
	assert_null(sm_words_reported(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reported_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
