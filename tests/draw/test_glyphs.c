/* Every script: Chinese and Japanese study names are set in Noto Sans CJK
 * (a deterministic fallback of the style's family list, whatever the
 * environment's language); a character no font has is named in a warning;
 * a style may bring its own font files. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_fig.h"
#include "sm_fonts.h"
#include "sm_style.h"
#include "sm_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#define WANG "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e"             /* 王小明 */
#define YAMADA "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e" /* 山田太郎 */
#define HIERO "\xf0\x93\x80\x80"                                /* U+13000 */

static struct sm_ctx *new_ctx(void)
{
	struct sm_ctx *ctx = sm_ctx_new();
	sm_ctx_set_home(ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
	sm_ctx_set_epoch(ctx, 0);
	return ctx;
}

static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct sm_buf b;
	sm_buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		sm_buf_append(&b, chunk, n);
	assert_int_equal(pclose(p), 0);
	return sm_buf_take(&b);
}

/* A figure holding the texts, written as PDF; returns `pdffonts` of it. */
static char *fonts_of(struct sm_ctx *ctx, const char *style, const char *const *texts, int n,
		      const char *pdf)
{
	struct sm_fig *fig = sm_fig_new(ctx, style);
	if (!fig) {
		print_error("%s\n", sm_ctx_error(ctx)->msg);
		fail();
	}
	fig->width = 300, fig->height = 20 * n + 10;
	for (int i = 0; i < n; i++) {
		struct sm_tstyle st = sm_fig_role(fig, i % 2 ? SM_FR_BOLD : SM_FR_BODY);
		assert_int_equal(sm_fig_put_text(ctx, fig, &st, texts[i], 5, 5 + 20 * i,
						 sm_fig_rgb(0), 0, i, NULL), SM_OK);
	}
	assert_int_equal(sm_fig_write(ctx, fig, pdf, 0), SM_OK);
	sm_fig_free(fig);
	char *cmd = sm_asprintf("pdffonts %s", pdf);
	char *out = run(cmd);
	free(cmd);
	return out;
}

static void chinese_and_japanese(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	const char *texts[] = { WANG " 2019", YAMADA " 2020", "Smith et al., 2001" };
	char pdf[] = "/tmp/sm_glyphs_XXXXXX.pdf";
	close(mkstemps(pdf, 4));
	char *fonts = fonts_of(ctx, NULL, texts, 3, pdf);
	/* no box: nothing is missing, and the CJK face is the style's fallback */
	assert_int_equal(sm_ctx_warning_count(ctx), 0);
	assert_non_null(strstr(fonts, "NotoSansCJKsc-Regular"));
	assert_non_null(strstr(fonts, "LiberationSans"));
	char *cmd = sm_asprintf("pdftotext %s -", pdf);
	char *text = run(cmd);
	assert_non_null(strstr(text, WANG " 2019"));
	assert_non_null(strstr(text, YAMADA " 2020"));
	free(text);
	free(cmd);
	free(fonts);
	/* the same with the style naming the Japanese face instead */
	char style[] = "/tmp/sm_glyphs_XXXXXX.json";
	int fd = mkstemps(style, 5);
	const char *json = "{\"font\": {\"fallback\": \"DejaVu Sans, Noto Sans CJK JP\"}}";
	assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	fonts = fonts_of(ctx, style, texts, 3, pdf);
	assert_non_null(strstr(fonts, "NotoSansCJKjp-Regular"));
	assert_null(strstr(fonts, "NotoSansCJKsc"));
	free(fonts);
	unlink(style);
	unlink(pdf);
	sm_ctx_free(ctx);
}

/* A character no font has: one warning naming it and the text it is in,
 * however often the text is measured (at other widths, word by word). */
