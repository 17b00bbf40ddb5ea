/* Figures for print (issue 17.5): in the default style the categorical
 * colours of every figure (risk-of-bias judgements, PRISMA bars, funnel
 * contour regions) differ by at least 40 of 255 in luma, as drawn; the
 * risk-of-bias summary bars carry symbols and hatching; the "journal"
 * style draws every figure kind in grey only, funnel line widths
 * included. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_figure.h"
#include "sm_forest.h"
#include "sm_funnel.h"
#include "sm_prisma.h"
#include "sm_rob.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct sm_fig *lay(struct sm_render_fx *f, const struct sm_res *res, const char *kind,
			  const char *style, const char *const *opts)
{
	const struct sm_figure_kind *k = sm_figure_kind_named(kind);
	assert_non_null(k);
	void *o = sm_figure_opts_new(f->ctx, k);
	((struct sm_figure_common *)o)->style = style;
	for (; opts && opts[0]; opts += 2)
		sm_render_expect_ok(f, sm_figure_opts_set(f->ctx, k, o, sm_figure_opt(k, opts[0]),
							   opts[1]));
	struct sm_figure_env env = { .format = SM_CANVAS_PNG, .page_height = 0, .max_width = 0 };
	struct sm_fig *fig = NULL;
	sm_render_expect_ok(f, k->layout(f->ctx, res, o, &env, &fig));
	sm_figure_opts_free(o);
	return fig;
}

static double luma(struct sm_rgb c)
{
	return 255 * (0.299 * c.r + 0.587 * c.g + 0.114 * c.b);
}

/* Distinct fills of the items tagged `tag` (and white when `white`), each
 * pair at least 40 apart in luma. */
static int spaced(const struct sm_fig *fig, const int *tags, int ntags, int white,
		  const char *what)
{
	struct sm_rgb c[32];
	int n = 0;
	if (white)
		c[n++] = sm_fig_rgb(0xFFFFFF);
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		int tagged = 0;
		for (int t = 0; t < ntags; t++)
			tagged |= it->tag == tags[t];
		if (!tagged || !it->fill)
			continue;
		int seen = 0;
		for (int j = 0; j < n; j++)
			seen |= c[j].r == it->fc.r && c[j].g == it->fc.g && c[j].b == it->fc.b;
		if (!seen && n < 32)
			c[n++] = it->fc;
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (fabs(luma(c[i]) - luma(c[j])) < 40) {
				print_error("%s: colours of luma %.0f and %.0f are one grey in print\n",
					    what, luma(c[i]), luma(c[j]));
				return 0;
			}
	return n;
}

static void default_colours_apart_in_grey(void **state)
{
	struct sm_render_fx *f = *state;
	/* risk of bias: low, unclear, high (RoB 1) and low, some concerns,
	 * high, no information with the overall column (RoB 2) */
	struct sm_fig *fig = lay(f, f->rmsc, "rob", NULL, NULL);
	const int cells[] = { SM_RT_CELL, SM_RT_BAR };
	assert_int_equal(spaced(fig, cells, 2, 0, "risk of bias (MSC)"), 3);
	sm_fig_free(fig);
	struct sm_res *upd = sm_render_load_res("tests/fixtures/results/updated-review.results.json");
	fig = lay(f, upd, "rob", NULL, NULL);
	assert_true(spaced(fig, cells, 2, 0, "risk of bias (updated review)") >= 3);
	sm_fig_free(fig);
	/* every level the default style has, pairwise (unclear and some
	 * concerns share a fill: no tool has both) */
	struct sm_style *st = sm_style_defaults(f->ctx);
	const int levels[] = { SM_ROB_LOW, SM_ROB_SOME, SM_ROB_HIGH, SM_ROB_CRITICAL,
			       SM_ROB_NOINFO };
	for (int i = 0; i < 5; i++)
		for (int j = i + 1; j < 5; j++)
			assert_true(fabs(luma(st->c_rob[levels[i]]) - luma(st->c_rob[levels[j]])) >=
				    40);
	/* contours: the three regions and the white P > 0.10 region */
	for (int i = 0; i < 3; i++) {
		assert_true(255 - luma(st->c_contour[i]) >= 40);
		for (int j = i + 1; j < 3; j++)
			assert_true(fabs(luma(st->c_contour[i]) - luma(st->c_contour[j])) >= 40);
	}
	sm_style_free(st);
	/* PRISMA: header and stage bars against the white boxes */
	fig = lay(f, upd, "prisma", NULL, NULL);
	const int bars[] = { SM_PT_STAGE, SM_PT_HEADER, SM_PT_BOX };
	assert_int_equal(spaced(fig, bars, 3, 1, "PRISMA"), 3);
	sm_fig_free(fig);
	/* funnel contours as drawn */
	const char *contours[] = { "analysis", "Infections and infestations", "contours", NULL,
				   NULL };
	fig = lay(f, f->rmsc, "funnel", NULL, contours);
	const int regions[] = { SM_FT_CONTOUR };
	assert_int_equal(spaced(fig, regions, 1, 1, "funnel contours"), 4);
	sm_fig_free(fig);
	sm_res_free(upd);
	/* forest: study squares and pooled diamonds, in the style and as drawn
	 * (the two marks that carry the analysis must not merge in grey) */
	st = sm_style_defaults(f->ctx);
	assert_true(fabs(luma(st->c_square) - luma(st->c_diamond)) >= 40);
	sm_style_free(st);
	const char *one[] = { "analysis", "Infections and infestations", NULL, NULL };
	fig = lay(f, f->rmsc, "forest", NULL, one);
	const int marks[] = { SM_FOREST_SQUARE, SM_FOREST_DIAMOND };
	assert_int_equal(spaced(fig, marks, 2, 0, "forest squares and diamond"), 2);
	sm_fig_free(fig);
}

