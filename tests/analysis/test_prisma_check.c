/* Tests of the PRISMA arithmetic check. */
#include "sm_test.h"

#include "sm_prisma_check.h"

#include <stdio.h>
#include <string.h>

static cJSON *check_text(const char *json)
{
	cJSON *p = cJSON_Parse(json);
	assert_non_null(p);
	cJSON *findings = sm_prisma_check(p);
	cJSON_Delete(p);
	assert_non_null(findings);
	return findings;
}

static void msc_paper_flow_does_not_add_up(void **state)
{
	(void)state;
	/* The IV MSC paper: 987 identified and screened, 780 excluded, 207
	 * assessed, 169 excluded, 36 included. */
	cJSON *f = check_text("{\"records_identified\":987,\"records_screened\":987,"
			      "\"records_excluded\":780,\"reports_assessed\":207,"
			      "\"reports_excluded\":169,\"studies_included\":36}");
	assert_int_equal(cJSON_GetArraySize(f), 1);
	cJSON *item = cJSON_GetArrayItem(f, 0);
	assert_string_equal(cJSON_GetObjectItem(item, "step")->valuestring, "studies included");
	assert_int_equal(cJSON_GetObjectItem(item, "expected")->valueint, 38);
	assert_int_equal(cJSON_GetObjectItem(item, "reported")->valueint, 36);
	assert_string_equal(cJSON_GetObjectItem(item, "message")->valuestring,
			    "studies included: reports assessed minus reports excluded gives 38, "
			    "but 36 is reported");
	cJSON_Delete(f);
}

static void consistent_flow_has_no_findings(void **state)
{
	(void)state;
	cJSON *f = check_text(
		"{\"databases\":[{\"name\":\"PubMed\",\"n\":300},{\"name\":\"Embase\",\"n\":200}],"
		"\"registers\":[{\"name\":\"CT.gov\",\"n\":20}],\"records_identified\":520,"
		"\"duplicates_removed\":120,\"records_screened\":400,\"records_excluded\":340,"
		"\"reports_sought\":60,\"reports_not_retrieved\":5,\"reports_assessed\":55,"
		"\"reports_excluded\":43,\"exclusion_reasons\":[{\"reason\":\"a\",\"n\":40},"
		"{\"reason\":\"b\",\"n\":3}],\"studies_included\":12}");
	assert_int_equal(cJSON_GetArraySize(f), 0);
	cJSON_Delete(f);
}

static void every_broken_step_is_reported(void **state)
{
	(void)state;
	cJSON *f = check_text(
		"{\"databases\":[{\"name\":\"PubMed\",\"n\":300}],\"records_identified\":310,"
		"\"duplicates_removed\":10,\"records_screened\":299,\"records_excluded\":200,"
		"\"reports_sought\":98,\"reports_assessed\":97,\"reports_excluded\":90,"
		"\"exclusion_reasons\":[{\"reason\":\"a\",\"n\":80}],\"studies_included\":7}");
	/* identified (300 vs 310), screened (300 vs 299), sought (99 vs 98),
	 * assessed (98 vs 97), excluded (80 vs 90); included 97-90 = 7 is fine. */
	assert_int_equal(cJSON_GetArraySize(f), 5);
	cJSON_Delete(f);
}

/* The steps of the findings, in order, joined by "|". */
static void expect_steps(const cJSON *f, const char *want)
{
	char got[1024] = "";
	const cJSON *e;
	cJSON_ArrayForEach(e, f) {
		if (*got)
			strcat(got, "|");
		strcat(got, cJSON_GetObjectItem(e, "step")->valuestring);
	}
	assert_string_equal(got, want);
}

static void single_exclusion_step_is_checked(void **state)
{
	(void)state;
	/* The tumorigenicity review: 487 screened, 229 excluded, 217 included;
	 * it reports no full-text step, so those boxes are flagged missing. */
	cJSON *f = check_text("{\"records_identified\":487,\"records_screened\":487,"
			      "\"records_excluded\":229,\"studies_included\":217}");
	expect_steps(f, "studies included|reports assessed for eligibility|reports excluded");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 0), "message")->valuestring,
			    "studies included: records screened minus records excluded gives 258, "
			    "but 217 is reported");
	cJSON *m = cJSON_GetArrayItem(f, 1);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "expected")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "reported")));
	assert_string_equal(cJSON_GetObjectItem(m, "message")->valuestring,
			    "reports assessed for eligibility: not reported; the PRISMA 2020 flow "
			    "has a box for it, drawn as \"not reported\"");
	cJSON_Delete(f);
}

static void unreported_counts_are_not_checked(void **state)
{
	(void)state;
	/* No arithmetic on null counts; the null core boxes are listed. */
	cJSON *f = check_text("{\"records_identified\":null,\"studies_included\":70,"
			      "\"reports_assessed\":null}");
	expect_steps(f, "records identified|records screened|records excluded|"
			"reports assessed for eligibility|reports excluded");
	cJSON_Delete(f);
	cJSON *none = sm_prisma_check(NULL);
	assert_int_equal(cJSON_GetArraySize(none), 0);
	cJSON_Delete(none);
}

