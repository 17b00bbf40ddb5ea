/* Printed precision and number formatting for the check. */
#include "sm_check_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sm_check_decimals(double v)
{
	if (!isfinite(v))
		return -1;
	char buf[64];
	sm_json_shortest(buf, sizeof buf, v);
	const char *e = strchr(buf, 'e');
	int exp10 = e ? atoi(e + 1) : 0;
	const char *dot = strchr(buf, '.');
	int frac = 0;
	for (const char *p = dot ? dot + 1 : buf + strlen(buf); *p && *p != 'e'; p++)
		frac++;
	int d = frac - exp10;
	return d > 0 ? d : 0;
}

double sm_check_tolerance(double v)
{
	int d = sm_check_decimals(v);
	return d < 0 ? NAN : 0.5 * pow(10, -d);
}

void sm_check_fmt(char *buf, size_t size, double v, int dec, double other)
{
	if (!isfinite(v)) {
		snprintf(buf, size, "NA");
		return;
	}
	if (dec < 0)
		dec = 0;
	/* At least two significant digits: P = 0.0366 shows as 0.037. */
	if (v != 0 && dec < 1 - (int)floor(log10(fabs(v))))
		dec = 1 - (int)floor(log10(fabs(v)));
	if (dec > 10) {
		snprintf(buf, size, "%.2g", v);
		return;
	}
	char ob[64];
	sm_json_shortest(ob, sizeof ob, other);
	/* Show enough decimals that two different values never print alike. */
	for (; dec <= 10; dec++) {
		snprintf(buf, size, "%.*f", dec, v);
		if (!isfinite(other) || strtod(buf, NULL) != strtod(ob, NULL))
			break;
	}
	if (!strncmp(buf, "-0", 2) && strtod(buf, NULL) == 0)
		memmove(buf, buf + 1, strlen(buf));
}
