/* The review model: constructors, growth, lookups, ownership. */
#include "sm_test.h"

#include "sm_review.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_grow_and_find(void **state)
{
	(void)state;
	struct sm_review *r = sm_review_new();
	assert_non_null(r);
	for (int i = 0; i < 100; i++) {
		struct sm_study *s = sm_review_add_study(r);
		assert_non_null(s);
		char id[16];
		snprintf(id, sizeof id, "s%d", i);
		s->id = strdup(id);
		s->label = strdup(id);
		struct sm_outcome *o = sm_review_add_outcome(r);
		assert_non_null(o);
		assert_true(isnan(o->ai) && isnan(o->vi) && o->year == 0 && !o->label);
		o->study_id = strdup(id);
	}
	assert_int_equal(r->n_studies, 100);
	assert_int_equal(r->n_outcomes, 100);
	const struct sm_study *s = sm_review_find_study(r, "s77");
	assert_non_null(s);
	assert_ptr_equal(s, &r->studies[77]);
	assert_null(sm_review_find_study(r, "s100"));
	const char *f1 = sm_review_intern_file(r, "a.csv");
	const char *f2 = sm_review_intern_file(r, "b.csv");
	assert_ptr_equal(sm_review_intern_file(r, "a.csv"), f1);
	assert_true(f1 != f2);
	assert_int_equal(r->n_files, 2);
	sm_review_free(r); /* ASan checks that everything is released */
	sm_review_free(NULL);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(sm_data_kind_name(SM_KIND_2X2), "2x2");
	assert_string_equal(sm_data_kind_name(SM_KIND_PROP), "proportion");
	assert_string_equal(sm_data_kind_name(SM_KIND_GENERIC), "generic");
	assert_string_equal(sm_data_kind_name(SM_KIND_NONE), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_and_find),
		cmocka_unit_test(test_kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
