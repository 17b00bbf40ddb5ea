#include "sm_json_out.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *sm_json_number(double v)
{
	return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* obj["<key>_infinite"] = 1 or -1 for an infinite v. */
static void add_infinite_flag(cJSON *obj, const char *key, double v)
{
	size_t n = strlen(key) + sizeof SM_JSON_INFINITE_SUFFIX;
	char *name = malloc(n);
	if (!name)
		return;
	snprintf(name, n, "%s%s", key, SM_JSON_INFINITE_SUFFIX);
	cJSON_AddNumberToObject(obj, name, v > 0 ? 1 : -1);
	free(name);
}

cJSON *sm_json_add_number(cJSON *obj, const char *key, double v)
{
	cJSON *item = sm_json_number(v);
	if (item && !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return NULL;
	}
	if (item && isinf(v))
		add_infinite_flag(obj, key, v);
	return item;
}

cJSON *sm_json_add_pair(cJSON *obj, const char *key, double lb, double ub)
{
	double v[2] = { lb, ub };
	return sm_json_add_array(obj, key, v, 2);
}

cJSON *sm_json_add_array(cJSON *obj, const char *key, const double *v, size_t n)
{
	cJSON *arr = cJSON_AddArrayToObject(obj, key);
	if (!arr)
		return NULL;
	int any_inf = 0;
	for (size_t i = 0; i < n; i++) {
		cJSON_AddItemToArray(arr, sm_json_number(v[i]));
		any_inf |= isinf(v[i]);
	}
	if (!any_inf)
		return arr;
	size_t len = strlen(key) + sizeof SM_JSON_INFINITE_SUFFIX;
	char *name = malloc(len);
	cJSON *flags = name ? cJSON_CreateArray() : NULL;
	for (size_t i = 0; flags && i < n; i++) {
		double f = isinf(v[i]) ? (v[i] > 0 ? 1 : -1) : 0;
		cJSON_AddItemToArray(flags, cJSON_CreateNumber(f));
	}
	if (flags) {
		snprintf(name, len, "%s%s", key, SM_JSON_INFINITE_SUFFIX);
		cJSON_AddItemToObject(obj, name, flags);
	}
	free(name);
	return arr;
}

cJSON *sm_json_add_string(cJSON *obj, const char *key, const char *s)
{
	return s ? cJSON_AddStringToObject(obj, key, s) : cJSON_AddNullToObject(obj, key);
}

/* The significant digits of the %.*e form of v, trailing zeros dropped. */
static int significant_digits(const char *e_form)
{
	int n = 0, last = 0;
	for (const char *p = e_form; *p && *p != 'e'; p++) {
		if (*p < '0' || *p > '9')
			continue;
		n++;
		if (*p != '0')
			last = n;
	}
	return last ? last : 1;
}

/* The fewest significant digits p whose %.*g reads back as v: the
 * correctly rounded 15-digit form is the shortest one's digits padded with
 * zeros whenever some p <= 15 round-trips (a double's rounding interval is
 * narrower than half a step of the 15th digit), so it tells p at once;
 * otherwise 16, else 17.  At most four conversions instead of up to 17;
 * the text is the same as trying p = 1, 2, ... 17 in turn (the %g layout,
 * fixed or exponent, depends on p, so p itself is needed, not just the
 * digits). */
void sm_json_shortest(char *buf, size_t size, double v)
{
	if (v != 0 && fabs(v) < DBL_MIN) {
		/* subnormal: fewer than 15 digits of precision, the shortcut's
		 * argument does not hold; rare enough to try every p */
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(buf, size, "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				return;
		}
		return;
	}
	char e15[40];
	snprintf(e15, sizeof e15, "%.14e", v);
	if (!isfinite(v) || strtod(e15, NULL) == v) {
		snprintf(buf, size, "%.*g", isfinite(v) ? significant_digits(e15) : 1, v);
		return;
	}
	snprintf(buf, size, "%.16g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, size, "%.17g", v);
}

char *sm_json_print(const cJSON *doc)
{
	char *text = cJSON_Print(doc);
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *out = malloc(n + 2);
	if (out) {
		memcpy(out, text, n);
		out[n] = '\n';
		out[n + 1] = 0;
	}
	cJSON_free(text);
	return out;
}
