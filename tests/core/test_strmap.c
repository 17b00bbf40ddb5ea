/* Tests of the string map: put/get/key at sizes across rehashes and a
 * reserve, keys with equal hashes' tags probed past, absent keys. */
#include "sm_test.h"

#include "sm_strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 50000

static char **make_keys(size_t n, const char *prefix)
{
	char **k = malloc(n * sizeof *k);
	assert_non_null(k);
	for (size_t i = 0; i < n; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s %zu", prefix, i);
		k[i] = strdup(buf);
		assert_non_null(k[i]);
	}
	return k;
}

static void free_keys(char **k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(k[i]);
	free(k);
}

static void check_map(int reserve)
{
	char **keys = make_keys(N, "study"), **other = make_keys(N, "other");
	struct sm_strmap *m = sm_strmap_new();
	assert_non_null(m);
	if (reserve)
		assert_int_equal(sm_strmap_reserve(m, N), 0);
	for (size_t i = 0; i < N; i++) {
		sm_strmap_prefetch(m, keys[i]);
		assert_int_equal(sm_strmap_get(m, keys[i], NULL), 0);
		assert_int_equal(sm_strmap_put(m, keys[i], i, NULL), 1);
	}
	assert_int_equal(sm_strmap_count(m), N);
	for (size_t i = 0; i < N; i++) {
		size_t v = (size_t)-1, old = (size_t)-1;
		/* an equal key at another address is found, the first one kept */
		char copy[64];
		strcpy(copy, keys[i]);
		assert_int_equal(sm_strmap_get(m, copy, &v), 1);
		assert_int_equal(v, i);
		assert_ptr_equal(sm_strmap_key(m, copy), keys[i]);
		assert_int_equal(sm_strmap_put(m, copy, i + 1, &old), 0);
		assert_int_equal(old, i);
		assert_int_equal(sm_strmap_get(m, other[i], NULL), 0);
		assert_null(sm_strmap_key(m, other[i]));
	}
	assert_int_equal(sm_strmap_get(m, "", NULL), 0);
	assert_int_equal(sm_strmap_put(m, "", 7, NULL), 1);
	size_t v = 0;
	assert_int_equal(sm_strmap_get(m, "", &v), 1);
	assert_int_equal(v, 7);
	assert_int_equal(sm_strmap_count(m), N + 1);
	sm_strmap_free(m);
	free_keys(keys, N);
	free_keys(other, N);
}

static void grows_by_rehash(void **state)
{
	(void)state;
	check_map(0);
}

static void reserved(void **state)
{
	(void)state;
	check_map(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_by_rehash),
		cmocka_unit_test(reserved),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
