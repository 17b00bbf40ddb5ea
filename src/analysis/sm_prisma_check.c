#include "sm_prisma_check.h"

#include "sm_buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The count under key, or NAN when absent or null. */
static double count_of(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(item) ? item->valuedouble : NAN;
}

/* Sum of the "n" of every entry of an array (per-source counts, reasons);
 * NAN when the array is absent, empty, or any entry lacks a count. */
static double sum_of(const cJSON *obj, const char *key)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
		return NAN;
	double total = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr) {
		double n = count_of(e, "n");
		if (isnan(n))
			return NAN;
		total += n;
	}
	return total;
}

static void add_finding(cJSON *findings, const char *step, double expected,
			double reported, const char *explain)
{
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "step", step);
	cJSON_AddNumberToObject(f, "expected", expected);
	cJSON_AddNumberToObject(f, "reported", reported);
	char *msg = sm_asprintf("%s: %s gives %.0f, but %.0f is reported", step, explain,
				expected, reported);
	cJSON_AddStringToObject(f, "message", msg ? msg : step);
	free(msg);
	cJSON_AddItemToArray(findings, f);
}

static void expect(cJSON *findings, const char *step, double expected, double reported,
		   const char *explain)
{
	if (isnan(expected) || isnan(reported) || expected == reported)
		return;
	add_finding(findings, step, expected, reported, explain);
}

/* NAN-propagating a - b - c ... where missing optional removals count 0. */
static double minus_optional(double total, const double *removed, int n)
{
	double v = total;
	for (int i = 0; i < n; i++)
		if (!isnan(removed[i]))
			v -= removed[i];
	return v;
}

static void check_column(cJSON *findings, const cJSON *p, const char *prefix)
{
	double identified = count_of(p, "records_identified");
	double screened = count_of(p, "records_screened");
	double excluded = count_of(p, "records_excluded");
	double sought = count_of(p, "reports_sought");
	double not_retrieved = count_of(p, "reports_not_retrieved");
	double assessed = count_of(p, "reports_assessed");
	double reports_excluded = count_of(p, "reports_excluded");
	char step[96];

	double sources = sum_of(p, "databases");
	double registers = sum_of(p, "registers");
	if (!isnan(sources) && !isnan(registers))
		sources += registers;
	else if (isnan(sources))
		sources = registers;
	snprintf(step, sizeof step, "%srecords identified", prefix);
	expect(findings, step, sources, identified, "the sum of the per-source counts");

	double removed[3] = { count_of(p, "duplicates_removed"),
			      count_of(p, "automation_excluded"), count_of(p, "other_removed") };
	snprintf(step, sizeof step, "%srecords screened", prefix);
	expect(findings, step, minus_optional(identified, removed, 3), screened,
	       "records identified minus records removed before screening");

	snprintf(step, sizeof step, "%sreports sought for retrieval", prefix);
	expect(findings, step, screened - excluded, sought,
	       "records screened minus records excluded");

	double not_ret[1] = { not_retrieved };
	double after_retrieval = isnan(sought) ? NAN : minus_optional(sought, not_ret, 1);
	if (isnan(sought) && !isnan(screened) && !isnan(excluded))
		after_retrieval = minus_optional(screened - excluded, not_ret, 1);
	snprintf(step, sizeof step, "%sreports assessed for eligibility", prefix);
	expect(findings, step, after_retrieval, assessed,
	       "reports sought minus reports not retrieved");

	snprintf(step, sizeof step, "%sreports excluded", prefix);
	expect(findings, step, sum_of(p, "exclusion_reasons"), reports_excluded,
	       "the sum of the exclusion reasons");
}

cJSON *sm_prisma_check(const cJSON *prisma)
{
	cJSON *findings = cJSON_CreateArray();
	if (!findings || !cJSON_IsObject(prisma))
		return findings;
	check_column(findings, prisma, "");
	const cJSON *other = cJSON_GetObjectItemCaseSensitive(prisma, "other_methods");
	if (cJSON_IsObject(other))
		check_column(findings, other, "other methods: ");

	double assessed = count_of(prisma, "reports_assessed");
	double excluded = count_of(prisma, "reports_excluded");
	double reports_included = count_of(prisma, "reports_included");
	double studies_included = count_of(prisma, "studies_included");
	double previous = count_of(prisma, "previous_studies");
	double new_reports = assessed - excluded;
	/* Reviews that report one exclusion step only (records screened ->
	 * excluded -> included) are checked on that step instead. */
	const char *how = "reports assessed minus reports excluded";
	if (isnan(assessed) && isnan(excluded)) {
		new_reports = count_of(prisma, "records_screened") -
			      count_of(prisma, "records_excluded");
		how = "records screened minus records excluded";
	}
	if (cJSON_IsObject(other)) {
		double o = count_of(other, "reports_assessed") - count_of(other, "reports_excluded");
		if (!isnan(o))
			new_reports += o;
	}
	/* Without a reports count, the included studies are the check's
	 * target: most reviews report studies only (one report per study). */
	double target = isnan(reports_included) ? studies_included : reports_included;
	if (!isnan(previous) && isnan(reports_included))
		target -= previous;
	expect(findings, isnan(reports_included) ? "studies included" : "reports included",
	       new_reports, target, how);
	return findings;
}
