/* The string pool: copies, block boundaries, big strings, formatting. */
#include "sm_test.h"

#include "sm_strpool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Many strings across many blocks all keep their text. */
static void test_many_strings(void **state)
{
	(void)state;
	struct sm_strpool *p = sm_strpool_new();
	assert_non_null(p);
	enum { N = 20000 };
	const char **s = calloc(N, sizeof *s);
	assert_non_null(s);
	for (int i = 0; i < N; i++) {
		s[i] = sm_strpool_printf(p, "Study %d", i);
		assert_non_null(s[i]);
	}
	char want[32];
	for (int i = 0; i < N; i++) {
		snprintf(want, sizeof want, "Study %d", i);
		assert_string_equal(s[i], want);
	}
	/* about 11 bytes each: a few 64 KiB blocks, not one allocation each */
	size_t bytes = sm_strpool_bytes(p);
	assert_true(bytes >= (size_t)N * 10 && bytes < (size_t)N * 20);
	free(s);
	sm_strpool_free(p);
	sm_strpool_free(NULL);
}

/* A string larger than a block gets its own block and the current block
 * goes on being filled; a string of exactly the free room fits. */
static void test_big_strings(void **state)
{
	(void)state;
	struct sm_strpool *p = sm_strpool_new();
	const char *small1 = sm_strpool_add(p, "a");
	size_t big_len = 200000;
	char *big = malloc(big_len + 1);
	assert_non_null(big);
	memset(big, 'x', big_len);
	big[big_len] = '\0';
	const char *copy = sm_strpool_add(p, big);
	assert_non_null(copy);
	assert_int_equal(strlen(copy), big_len);
	assert_memory_equal(copy, big, big_len);
	const char *small2 = sm_strpool_add(p, "b");
	/* "a\0" then "b\0": the head block was kept */
	assert_ptr_equal(small2, small1 + 2);
	assert_string_equal(small1, "a");
	assert_string_equal(small2, "b");
	free(big);
	sm_strpool_free(p);
}

static void test_addn_and_empty(void **state)
{
	(void)state;
	struct sm_strpool *p = sm_strpool_new();
	const char *a = sm_strpool_addn(p, "abcdef", 2);
	const char *e = sm_strpool_add(p, "");
	assert_string_equal(a, "ab");
	assert_string_equal(e, "");
	assert_true(a != e);
	assert_int_equal(sm_strpool_bytes(NULL), 0);
	sm_strpool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_strings),
		cmocka_unit_test(test_big_strings),
		cmocka_unit_test(test_addn_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