static void missing_glyph_named(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	struct sm_fig *fig = sm_fig_new(ctx, NULL);
	assert_non_null(fig);
	struct sm_tstyle st = sm_fig_role(fig, SM_FR_BODY);
	struct sm_extent e;
	assert_int_equal(sm_fig_measure(ctx, fig, &st, "Adams " HIERO " 2012", &e), SM_OK);
	st.wrap = 20;
	assert_int_equal(sm_fig_measure(ctx, fig, &st, "Adams " HIERO " 2012", &e), SM_OK);
	assert_int_equal(sm_fig_measure(ctx, fig, &st, HIERO, &e), SM_OK);
	assert_int_equal(sm_fig_measure(ctx, fig, &st, "Baker " WANG, &e), SM_OK);
	assert_int_equal(sm_ctx_warning_count(ctx), 1);
	assert_string_equal(sm_ctx_warning(ctx, 0),
			    "no font has the character U+13000 in \"Adams " HIERO " 2012\"; it is "
			    "drawn as a box (expected characters of the fonts in fonts/, "
			    "fonts/external-fonts.txt or the style's font.file)");
	/* another text with it is another warning */
	assert_int_equal(sm_fig_measure(ctx, fig, &st, "Costa " HIERO, &e), SM_OK);
	assert_int_equal(sm_ctx_warning_count(ctx), 2);
	assert_non_null(strstr(sm_ctx_warning(ctx, 1), "U+13000 in \"Costa " HIERO "\""));
	sm_fig_free(fig);
	sm_ctx_free(ctx);
}

/* A style's own font file: loaded beside the bundled ones, used for the
 * texts its family list names, its SHA-256 in the bundle's font record. */
static void own_font_file(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	const char *serif = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
	char style[] = "/tmp/sm_glyphs_XXXXXX.json";
	int fd = mkstemps(style, 5);
	char *json = sm_asprintf("{\"font\": {\"file\": [\"%s\"], \"fallback\": \"DejaVu Sans, "
				 "Noto Serif CJK SC\"}}", serif);
	assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	char pdf[] = "/tmp/sm_glyphs_XXXXXX.pdf";
	close(mkstemps(pdf, 4));
	const char *texts[] = { WANG };
	char *fonts = fonts_of(ctx, style, texts, 1, pdf);
	assert_non_null(strstr(fonts, "NotoSerifCJKsc-Regular"));
	free(fonts);
	struct sm_buf rec;
	sm_buf_init(&rec);
	assert_int_equal(sm_style_font_record(ctx, style, &rec), SM_OK);
	char *cmd = sm_asprintf("sha256sum %s | cut -c1-64", serif);
	char *hex = run(cmd);
	hex[64] = '\0';
	char *want = sm_asprintf("# font %s  %s\n", hex, serif);
	assert_string_equal(rec.data, want);
	sm_buf_release(&rec);
	/* the default style has no own fonts: no record */
	sm_buf_init(&rec);
	assert_int_equal(sm_style_font_record(ctx, "default", &rec), SM_OK);
	assert_int_equal(rec.len, 0);
	sm_buf_release(&rec);
	/* a missing file is an input error naming it */
	fd = open(style, O_WRONLY | O_TRUNC);
	const char *bad = "{\"font\": {\"file\": \"no-such-font.ttf\"}}";
	assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
	close(fd);
	assert_null(sm_fig_new(ctx, style));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "no-such-font.ttf not found"));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "the font file the style's font.file "
				"names"));
	sm_ctx_clear_error(ctx);
	free(want);
	free(hex);
	free(cmd);
	free(json);
	unlink(style);
	unlink(pdf);
	sm_ctx_free(ctx);
}

/* A fonts folder whose external list names a file that is not there: an
 * error naming the package to install. */
