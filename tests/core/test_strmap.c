/*
 * test_strmap.c -- the string map the CSV reader finds its study labels in
 * (src/core/sm_strmap.c): every key put is found again with its value after
 * the table has grown many times, equal texts at other addresses find the
 * stored key, absent keys (also ones that share a probe chain) are absent,
 * and a second put keeps the first value.  200 000 keys take the table to
 * 512 Ki slots (8 MB), past the size from which its slots are allocated for
 * huge pages (slots_alloc).
 */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_KEYS 200000

/* Labels as the simulated benchmark data has them ("s1" ... "sN"), with
 * some keys that are prefixes of others and the empty string. */
static char **make_keys(size_t n)
{
	char **k = malloc(n * sizeof *k);
	assert_non_null(k);
	for (size_t i = 0; i < n; i++) {
		k[i] = sm_asprintf(i == 0 ? "" : "s%zu", i);
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

static void test_grow_and_find(void **state)
{
	(void)state;
	char **keys = make_keys(N_KEYS);
	struct sm_strmap *m = sm_strmap_new();
	assert_non_null(m);
	for (size_t i = 0; i < N_KEYS; i++) {
		/* absent before it is put (its slot prefetched first, as the CSV
		 * reader does), present with its value after */
		sm_strmap_prefetch(m, keys[i]);
		assert_int_equal(sm_strmap_get(m, keys[i], NULL), 0);
		assert_int_equal(sm_strmap_put(m, keys[i], i, NULL), 1);
		size_t v = 0;
		assert_int_equal(sm_strmap_get(m, keys[i], &v), 1);
		assert_int_equal(v, i);
	}
	for (size_t i = 0; i < N_KEYS; i++) {
		/* the same text at another address: found, the stored pointer back */
		char copy[32];
		snprintf(copy, sizeof copy, "%s", keys[i]);
		size_t v = N_KEYS;
		assert_int_equal(sm_strmap_get(m, copy, &v), 1);
		assert_int_equal(v, i);
		assert_ptr_equal(sm_strmap_key(m, copy), keys[i]);
		/* a second put keeps the first value and reports it */
		size_t old = N_KEYS;
		assert_int_equal(sm_strmap_put(m, copy, N_KEYS + i, &old), 0);
		assert_int_equal(old, i);
	}
	for (size_t i = 0; i < N_KEYS; i += 7) {
		/* never put: "t..." and "s..." beyond the last key, "s0" */
		char other[32];
		snprintf(other, sizeof other, "t%zu", i);
		assert_int_equal(sm_strmap_get(m, other, NULL), 0);
		assert_null(sm_strmap_key(m, other));
		snprintf(other, sizeof other, "s%zu", N_KEYS + i);
		assert_int_equal(sm_strmap_get(m, other, NULL), 0);
	}
	assert_int_equal(sm_strmap_get(m, "s0", NULL), 0);
	sm_strmap_free(m);
	free_keys(keys, N_KEYS);
}

/* Keys put in a small table (no growth yet) and then across a rehash, in
 * reverse order, with lookups interleaved. */
static void test_small_and_reverse(void **state)
{
	(void)state;
	char **keys = make_keys(1000);
	struct sm_strmap *m = sm_strmap_new();
	assert_non_null(m);
	for (size_t i = 1000; i-- > 0;) {
		assert_int_equal(sm_strmap_put(m, keys[i], 3 * i, NULL), 1);
		for (size_t j = i; j < 1000; j += 97) {
			size_t v = 0;
			assert_int_equal(sm_strmap_get(m, keys[j], &v), 1);
			assert_int_equal(v, 3 * j);
		}
	}
	sm_strmap_free(m);
	free_keys(keys, 1000);
}

/* A reserve keeps what is there (across the rehash it makes), counts stay
 * right, a reserve below the size is nothing, and the keys put after it
 * (the CSV reader reserves for the file's lines once 4095 rows had a study
 * each) are found as in a grown table. */
static void test_reserve(void **state)
{
	(void)state;
	char **keys = make_keys(N_KEYS);
	struct sm_strmap *m = sm_strmap_new();
	assert_non_null(m);
	for (size_t i = 0; i < 4095; i++)
		assert_int_equal(sm_strmap_put(m, keys[i], i, NULL), 1);
	assert_int_equal(sm_strmap_count(m), 4095);
	assert_int_equal(sm_strmap_reserve(m, N_KEYS), 0);
	assert_int_equal(sm_strmap_reserve(m, 10), 0);
	assert_int_equal(sm_strmap_count(m), 4095);
	for (size_t i = 0; i < 4095; i++) {
		size_t v = N_KEYS;
		assert_int_equal(sm_strmap_get(m, keys[i], &v), 1);
		assert_int_equal(v, i);
	}
	for (size_t i = 4095; i < N_KEYS; i++) {
		assert_int_equal(sm_strmap_get(m, keys[i], NULL), 0);
		assert_int_equal(sm_strmap_put(m, keys[i], i, NULL), 1);
	}
	assert_int_equal(sm_strmap_count(m), N_KEYS);
	for (size_t i = 0; i < N_KEYS; i++) {
		size_t v = N_KEYS;
		assert_int_equal(sm_strmap_get(m, keys[i], &v), 1);
		assert_int_equal(v, i);
	}
	assert_int_equal(sm_strmap_get(m, "t1", NULL), 0);
	sm_strmap_free(m);
	free_keys(keys, N_KEYS);
}

/* A reserve on an empty map: every key put after it is found, and the
 * count is the keys'. */
static void test_reserve_empty(void **state)
{
	(void)state;
	char **keys = make_keys(N_KEYS);
	struct sm_strmap *m = sm_strmap_new();
	assert_non_null(m);
	assert_int_equal(sm_strmap_reserve(m, N_KEYS), 0);
	for (size_t i = 0; i < N_KEYS; i++)
		assert_int_equal(sm_strmap_put(m, keys[i], i, NULL), 1);
	assert_int_equal(sm_strmap_count(m), N_KEYS);
	for (size_t i = 0; i < N_KEYS; i++) {
		size_t v = N_KEYS;
		assert_int_equal(sm_strmap_get(m, keys[i], &v), 1);
		assert_int_equal(v, i);
	}
	assert_int_equal(sm_strmap_get(m, "t1", NULL), 0);
	sm_strmap_free(m);
	free_keys(keys, N_KEYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_and_find),
		cmocka_unit_test(test_small_and_reverse),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_reserve_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
