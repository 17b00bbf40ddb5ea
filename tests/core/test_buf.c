/* Tests of the byte buffer and allocation helpers. */
#include "sm_test.h"

#include "sm_buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void grows_and_formats(void **state)
{
	(void)state;
	struct sm_buf b;
	sm_buf_init(&b);
	for (int i = 0; i < 1000; i++)
		sm_buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, "0,1,2,", 6);
	sm_buf_reset(&b);
	assert_int_equal(b.len, 0);
	sm_buf_puts(&b, "τ² ≥ 0");
	char *s = sm_buf_take(&b);
	assert_string_equal(s, "τ² ≥ 0");
	assert_null(b.data);
	free(s);
}

/* What the results streamer keeps after writing an aligned piece. */
static void drops_the_front(void **state)
{
	(void)state;
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_drop_front(&b, 3); /* empty, nothing allocated: still empty */
	assert_int_equal(b.len, 0);
	sm_buf_puts(&b, "abcdefgh");
	size_t cap = b.cap;
	sm_buf_drop_front(&b, 0);
	assert_string_equal(b.data, "abcdefgh");
	sm_buf_drop_front(&b, 3);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "defgh");
	assert_int_equal(b.cap, cap);
	sm_buf_putc(&b, 'i');
	assert_string_equal(b.data, "defghi");
	sm_buf_drop_front(&b, 6);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	sm_buf_puts(&b, "xy");
	sm_buf_drop_front(&b, 99);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	sm_buf_release(&b);
}

static void overflow_is_refused(void **state)
{
	(void)state;
	assert_null(sm_alloc_array(SIZE_MAX / 2, 4));
	void *p = sm_alloc_array(3, 8);
	assert_non_null(p);
	free(p);
}

static void read_file_bounds_size(void **state)
{
	(void)state;
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(sm_read_file("/nonexistent/file", 0, &data, &len), -1);
	assert_null(data);
	assert_int_equal(sm_read_file("CMakeLists.txt", 0, &data, &len), 0);
	assert_true(len > 100);
	free(data);
	assert_int_equal(sm_read_file("CMakeLists.txt", 10, &data, &len), -1);
	assert_int_equal(errno, EFBIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_and_formats),
		cmocka_unit_test(drops_the_front),
		cmocka_unit_test(overflow_is_refused),
		cmocka_unit_test(read_file_bounds_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
