/* Print formats of the drawing layer: TIFF (libtiff: LZW, resolution
 * tags, RGB and CMYK through littleCMS), EPS (cairo's PostScript surface),
 * SVG with real <text> (sm_svg_text.h); each the same bytes for the same
 * figure. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_fig.h"

#include <hb.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <unistd.h>

struct fx {
	struct sm_ctx *ctx;
	char dir[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->ctx = sm_ctx_new();
	sm_ctx_set_home(f->ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
	sm_ctx_set_epoch(f->ctx, 1700000000);
	snprintf(f->dir, sizeof f->dir, "/tmp/sm_formats_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = sm_asprintf("rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	sm_ctx_free(f->ctx);
	free(f);
	return 0;
}

static const char *const labels[] = {
	"Ning et al., 2008", "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e 2019",      /* 王小明 */
	"\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e 2020",               /* 山田太郎 */
	"I\xc2\xb2 = 12% & <ok>",
};

/* A small figure: a red box, a black rule, the labels (one bold, one
 * italic) and a text cut with an ellipsis. */
static struct sm_fig *small_fig(struct fx *f, const char *style)
{
	struct sm_fig *fig = sm_fig_new(f->ctx, style);
	assert_non_null(fig);
	fig->width = 200, fig->height = 120, fig->opaque = 1;
	struct sm_fig_item *it = sm_fig_add(f->ctx, fig, SM_FIG_RECT);
	it->x0 = 10, it->y0 = 10, it->x1 = 60, it->y1 = 40, it->fill = 1, it->stroke = 0;
	it->fc = sm_fig_rgb(0xFF0000);
	it = sm_fig_add(f->ctx, fig, SM_FIG_LINE);
	it->x0 = 10, it->x1 = 190, it->y0 = it->y1 = 50, it->lw = 1;
	for (int i = 0; i < 4; i++) {
		struct sm_tstyle st = sm_fig_role(fig, i == 2 ? SM_FR_BOLD : i == 3 ? SM_FR_ITALIC
									: SM_FR_BODY);
		assert_int_equal(sm_fig_put_text(f->ctx, fig, &st, labels[i], 70, 8 + 10 * i,
						 sm_fig_rgb(0x000000), 0, i, NULL), SM_OK);
	}
	struct sm_tstyle cut = sm_fig_role(fig, SM_FR_BODY);
	cut.ellipsize = 60;
	assert_int_equal(sm_fig_put_text(f->ctx, fig, &cut, "A very long study label that is cut",
					 10, 60, sm_fig_rgb(0x0072B2), 0, 9, NULL), SM_OK);
	assert_int_equal(sm_fig_finish(f->ctx, fig), SM_OK);
	return fig;
}

static char *out(struct fx *f, const char *name)
{
	return sm_asprintf("%s/%s", f->dir, name);
}

static void same_bytes(const char *a, const char *b)
{
	char *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	assert_int_equal(sm_read_file(a, 0, &x, &nx), 0);
	assert_int_equal(sm_read_file(b, 0, &y, &ny), 0);
	assert_int_equal(nx, ny);
	assert_memory_equal(x, y, nx);
	free(x);
	free(y);
}

/* The pixel at (x, y) pt of a TIFF at `dpi`: its samples into s[].  LZW
 * strips are read from the start (no random access). */
static void tiff_pixel(TIFF *tif, double dpi, double x, double y, int spp, unsigned char *s)
{
	uint32_t w = 0, want = (uint32_t)lround(y / 72 * dpi);
	TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
	unsigned char *row = malloc((size_t)w * (size_t)spp);
	for (uint32_t r = 0; r <= want; r++)
		assert_int_equal(TIFFReadScanline(tif, row, r, 0), 1);
	memcpy(s, row + (size_t)lround(x / 72 * dpi) * (size_t)spp, (size_t)spp);
	free(row);
}

