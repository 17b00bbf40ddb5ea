/* The risk-of-bias vocabulary: tools, default domains, scales, levels and
 * legend words, as RoB 1, RoB 2 and ROBINS-I spell them. */
#include "sm_test.h"

#include "sm_robscale.h"

#include <string.h>

static size_t count(const char *const *list)
{
	size_t n = 0;
	while (list[n])
		n++;
	return n;
}

static void test_tools(void **state)
{
	(void)state;
	assert_int_equal(count(sm_rob_tool_names), 3);
	const size_t domains[] = { 7, 5, 7 }, words[] = { 3, 3, 5 };
	for (size_t i = 0; i < 3; i++) {
		const struct sm_rob_tool *t = sm_rob_tool_named(sm_rob_tool_names[i]);
		assert_non_null(t);
		assert_string_equal(t->name, sm_rob_tool_names[i]);
		assert_int_equal(count(t->domains), domains[i]);
		assert_int_equal(count(t->words), words[i]);
		/* every word has a level and a legend word, and the levels rise */
		for (size_t w = 0; t->words[w]; w++) {
			assert_true(t->levels[w] >= 0 && t->levels[w] < SM_ROB_NLEVELS);
			assert_non_null(t->labels[w]);
			if (w > 0)
				assert_true(t->levels[w] > t->levels[w - 1]);
		}
	}
	assert_null(sm_rob_tool_named("RoB3"));
	assert_null(sm_rob_tool_named("rob2")); /* tool names are exact */
	assert_null(sm_rob_tool_named(NULL));
	assert_string_equal(sm_rob_tool_named("RoB1")->domains[0], "Random sequence generation");
	assert_string_equal(sm_rob_tool_named("RoB2")->domains[4],
			    "Selection of the reported result");
	assert_string_equal(sm_rob_tool_named("ROBINS-I")->domains[0], "Bias due to confounding");
}

/* Words to levels: each tool's own words, any case; the others refused. */
static void test_levels(void **state)
{
	(void)state;
	static const struct { const char *tool, *word; int level; } cases[] = {
		{ "RoB1", "low", SM_ROB_LOW }, { "RoB1", "unclear", SM_ROB_UNCLEAR },
		{ "RoB1", "high", SM_ROB_HIGH }, { "RoB1", "Low", SM_ROB_LOW },
		{ "RoB1", "some concerns", SM_ROB_NOT_ON_SCALE },
		{ "RoB2", "low", SM_ROB_LOW }, { "RoB2", "some concerns", SM_ROB_SOME },
		{ "RoB2", "Some Concerns", SM_ROB_SOME }, { "RoB2", "high", SM_ROB_HIGH },
		{ "RoB2", "unclear", SM_ROB_NOT_ON_SCALE },
		{ "ROBINS-I", "low", SM_ROB_LOW }, { "ROBINS-I", "moderate", SM_ROB_SOME },
		{ "ROBINS-I", "serious", SM_ROB_HIGH }, { "ROBINS-I", "critical", SM_ROB_CRITICAL },
		{ "ROBINS-I", "no information", SM_ROB_NOINFO },
		{ "ROBINS-I", "high", SM_ROB_NOT_ON_SCALE },
		{ "RoB3", "low", SM_ROB_NOT_ON_SCALE }, { NULL, "low", SM_ROB_NOT_ON_SCALE },
		{ "RoB2", NULL, SM_ROB_NONE }, { "RoB3", NULL, SM_ROB_NONE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (sm_rob_level_of(cases[i].tool, cases[i].word) != cases[i].level) {
			print_error("%s '%s': %d, expected %d\n", cases[i].tool ? cases[i].tool : "-",
				    cases[i].word ? cases[i].word : "null",
				    sm_rob_level_of(cases[i].tool, cases[i].word), cases[i].level);
			fail();
		}
	/* the review format's check is exact */
	const struct sm_rob_tool *rob2 = sm_rob_tool_named("RoB2");
	assert_true(sm_rob_tool_has_word(rob2, "some concerns"));
	assert_false(sm_rob_tool_has_word(rob2, "Some concerns"));
	assert_false(sm_rob_tool_has_word(rob2, "unclear"));
	assert_false(sm_rob_tool_has_word(rob2, NULL));
	assert_false(sm_rob_tool_has_word(NULL, "low"));
}

static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(sm_rob_label("RoB1", SM_ROB_LOW), "Low risk of bias");
	assert_string_equal(sm_rob_label("RoB1", SM_ROB_UNCLEAR), "Unclear risk of bias");
	assert_string_equal(sm_rob_label("RoB1", SM_ROB_HIGH), "High risk of bias");
	assert_null(sm_rob_label("RoB1", SM_ROB_SOME));
	assert_string_equal(sm_rob_label("RoB2", SM_ROB_SOME), "Some concerns");
	assert_null(sm_rob_label("RoB2", SM_ROB_UNCLEAR));
	assert_string_equal(sm_rob_label("ROBINS-I", SM_ROB_SOME), "Moderate");
	assert_string_equal(sm_rob_label("ROBINS-I", SM_ROB_HIGH), "Serious");
	assert_string_equal(sm_rob_label("ROBINS-I", SM_ROB_CRITICAL), "Critical");
	assert_string_equal(sm_rob_label("ROBINS-I", SM_ROB_NOINFO), "No information");
	assert_null(sm_rob_label("ROBINS-I", SM_ROB_UNCLEAR));
	assert_string_equal(sm_rob_label("RoB2", SM_ROB_NONE), "Not assessed");
	assert_null(sm_rob_label("RoB3", SM_ROB_LOW));
	assert_null(sm_rob_label(NULL, SM_ROB_LOW));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tools),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
