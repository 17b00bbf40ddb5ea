/*
 * test_number.c -- sm_parse_number() (with its fast path for plain
 * decimals) accepts, rejects and reads exactly what the strtod-only reader
 * did: written out here as the reference, on fixed edge cases and on
 * millions of texts of random doubles in the forms data tables hold.
 */
#include "sm_test.h"

#include "sm_number.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reader before the fast path, word for word. */
static enum sm_num_status reference(const char *s, double *out)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return SM_NUM_EMPTY;
	int digits = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			digits = 1;
		else if (!strchr("+-.eE", c))
			return SM_NUM_SYNTAX;
	}
	if (!digits)
		return SM_NUM_SYNTAX;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if ((size_t)(end - s) != n)
		return SM_NUM_SYNTAX;
	if (!isfinite(v))
		return SM_NUM_NONFINITE;
	*out = v;
	return SM_NUM_OK;
}

static long n_checked;

static void check(const char *text)
{
	double want = 12345, got = 12345;
	enum sm_num_status ws = reference(text, &want), gs = sm_parse_number(text, &got);
	if (ws != gs || memcmp(&want, &got, sizeof want) != 0) {
		print_error("'%s': reference %d %a, got %d %a\n", text, ws, want, gs, got);
		fail();
	}
	n_checked++;
}

static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static void test_edges(void **state)
{
	(void)state;
	static const char *const t[] = {
		"", " ", "0", "-0", "+0", "00", "0.0", "-0.0", ".5", "5.", "-.5", "+5.", ".",
		"-", "+", "e5", ".e5", "1e", "1e+", "1e-", "1e5", "1E5", "1e+05", "1e-5",
		"1.5e3", "--1", "+-1", "1-", "1.2.3", "1e5e5", "1e5.5", " 7 ", "\t7\t", "7 7",
		"0x10", "inf", "nan", "1e999", "-1e999", "1e-999", "9007199254740992",
		"9007199254740993", "9007199254740993.0", "18446744073709551616",
		"99999999999999999999", "0.1", "0.3", "123456789012345678901234567890",
		"0.000000000000000000000000000001", "1e22", "1e23", "1e-22", "1e-23",
		"4.9406564584124654e-324", "2.2250738585072014e-308", "1.7976931348623157e308",
		"000000000000000000000000001", "1.00000000000000000000000001", "12e-3",
		"0.8503923817940624", "0.33295522597006350", "1e0000000000000000000005",
		"1e1001", "123.456e-7", "1e-1001",
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		check(t[i]);
}

static void test_random(void **state)
{
	(void)state;
	uint64_t s = 0x1234567887654321ULL;
	char buf[64];
	for (int i = 0; i < 200000; i++) {
		uint64_t bits = next(&s);
		double v;
		memcpy(&v, &bits, sizeof v);
		double u = (double)(next(&s) >> 11) / 9007199254740992.0;
		double vals[] = { v, u, u - 0.5, 0.01 + 0.49 * u, exp(60 * u - 30),
				  (double)(next(&s) % 100000) };
		for (size_t j = 0; j < sizeof vals / sizeof *vals; j++) {
			switch (next(&s) % 8) {
			case 0: snprintf(buf, sizeof buf, "%.17g", vals[j]); break;
			case 1: snprintf(buf, sizeof buf, "%.16g", vals[j]); break;
			case 2: snprintf(buf, sizeof buf, "%.15g", vals[j]); break;
			case 3: snprintf(buf, sizeof buf, "%.6g", vals[j]); break;
			case 4: snprintf(buf, sizeof buf, "%.3f", vals[j]); break;
			case 5: snprintf(buf, sizeof buf, "%.10e", vals[j]); break;
			case 6: snprintf(buf, sizeof buf, "%.12f", vals[j]); break;
			default: snprintf(buf, sizeof buf, "%g", vals[j]); break;
			}
			check(buf);
		}
	}
	assert_true(n_checked > 1000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