static void missing_external_font(void **state)
{
	(void)state;
	char dir[] = "/tmp/sm_glyphs_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *home = realpath(getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".", NULL);
	char *cmd = sm_asprintf("cp %s/fonts/DejaVuSans.ttf %s/ && printf '/nonexistent/X.ttc\\t"
				"fonts-x-demo\\n' > %s/external-fonts.txt", home, dir, dir);
	assert_int_equal(system(cmd), 0);
	struct sm_ctx *ctx = new_ctx();
	assert_null(sm_fonts_new(ctx, dir));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "/nonexistent/X.ttc not found"));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "the Debian package fonts-x-demo "
				"(apt-get install fonts-x-demo"));
	sm_ctx_free(ctx);
	free(cmd);
	cmd = sm_asprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(home);
}

/* The large external fonts are read only for a text that needs them: a
 * Latin-only figure never reads them, a Chinese name does; and the families
 * external-fonts.txt says a file provides are the file's (the list is
 * trusted until the file is read). */
static void external_fonts_read_when_needed(void **state)
{
	(void)state;
	struct sm_ctx *ctx = new_ctx();
	char *dir = sm_asprintf("%s/fonts", sm_ctx_home(ctx));
	struct sm_fonts *fonts = sm_fonts_new(ctx, dir);
	assert_non_null(fonts);
	assert_int_equal(sm_fonts_require(ctx, fonts, "Noto Sans CJK SC", 0, 0), SM_OK);
	assert_false(sm_fonts_external_read(fonts));
	struct sm_text *t = sm_text_new(ctx, fonts);
	assert_non_null(t);
	struct sm_tstyle st = { .family = "Liberation Sans", .size = 8 };
	struct sm_extent latin, han, han_again;
	assert_int_equal(sm_text_measure(ctx, t, &st, "Muller et al., 1996", &latin), SM_OK);
	assert_false(sm_fonts_external_read(fonts));
	assert_int_equal(sm_text_measure(ctx, t, &st, WANG, &han), SM_OK);
	assert_true(sm_fonts_external_read(fonts));
	assert_int_equal(sm_ctx_warning_count(ctx), 0); /* no box: the glyphs were found */
	/* measured again after the read: the same width */
	struct sm_text *t2 = sm_text_new(ctx, fonts);
	assert_int_equal(sm_text_measure(ctx, t2, &st, WANG, &han_again), SM_OK);
	assert_true(han.width == han_again.width && han.width > 0);
	/* every family the list names is in its files */
	char *list = sm_asprintf("%s/external-fonts.txt", dir);
	char *text = sm_test_slurp(list);
	size_t checked = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *fam = line[0] == '#' ? NULL : strchr(line, '\t');
		fam = fam ? strchr(fam + 1, '\t') : NULL;
		for (char *f = fam ? fam + 1 : NULL, *next; f && *f; f = next) {
			next = strchr(f, ',');
			if (next)
				*next++ = '\0';
			assert_int_equal(sm_fonts_require(ctx, fonts, f, 0, 0), SM_OK);
			checked++;
		}
	}
	assert_true(checked >= 5);
	assert_int_equal(sm_fonts_require(ctx, fonts, "Noto Sans CJK XX", 0, 0), SM_EINPUT);
	free(text);
	free(list);
	sm_text_free(t2);
	sm_text_free(t);
	sm_fonts_free(fonts);
	free(dir);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chinese_and_japanese),
		cmocka_unit_test(missing_glyph_named),
		cmocka_unit_test(own_font_file),
		cmocka_unit_test(missing_external_font),
		cmocka_unit_test(external_fonts_read_when_needed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Under ASan: fontconfig loads the system configuration once per process
 * (cairo's FreeType backend asks for it) and keeps it until exit.  Cairo
 * 1.16 (Debian 12) leaks in cairo_surface_finish() when it subsets a CFF
 * font for PDF or PostScript (Noto Sans CJK is one): 768 bytes a PDF,
 * 128 KiB an EPS, inside the library; nothing of ours is suppressed. */
/* Default visibility: the build hides symbols, and the sanitizer runtime
 * finds this hook only when it is exported. */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libcairo.so\n";
}
