/* Tests of the figure display list and its kept texts: a text drawn from
 * its kept glyphs gives the very PDF and pixels Pango's renderer gives
 * (clusters, fallback fonts, right-to-left runs, several lines), texts
 * without a glyph are not kept and still draw, a kept text's string is
 * the cache's, and items are painted by page and layer whether the pages
 * came in order (sorted page by page) or not. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_fig.h"
#include "sm_fonts.h"
#include "sm_text.h"

#include <cairo-pdf.h>
#include <stdlib.h>
#include <string.h>

static const struct sm_tstyle plain = { .family = "Liberation Sans", .size = 9 };
static const struct sm_tstyle tabular = { .family = "Liberation Sans", .size = 8,
					  .tabular = 1 };
static const struct sm_tstyle wrapped = { .family = "Liberation Sans", .size = 8,
					  .wrap = 60, .align = SM_ALIGN_RIGHT };

/* ASCII, a minus sign (another subset), a ligature candidate, Han
 * characters from a fallback font, Hebrew (a backward run), and lines. */
static const char *const texts[] = {
	"Study 12 (2019)",
	"0.25 [\xe2\x88\x92" "0.31, 1.10]",
	"office fit \xef\xac\x81",
	"\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e 2019",
	"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d 2020",
	"Heterogeneity \xcf\x84\xc2\xb2 = 0.12, I\xc2\xb2 = 45 %, random-effects model",
};

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int n)
{
	sm_buf_append(closure, data, n);
	return CAIRO_STATUS_SUCCESS;
}

/* A one-page PDF of the texts, each drawn kept (measured by t first) or
 * through a layout (t never measured it); with `batch` (kept only) in
 * batches, flushed before the colour changes and at the end.  Each text
 * twice, the second time in red every third text. */
static void pdf_of_batched(struct sm_ctx *ctx, struct sm_text *t, int kept,
			   const struct sm_tstyle *st, struct sm_tglyphs *batch, struct sm_buf *out)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, 300, 300);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
	cairo_t *cr = cairo_create(s);
	cairo_translate(cr, 3.3, 1.7);
	int red = 0;
	for (size_t j = 0; j < 2 * (sizeof texts / sizeof *texts); j++) {
		size_t i = j / 2;
		double x = 10.25 + i + (double)(j % 2) * 0.5, y = 12.4 + 40 * i + (double)(j % 2) * 20;
		int want_red = j % 2 && i % 3 == 0;
		if (want_red != red) {
			if (batch)
				sm_text_batch_flush(batch, cr);
			cairo_set_source_rgb(cr, want_red, 0, 0);
			red = want_red;
		}
		if (!kept) {
			sm_text_draw(t, cr, st, texts[i], x, y);
			continue;
		}
		struct sm_extent e;
		const struct sm_tentry *k = NULL;
		assert_int_equal(sm_text_measure_kept(ctx, t, st, texts[i], &e, &k), SM_OK);
		assert_non_null(k);
		assert_string_equal(sm_text_kept_text(k), texts[i]);
		if (batch)
			assert_true(sm_text_batch_kept(batch, cr, k, x, y));
		else
			assert_true(sm_text_draw_kept(t, cr, k, x, y));
	}
	if (batch)
		sm_text_batch_flush(batch, cr);
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	assert_false(out->failed);
}

static void pdf_of(struct sm_ctx *ctx, struct sm_text *t, int kept, const struct sm_tstyle *st,
		   struct sm_buf *out)
{
	pdf_of_batched(ctx, t, kept, st, NULL, out);
}

/* The PDF of kept texts is byte for byte the PDF Pango's renderer writes:
 * the same glyphs, positions, clusters (the text a reader extracts) and
 * font subsets. */
static void kept_texts_write_the_same_pdf(void **state)
{
	struct sm_fonts_fx *f = *state;
	const struct sm_tstyle *styles[] = { &plain, &tabular, &wrapped };
	for (int i = 0; i < 3; i++) {
		struct sm_text *kept = sm_text_new(f->ctx, f->fonts);
		struct sm_text *fresh = sm_text_new(f->ctx, f->fonts);
		struct sm_buf a, b;
		sm_buf_init(&a);
		sm_buf_init(&b);
		pdf_of(f->ctx, kept, 1, styles[i], &a);
		pdf_of(f->ctx, fresh, 0, styles[i], &b);
		assert_true(a.len > 1000);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
		sm_buf_release(&a);
		sm_buf_release(&b);
		sm_text_free(kept);
		sm_text_free(fresh);
	}
}

/* Kept texts shown in batches (consecutive runs of one scaled font in one
 * call: a fallback font's run between, a backward run, lines of a wrapped
 * text, a colour change) write the very PDF of one call per run. */
static void batched_texts_write_the_same_pdf(void **state)
{
	struct sm_fonts_fx *f = *state;
	const struct sm_tstyle *styles[] = { &plain, &tabular, &wrapped };
	for (int i = 0; i < 3; i++) {
		struct sm_text *t = sm_text_new(f->ctx, f->fonts);
		struct sm_tglyphs batch = { 0 };
		struct sm_buf a, b;
		sm_buf_init(&a);
		sm_buf_init(&b);
		pdf_of_batched(f->ctx, t, 1, styles[i], &batch, &a);
		pdf_of_batched(f->ctx, t, 1, styles[i], NULL, &b);
		assert_true(a.len > 1000);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
		assert_int_equal(batch.nbglyphs, 0); /* all shown */
		sm_buf_release(&a);
		sm_buf_release(&b);
		sm_tglyphs_release(&batch);
		sm_text_free(t);
	}
}

