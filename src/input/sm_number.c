#include "sm_number.h"

#include "sm_decimal.h"
#include "sm_limits.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int blank(char c)
{
	return c == ' ' || c == '\t';
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
	if (sm_decimal_parse(s, n, out) == 0)
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
