/* Tests of texts measured without a layout (sm_text_fast.h): for every
 * text, in every style a forest uses, the extent and the kept glyphs are
 * exactly those of Pango's layout (an engine with the fast path off), the
 * path is taken for the texts of a forest's columns, and texts whose
 * shaping is not their glyphs side by side (kerned pairs, fallback fonts)
 * still take the layout. */
#include "sm_render_test.h"

#include "sm_fonts.h"
#include "sm_text.h"
#include "sm_text_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct sm_tstyle styles[] = {
	{ .family = "Liberation Sans", .size = 8 },
	{ .family = "Liberation Sans", .size = 8, .bold = 1 },
	{ .family = "Liberation Sans", .size = 7 },
	{ .family = "Liberation Sans", .size = 8, .italic = 1 },
	{ .family = "Liberation Sans", .size = 8, .tabular = 1 },
	{ .family = "Liberation Sans", .size = 9.5, .bold = 1, .tabular = 1 },
	{ .family = "DejaVu Sans", .size = 8 },
};
#define NSTYLES (sizeof styles / sizeof styles[0])

static void same_entry(const struct sm_tentry *a, const struct sm_tentry *b, const char *s)
{
	if (!a || !b) {
		assert_true(!a && !b);
		return;
	}
	assert_string_equal(a->text, b->text);
	assert_int_equal(a->nruns, b->nruns);
	for (size_t i = 0; i < a->nruns; i++) {
		const struct sm_trun *x = &a->runs[i], *y = &b->runs[i];
		if (x->sf != y->sf || x->nglyphs != y->nglyphs || x->nclusters != y->nclusters ||
		    x->off != y->off || x->len != y->len || x->backward != y->backward ||
		    x->x != y->x || x->baseline != y->baseline || !x->cl != !y->cl)
			fail_msg("run %zu of \"%s\" differs", i, s);
		for (int k = 0; k < x->nglyphs; k++)
			if (x->g[k].index != y->g[k].index || x->g[k].x != y->g[k].x ||
			    x->g[k].y != y->g[k].y)
				fail_msg("glyph %d of \"%s\" differs", k, s);
	}
}

/* One text in one style on both engines: the same numbers and glyphs. */
static void compare(struct sm_fonts_fx *f, struct sm_text *fast, struct sm_text *laid,
		    const struct sm_tstyle *st, const char *s)
{
	struct sm_extent a, b;
	const struct sm_tentry *ka, *kb;
	assert_int_equal(sm_text_measure_kept(f->ctx, fast, st, s, &a, &ka), SM_OK);
	assert_int_equal(sm_text_measure_kept(f->ctx, laid, st, s, &b, &kb), SM_OK);
	if (a.left != b.left || a.width != b.width || a.height != b.height ||
	    a.baseline != b.baseline || a.lines != b.lines)
		fail_msg("\"%s\" (%g pt%s%s%s): width %.17g / %.17g, height %.17g / %.17g", s,
			 st->size, st->bold ? " bold" : "", st->italic ? " italic" : "",
			 st->tabular ? " tabular" : "", a.width, b.width, a.height, b.height);
	same_entry(ka, kb, s);
}

/* The texts of a forest's columns: labels, weights, estimates, limits. */
static void forest_texts(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_text *fast = sm_text_new(f->ctx, f->fonts), *laid = sm_text_new(f->ctx, f->fonts);
	sm_text_set_fast(laid, 0);
	char s[64];
	for (size_t k = 0; k < NSTYLES; k++)
		for (int i = 0; i < 1500; i++) {
			double v = (i - 750) / 137.0;
			for (int j = 0; j < 9; j++) {
				int n = i * 7 + 1;
				switch (j) {
				case 0: snprintf(s, sizeof s, "s%d", n); break;
				case 1: snprintf(s, sizeof s, "%.2f", v); break;
				case 2: snprintf(s, sizeof s, "[%.2f,", v); break;
				case 3: snprintf(s, sizeof s, "%.2f]", v); break;
				case 4: snprintf(s, sizeof s, "%.1f%%", v); break;
				case 5: snprintf(s, sizeof s, "(%.3f)", v); break;
				case 6: snprintf(s, sizeof s, "%d", n); break;
				case 7: snprintf(s, sizeof s, "k = %d", n); break;
				default: snprintf(s, sizeof s, "<%.4f", v); break;
				}
				compare(f, fast, laid, &styles[k], s);
			}
		}
	/* Most of them were put together without a layout. */
	assert_true(sm_text_fast_count(fast) > 20000);
	assert_int_equal(sm_text_fast_count(laid), 0);
	sm_text_free(fast);
	sm_text_free(laid);
}

/* Random strings of printable ASCII (kerned pairs among them, "AV", "To",
 * "11", spaces): each measures as its layout does. */
