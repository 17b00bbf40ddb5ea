/* Tests of text setting with its shaping cache: a cached text measures and
 * draws exactly as one shaped afresh, styles are told apart, bad UTF-8 is
 * refused every time, and drawn ink stays inside the measured box. */
#include "sm_render_test.h"

#include "sm_fonts.h"
#include "sm_text.h"

#include <stdlib.h>
#include <string.h>

static const struct sm_tstyle plain = { .family = "Liberation Sans", .size = 9 };

/* Wrapped, centred, with a fallback-font character: several lines and runs. */
static const struct sm_tstyle wrapped = { .family = "Liberation Sans", .size = 8,
					  .wrap = 60, .align = SM_ALIGN_CENTER };
static const char *const long_text = "Heterogeneity τ² = 0.12, I² = 45 %, "
				     "random-effects model (DerSimonian–Laird)";

static void same_extent(const struct sm_extent *a, const struct sm_extent *b)
{
	assert_true(a->left == b->left && a->width == b->width && a->height == b->height &&
		    a->baseline == b->baseline && a->lines == b->lines);
}

/* Measuring again (a cache hit) gives the very same numbers as the first
 * time and as a fresh sm_text; a bold or tabular style is another entry. */
static void hits_equal_fresh_measures(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_text *t = sm_text_new(f->ctx, f->fonts), *u = sm_text_new(f->ctx, f->fonts);
	struct sm_extent e1, e2, e3, eb, ew;
	assert_int_equal(sm_text_measure(f->ctx, t, &plain, "Study 12 (2019)", &e1), SM_OK);
	assert_int_equal(sm_text_measure(f->ctx, t, &wrapped, long_text, &ew), SM_OK);
	assert_int_equal(sm_text_measure(f->ctx, t, &plain, "Study 12 (2019)", &e2), SM_OK);
	assert_int_equal(sm_text_measure(f->ctx, u, &plain, "Study 12 (2019)", &e3), SM_OK);
	same_extent(&e1, &e2);
	same_extent(&e1, &e3);
	assert_true(ew.lines >= 2);
	assert_true(ew.width <= 60 + 1e-9);

	struct sm_tstyle bold = plain;
	bold.bold = 1;
	assert_int_equal(sm_text_measure(f->ctx, t, &bold, "Study 12 (2019)", &eb), SM_OK);
	assert_true(eb.width > e1.width);
	/* another family is another entry */
	char family[] = "DejaVu Sans";
	struct sm_tstyle dv = plain;
	dv.family = family;
	struct sm_extent d1;
	assert_int_equal(sm_text_measure(f->ctx, t, &dv, "Study 12 (2019)", &d1), SM_OK);
	assert_true(d1.width != e1.width);
	sm_text_free(t);
	sm_text_free(u);
}

static void bad_utf8_is_refused_every_time(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_text *t = sm_text_new(f->ctx, f->fonts);
	struct sm_extent e;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sm_text_measure(f->ctx, t, &plain, "bad \xff byte", &e),
				 SM_EINPUT);
		assert_non_null(strstr(sm_ctx_error(f->ctx)->msg, "not valid UTF-8"));
		sm_ctx_clear_error(f->ctx);
	}
	sm_text_free(t);
}

/* Draw at 4x scale on white; the caller frees the surface. */
static cairo_surface_t *draw(struct sm_text *t, const struct sm_tstyle *st, const char *s,
			     double x, double y)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 800, 400);
	cairo_t *cr = cairo_create(img);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, 4, 4);
	cairo_set_source_rgb(cr, 0, 0, 0);
	sm_text_draw(t, cr, st, s, x, y);
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_flush(img);
	return img;
}

static void same_pixels(cairo_surface_t *a, cairo_surface_t *b)
{
	size_t n = (size_t)cairo_image_surface_get_stride(a) *
		   (size_t)cairo_image_surface_get_height(a);
	assert_memory_equal(cairo_image_surface_get_data(a), cairo_image_surface_get_data(b), n);
}

/* Ink of a drawn text, in page points (device pixels / 4). */
static void ink_box(cairo_surface_t *img, double box[4])
{
	int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	int stride = cairo_image_surface_get_stride(img);
	const unsigned char *d = cairo_image_surface_get_data(img);
	int x0 = w, y0 = h, x1 = -1, y1 = -1;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint32_t p;
			memcpy(&p, d + (size_t)y * stride + 4 * x, 4);
			if ((p & 0xffffff) != 0xffffff) {
				x0 = x < x0 ? x : x0, y0 = y < y0 ? y : y0;
				x1 = x > x1 ? x : x1, y1 = y > y1 ? y : y1;
			}
		}
	assert_true(x1 >= 0);
	box[0] = x0 / 4.0, box[1] = y0 / 4.0, box[2] = (x1 + 1) / 4.0, box[3] = (y1 + 1) / 4.0;
}

/* The glyphs kept by measuring draw the same pixels as a text shaped at
 * draw time (an sm_text that never measured it), for one run and for
 * several lines; and the ink lies inside the measured box. */
static void cached_and_fresh_draws_agree(void **state)
{
	struct sm_fonts_fx *f = *state;
	const struct sm_tstyle *styles[] = { &plain, &wrapped };
	const char *texts[] = { "Wang 2021 ±0.25 [−0.3, 1.1]", long_text };
	for (int i = 0; i < 2; i++) {
		struct sm_text *cached = sm_text_new(f->ctx, f->fonts);
		struct sm_text *fresh = sm_text_new(f->ctx, f->fonts);
		struct sm_extent e;
		assert_int_equal(sm_text_measure(f->ctx, cached, styles[i], texts[i], &e), SM_OK);
		double x = 10.3, y = 20.7;
		cairo_surface_t *a = draw(cached, styles[i], texts[i], x, y);
		cairo_surface_t *b = draw(fresh, styles[i], texts[i], x, y);
		same_pixels(a, b);
		double ink[4];
		ink_box(a, ink);
		/* one device pixel of slack for antialiasing */
		assert_true(ink[0] >= x + e.left - 0.25 && ink[2] <= x + e.left + e.width + 0.25);
		assert_true(ink[1] >= y - 0.25 && ink[3] <= y + e.height + 0.25);
		cairo_surface_destroy(a);
		cairo_surface_destroy(b);
		sm_text_free(cached);
		sm_text_free(fresh);
	}
}

/* Many distinct texts in one sm_text (a big forest plot): every one still
 * measures as a fresh sm_text does. */
static void many_texts(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_text *t = sm_text_new(f->ctx, f->fonts), *u = sm_text_new(f->ctx, f->fonts);
	char s[64];
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 2000; i++) {
			snprintf(s, sizeof s, "Study %d (%d) %d.%02d", i, 1990 + i % 30, i % 7,
				 i % 100);
			struct sm_extent e;
			assert_int_equal(sm_text_measure(f->ctx, t, &plain, s, &e), SM_OK);
			if (pass == 1 && i % 97 == 0) {
				struct sm_extent g;
				assert_int_equal(sm_text_measure(f->ctx, u, &plain, s, &g), SM_OK);
				same_extent(&e, &g);
			}
		}
	sm_text_free(t);
	sm_text_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hits_equal_fresh_measures),
		cmocka_unit_test(bad_utf8_is_refused_every_time),
		cmocka_unit_test(cached_and_fresh_draws_agree),
		cmocka_unit_test(many_texts),
	};
	return cmocka_run_group_tests(tests, sm_fonts_fx_setup, sm_fonts_fx_teardown);
}
