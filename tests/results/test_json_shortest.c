/*
 * test_json_shortest.c -- sm_json_shortest() gives the text of the
 * definition (the first of %.1g ... %.17g that reads back as the same
 * double) for integers, decimals, powers of ten on both sides of %g's
 * switch to exponent form, subnormals, extremes and random bit patterns.
 */
#include "sm_test.h"

#include "sm_json_out.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void by_definition(char *buf, size_t size, double v)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static int n_checked;

static void check(double v)
{
	char want[64], got[64];
	by_definition(want, sizeof want, v);
	sm_json_shortest(got, sizeof got, v);
	if (strcmp(want, got)) {
		print_error("%a: want %s, got %s\n", v, want, got);
		fail();
	}
	n_checked++;
}

/* xorshift64*: a fixed sequence, no process state */
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
	static const double v[] = { 0.0, -0.0, 1, -1, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3, 2.0 / 3,
				    1e6, 1e15, 1e16, 1e17, 1e21, 123456789012345678.0, 1e-4,
				    1e-5, 0.00012345, 5e-324, 2.2250738585072014e-308,
				    2.225073858507201e-308, 1.7976931348623157e308, DBL_EPSILON,
				    0.95, 1.96, 3.14159265358979, M_PI, M_E, 100, 1234567,
				    9007199254740993.0, 0.5, 0.05, 12345678.9 };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		check(v[i]);
		check(-v[i]);
	}
	for (int e = -320; e <= 308; e++) {
		check(pow(10, e));
		check(3 * pow(10, e));
		check(nextafter(pow(10, e), 0));
	}
	char buf[64];
	sm_json_shortest(buf, sizeof buf, INFINITY);
	assert_string_equal(buf, "inf");
	sm_json_shortest(buf, sizeof buf, -INFINITY);
	assert_string_equal(buf, "-inf");
	sm_json_shortest(buf, sizeof buf, NAN);
	assert_string_equal(buf, "nan");
}

static void test_random(void **state)
{
	(void)state;
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 40000; i++) {
		uint64_t bits = next(&s);
		double v;
		memcpy(&v, &bits, sizeof v);
		if (isfinite(v))
			check(v);
		/* short decimals, as a study's data are */
		check((double)(next(&s) % 100000) / pow(10, (double)(next(&s) % 8)));
		/* results of arithmetic on them */
		check(sqrt((double)(next(&s) % 1000000) / 1000 + 0.01));
	}
	assert_true(n_checked > 120000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_special),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
