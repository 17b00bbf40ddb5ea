/*
 * test_results_diff.c -- the comparison behind `safemeta report --check`.
 */
#include "sm_test.h"

#include "sm_results_diff.h"

#include <stdlib.h>

static struct sm_results_diff *diff(const char *a, const char *b, double tol)
{
	cJSON *x = cJSON_Parse(a), *y = cJSON_Parse(b);
	assert_non_null(x);
	assert_non_null(y);
	struct sm_results_diff *d = sm_results_diff(x, y, tol, 2);
	assert_non_null(d);
	cJSON_Delete(x);
	cJSON_Delete(y);
	return d;
}

static void test_tolerance(void **state)
{
	(void)state;
	struct sm_results_diff *d = diff("{\"a\": [1.0, 2e-20, 0]}",
					 "{\"a\": [1.0000005, 2.0000001e-20, 1e-13]}", 1e-6);
	assert_int_equal(d->count, 0);
	sm_results_diff_free(d);
	d = diff("{\"a\": {\"k\": 36, \"p\": 0.2}}", "{\"a\": {\"k\": 35, \"p\": 0.2000003}}", 1e-6);
	assert_int_equal(d->count, 2);
	assert_string_equal(d->lines[0], "a.k: committed 36, now 35");
	assert_string_equal(d->lines[1], "a.p: committed 0.2, now 0.2000003");
	sm_results_diff_free(d);
}

static void test_structure(void **state)
{
	(void)state;
	struct sm_results_diff *d = diff("{\"safemeta\": \"0.1\", \"input\": \"a.json\", "
					 "\"x\": [1, 2], \"s\": \"MSC\", \"n\": null, \"gone\": 1}",
					 "{\"safemeta\": \"0.2\", \"input\": \"b/a.json\", "
					 "\"x\": [1, 2, 3], \"s\": \"msc\", \"n\": 0, \"new\": true}",
					 1e-6);
	/* version and input path are not results; everything else counts */
	assert_int_equal(d->count, 5);
	assert_int_equal(d->nlines, 2);
	assert_string_equal(d->lines[0], "x: committed a list of 2, now a list of 3");
	assert_string_equal(d->lines[1], "s: committed \"MSC\", now \"msc\"");
	sm_results_diff_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tolerance),
		cmocka_unit_test(test_structure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
