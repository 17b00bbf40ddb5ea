/*
 * test_json_fast.c -- sm_json_fast_number() and sm_json_fast_print() give
 * cJSON's own text: numbers against cJSON_PrintUnformatted() of the same
 * number item (integers, int limits, decimals, powers of ten, values next
 * to rounding boundaries, random bit patterns, results-like arithmetic),
 * whole documents against cJSON_Print() (every results fixture, and the
 * subtrees of one at every depth, plus escapes and empty containers).
 */
#include "sm_test.h"

#include "sm_json_fast.h"
#include "sm_json_out.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long n_checked;

static void check(double v)
{
	cJSON *item = cJSON_CreateNumber(v);
	assert_non_null(item);
	char *want = cJSON_PrintUnformatted(item);
	char got[32];
	size_t len = sm_json_fast_number(got, item->valuedouble);
	if (strcmp(want, got) || len != strlen(want)) {
		print_error("%a: cJSON %s, fast %s\n", v, want, got);
		fail();
	}
	cJSON_free(want);
	cJSON_Delete(item);
	n_checked++;
}

static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static void test_special(void **state)
{
	(void)state;
	static const double v[] = { 0.0, -0.0, 1, 0.1, 0.2, 0.1 + 0.2, 1.0 / 3, 2.0 / 3,
				    1e6, 1e14, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 1e-4, 1e-5,
				    5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
				    DBL_EPSILON, 0.95, 1.96, M_PI, M_E, 9007199254740993.0,
				    INT_MAX, INT_MIN, INT_MAX + 0.5, INT_MIN - 0.5, INT_MAX + 1.0,
				    INT_MIN - 1.0, 2147483646.5, 0.5, 123456789012345.6,
				    999999999999999.4, 999999999999999.6, 99999999999999.95,
				    9.999999999999995, 0.00099999999999999995, 1.0000000000000002,
				    INFINITY, NAN };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		check(v[i]);
		check(-v[i]);
		check(nextafter(v[i], 0));
		check(nextafter(v[i], INFINITY));
	}
	for (int e = -324; e <= 308; e++) {
		double p = pow(10, e);
		check(p);
		check(-3 * p);
		check(nextafter(p, 0));
		check(nextafter(p, INFINITY));
		check(p * 9.999999999999995);
		check(p * 1.000000000000005);
	}
}

static void test_random(void **state)
{
	(void)state;
	uint64_t s = 0x2545f4914f6cdd1dULL;
	for (int i = 0; i < 300000; i++) {
		uint64_t bits = next(&s);
		double v;
		memcpy(&v, &bits, sizeof v);
		check(v);
		check((double)(next(&s) % 10000000) / pow(10, (double)(next(&s) % 12)));
		double u = (double)(next(&s) >> 11) / 9007199254740992.0;
		check(u);
		check(sqrt(u * 1000 + 0.01) - 0.5);
		check(log(u + 1e-300));
		check(u * u * 1e-6);
		check(exp(40 * u - 20));
	}
	assert_true(n_checked > 2000000);
}

/* The 15 digits are taken from the 17 (sm_json_fast_number): values
 * whose 15 digits read back (decimals of 15 digits, and their neighbours),
 * whose 17 end in 49, 50, 51 (never 15 digits), 95 or 05, and
 * 99999999999999xyz that round up to the next decade at 15 digits. */
static void test_fifteen_from_seventeen(void **state)
{
	(void)state;
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	char text[64];
	long before = n_checked;
	for (int i = 0; i < 200000; i++) {
		uint64_t digits15 = 100000000000000ULL + next(&s) % 900000000000000ULL;
		int e = (int)(next(&s) % 40) - 20;
		snprintf(text, sizeof text, "%llue%d", (unsigned long long)digits15, e);
		check(strtod(text, NULL));
		static const int ends[] = { 49, 50, 51, 95, 5 };
		uint64_t digits17 = digits15 * 100 + (uint64_t)ends[i % 5];
		snprintf(text, sizeof text, "%llue%d", (unsigned long long)digits17, e);
		double v = strtod(text, NULL);
		check(v);
		check(nextafter(v, 0));
		check(nextafter(v, INFINITY));
		snprintf(text, sizeof text, "99999999999999%03de%d", (int)(next(&s) % 1000), e);
		check(strtod(text, NULL));
	}
	assert_true(n_checked - before == 1000000);
}