static void tiff_rgb_and_cmyk(void **state)
{
	struct fx *f = *state;
	struct sm_fig *fig = small_fig(f, NULL);
	char *a = out(f, "a.tif"), *b = out(f, "b.tiff"), *c = out(f, "c.tif");
	struct sm_fig_write_opts wo = { .dpi = 300 };
	assert_int_equal(sm_fig_write_with(f->ctx, fig, a, &wo), SM_OK);
	assert_int_equal(sm_fig_write_with(f->ctx, fig, b, &wo), SM_OK);
	assert_int_equal(sm_ctx_warning_count(f->ctx), 0);
	same_bytes(a, b);
	TIFF *tif = TIFFOpen(a, "r");
	assert_non_null(tif);
	uint32_t w = 0, h = 0;
	uint16_t comp = 0, photo = 0, spp = 0, bps = 0, unit = 0, pred = 0;
	float xres = 0, yres = 0;
	TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetField(tif, TIFFTAG_COMPRESSION, &comp);
	TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo);
	TIFFGetField(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetField(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetField(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
	TIFFGetField(tif, TIFFTAG_PREDICTOR, &pred);
	TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres);
	TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yres);
	char *date = NULL;
	assert_int_equal(TIFFGetField(tif, TIFFTAG_DATETIME, &date), 0);
	assert_int_equal(w, sm_canvas_px(200, 300));
	assert_int_equal(h, sm_canvas_px(120, 300));
	assert_int_equal(comp, COMPRESSION_LZW);
	assert_int_equal(pred, PREDICTOR_HORIZONTAL);
	assert_int_equal(photo, PHOTOMETRIC_RGB);
	assert_int_equal(spp, 3);
	assert_int_equal(bps, 8);
	assert_int_equal(unit, RESUNIT_INCH);
	assert_true(xres == 300 && yres == 300);
	unsigned char px[4];
	tiff_pixel(tif, 300, 35, 25, 3, px); /* inside the red box */
	assert_true(px[0] == 255 && px[1] == 0 && px[2] == 0);
	TIFFClose(tif);
	tif = TIFFOpen(a, "r");
	tiff_pixel(tif, 300, 150, 100, 3, px); /* white ground */
	assert_true(px[0] == 255 && px[1] == 255 && px[2] == 255);
	TIFFClose(tif);

	/* CMYK through the profile: red is magenta + yellow, white no ink */
	fig->style->cmyk = 1;
	assert_int_equal(sm_fig_write_with(f->ctx, fig, c, &wo), SM_OK);
	tif = TIFFOpen(c, "r");
	assert_non_null(tif);
	uint16_t ink = 0;
	TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo);
	TIFFGetField(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetField(tif, TIFFTAG_INKSET, &ink);
	assert_int_equal(photo, PHOTOMETRIC_SEPARATED);
	assert_int_equal(ink, INKSET_CMYK);
	assert_int_equal(spp, 4);
	tiff_pixel(tif, 300, 35, 25, 4, px);
	if (!(px[0] < 40 && px[1] > 200 && px[2] > 200)) {
		print_error("red as CMYK %d %d %d %d\n", px[0], px[1], px[2], px[3]);
		fail();
	}
	TIFFClose(tif);
	tif = TIFFOpen(c, "r");
	tiff_pixel(tif, 300, 150, 100, 4, px);
	assert_true(px[0] == 0 && px[1] == 0 && px[2] == 0 && px[3] == 0);
	TIFFClose(tif);

	/* a profile that is not CMYK is refused, naming it */
	free(fig->style->cmyk_profile);
	fig->style->cmyk_profile = strdup("/nonexistent/profile.icc");
	assert_int_equal(sm_fig_write_with(f->ctx, fig, c, &wo), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(f->ctx)->msg, "cannot use the CMYK profile"));
	assert_string_equal(sm_ctx_error(f->ctx)->file, "/nonexistent/profile.icc");
	sm_ctx_clear_error(f->ctx);
	fig->style->cmyk = 0;

	/* below 300 dpi: written, with a warning saying what journals ask */
	wo.dpi = 150;
	assert_int_equal(sm_fig_write_with(f->ctx, fig, c, &wo), SM_OK);
	assert_int_equal(sm_ctx_warning_count(f->ctx), 1);
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "TIFF at 150 dpi; most journals "
				"require 300 to 600 dpi (1000 or more for line art)"));
	sm_ctx_clear_warnings(f->ctx);
	free(a);
	free(b);
	free(c);
	sm_fig_free(fig);
}

