/* Linked into the tests that run the analysis: sm_init() before main, as
 * the CLI's main does first thing (a test that forgot it would see
 * SM_EINTERNAL from sm_results_build). */
#include "sm_init.h"

__attribute__((constructor)) static void sm_test_init(void)
{
	sm_init();
}
