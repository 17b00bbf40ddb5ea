#include "sm_number.h"

#include "sm_limits.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The plain decimals a data table holds ([+-]digits[.digits][e[+-]digits])
 * with at most 2^53 as their digits and a power of ten up to 10^22 are
 * exactly one IEEE multiplication or division of two exact doubles, which
 * is what strtod returns for them (Clinger's fast path).  Returns 0 and
 * *out for those; -1 for anything else, which strtod then decides. */
static int fast_decimal(const char *s, size_t n, double *out)
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
	if (!digits || m > (1ULL << 53))
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
	if (e < -22 || e > 22)
		return -1;
	double v = e >= 0 ? (double)m * p10[e] : (double)m / p10[-e];
	*out = neg ? -v : v;
	return 0;
}

enum sm_num_status sm_parse_number(const char *s, double *out)
{
	while (blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && blank(s[n - 1]))
		n--;
	if (n == 0)
		return SM_NUM_EMPTY;
	if (fast_decimal(s, n, out) == 0)
		return SM_NUM_OK;
	/* strtod also takes hex, "inf" and "nan", which no data table means */
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

const char *sm_value_rule_text(enum sm_value_rule rule)
{
	switch (rule) {
	case SM_RULE_COUNT: return "a non-negative integer";
	case SM_RULE_TOTAL: return "a positive integer";
	case SM_RULE_POSITIVE: return "a positive number";
	case SM_RULE_FINITE: break;
	}
	return "a finite number";
}

const char *sm_value_check(double v, enum sm_value_rule rule)
{
	if (!isfinite(v))
		return "expected a finite number";
	switch (rule) {
	case SM_RULE_COUNT:
	case SM_RULE_TOTAL:
		if (v > SM_MAX_COUNT)
			return "expected an integer of at most 2^53";
		if (v != floor(v) || v < 0)
			return rule == SM_RULE_COUNT ? "expected a non-negative integer"
						     : "expected a positive integer";
		if (rule == SM_RULE_TOTAL && v == 0)
			return "total is zero; expected a positive integer";
		return NULL;
	case SM_RULE_POSITIVE:
		return v > 0 ? NULL : "expected a positive number";
	case SM_RULE_FINITE:
		break;
	}
	return NULL;
}
