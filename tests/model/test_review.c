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
		s->id = sm_review_str(r, id);
		s->label = sm_review_strf(r, "Study %d", i);
		struct sm_outcome *o = sm_review_add_outcome(r);
		assert_non_null(o);
		assert_true(isnan(o->ai) && isnan(o->vi) && o->year == 0 && !o->label);
		o->study_id = s->id;
	}
	assert_string_equal(r->studies[42].label, "Study 42");
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

/* Interned strings are shared; plain copies are not; both are copies. */
static void test_strings(void **state)
{
	(void)state;
	struct sm_review *r = sm_review_new();
	assert_non_null(r);
	char text[] = "domain";
	const char *a = sm_review_intern(r, text);
	const char *b = sm_review_intern(r, "domain");
	const char *c = sm_review_intern(r, "other");
	assert_ptr_equal(a, b);
	assert_true(a != c && a != text);
	text[0] = 'X'; /* the review keeps its own copy */
	assert_string_equal(a, "domain");
	const char *d = sm_review_str(r, "domain");
	assert_true(d != a);
	assert_string_equal(d, "domain");
	assert_string_equal(sm_review_strn(r, "abcdef", 3), "abc");
	assert_string_equal(sm_review_strn(r, "", 0), "");
	/* the intern table is dropped at the end of loading, and rebuilt on
	 * demand: equal strings after that are shared among themselves */
	sm_review_pack(r);
	const char *e = sm_review_intern(r, "domain");
	assert_string_equal(e, "domain");
	assert_ptr_equal(sm_review_intern(r, "domain"), e);
	sm_review_free(r);
}

/* reserve sizes the arrays exactly; pack gives unused room back; rows
 * added after either keep their contents. */
static void test_reserve_and_pack(void **state)
{
	(void)state;
	struct sm_review *r = sm_review_new();
	assert_int_equal(sm_review_reserve(r, 1000, 10), 0);
	assert_int_equal(r->cap_outcomes, 1000);
	assert_int_equal(r->cap_studies, 10);
	assert_int_equal(sm_review_reserve(r, 5, 5), 0); /* never shrinks */
	assert_int_equal(r->cap_outcomes, 1000);
	for (int i = 0; i < 3; i++)
		sm_review_add_outcome(r)->yi = i;
	sm_review_pack(r);
	assert_int_equal(r->cap_outcomes, 3);
	assert_int_equal(r->cap_studies, 10); /* no studies: nothing to keep */
	struct sm_outcome *o = sm_review_add_outcome(r);
	assert_non_null(o);
	o->yi = 3;
	for (int i = 0; i < 4; i++)
		assert_true(r->outcomes[i].yi == i);
	assert_int_equal(r->n_outcomes, 4);
	sm_review_free(r);
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
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_reserve_and_pack),
		cmocka_unit_test(test_kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
