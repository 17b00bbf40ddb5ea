/* Styles, number formatting, fonts: the small parts under every figure. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_fmt.h"
#include "sm_fonts.h"
#include "sm_style.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct sm_ctx *new_ctx(void)
{
	struct sm_ctx *ctx = sm_ctx_new();
	sm_ctx_set_home(ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
	return ctx;
}

static void expect_error(struct sm_ctx *ctx, const char *part)
{
	const struct sm_diag *d = sm_ctx_error(ctx);
	assert_non_null(d);
	if (!strstr(d->msg, part)) {
		print_error("error \"%s\" lacks \"%s\"\n", d->msg, part);
		fail();
	}
	sm_ctx_clear_error(ctx);
}

static char *fmt(double x, int dec)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_fmt_num(&b, x, dec);
	return sm_buf_take(&b);
}

static void test_numbers(void **state)
{
	(void)state;
	struct { double x; int dec; const char *want; } cases[] = {
		{ 1.345, 2, "1.34" }, { -1.92, 2, "\xe2\x88\x92" "1.92" }, { -0.001, 2, "0.00" },
		{ 0, 0, "0" }, { 24.8, 0, "25" }, { 1.0 / 0.0, 2, "NA" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = fmt(cases[i].x, cases[i].dec);
		assert_string_equal(s, cases[i].want);
		free(s);
	}
	struct { double p; const char *want; } ps[] = {
		{ 0.2049, "P = 0.20" }, { 0.0047, "P = 0.005" }, { 0.0004, "P < 0.001" },
		{ 0.999, "P = 1.00" },
	};
	for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
		struct sm_buf b;
		sm_buf_init(&b);
		sm_fmt_p(&b, ps[i].p, 2);
		assert_string_equal(b.data, ps[i].want);
		sm_buf_release(&b);
	}
	struct sm_buf b;
	sm_buf_init(&b);
	sm_fmt_short(&b, 0.05);
	sm_fmt_short(&b, 100);
	assert_string_equal(b.data, "0.05100");
	sm_buf_release(&b);
}

static void test_lengths(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	double pt;
	assert_int_equal(sm_style_length(ctx, "single", &pt), SM_OK);
	sm_check_close(pt, 85 / 25.4 * 72, 1e-12, 0, "single");
	assert_int_equal(sm_style_length(ctx, "150mm", &pt), SM_OK);
	sm_check_close(pt, 150 / 25.4 * 72, 1e-12, 0, "150mm");
	assert_int_equal(sm_style_length(ctx, "3in", &pt), SM_OK);
	sm_check_close(pt, 216, 1e-12, 0, "3in");
	assert_int_equal(sm_style_length(ctx, "150", &pt), SM_EINPUT);
	expect_error(ctx, "expected a number with mm");
	sm_ctx_free(ctx);
}

/* The shipped templates load, and default.style.json states the defaults. */
static void test_templates(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	struct sm_style *def = sm_style_defaults(ctx), *file = sm_style_load(ctx, "default");
	struct sm_style *j = sm_style_load(ctx, "journal");
	assert_non_null(def);
	assert_non_null(file);
	assert_non_null(j);
	assert_string_equal(file->family, def->family);
	assert_string_equal(file->h_effect, def->h_effect);
	assert_string_equal(file->l_total, def->l_total);
	sm_check_close(file->size, def->size, 0, 0, "size");
	sm_check_close(file->width, def->width, 1e-12, 0, "width");
	sm_check_close(file->c_square.b, def->c_square.b, 1e-12, 0, "square colour");
	assert_int_equal(file->d_i2, def->d_i2);
	sm_check_close(j->size, 7, 0, 0, "journal size");
	assert_true(j->c_square.r == 0 && j->c_square.g == 0 && j->c_square.b == 0);
	/* every key of default.style.json is the built-in default, the new
	 * print keys included */
	const char *differs = sm_style_differs(def, file);
	if (differs) {
		print_error("default.style.json and the defaults differ in \"%s\"\n", differs);
		fail();
	}
	assert_false(def->greyscale);
	assert_true(j->greyscale);
	assert_string_equal(sm_style_differs(def, j), "size");
	char *x = sm_style_expand(def->favours_left, "MSC", "Control", "OR", 95);
	assert_string_equal(x, "Favours MSC");
	free(x);
	x = sm_style_expand(def->h_effect, "MSC", "Control", "OR", 90);
	assert_string_equal(x, "OR [90% CI]");
	free(x);
	sm_style_free(def);
	sm_style_free(file);
	sm_style_free(j);
	sm_ctx_free(ctx);
}

