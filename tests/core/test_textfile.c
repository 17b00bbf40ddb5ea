/* Byte-level helpers: UTF-8 checks, line/column, JSON positions. */
#include "sm_test.h"

#include "sm_json_pos.h"
#include "sm_textfile.h"

#include <stdlib.h>
#include <string.h>

static void test_utf8(void **state)
{
	(void)state;
	const char ok[] = "a\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80z";
	assert_int_equal(sm_utf8_check(ok, strlen(ok)), strlen(ok));
	assert_int_equal(sm_utf8_chars(ok), 5);
	assert_int_equal(sm_utf8_check("ab\x80", 3), 2);         /* lone continuation */
	assert_int_equal(sm_utf8_check("a\xE0\x80\x80", 4), 1); /* overlong */
	assert_int_equal(sm_utf8_check("\xF4\x90\x80\x80", 4), 0); /* > U+10FFFF */
	assert_int_equal(sm_utf8_check("x\xC3", 2), 1);           /* truncated */
	/* the eight-byte ASCII path: every bad sequence and every valid one
	 * after 0 to 40 ASCII bytes, with 0 to 12 bytes after it, found at its
	 * own offset (a word that skipped it, or stopped early, would not) */
	static const char *const bad[] = { "\x80", "\xC3", "\xE0\x80\x80", "\xF4\x90\x80\x80",
					   "\xFF", "\xC3\x28" };
	static const char *const good[] = { "\xC3\xA4", "\xE2\x82\xAC", "\xF0\x9F\x98\x80" };
	char buf[80];
	for (size_t lead = 0; lead <= 40; lead++)
		for (size_t tail = 0; tail <= 12; tail++) {
			for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
				size_t n = strlen(bad[b]);
				memset(buf, 'a', sizeof buf);
				memcpy(buf + lead, bad[b], n);
				assert_int_equal(sm_utf8_check(buf, lead + n + tail), lead);
			}
			for (size_t g = 0; g < sizeof good / sizeof good[0]; g++) {
				size_t n = strlen(good[g]);
				memset(buf, 'a', sizeof buf);
				memcpy(buf + lead, good[g], n);
				assert_int_equal(sm_utf8_check(buf, lead + n + tail), lead + n + tail);
			}
		}
}

static void test_linecol(void **state)
{
	(void)state;
	const char t[] = "ab\r\nc\xC3\xA4" "d\re\nf";
	int line, col;
	sm_textfile_linecol(t, strlen(t), 7, &line, &col); /* 'd' */
	assert_int_equal(line, 2);
	assert_int_equal(col, 3);
	sm_textfile_linecol(t, strlen(t), 9, &line, &col); /* 'e' after a lone CR */
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
	sm_textfile_linecol(t, strlen(t), strlen(t), &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 2);
	sm_textfile_linecol("\xEF\xBB\xBFxy", 5, 4, &line, &col); /* BOM takes no column */
	assert_int_equal(col, 2);
}

static void test_locate(void **state)
{
	(void)state;
	const char *t = "{\"a\": [1, {\"b\": \"x]\"}, [2, 3]],\n \"c.d\": null, \"e\\u0066\": 5}";
	size_t len = strlen(t), off = 0;
	assert_int_equal(sm_json_locate_str(t, len, "a[1].b", &off), 1);
	assert_int_equal(off, 16);
	assert_int_equal(sm_json_locate_str(t, len, "a[2][1]", &off), 1);
	assert_int_equal(t[off], '3');
	assert_int_equal(sm_json_locate_str(t, len, "ef", &off), 1); /* escaped key */
	assert_int_equal(t[off], '5');
	/* missing: the enclosing object */
	assert_int_equal(sm_json_locate_str(t, len, "a[1].zz", &off), 0);
	assert_int_equal(off, 10);
	assert_int_equal(sm_json_locate_str(t, len, "a[7]", &off), 0);
	assert_int_equal(off, 6);
	struct sm_jpath c = { NULL, "c.d", 0 };
	assert_int_equal(sm_json_locate(t, len, &c, SM_JPOS_KEY, &off), 1);
	assert_int_equal(off, 33);
	char buf[64];
	sm_json_excerpt(t, len, 16, buf, sizeof buf, 40);
	assert_string_equal(buf, "\"x]\"");
	sm_json_excerpt(t, len, 6, buf, sizeof buf, 40);
	assert_string_equal(buf, "an array");
	struct sm_jpath a = { NULL, "a", 0 }, a1 = { &a, NULL, 1 }, b = { &a1, "b", 0 };
	char *s = sm_jpath_format(&b);
	assert_string_equal(s, "a[1].b");
	free(s);
	size_t n = 0;
	size_t *el = sm_json_elements(t, len, &a, &n);
	assert_int_equal(n, 3);
	assert_int_equal(el[2], 23);
	free(el);
}

static void test_scan(void **state)
{
	(void)state;
	size_t off;
	char *msg;
	const char *good = " {\"a\": [1.5e-3, -0, true, null, \"\\ud83d\\ude00\"]} ";
	assert_int_equal(sm_json_scan(good, strlen(good), &off, &msg), 0);
	assert_int_equal(sm_json_scan("{\"a\": 1, \"a\": 1}", 16, &off, &msg), -1);
	assert_int_equal(off, 9);
	assert_string_equal(msg, "duplicate key \"a\"; expected each key once per object");
	free(msg);
	/* same key in sibling objects is fine */
	assert_int_equal(sm_json_scan("[{\"a\": 1}, {\"a\": 2}]", 20, &off, &msg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_linecol),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
