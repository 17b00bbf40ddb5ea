#include "sm_prisma_check.h"

#include "sm_buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

	/* Databases and registers: their totals where reported, each checked
	 * against its per-source list; identified against the two. */
	double dbs = sum_of(p, "databases"), regs = sum_of(p, "registers");
	double db_total = count_of(p, "records_databases");
	double reg_total = count_of(p, "records_registers");
	snprintf(step, sizeof step, "%srecords from databases", prefix);
	expect(findings, step, dbs, db_total, "the sum of the per-database counts");
	snprintf(step, sizeof step, "%srecords from registers", prefix);
	expect(findings, step, regs, reg_total, "the sum of the per-register counts");
	/* Other methods list their sources (websites, citation searching ...). */
	double others = sum_of(p, "sources");
	double sources = isnan(db_total) ? dbs : db_total;
	double registers = isnan(reg_total) ? regs : reg_total;
	if (!isnan(sources) && !isnan(registers))
		sources += registers;
	else if (isnan(sources))
		sources = registers;
	if (isnan(sources))
		sources = others;
	snprintf(step, sizeof step, "%srecords identified", prefix);
	expect(findings, step, sources, identified,
	       isnan(others) ? "the sum of the per-source counts"
			     : "the sum of the per-method counts");

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

/* The new studies (or their reports) of this review or update against
 * what the eligibility step leaves. */
static void check_included(cJSON *findings, const cJSON *prisma, const cJSON *other)
{
	double assessed = count_of(prisma, "reports_assessed");
	double excluded = count_of(prisma, "reports_excluded");
	double reports_included = count_of(prisma, "reports_included");
	double studies_included = count_of(prisma, "studies_included");
	double previous = count_of(prisma, "previous_studies");
	double new_studies = count_of(prisma, "new_studies_included");
	double new_reports_n = count_of(prisma, "new_reports_included");
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
	if (!isnan(new_studies) || !isnan(new_reports_n)) {
		/* Updated template: the update's own box is the target, and
		 * the totals add the previous version's. */
		int reports = !isnan(new_reports_n);
		expect(findings, reports ? "reports of new included studies" :
					   "new studies included",
		       new_reports, reports ? new_reports_n : new_studies, how);
		expect(findings, "total studies included", previous + new_studies,
		       studies_included, "previous studies plus new studies");
		expect(findings, "reports of total included studies",
		       count_of(prisma, "previous_reports") + new_reports_n, reports_included,
		       "previous reports plus reports of new studies");
		return;
	}
	/* Without a reports count, the included studies are the check's
	 * target: most reviews report studies only (one report per study). */
	double target = isnan(reports_included) ? studies_included : reports_included;
	if (!isnan(previous) && isnan(reports_included))
		target -= previous;
	expect(findings, isnan(reports_included) ? "studies included" : "reports included",
	       new_reports, target, how);
}

/* ---- counts that are missing ---- */

static void add_missing(cJSON *findings, const char *step, const char *message)
{
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "step", step);
	cJSON_AddNullToObject(f, "expected");
	cJSON_AddNullToObject(f, "reported");
	cJSON_AddStringToObject(f, "message", message);
	cJSON_AddItemToArray(findings, f);
}

/* 1 when any count of the flow (a number, or a per-source entry's) is
 * reported. */
static int any_count(const cJSON *obj)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, obj) {
		if (cJSON_IsNumber(e))
			return 1;
		if ((cJSON_IsObject(e) || cJSON_IsArray(e)) && strcmp(e->string ? e->string : "",
								       "notes") && any_count(e))
			return 1;
	}
	return 0;
}

struct stage {
	const char *key, *step;
};

/* The boxes every PRISMA 2020 flow has; an optional box (reports sought,
 * removed before screening) is not asked for. */
static const struct stage main_stages[] = {
	{ "records_identified", "records identified" },
	{ "records_screened", "records screened" },
	{ "records_excluded", "records excluded" },
	{ "reports_assessed", "reports assessed for eligibility" },
	{ "reports_excluded", "reports excluded" },
	{ NULL, NULL },
};
static const struct stage updated_stages[] = {
	{ "previous_studies", "studies included in previous version of review" },
	{ "new_studies_included", "new studies included in review" },
	{ "studies_included", "total studies included in review" },
	{ NULL, NULL },
};
static const struct stage new_stages[] = {
	{ "studies_included", "studies included in review" },
	{ NULL, NULL },
};
static const struct stage other_stages[] = {
	{ "records_identified", "records identified" },
	{ "reports_assessed", "reports assessed for eligibility" },
	{ "reports_excluded", "reports excluded" },
	{ NULL, NULL },
};

static void missing_stages(cJSON *findings, const cJSON *p, const struct stage *st,
			   const char *prefix)
{
	for (; st->key; st++) {
		if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(p, st->key)))
			continue;
		char step[96];
		snprintf(step, sizeof step, "%s%s", prefix, st->step);
		char *msg = sm_asprintf("%s: not reported; the PRISMA 2020 flow has a box for "
					"it, drawn as \"not reported\"", step);
		add_missing(findings, step, msg ? msg : step);
		free(msg);
	}
}

static void check_missing(cJSON *findings, const cJSON *prisma, const cJSON *other)
{
	if (!any_count(prisma)) {
		add_missing(findings, "PRISMA flow",
			    "PRISMA flow: no count is reported (every count is null); the diagram "
			    "has nothing to show but \"not reported\"");
		return;
	}
	const cJSON *tmpl = cJSON_GetObjectItemCaseSensitive(prisma, "template");
	int updated = cJSON_IsString(tmpl) && !strcmp(tmpl->valuestring, "updated");
	missing_stages(findings, prisma, main_stages, "");
	missing_stages(findings, prisma, updated ? updated_stages : new_stages, "");
	if (cJSON_IsObject(other))
		missing_stages(findings, other, other_stages, "other methods: ");
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
	check_included(findings, prisma, other);
	check_missing(findings, prisma, other);
	return findings;
}
