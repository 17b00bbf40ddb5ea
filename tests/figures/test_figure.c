/* What the figure kinds share (src/figures/sm_figure.c): bundle plans
 * name one analysis alike in every kind. */
#include "sm_render_test.h"

#include "sm_figure.h"

#include <stdlib.h>
#include <string.h>

/* A funnel is named as the forest of its analysis even when an analysis
 * too small for a funnel takes the first of two clashing safe names (on
 * main before sm_figure_plan_per_analysis the funnel took "funnel-x-y"
 * beside "forest-x-y-2"). */
static void test_plan_names_match_forest(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = cJSON_Duplicate(f->msc, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "domain_table");
	cJSON *analyses = cJSON_GetObjectItemCaseSensitive(doc, "analyses");
	int small = -1, large = -1, i = 0;
	cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		double k = cJSON_GetObjectItemCaseSensitive(a, "k")->valuedouble;
		if (k < 3 && small < 0)
			small = i;
		else if (k >= 3 && small >= 0 && large < 0)
			large = i;
		i++;
	}
	assert_true(small >= 0 && large > small);
	cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(analyses, small),
							      "name"), "x y");
	cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(analyses, large),
							      "name"), "x/y");
	struct sm_res *res = sm_render_typed(f, doc);
	struct sm_figure_plan forests = { 0 }, funnels = { 0 };
	const struct sm_figure_kind *forest_kind = sm_figure_kind_named("forest");
	assert_non_null(forest_kind);
	sm_render_expect_ok(f, forest_kind->plan(f->ctx, res, &forests));
	const struct sm_figure_kind *funnel_kind = sm_figure_kind_named("funnel");
	assert_non_null(funnel_kind);
	sm_render_expect_ok(f, funnel_kind->plan(f->ctx, res, &funnels));
	const char *forest = NULL, *funnel = NULL;
	for (size_t j = 0; j < forests.n; j++)
		if (!strcmp(forests.jobs[j].arg, "x/y"))
			forest = forests.jobs[j].base;
	for (size_t j = 0; j < funnels.n; j++) {
		assert_string_not_equal(funnels.jobs[j].arg, "x y");
		if (!strcmp(funnels.jobs[j].arg, "x/y"))
			funnel = funnels.jobs[j].base;
	}
	assert_non_null(forest);
	assert_non_null(funnel);
	assert_string_equal(forest, "forest-x-y-2");
	assert_string_equal(funnel, "funnel-x-y-2");
	sm_figure_plan_release(&forests);
	sm_figure_plan_release(&funnels);
	sm_res_free(res);
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan_names_match_forest, sm_render_fx_setup,
						sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
