/* Same input, same bytes, wherever it lies (issue 13 item 9): `analyze`
 * of the MSC review (whose outcomes come from a CSV it names) by its path
 * relative to the source tree and by its absolute path from another working
 * folder gives byte-identical results, which record the file name only. */
#include "sm_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void same_bytes_from_any_path(void **state)
{
	(void)state;
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	char dir[] = "/tmp/sm_input_path_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char cmd[12288];
	snprintf(cmd, sizeof cmd, "'%s' --quiet analyze data/msc-iv-rct.json -o '%s/a.json'",
		 sm_test_bin(), dir);
	assert_int_equal(sm_test_run(cmd, NULL, NULL), 0);
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' --quiet analyze '%s/data/msc-iv-rct.json' "
		 "-o b.json", dir, sm_test_bin(), cwd);
	assert_int_equal(sm_test_run(cmd, NULL, NULL), 0);
	snprintf(cmd, sizeof cmd, "cmp '%s/a.json' '%s/b.json'", dir, dir);
	assert_int_equal(sm_test_run(cmd, NULL, NULL), 0);
	snprintf(cmd, sizeof cmd, "%s/a.json", dir);
	char *text = sm_test_slurp(cmd);
	assert_non_null(strstr(text, "\"input\":\t\"msc-iv-rct.json\""));
	assert_null(strstr(text, cwd));
	free(text);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(sm_test_run(cmd, NULL, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_bytes_from_any_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
