#include "sm_decimal.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

/* The x87 extended format (a 64-bit significand, explicit leading bit, in
 * the first 8 bytes) the wide path below reads its rounding bits from. */
#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
#define SM_WIDE_DECIMALS 1
#else
#define SM_WIDE_DECIMALS 0
#endif

/* m * 10^e (m < 10^19, |e| <= 27) to the double strtod gives for it, via
 * one x87 operation: m and 10^|e| are exact in a 64-bit significand (5^27
 * < 2^64), so the product or quotient r is the exact value x rounded once,
 * |x - r| <= 1/2 of r's last bit.  Rounding r to a double then rounds x
 * the same way unless r lies within a last bit of the half-way point
 * between two doubles (its 11 bits below a double's 53 are 0x3ff .. 0x401):
 * x and r are on the same side of it otherwise.  Every r here is a normal
 * double (10^-27 <= r < 10^46).  Returns 0 and *out, or -1 for the
 * undecided, which strtod then reads. */
static int wide_decimal(uint64_t m, int e, double *out)
{
#if SM_WIDE_DECIMALS
	static const long double p10[] = {
		1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L,
		1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L,
		1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
	};
	if (e < -27 || e > 27)
		return -1;
	long double r = e >= 0 ? (long double)m * p10[e] : (long double)m / p10[-e];
	uint64_t sig;
	memcpy(&sig, &r, sizeof sig);
	unsigned low = (unsigned)(sig & 0x7ff);
	if (low >= 0x3ff && low <= 0x401)
		return -1;
	*out = (double)r;
	return 0;
#else
	(void)m;
	(void)e;
	(void)out;
	return -1;
#endif
}

/* The plain decimals a data table holds ([+-]digits[.digits][e[+-]digits])
 * with at most 2^53 as their digits and a power of ten up to 10^22 are
 * exactly one IEEE multiplication or division of two exact doubles, which
 * is what strtod returns for them (Clinger's fast path); up to 19 digits
 * (Python's and R's 17-digit round-trip texts among them) with a power up
 * to 10^27 mostly go the wide way above.  Returns 0 and *out for those; -1
 * for anything else, which strtod then decides. */
int sm_decimal_parse(const char *s, size_t n, double *out)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
				      1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
				      1e18, 1e19, 1e20, 1e21, 1e22 };
	size_t i = 0;
	int neg = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	unsigned long long m = 0;
	int digits = 0, sig = 0, frac = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (m || s[i] != '0')
			sig++;
		m = m * 10 + (unsigned long long)(s[i] - '0');
		if (sig > 19) /* m stays below 10^19 < 2^64 */
			return -1;
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++, frac++) {
			if (m || s[i] != '0')
				sig++;
			m = m * 10 + (unsigned long long)(s[i] - '0');
			if (sig > 19)
				return -1;
		}
	}
	if (!digits)
		return -1;
	int e = 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		int eneg = 0;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		size_t start = i;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if ((e = e * 10 + (s[i] - '0')) > 1000)
				return -1;
		if (i == start)
			return -1;
		if (eneg)
			e = -e;
	}
	if (i != n)
		return -1;
	e -= frac;
	double v;
	if (m <= (1ULL << 53) && e >= -22 && e <= 22)
		v = e >= 0 ? (double)m * p10[e] : (double)m / p10[-e];
	else if (m == 0)
		v = 0; /* 0e-400 too: any power of ten times zero */
	else if (wide_decimal(m, e, &v) != 0)
		return -1;
	*out = neg ? -v : v;
	return 0;
}