/* The summary bars read without colour: each segment wide enough carries
 * its level's symbol, high and critical ones are hatched, the others not;
 * a summary plot alone has bar-like legend swatches with the symbols. */
static void summary_bars_symbols(void **state)
{
	struct sm_render_fx *f = *state;
	const char *summary[] = { "plot", "summary", NULL, NULL };
	struct sm_fig *fig = lay(f, f->rmsc, "rob", NULL, summary);
	int segments = 0, marked = 0, hatched_high = 0, hatched_other = 0;
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		int lv = it->ref % SM_ROB_NLEVELS;
		if (it->tag == SM_RT_BAR) {
			segments++;
			const char *sym = NULL;
			for (size_t t = 0; t < fig->ntexts; t++)
				if (fig->texts[t].tag == SM_RT_BAR_SYMBOL && fig->texts[t].ref == it->ref)
					sym = fig->texts[t].text;
			if (it->x1 - it->x0 >= 8) {
				assert_non_null(sym);
				const char *want = lv == SM_ROB_LOW ? "+" : lv == SM_ROB_UNCLEAR
									  ? "?" : "\xe2\x88\x92";
				assert_string_equal(sym, want);
				marked++;
			}
		}
		if (it->tag == SM_RT_HATCH && it->kind == SM_FIG_LINE) {
			if (lv == SM_ROB_HIGH || lv == SM_ROB_CRITICAL)
				hatched_high++;
			else
				hatched_other++;
		}
	}
	assert_true(segments >= 7 * 2);
	assert_true(marked >= 7);
	assert_true(hatched_high > 0);
	assert_int_equal(hatched_other, 0);
	int legend_boxes = 0;
	for (size_t i = 0; i < fig->nitems; i++)
		legend_boxes += fig->items[i].tag == SM_RT_LEGEND &&
				fig->items[i].kind == SM_FIG_RECT && fig->items[i].fill;
	assert_int_equal(legend_boxes, 3); /* low, unclear, high */
	sm_fig_free(fig);
}

/* Every pixel of a PNG grey (r = g = b); the count of pixels that are not. */
static long not_grey(const char *png)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(png);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	long bad = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const unsigned char *p = d + (size_t)y * (size_t)stride + 4 * (size_t)x;
			bad += !(p[0] == p[1] && p[1] == p[2]);
		}
	cairo_surface_destroy(s);
	return bad;
}

static void journal_is_grey_everywhere(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *upd = sm_render_load_res("tests/fixtures/results/updated-review.results.json");
	const char *forest_rob[] = { "rob", NULL, NULL };
	const char *funnel[] = { "analysis", "Infections and infestations", "contours", NULL,
				 "egger-line", NULL, NULL };
	const char *table[] = { "table", "domains", NULL };
	const char *funnel_all[] = { "analysis", "all", NULL };
	struct { const char *kind; const struct sm_res *res; const char *const *opts; } cases[] = {
		{ "forest", upd, forest_rob }, { "funnel", f->rmsc, funnel },
		{ "funnel", f->rmsc, funnel_all }, { "prisma", upd, NULL },
		{ "rob", upd, NULL }, { "rob", f->rmsc, NULL }, { "table", f->rmsc, table },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int journal = 1; journal >= 0; journal--) {
			struct sm_fig *fig = lay(f, cases[i].res, cases[i].kind,
						 journal ? "journal" : NULL, cases[i].opts);
			char *png = sm_asprintf("%s/print-%zu-%d.png", f->dir, i, journal);
			sm_render_expect_ok(f, sm_fig_write(f->ctx, fig, png, 100));
			long bad = not_grey(png);
			if (journal && bad) {
				print_error("%s (case %zu) in the journal style: %ld pixels not "
					    "grey\n", cases[i].kind, i, bad);
				fail();
			}
			/* the default style is in colour (the test sees colour) */
			if (!journal && !strcmp(cases[i].kind, "rob"))
				assert_true(bad > 0);
			free(png);
			sm_fig_free(fig);
		}
	}
	sm_res_free(upd);
}

/* Funnel line widths come from the style (lines.funnel_*, marker*). */
static void funnel_lines_from_style(void **state)
{
	struct sm_render_fx *f = *state;
	const char *funnel[] = { "analysis", "Infections and infestations", "egger-line", NULL,
				 NULL };
	for (int journal = 0; journal <= 1; journal++) {
		struct sm_fig *fig = lay(f, f->rmsc, "funnel", journal ? "journal" : NULL, funnel);
		const struct sm_style *st = fig->style;
		sm_check_close(st->lw_funnel_region, journal ? 0.5 : 0.6, 0, 0, "region");
		int region = 0, estimate = 0, egger = 0, points = 0;
		for (size_t i = 0; i < fig->nitems; i++) {
			const struct sm_fig_item *it = &fig->items[i];
			if (it->tag == SM_FT_REGION && ++region)
				assert_true(it->lw == st->lw_funnel_region);
			if (it->tag == SM_FT_ESTIMATE && ++estimate)
				assert_true(it->lw == st->lw_funnel_estimate);
			if (it->tag == SM_FT_EGGER && ++egger)
				assert_true(it->lw == st->lw_funnel_egger);
			if (it->tag == SM_FT_POINT && ++points)
				assert_true(it->lw == st->lw_marker);
		}
		assert_true(region >= 2 && estimate >= 1 && egger == 1 && points > 10);
		sm_fig_free(fig);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_colours_apart_in_grey),
		cmocka_unit_test(summary_bars_symbols),
		cmocka_unit_test(journal_is_grey_everywhere),
		cmocka_unit_test(funnel_lines_from_style),
	};
	return cmocka_run_group_tests(tests, sm_render_fx_setup, sm_render_fx_teardown);
}
