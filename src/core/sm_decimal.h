/*
 * sm_decimal.h -- the exact fast path from decimal text to a double, shared
 * by the review's readers (CSV and JSON numbers) and the results reader:
 * most numbers a data table or a results file holds are decided without
 * strtod, and every one it decides is strtod's own double.
 */
#ifndef SM_DECIMAL_H
#define SM_DECIMAL_H

#include <stddef.h>

/* s[0..n) as [+-]digits[.digits][e[+-]digits]: 0 and *out (exactly the
 * double strtod gives) when it is decided here, -1 for strtod to decide
 * (more than 19 significant digits, a far exponent, a value near a
 * rounding boundary, any other text). */
int sm_decimal_parse(const char *s, size_t n, double *out);

#endif