static void eps_fixed_date(void **state)
{
	struct fx *f = *state;
	struct sm_fig *fig = small_fig(f, NULL);
	char *a = out(f, "a.eps"), *b = out(f, "b.EPS");
	assert_int_equal(sm_fig_write(f->ctx, fig, a, 0), SM_OK);
	sleep(1); /* cairo would stamp the second */
	assert_int_equal(sm_fig_write(f->ctx, fig, b, 0), SM_OK);
	same_bytes(a, b);
	char *text = NULL;
	size_t n = 0;
	assert_int_equal(sm_read_file(a, 0, &text, &n), 0);
	assert_true(!strncmp(text, "%!PS-Adobe-3.0 EPSF-3.0\n", 24));
	assert_non_null(strstr(text, "\n%%CreationDate: Tue Nov 14 22:13:20 2023\n"));
	assert_non_null(strstr(text, "\n%%BoundingBox: 0 0 200 120\n"));
	assert_null(strstr(text, "%%Page: 2"));
	free(text);
	free(a);
	free(b);
	sm_fig_free(fig);
}

/* The <text> elements of an SVG in order, as "x y text" lines. */
static char *svg_texts(const char *svg)
{
	struct sm_buf b;
	sm_buf_init(&b);
	for (const char *p = svg; (p = strstr(p, "<text x=\"")); p++) {
		double x = atof(p + 9);
		const char *y = strstr(p, " y=\"");
		const char *s = strchr(p, '>') + 1, *e = strstr(s, "</text>");
		sm_buf_printf(&b, "%.0f %.0f %.*s\n", x, atof(y + 4), (int)(e - s), s);
	}
	return sm_buf_take(&b);
}

/* Every character of the texts set in embedded face `id` is in its subset. */
static void subset_covers(const char *svg, int id, const char *chars)
{
	char *key = sm_asprintf("font-family:\"sm-f%d\";src:url(data:font/", id);
	const char *p = strstr(svg, key);
	assert_non_null(p);
	p = strstr(p, "base64,") + 7;
	const char *e = strchr(p, ')');
	char *b64 = g_strndup(p, (gsize)(e - p));
	gsize len = 0;
	guchar *data = g_base64_decode(b64, &len);
	assert_true(len > 100);
	hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned)len,
					 HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *face = hb_face_create(blob, 0);
	hb_font_t *font = hb_font_create(face);
	assert_true(hb_face_get_glyph_count(face) > 1);
	for (const char *c = chars; *c; c = g_utf8_next_char(c)) {
		hb_codepoint_t g = 0;
		if (!hb_font_get_nominal_glyph(font, g_utf8_get_char(c), &g)) {
			print_error("face sm-f%d has no glyph for U+%04X\n", id,
				    (unsigned)g_utf8_get_char(c));
			fail();
		}
	}
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	g_free(data);
	g_free(b64);
	free(key);
}

/* The face id a text's run names first. */
static int face_of(const char *svg, const char *text)
{
	const char *p = strstr(svg, text);
	assert_non_null(p);
	while (p > svg && strncmp(p, "<text ", 6))
		p--;
	const char *ff = strstr(p, "font-family=\"sm-f");
	assert_non_null(ff);
	return atoi(ff + 17);
}