/* A character no font has is drawn by Pango as a box: such a text is not
 * kept (its string is the figure's own copy) and draws as before. */
static void texts_with_boxes_are_not_kept(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_fig *fig = sm_fig_new(f->ctx, NULL);
	assert_non_null(fig);
	fig->width = fig->height = 100;
	const char *boxed = "odd \xf4\x8f\xbf\xbd mark"; /* U+10FFFD, no font has it */
	struct sm_fig_text *t = NULL;
	struct sm_tstyle st = sm_fig_role(fig, SM_FR_BODY);
	assert_int_equal(sm_fig_put_text(f->ctx, fig, &st, boxed, 5, 5, fig->style->c_text, 0, 0,
					 &t), SM_OK);
	assert_null(t->kept);
	assert_string_equal(t->text, boxed);
	assert_int_equal(sm_fig_finish(f->ctx, fig), SM_OK);
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 100, 100);
	cairo_t *cr = cairo_create(img);
	sm_fig_draw(fig, cr, 0, 0, 0);
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_destroy(img);
	sm_fig_free(fig);
}

/* Texts put twice share the cache's string; a layout that takes texts
 * back releases them without freeing what the cache owns. */
static void kept_strings_are_shared(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_fig *fig = sm_fig_new(f->ctx, NULL);
	assert_non_null(fig);
	struct sm_tstyle st = sm_fig_role(fig, SM_FR_BODY);
	char text[] = "Smith 2001";
	for (int i = 0; i < 3; i++)
		assert_int_equal(sm_fig_put_text(f->ctx, fig, &st, text, 5, 5 + 10 * i,
						 fig->style->c_text, 0, i, NULL), SM_OK);
	assert_non_null(fig->texts[0].kept);
	assert_ptr_equal(fig->texts[0].text, fig->texts[1].text);
	assert_ptr_equal(fig->texts[0].text, sm_text_kept_text(fig->texts[0].kept));
	assert_ptr_not_equal(fig->texts[0].text, text);
	text[0] = 'X'; /* the caller's string is not the kept one */
	assert_string_equal(fig->texts[2].text, "Smith 2001");
	sm_fig_text_release(&fig->texts[2]);
	assert_null(fig->texts[2].text);
	fig->ntexts = 2;
	assert_string_equal(fig->texts[1].text, "Smith 2001");
	sm_fig_free(fig);
}

static void add_line(struct sm_fonts_fx *f, struct sm_fig *fig, int page, int layer, int ref)
{
	sm_fig_set_page(fig, page);
	struct sm_fig_item *it = sm_fig_add(f->ctx, fig, SM_FIG_LINE);
	assert_non_null(it);
	it->layer = layer;
	it->ref = ref;
}

static void check_order(const struct sm_fig *fig, const int *refs, size_t n)
{
	assert_int_equal(fig->nitems, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fig->items[i].ref, refs[i]);
	for (int p = 0; p < fig->npages; p++)
		for (size_t i = fig->page_item[p]; i < fig->page_item[p + 1]; i++)
			assert_int_equal(fig->items[i].page, p);
}

/* Items come out by page, then layer, then the order they were added:
 * pages added in order (each sorted on its own) and out of order. */
static void items_by_page_and_layer(void **state)
{
	struct sm_fonts_fx *f = *state;
	struct sm_fig *fig = sm_fig_new(f->ctx, NULL);
	assert_non_null(fig);
	/* in page order, layers mixed; ref = the place it must end at */
	add_line(f, fig, 0, 2, 3);
	add_line(f, fig, 0, 1, 1);
	add_line(f, fig, 0, 2, 4);
	add_line(f, fig, 0, 0, 0);
	add_line(f, fig, 0, 1, 2);
	add_line(f, fig, 1, 5, 7);
	add_line(f, fig, 1, 1, 5);
	add_line(f, fig, 1, 1, 6);
	add_line(f, fig, 2, 0, 8);
	assert_int_equal(sm_fig_finish(f->ctx, fig), SM_OK);
	static const int in_order[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	check_order(fig, in_order, 9);
	sm_fig_free(fig);

	fig = sm_fig_new(f->ctx, NULL);
	assert_non_null(fig);
	add_line(f, fig, 1, 3, 4);
	add_line(f, fig, 0, 2, 2);
	add_line(f, fig, 1, 0, 3);
	add_line(f, fig, 0, 1, 0);
	add_line(f, fig, 0, 1, 1);
	add_line(f, fig, 1, 3, 5);
	assert_int_equal(sm_fig_finish(f->ctx, fig), SM_OK);
	static const int out_of_order[] = { 0, 1, 2, 3, 4, 5 };
	check_order(fig, out_of_order, 6);
	sm_fig_free(fig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kept_texts_write_the_same_pdf),
		cmocka_unit_test(batched_texts_write_the_same_pdf),
		cmocka_unit_test(texts_with_boxes_are_not_kept),
		cmocka_unit_test(kept_strings_are_shared),
		cmocka_unit_test(items_by_page_and_layer),
	};
	return cmocka_run_group_tests(tests, sm_fonts_fx_setup, sm_fonts_fx_teardown);
}