static void random_ascii(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_text *fast = sm_text_new(f->ctx, f->fonts), *laid = sm_text_new(f->ctx, f->fonts);
	sm_text_set_fast(laid, 0);
	unsigned long x = 20250508;
	char s[80];
	for (size_t k = 0; k < NSTYLES; k++)
		for (int i = 0; i < 3000; i++) {
			int n = 1 + (int)((x >> 33) % 70);
			for (int j = 0; j < n; j++) {
				x = x * 6364136223846793005ul + 1442695040888963407ul;
				/* half the strings from a forest's characters only */
				const char *some = "0123456789.,%[]()s-";
				s[j] = i % 2 ? some[(x >> 33) % strlen(some)]
					     : (char)(0x20 + (x >> 33) % 95);
			}
			s[n] = 0;
			compare(f, fast, laid, &styles[k], s);
		}
	const char *kerned[] = { "AV", "To", "11", "1.", "Ty", "T.", "s1 1s", "W.A." };
	for (size_t k = 0; k < NSTYLES; k++)
		for (size_t i = 0; i < sizeof kerned / sizeof kerned[0]; i++)
			compare(f, fast, laid, &styles[k], kerned[i]);
	sm_text_free(fast);
	sm_text_free(laid);
}

/* A kerned pair is not its glyphs side by side, and the fast path knows:
 * "AV" is narrower than "A" and "V" apart, yet measures as its layout. */
static void kerned_pairs_take_the_layout(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_text *t = sm_text_new(f->ctx, f->fonts);
	struct sm_extent a, v, av;
	assert_int_equal(sm_text_measure(f->ctx, t, &styles[0], "A", &a), SM_OK);
	assert_int_equal(sm_text_measure(f->ctx, t, &styles[0], "V", &v), SM_OK);
	size_t before = sm_text_fast_count(t);
	assert_int_equal(sm_text_measure(f->ctx, t, &styles[0], "AV", &av), SM_OK);
	assert_true(av.width < a.width + v.width - 0.1);
	assert_int_equal(sm_text_fast_count(t), before);
	/* A minus sign (not ASCII) takes the layout; its neighbours may not. */
	assert_int_equal(sm_text_measure(f->ctx, t, &styles[0], "\xe2\x88\x92" "1.17", &a), SM_OK);
	assert_int_equal(sm_text_fast_count(t), before);
	/* Digits alone are put together. */
	assert_int_equal(sm_text_measure(f->ctx, t, &styles[0], "0.23", &a), SM_OK);
	assert_int_equal(sm_text_fast_count(t), before + 1);
	sm_text_free(t);
}

/* Drawn from either engine's kept glyphs, a forest's texts give the same
 * pixels (the ones of a layout and the ones put together). */
static void same_pixels(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_text *eng[2] = { sm_text_new(f->ctx, f->fonts), sm_text_new(f->ctx, f->fonts) };
	sm_text_set_fast(eng[1], 0);
	cairo_surface_t *img[2];
	for (int e = 0; e < 2; e++) {
		img[e] = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 300, 200);
		cairo_t *cr = cairo_create(img[e]);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		char s[32];
		for (int i = 0; i < 40; i++) {
			snprintf(s, sizeof s, "s%d %.2f]", i * 37, (i - 20) / 7.0);
			struct sm_extent x;
			const struct sm_tentry *kept;
			assert_int_equal(sm_text_measure_kept(f->ctx, eng[e], &styles[i % NSTYLES], s,
							      &x, &kept), SM_OK);
			snprintf(s, sizeof s, "[%.2f,", (i - 20) / 3.0);
			assert_int_equal(sm_text_measure_kept(f->ctx, eng[e], &styles[i % NSTYLES], s,
							      &x, &kept), SM_OK);
			assert_non_null(kept);
			assert_true(sm_text_draw_kept(eng[e], cr, kept, 3 + (i % 4) * 70,
						      3 + (i / 4) * 19));
		}
		cairo_destroy(cr);
		cairo_surface_flush(img[e]);
	}
	assert_true(sm_text_fast_count(eng[0]) > 0);
	int stride = cairo_image_surface_get_stride(img[0]);
	assert_memory_equal(cairo_image_surface_get_data(img[0]),
			    cairo_image_surface_get_data(img[1]), (size_t)stride * 200);
	for (int e = 0; e < 2; e++) {
		cairo_surface_destroy(img[e]);
		sm_text_free(eng[e]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forest_texts),
		cmocka_unit_test(random_ascii),
		cmocka_unit_test(kerned_pairs_take_the_layout),
		cmocka_unit_test(same_pixels),
	};
	return cmocka_run_group_tests(tests, sm_fonts_fx_setup, sm_fonts_fx_teardown);
}
