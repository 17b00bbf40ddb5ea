/* Tests of the PRISMA arithmetic check. */
#include "sm_test.h"

#include "sm_prisma_check.h"

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

static void single_exclusion_step_is_checked(void **state)
{
	(void)state;
	/* The tumorigenicity review: 487 screened, 229 excluded, 217 included. */
	cJSON *f = check_text("{\"records_screened\":487,\"records_excluded\":229,"
			      "\"studies_included\":217}");
	assert_int_equal(cJSON_GetArraySize(f), 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 0), "message")->valuestring,
			    "studies included: records screened minus records excluded gives 258, "
			    "but 217 is reported");
	cJSON_Delete(f);
}

static void unreported_counts_are_not_checked(void **state)
{
	(void)state;
	cJSON *f = check_text("{\"records_identified\":null,\"studies_included\":70,"
			      "\"reports_assessed\":null}");
	assert_int_equal(cJSON_GetArraySize(f), 0);
	cJSON_Delete(f);
	cJSON *none = sm_prisma_check(NULL);
	assert_int_equal(cJSON_GetArraySize(none), 0);
	cJSON_Delete(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msc_paper_flow_does_not_add_up),
		cmocka_unit_test(consistent_flow_has_no_findings),
		cmocka_unit_test(every_broken_step_is_reported),
		cmocka_unit_test(single_exclusion_step_is_checked),
		cmocka_unit_test(unreported_counts_are_not_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
