#include "sm_reported.h"

#include <string.h>

const char *const sm_reported_tests[] = {
	"paired t-test", "t-test", "chi-square test", "Fisher's exact test", "z-test",
	"not stated", NULL
};

const char *const sm_reported_claims[] = { SM_CLAIM_NO_INFLUENTIAL, SM_CLAIM_NO_OUTLIER, NULL };

int sm_reported_test_needs_measurements(const char *test)
{
	return test && (!strcmp(test, "paired t-test") || !strcmp(test, "t-test"));
}
