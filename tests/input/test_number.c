/*
 * test_number.c -- sm_parse_number() (with its fast path for plain
 * decimals) accepts, rejects and reads exactly what the strtod-only reader
 * did: written out here as the reference, on fixed edge cases, on
 * millions of texts of random doubles in the forms data tables hold and on
 * the texts nearest to the rounding boundaries of its wide (19-digit) way.
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
		/* the wide way: 17 to 19 digits, powers to 10^27, ties */
		"0.12345678901234567", "-0.33295522597006349", "1234567890123456789",
		"9999999999999999999", "10000000000000000000", "9007199254740993e-27",
		"9007199254740995", "18014398509481986", "18014398509481985", "0e-400",
		"-0e-400", "0.0000000000000000000000000012345678901234567",
		"1234567890123456789e27", "1234567890123456789e28", "1.234567890123456789e-8",
		"4.4501477170144022e-308", "2.4703282292062327e-324",
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

/* A 64-bit integer below 10^19 with d digits (1 <= d <= 19). */
static uint64_t digits_of(uint64_t *s, int d)
{
	uint64_t lo = 1, v;
	for (int i = 1; i < d; i++)
		lo *= 10;
	uint64_t span = d == 19 ? 10000000000000000000ULL - lo : lo * 9;
	v = lo + next(s) % span;
	return v;
}

/* m written with its decimal point moved p places left (p may exceed the
 * digits: leading zeros) or, for p < 0, with an exponent. */
static void decimal_text(char *buf, size_t size, int neg, uint64_t m, int p, int form)
{
	char d[24];
	snprintf(d, sizeof d, "%llu", (unsigned long long)m);
	int nd = (int)strlen(d);
	const char *sign = neg ? "-" : "";
	if (form == 0 || p < 0) /* digits and an exponent */
		snprintf(buf, size, "%s%se%d", sign, d, -p);
	else if (form == 1) /* d.ddde+x */
		snprintf(buf, size, "%s%c.%se%d", sign, d[0], d + 1, nd - 1 - p);
	else if (p >= nd) /* 0.000ddd */
		snprintf(buf, size, "%s0.%0*d%s", sign, p - nd, 0, d);
	else /* ddd.ddd */
		snprintf(buf, size, "%s%.*s.%s", sign, nd - p, d, d + nd - p);
}

/* The wide path (up to 19 significant digits, powers of ten to 10^27):
 * every digit count and power with its decimal point anywhere, integers
 * between 2^53 and 10^19 (half-way ones among them: odd ones above 2^53
 * are ties), and 17- to 19-digit cuts of the exact half-way points
 * between neighbouring doubles, nudged by one unit in their last digit:
 * the texts nearest to a rounding boundary the path must give to strtod. */
static void test_wide(void **state)
{
	(void)state;
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	char buf[96];
	long before = n_checked;
	for (int i = 0; i < 300000; i++) {
		int d = 1 + (int)(next(&s) % 19), p = (int)(next(&s) % 62) - 30;
		decimal_text(buf, sizeof buf, (int)(next(&s) & 1), digits_of(&s, d), p,
			     (int)(next(&s) % 3));
		check(buf);
	}
	for (int i = 0; i < 200000; i++) {
		uint64_t m = (1ULL << 53) + next(&s) % (10000000000000000000ULL - (1ULL << 53));
		if (i % 4 == 0) /* exactly half-way between two doubles */
			m = (m & ~0x7ffULL & ~(1ULL << 63)) | 0x400;
		if (m >= 10000000000000000000ULL)
			continue;
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)m);
		check(buf);
		snprintf(buf, sizeof buf, "%llue-%d", (unsigned long long)m, (int)(next(&s) % 28));
		check(buf);
	}
	for (int i = 0; i < 200000; i++) {
		double u = (double)(next(&s) >> 11) / 9007199254740992.0;
		double v = i % 2 ? 0.01 + 0.49 * u : exp(100 * u - 50);
		long double mid = ((long double)v + (long double)nextafter(v, INFINITY)) / 2;
		int prec = 17 + (int)(next(&s) % 3);
		char t[64];
		snprintf(t, sizeof t, "%.*Le", prec - 1, mid);
		check(t);
		/* the same digits one unit up and down in the last place */
		char *e = strchr(t, 'e');
		for (int step = -1; step <= 1; step += 2) {
			char u2[64];
			memcpy(u2, t, sizeof u2);
			char *q = u2 + (e - t) - 1;
			if (step > 0 && *q < '9')
				(*q)++;
			else if (step < 0 && *q > '0')
				(*q)--;
			check(u2);
		}
	}
	assert_true(n_checked - before > 1200000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_wide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