static void check_print(const cJSON *doc, int depth, const char *what)
{
	char *want = cJSON_Print(doc);
	assert_non_null(want);
	struct sm_buf b;
	sm_buf_init(&b);
	assert_int_equal(sm_json_fast_print(&b, doc, 0), 0);
	if (strcmp(want, b.data ? b.data : "")) {
		print_error("%s: cJSON_Print and sm_json_fast_print differ\n", what);
		fail();
	}
	(void)depth;
	sm_buf_release(&b);
	cJSON_free(want);
}

/* Every subtree, printed on its own, as cJSON prints it on its own; and in
 * place at depth d the same text with d more tabs after each newline. */
static void check_subtrees(const cJSON *item, int depth)
{
	for (const cJSON *c = item->child; c; c = c->next)
		check_subtrees(c, depth + 1);
	if (!cJSON_IsObject(item) && !cJSON_IsArray(item))
		return;
	char *alone = cJSON_Print(item);
	struct sm_buf want, got;
	sm_buf_init(&want);
	sm_buf_init(&got);
	for (const char *p = alone; *p; p++) {
		sm_buf_putc(&want, *p);
		for (int i = 0; *p == '\n' && i < depth; i++)
			sm_buf_putc(&want, '\t');
	}
	assert_int_equal(sm_json_fast_print(&got, item, depth), 0);
	assert_string_equal(want.data, got.data);
	sm_buf_release(&want);
	sm_buf_release(&got);
	cJSON_free(alone);
}

static void test_documents(void **state)
{
	(void)state;
	static const char *const fixtures[] = {
		"tests/fixtures/results/allogeneic-review.results.json",
		"tests/fixtures/results/iv-sae-70.results.json",
		"tests/fixtures/results/msc-iv-rct.results.json",
		"tests/fixtures/results/tumorigenicity.results.json",
		"tests/fixtures/results/updated-review.results.json",
	};
	for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
		char *path = sm_test_path(fixtures[i]);
		char *text = sm_test_slurp(path);
		cJSON *doc = cJSON_Parse(text);
		assert_non_null(doc);
		check_print(doc, 0, fixtures[i]);
		if (i == 0)
			check_subtrees(doc, 0);
		cJSON_Delete(doc);
		free(text);
		free(path);
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "empty", cJSON_CreateObject());
	cJSON_AddItemToObject(o, "none", cJSON_CreateArray());
	cJSON_AddStringToObject(o, "esc\"\\\b\f\n\r\t\x01\x1f\x7f", "a\"b\\c\x02\xc3\xa9");
	cJSON *a = cJSON_AddArrayToObject(o, "nested");
	cJSON_AddItemToArray(a, cJSON_CreateObject());
	cJSON *in = cJSON_CreateObject();
	cJSON_AddNullToObject(in, "n");
	cJSON_AddTrueToObject(in, "t");
	cJSON_AddFalseToObject(in, "f");
	cJSON_AddRawToObject(in, "raw", "[1,2]");
	cJSON_AddItemToArray(a, in);
	cJSON_AddItemToObject(o, "str_null", cJSON_CreateStringReference(""));
	check_print(o, 0, "escapes and empty containers");
	check_subtrees(o, 0);
	cJSON_Delete(o);
}

/* The raw arrays print as the arrays of number items they stand for. */
static void test_raw_arrays(void **state)
{
	(void)state;
	double v[] = { 0.5, NAN, -3, 1e-300, 2.0 / 3, 0 };
	size_t idx[] = { 0, 7, 123456789, 3 };
	for (size_t n = 0; n <= 6; n++) {
		cJSON *want = cJSON_CreateObject(), *got = cJSON_CreateObject();
		sm_json_add_array(want, "w", v, n);
		cJSON_AddItemToObject(got, "w", sm_json_fast_raw_numbers(v, n));
		char *a = cJSON_Print(want), *b = cJSON_Print(got);
		assert_string_equal(a, b);
		cJSON_free(a);
		cJSON_free(b);
		cJSON_Delete(want);
		cJSON_Delete(got);
	}
	cJSON *want = cJSON_CreateArray();
	for (size_t i = 0; i < 4; i++)
		cJSON_AddItemToArray(want, cJSON_CreateNumber((double)idx[i]));
	cJSON *got = sm_json_fast_raw_indices(idx, 4);
	char *a = cJSON_Print(want), *b = cJSON_Print(got);
	assert_string_equal(a, b);
	cJSON_free(a);
	cJSON_free(b);
	cJSON_Delete(want);
	cJSON_Delete(got);
	double inf[] = { 1, INFINITY };
	assert_null(sm_json_fast_raw_numbers(inf, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_special),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_fifteen_from_seventeen),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_raw_arrays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