static char *write_tmp(const char *text)
{
	char path[] = "/tmp/sm_style_XXXXXX.json";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return strdup(path);
}

static void test_style_errors(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	const char *bad[][2] = {
		{ "{\"font\": {\"sise\": 8}}", "unknown style key" },
		{ "{\"font\": {\"size\": 5}}", "6 to 72 pt" },
		{ "{\"colours\": {\"square\": \"blue\"}}", "colour like" },
		{ "{\"layout\": {\"width\": \"wide\"}}", "bad length" },
		{ "{\"font\": ", "not valid JSON" },
		{ "{\"colours\": {\"greyscale\": 1}}", "true or false" },
		{ "{\"font\": {\"file\": []}}", "a font file path or a list of them" },
		{ "{\"font\": {\"file\": [\"a.ttf\", 3]}}", "a font file path or a list" },
		{ "{\"output\": {\"cmyk\": \"yes\"}}", "true or false" },
		{ "{\"print\": 1}", "unknown style section; expected font, lines, colours, "
		  "decimals, headers, labels, layout or output" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *path = write_tmp(bad[i][0]);
		assert_null(sm_style_load(ctx, path));
		expect_error(ctx, bad[i][1]);
		unlink(path);
		free(path);
	}
	assert_null(sm_style_load(ctx, "no-such-style"));
	expect_error(ctx, "cannot read style");
	/* font files: one or a list, a relative one read from the style's folder */
	char *path = write_tmp("{\"font\": {\"file\": [\"/x/A.ttf\", \"b/B.otf\"]}}");
	struct sm_style *st = sm_style_load(ctx, path);
	assert_non_null(st);
	char *want = sm_asprintf("/x/A.ttf\n/tmp/b/B.otf");
	assert_string_equal(st->font_files, want);
	free(want);
	sm_style_free(st);
	unlink(path);
	free(path);
	sm_ctx_free(ctx);
}

static void test_fonts(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	struct sm_fonts *f = sm_fonts_new_home(ctx);
	assert_non_null(f);
	assert_int_equal(sm_fonts_require(ctx, f, "Liberation Sans", 1, 1), SM_OK);
	assert_int_equal(sm_fonts_require(ctx, f, "DejaVu Sans", 1, 0), SM_OK);
	/* DejaVu is bundled without italics: no silent slanting */
	assert_int_equal(sm_fonts_require(ctx, f, "DejaVu Sans", 0, 1), SM_EINPUT);
	expect_error(ctx, "not found");
	assert_int_equal(sm_fonts_require(ctx, f, "Comic Sans MS", 0, 0), SM_EINPUT);
	expect_error(ctx, "\"Comic Sans MS\" not found");
	sm_fonts_free(f);
	assert_null(sm_fonts_new(ctx, "/nonexistent/fonts"));
	expect_error(ctx, "font folder");
	sm_ctx_free(ctx);
}

/* Under ASan: fontconfig loads the system configuration once per process
 * (cairo's FreeType backend asks for it) and keeps it until exit. */
/* Default visibility: the build hides symbols, and the sanitizer runtime
 * finds this hook only when it is exported. */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_style_errors),
		cmocka_unit_test(test_fonts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