static void svg_real_text(void **state)
{
	struct fx *f = *state;
	struct sm_fig *fig = small_fig(f, NULL);
	fig->style->svg_text = 1;
	char *a = out(f, "a.svg"), *b = out(f, "b.svg");
	assert_int_equal(sm_fig_write(f->ctx, fig, a, 0), SM_OK);
	assert_int_equal(sm_fig_write(f->ctx, fig, b, 0), SM_OK);
	same_bytes(a, b);
	char *cmd = sm_asprintf("xmllint --noout %s", a);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *svg = NULL;
	size_t n = 0;
	assert_int_equal(sm_read_file(a, 0, &svg, &n), 0);
	char *texts = svg_texts(svg);
	/* runs in order at their layout positions; CJK runs apart from the
	 * Latin digits after them; the ellipsis as U+2026 */
	const char *want[] = { "70 ", "Ning et al., 2008\n", "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e",
			       "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e",
			       "I\xc2\xb2 = 12% &amp; &lt;ok&gt;", "\xe2\x80\xa6\n" };
	const char *p = texts;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *q = strstr(p, want[i]);
		if (!q) {
			print_error("texts lack \"%s\" after \"%s\":\n%s", want[i], p, texts);
			fail();
		}
		p = q;
	}
	assert_null(strstr(texts, "cut\n")); /* the cut part is not written */
	/* no glyph outlines for text: cairo's glyph symbols are absent */
	assert_null(strstr(svg, "<symbol overflow=\"visible\" id=\"glyph"));
	/* faces: Liberation Sans regular, bold, italic, Noto Sans CJK, each embedded
	 * with the characters it draws */
	int latin = face_of(svg, "Ning et al."), cjk = face_of(svg, "\xe7\x8e\x8b");
	int bold_cjk = face_of(svg, "\xe5\xb1\xb1");
	assert_int_not_equal(latin, cjk);
	subset_covers(svg, latin, "Ning etal.,2008");
	subset_covers(svg, cjk, "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e");
	subset_covers(svg, bold_cjk, "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e");
	assert_non_null(strstr(svg, "font-weight=\"bold\""));
	assert_non_null(strstr(svg, "font-style=\"italic\""));
	assert_non_null(strstr(svg, "fill=\"#0072B2\""));
	assert_non_null(strstr(svg, "font-family=\"sm-f0, Liberation Sans, DejaVu Sans, "
				    "Noto Sans CJK SC\""));
	free(texts);
	free(svg);
	free(a);
	free(b);
	sm_fig_free(fig);
}

/* Without --svg-text an SVG keeps cairo's outlines (and no <text>). */
static void svg_outlines_by_default(void **state)
{
	struct fx *f = *state;
	struct sm_fig *fig = small_fig(f, NULL);
	char *a = out(f, "o.svg");
	assert_int_equal(sm_fig_write(f->ctx, fig, a, 0), SM_OK);
	char *svg = NULL;
	size_t n = 0;
	assert_int_equal(sm_read_file(a, 0, &svg, &n), 0);
	assert_null(strstr(svg, "<text"));
	assert_non_null(strstr(svg, "glyph"));
	free(svg);
	free(a);
	sm_fig_free(fig);
}

/* A raster too large at its dpi: refused, or (fit) drawn at the highest
 * whole dpi that fits, with a warning naming the dpi used. */
static void raster_fit(void **state)
{
	struct fx *f = *state;
	struct sm_fig *fig = small_fig(f, NULL);
	fig->height = 8000; /* 111 in: 33,333 px at 300 dpi */
	char *a = out(f, "tall.png");
	struct sm_fig_write_opts wo = { .dpi = 300 };
	assert_int_equal(sm_fig_write_with(f->ctx, fig, a, &wo), SM_EINPUT);
	assert_non_null(strstr(sm_ctx_error(f->ctx)->msg, "is too large"));
	sm_ctx_clear_error(f->ctx);
	wo.fit = 1;
	assert_int_equal(sm_fig_write_with(f->ctx, fig, a, &wo), SM_OK);
	assert_int_equal(sm_ctx_warning_count(f->ctx), 1);
	/* floor(32767 * 72 / 8000) = 294 */
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "too large for a PNG at 300 dpi "
				"(at most 32767 px a side): drawn at 294 dpi"));
	sm_ctx_clear_warnings(f->ctx);
	assert_true(sm_canvas_px(8000, 294) <= 32767 && sm_canvas_px(8000, 295) > 32767);
	char *cmd = sm_asprintf("file %s | grep -q '%ld x %ld'", a, sm_canvas_px(200, 294),
				sm_canvas_px(8000, 294));
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(a);
	sm_fig_free(fig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tiff_rgb_and_cmyk, setup, teardown),
		cmocka_unit_test_setup_teardown(eps_fixed_date, setup, teardown),
		cmocka_unit_test_setup_teardown(svg_real_text, setup, teardown),
		cmocka_unit_test_setup_teardown(svg_outlines_by_default, setup, teardown),
		cmocka_unit_test_setup_teardown(raster_fit, setup, teardown),
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
