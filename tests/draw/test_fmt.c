/* Number formatting for figures (src/draw/sm_fmt.c): fixed decimals with a
 * true minus sign, no "-0", and past 1e9 three significant digits times a
 * power of ten instead of dozens of meaningless digits. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_fmt.h"

#include <math.h>
#include <stdlib.h>

static void expect(double x, int dec, const char *want)
{
	char *got = sm_fmt_num_str(x, dec);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void fixed_decimals(void **state)
{
	(void)state;
	expect(1.2345, 2, "1.23");
	expect(-0.25, 2, "\xe2\x88\x92" "0.25");
	expect(-0.001, 2, "0.00");
	expect(999999999, 0, "999999999");
	expect(NAN, 2, "NA");
	expect(INFINITY, 2, "NA");
}

static void huge_values_in_exponent_form(void **state)
{
	(void)state;
	/* 1.2345e62: "1.23×10⁶²" */
	expect(1.2345e62, 2, "1.23\xc3\x97" "10\xe2\x81\xb6\xc2\xb2");
	expect(-4.5e9, 0, "\xe2\x88\x92" "4.50\xc3\x97" "10\xe2\x81\xb9");
	expect(1e9, 2, "1.00\xc3\x97" "10\xe2\x81\xb9");
	expect(1e300, 2, "1.00\xc3\x97" "10\xc2\xb3\xe2\x81\xb0\xe2\x81\xb0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixed_decimals),
		cmocka_unit_test(huge_values_in_exponent_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