/* The allogeneic review: PRISMA 2020 claimed, every count null (its
 * lists empty): one finding, not a row of "not reported" boxes. */
static void all_null_is_one_finding(void **state)
{
	(void)state;
	cJSON *f = check_text("{\"template\":\"new\",\"records_identified\":null,"
			      "\"records_screened\":null,\"exclusion_reasons\":[],"
			      "\"databases\":[],\"studies_included\":null,"
			      "\"notes\":[\"nothing reported\"]}");
	expect_steps(f, "PRISMA flow");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 0), "message")->valuestring,
			    "PRISMA flow: no count is reported (every count is null); the diagram "
			    "has nothing to show but \"not reported\"");
	cJSON_Delete(f);
	/* one per-source count is a count: the missing boxes are listed */
	f = check_text("{\"databases\":[{\"name\":\"PubMed\",\"n\":5}]}");
	assert_int_equal(cJSON_GetArraySize(f), 6);
	cJSON_Delete(f);
}

/* Databases and registers as separate counts, each against its list, and
 * the identified total against the two (300 + 20 = 320, not 330). */
static void separate_totals_are_checked(void **state)
{
	(void)state;
	cJSON *f = check_text(
		"{\"databases\":[{\"name\":\"PubMed\",\"n\":300},{\"name\":\"Embase\",\"n\":200}],"
		"\"registers\":[{\"name\":\"CT.gov\",\"n\":20}],\"records_databases\":500,"
		"\"records_registers\":21,\"records_identified\":520,\"records_screened\":520,"
		"\"records_excluded\":500,\"reports_assessed\":20,\"reports_excluded\":10,"
		"\"studies_included\":10}");
	/* registers 20 listed vs 21; identified 500 + 21 = 521 vs 520 */
	expect_steps(f, "records from registers|records identified");
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 1), "expected")->valueint, 521);
	cJSON_Delete(f);
	/* other methods: their per-method sources add up to their total */
	f = check_text("{\"records_identified\":10,\"records_screened\":10,\"records_excluded\":5,"
		       "\"reports_assessed\":5,\"reports_excluded\":2,\"studies_included\":7,"
		       "\"other_methods\":{\"sources\":[{\"name\":\"Websites\",\"n\":4},"
		       "{\"name\":\"Citation searching\",\"n\":9}],\"records_identified\":12,"
		       "\"reports_assessed\":6,\"reports_excluded\":2}}");
	/* 4 + 9 = 13 vs 12; included (5 - 2) + (6 - 2) = 7 holds */
	expect_steps(f, "other methods: records identified");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 0), "message")->valuestring,
			    "other methods: records identified: the sum of the per-method counts "
			    "gives 13, but 12 is reported");
	cJSON_Delete(f);
}

/* The updated template: new studies from the eligibility step, totals as
 * previous plus new; the previous and new boxes are core boxes. */
static void updated_review_is_checked(void **state)
{
	(void)state;
	const char *base = "{\"template\":\"updated\",\"previous_studies\":12,"
			   "\"previous_reports\":14,\"records_identified\":100,"
			   "\"records_screened\":100,\"records_excluded\":80,"
			   "\"reports_assessed\":20,\"reports_excluded\":15,";
	char buf[512];
	snprintf(buf, sizeof buf, "%s\"new_studies_included\":5,\"new_reports_included\":5,"
		 "\"studies_included\":17,\"reports_included\":19}", base);
	cJSON *f = check_text(buf);
	assert_int_equal(cJSON_GetArraySize(f), 0);
	cJSON_Delete(f);
	/* 20 - 15 = 5 reports, not 6; 12 + 4 = 16 studies, not 17; 14 + 6 = 20 */
	snprintf(buf, sizeof buf, "%s\"new_studies_included\":4,\"new_reports_included\":6,"
		 "\"studies_included\":17,\"reports_included\":19}", base);
	f = check_text(buf);
	expect_steps(f, "reports of new included studies|total studies included|"
			"reports of total included studies");
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 1), "expected")->valueint, 16);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 2), "expected")->valueint, 20);
	cJSON_Delete(f);
	/* no new-studies box: the old check on the total, and the box is missing */
	snprintf(buf, sizeof buf, "%s\"studies_included\":17}", base);
	f = check_text(buf);
	expect_steps(f, "new studies included in review");
	cJSON_Delete(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msc_paper_flow_does_not_add_up),
		cmocka_unit_test(consistent_flow_has_no_findings),
		cmocka_unit_test(every_broken_step_is_reported),
		cmocka_unit_test(single_exclusion_step_is_checked),
		cmocka_unit_test(unreported_counts_are_not_checked),
		cmocka_unit_test(all_null_is_one_finding),
		cmocka_unit_test(separate_totals_are_checked),
		cmocka_unit_test(updated_review_is_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
