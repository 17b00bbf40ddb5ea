/* PRISMA 2020 flow diagrams: counts as reported, boxes sized to their
 * text, arrows from box edge to box edge, formats, determinism. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_prisma.h"
#include "sm_prisma_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int on_edge(double x, double y, const struct sm_box *b)
{
	const double e = 1e-6;
	int in_x = x >= b->x0 - e && x <= b->x1 + e, in_y = y >= b->y0 - e && y <= b->y1 + e;
	return (in_x && (fabs(y - b->y0) < e || fabs(y - b->y1) < e)) ||
	       (in_y && (fabs(x - b->x0) < e || fabs(x - b->x1) < e));
}

/* The diagram as drawn: its boxes (rectangles and texts by ref) and its
 * arrows (start: the first point of the path or the head's tail; end: the
 * head's tip), read from the figure's items. */
struct diagram {
	const struct sm_fig *fig;
	struct sm_box boxes[32];
	const char *text[32];
	int nboxes;
	double ax0[32], ay0[32], ax1[32], ay1[32];
	int narrows;
};

static struct diagram diagram_of(const struct sm_fig *fig)
{
	struct diagram d = { .fig = fig };
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->tag == SM_PT_BOX) {
			assert_int_equal(it->kind, SM_FIG_RECT);
			assert_int_equal(it->ref, d.nboxes); /* boxes in order */
			assert_true(d.nboxes < 32);
			d.boxes[d.nboxes++] = (struct sm_box){ it->x0, it->y0, it->x1, it->y1 };
		}
	}
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->tag == SM_PT_BOX_TEXT) {
			assert_true(t->ref >= 0 && t->ref < d.nboxes);
			assert_null(d.text[t->ref]); /* one text a box */
			d.text[t->ref] = t->text;
		}
	}
	for (int b = 0; b < d.nboxes; b++)
		assert_non_null(d.text[b]);
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->tag != SM_PT_ARROW)
			continue;
		assert_true(it->ref >= 0 && it->ref < 32);
		if (it->ref >= d.narrows) {
			assert_int_equal(it->ref, d.narrows); /* arrows in order */
			d.narrows++;
			d.ax0[it->ref] = it->kind == SM_FIG_PATH ? it->pts[0] : it->x0;
			d.ay0[it->ref] = it->kind == SM_FIG_PATH ? it->pts[1] : it->y0;
		}
		if (it->kind == SM_FIG_ARROW) {
			d.ax1[it->ref] = it->x1;
			d.ay1[it->ref] = it->y1;
		}
	}
	return d;
}

/* The box that (x, y) is on the edge of, or -1. */
static int edge_of(const struct diagram *d, double x, double y)
{
	for (int b = 0; b < d->nboxes; b++)
		if (on_edge(x, y, &d->boxes[b]))
			return b;
	return -1;
}

/* Geometry every diagram must have: text inside its box, boxes apart,
 * arrows from the edge of one box to the edge of another. */
static void check_layout(const struct sm_fig *fig)
{
	struct diagram d = diagram_of(fig);
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->tag == SM_PT_BOX_TEXT)
			assert_true(sm_render_inside(&t->box, &d.boxes[t->ref]));
		const struct sm_box page = { 0, 0, fig->width, fig->height };
		assert_true(sm_render_inside(&t->box, &page));
		for (size_t j = 0; j < i; j++)
			assert_false(sm_box_overlap(&t->box, &fig->texts[j].box));
	}
	for (int i = 0; i < d.nboxes; i++)
		for (int j = 0; j < i; j++)
			assert_false(sm_box_overlap(&d.boxes[i], &d.boxes[j]));
	for (int i = 0; i < d.narrows; i++) {
		int from = edge_of(&d, d.ax0[i], d.ay0[i]), to = edge_of(&d, d.ax1[i], d.ay1[i]);
		assert_true(from >= 0 && to >= 0 && from != to);
	}
	/* the stage labels are all there, inside their bands */
	int stages = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		stages += fig->texts[i].tag == SM_PT_STAGE_TEXT;
	assert_int_equal(stages, 3);
}

static struct sm_prisma_options options(void)
{
	struct sm_prisma_options o;
	sm_figure_prisma.opts_init(&o);
	return o;
}

static sm_status lay(struct sm_render_fx *f, const struct sm_res *r,
		     const struct sm_prisma_options *o, struct sm_fig **fig)
{
	const struct sm_figure_env env = { .format = SM_CANVAS_PDF, .page_height = 0, .max_width = 0 };
	return sm_figure_prisma.layout(f->ctx, r, o, &env, fig);
}

static char *render(struct sm_render_fx *f, const struct sm_res *r, const char *name)
{
	struct sm_prisma_options o = options();
	char *path = sm_asprintf("%s/%s", f->dir, name);
	struct sm_fig *fig = NULL;
	sm_render_expect_ok(f, lay(f, r, &o, &fig));
	sm_render_expect_ok(f, sm_fig_write(f->ctx, fig, path, o.common.dpi));
	sm_fig_free(fig);
	return path;
}

static struct sm_fig *layout(struct sm_render_fx *f, const struct sm_res *r)
{
	struct sm_prisma_options o = options();
	struct sm_fig *fig = NULL;
	sm_render_expect_ok(f, lay(f, r, &o, &fig));
	assert_true(fig->finished);
	check_layout(fig);
	return fig;
}

static int has_box(const struct sm_fig *fig, const char *start)
{
	struct diagram d = diagram_of(fig);
	for (int i = 0; i < d.nboxes; i++)
		if (!strncmp(d.text[i], start, strlen(start)))
			return 1;
	return 0;
}

/* A results document of the fixture with review.prisma replaced (NULL:
 * null, no PRISMA counts). */
static struct sm_res *with_prisma(struct sm_render_fx *f, const cJSON *base, cJSON *prisma)
{
	cJSON *r = cJSON_Duplicate(base, 1);
	cJSON *review = cJSON_GetObjectItemCaseSensitive(r, "review");
	cJSON_ReplaceItemInObjectCaseSensitive(review, "prisma", prisma ? prisma : cJSON_CreateNull());
	struct sm_res *res = sm_res_from_json(f->ctx, "prisma", r);
	if (!res) {
		char *m = sm_diag_format(sm_ctx_error(f->ctx));
		print_error("%s\n", m ? m : "?");
		free(m);
	}
	assert_non_null(res);
	cJSON_Delete(r);
	return res;
}

/* The box whose text starts with `start` (the first), or -1. */
static int box_named(const struct diagram *d, const char *start)
{
	for (int i = 0; i < d->nboxes; i++)
		if (!strncmp(d->text[i], start, strlen(start)))
			return i;
	return -1;
}

/* An arrow runs from the box starting `from` to the box starting `to`. */
static void expect_arrow(const struct diagram *d, const char *from, const char *to)
{
	int a = box_named(d, from), b = box_named(d, to);
	assert_true(a >= 0 && b >= 0);
	for (int i = 0; i < d->narrows; i++)
		if (edge_of(d, d->ax0[i], d->ay0[i]) == a && edge_of(d, d->ax1[i], d->ay1[i]) == b)
			return;
	print_error("no arrow from \"%s\" to \"%s\"\n", from, to);
	fail();
}

/* The most words k (up to 3) that every wrapped line of every box holds:
 * each run of k consecutive words of a text line fits its box's wrap
 * width (measured here word by word, apart from the layout's own). */
static int words_a_line(struct sm_render_fx *f, struct sm_fig *fig)
{
	int best = 3;
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->tag != SM_PT_BOX_TEXT)
			continue;
		struct sm_tstyle one = t->st;
		one.wrap = 0;
		char *copy = strdup(t->text);
		for (char *save = NULL, *ln = strtok_r(copy, "\n", &save); ln;
		     ln = strtok_r(NULL, "\n", &save)) {
			const char *w[64];
			int n = 0;
			char *lc = strdup(ln);
			for (char *s2 = NULL, *x = strtok_r(lc, " ", &s2); x && n < 64;
			     x = strtok_r(NULL, " ", &s2))
				w[n++] = x;
			for (int k = best; k >= 1; k--) {
				int fits = 1;
				for (int a = 0; a + (k < n ? k : n) <= n && fits; a++) {
					char run[512] = "";
					for (int j = a; j < a + (k < n ? k : n); j++)
						strcat(strcat(run, j > a ? " " : ""), w[j]);
					struct sm_extent e;
					sm_render_expect_ok(f, sm_fig_measure(f->ctx, fig, &one, run, &e));
					fits = e.width <= t->st.wrap + 1e-6;
					if (k >= n)
						break;
				}
				if (fits)
					break;
				best = k - 1;
			}
			free(lc);
		}
		free(copy);
	}
	return best;
}

/* The IV MSC paper's counts, as printed (207 - 169 != 36 stays so). */
static void test_msc(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_fig *fig = layout(f, f->rmsc);
	struct diagram d = diagram_of(fig);
	/* identified, screened, excluded, assessed, excluded, included; the
	 * removed-before-screening and sought boxes had nothing reported */
	assert_int_equal(d.nboxes, 6);
	assert_false(has_box(fig, "Reports sought"));
	assert_false(has_box(fig, "Records removed"));
	assert_int_equal(d.narrows, 5);
	sm_fig_free(fig);
	char *pdf = render(f, f->rmsc, "msc.pdf");
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	const char *want[] = { "Records identified from databases and registers (n = 987)",
			       "Records screened (n = 987)", "Records excluded (n = 780)",
			       "Reports assessed for eligibility (n = 207)",
			       "Reports excluded (n = 169)", "Studies included in review (n = 36)",
			       "Identification of studies via databases and registers",
			       "Identification", "Screening", "Included" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		sm_render_expect_text(text, want[i]);
	assert_null(strstr(text, "38"));
	free(text);
	free(pdf);
}

/* All four reviews: render cleanly; unreported counts say so. */
static void test_all_reviews(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_res *r[] = { f->rmsc, f->rsae, f->rtum, f->rallo };
	const char *names[] = { "msc", "sae", "tum", "allo" };
	for (int i = 0; i < 4; i++) {
		sm_fig_free(layout(f, r[i]));
		char *name = sm_asprintf("%s.pdf", names[i]);
		char *pdf = render(f, r[i], name);
		sm_render_overlap_tool(pdf);
		free(pdf);
		free(name);
	}
	char *pdf = sm_asprintf("%s/tum.pdf", f->dir);
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "PubMed (site-specific search) (n = 300)");
	sm_render_expect_text(text, "PubMed (MSC and tumorigenicity search) (n = 187)");
	sm_render_expect_text(text, "Total (n = 487)");
	sm_render_expect_text(text, "Duplicate records removed (n = 41)");
	sm_render_expect_text(text, "Records marked as ineligible by automation tools (n = not reported)");
	sm_render_expect_text(text, "Records screened (n = 487)");
	sm_render_expect_text(text, "Records excluded (n = 229)");
	sm_render_expect_text(text, "Studies included in review (n = 217)");
	free(text);
	free(pdf);
	pdf = sm_asprintf("%s/allo.pdf", f->dir);
	text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "Studies included in review (n = not reported)");
	for (const char *p = text; *p; p++)
		assert_false(*p >= '0' && *p <= '9'); /* no number invented */
	free(text);
	free(pdf);
	pdf = sm_asprintf("%s/sae.pdf", f->dir);
	text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "PubMed (n = 299)");
	sm_render_expect_text(text, "Records excluded (n = 229)");
	sm_render_expect_text(text, "Studies included in review (n = 70)");
	free(text);
	free(pdf);
}

/* Every box of the full template: registers, sought, reasons, other
 * methods, the updated-review column; one box with two counts. */
static void test_full_template(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *p = cJSON_Parse(
		"{\"template\":\"updated\",\"previous_studies\":12,\"previous_reports\":14,"
		"\"databases\":[{\"name\":\"PubMed\",\"n\":120},{\"name\":\"Embase\",\"n\":95}],"
		"\"registers\":[{\"name\":\"ClinicalTrials.gov\",\"n\":10}],"
		"\"records_databases\":215,\"records_registers\":10,\"records_identified\":225,\"duplicates_removed\":25,\"automation_excluded\":3,"
		"\"other_removed\":null,\"records_screened\":197,\"records_excluded\":150,"
		"\"reports_sought\":47,\"reports_not_retrieved\":2,\"reports_assessed\":45,"
		"\"reports_excluded\":30,\"exclusion_reasons\":[{\"reason\":\"No control arm\","
		"\"n\":18},{\"reason\":\"Wrong population with a rather long reason that wraps\","
		"\"n\":12}],\"other_methods\":{\"sources\":[{\"name\":\"Websites\",\"n\":4},"
		"{\"name\":\"Citation searching\",\"n\":5}],\"records_identified\":9,\"reports_sought\":9,"
		"\"reports_not_retrieved\":1,\"reports_assessed\":8,\"reports_excluded\":5,"
		"\"exclusion_reasons\":[]},\"new_studies_included\":18,\"new_reports_included\":19,"
		"\"studies_included\":30,\"reports_included\":33}");
	assert_non_null(p);
	struct sm_res *r = with_prisma(f, f->msc, p);
	struct sm_fig *fig = layout(f, r);
	struct diagram d = diagram_of(fig);
	/* previous, 4 x 2 main + new + total, identified + sought/not +
	 * assessed/excluded */
	assert_int_equal(d.nboxes, 1 + 10 + 5);
	/* main: 5 down + 4 side; other: 2 down + 2 side + 1 join; previous 1 */
	assert_int_equal(d.narrows, 15);
	expect_arrow(&d, "Studies included in previous", "Total studies");
	expect_arrow(&d, "New studies included", "Total studies");
	expect_arrow(&d, "Reports assessed for eligibility (n\xc2\xa0=\xc2\xa0" "8)",
		     "New studies included");
	sm_fig_free(fig);
	char *pdf = render(f, r, "full.pdf");
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	/* five columns are narrow: check phrases that do not wrap */
	const char *want[] = { "(n = 12)", "(n = 14)", "(n = 10)", "Embase (n = 95)",
			       "Databases (n = 215)", "Registers (n = 10)", "Websites (n = 4)",
			       "(n = 47)", "(n = 2)", "(n = 18)", "(n = 19)", "(n = 30)",
			       "(n = 33)", "(n = 9)", "(n = 1)", "(n = 8)", "(n = 5)",
			       "Previous studies" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		sm_render_expect_text(text, want[i]);
	free(text);
	free(pdf);
	sm_res_free(r);
	r = with_prisma(f, f->msc, NULL);
	struct sm_prisma_options o = options();
	fig = NULL;
	sm_render_expect_fail(f, lay(f, r, &o, &fig), "no PRISMA");
	assert_null(fig);
	sm_res_free(r);
}

/* No word is wider than its box's wrap width, so none is broken. */
static void check_words_whole(struct sm_render_fx *f, struct sm_fig *fig)
{
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->tag != SM_PT_BOX_TEXT && t->tag != SM_PT_STAGE_TEXT &&
		    t->tag != SM_PT_HEADER_TEXT)
			continue;
		char *copy = strdup(t->text);
		struct sm_tstyle one = t->st;
		one.wrap = 0;
		for (char *w = strtok(copy, " \n"); w; w = strtok(NULL, " \n")) {
			struct sm_extent e;
			sm_render_expect_ok(f, sm_fig_measure(f->ctx, fig, &one, w, &e));
			if (e.width > t->st.wrap + 1e-6) {
				print_error("\"%s\" (%.1f pt) is wider than its box (%.1f pt)\n", w,
					    e.width, t->st.wrap);
				fail();
			}
		}
		free(copy);
	}
}

/* An updated review with other methods: five columns at 175 mm.  The
 * width goes where the text needs it (the side column of reasons wider
 * than that of "Reports not retrieved"), no word breaks, and the diagram
 * is shorter than with five equal columns (184 mm then without the total
 * row, 172 now with it). */
static void test_five_columns(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *r = sm_render_load_res("tests/fixtures/results/updated-review.results.json");
	struct sm_fig *fig = layout(f, r);
	struct diagram d = diagram_of(fig);
	assert_int_equal(d.nboxes, 1 + 10 + 5);
	assert_int_equal(d.narrows, 15);
	sm_check_close(fig->width, 175 / 25.4 * 72, 1e-12, 0, "width kept");
	assert_int_equal(sm_ctx_warning_count(f->ctx), 0);
	assert_true(fig->height < 175 / 25.4 * 72);
	check_words_whole(f, fig);
	double w_reasons = 0, w_retrieved = 0;
	for (int i = 0; i < d.nboxes; i++) {
		double w = d.boxes[i].x1 - d.boxes[i].x0;
		if (!strncmp(d.text[i], "Records removed", 15))
			w_reasons = w;
		if (!strcmp(d.text[i], "Reports not retrieved (n\xc2\xa0=\xc2\xa0" "2)"))
			w_retrieved = w;
	}
	assert_true(w_reasons > 1.5 * w_retrieved && w_retrieved > 0);
	sm_fig_free(fig);
	char *pdf = render(f, r, "five.pdf");
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	const char *want[] = { "ClinicalTrials.gov (n = 41)", "Total (n = 1088)",
			       "Previous studies", "Identification of studies via other methods",
			       "Identification", "Screening", "Included" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		sm_render_expect_text(text, want[i]);
	free(text);
	free(pdf);
	/* At 120 mm the five columns cannot hold their longest words: the
	 * figure widens, and says so, rather than breaking them. */
	struct sm_prisma_options o = options();
	o.common.width = "onehalf";
	fig = NULL;
	sm_render_expect_ok(f, lay(f, r, &o, &fig));
	check_layout(fig);
	check_words_whole(f, fig);
	assert_true(fig->width > 120 / 25.4 * 72);
	assert_int_equal(sm_ctx_warning_count(f->ctx), 1);
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "PRISMA diagram widened from 120 mm"));
	sm_ctx_clear_warnings(f->ctx);
	sm_fig_free(fig);
	sm_res_free(r);
}

/* The three PRISMA 2020 templates (new, databases and registers only;
 * new with other methods; updated) at 85, 120 and 175 mm: their boxes and
 * arrows, text inside boxes, no word broken, and as many words a line as
 * the width allows. */
static void test_templates(void **state)
{
	struct sm_render_fx *f = *state;
	static const struct {
		const char *path;
		int nboxes, narrows;
		int words[3]; /* words a line at least, at 85, 120, 175 mm */
	} t[] = {
		/* three columns: three words a line from 120 mm on */
		{ "tests/fixtures/render/prisma-dbreg.results.json", 9, 8, { 1, 3, 3 } },
		/* four: two words at 175 mm; five: their longest words only */
		{ "tests/fixtures/render/prisma-other.results.json", 14, 13, { 1, 1, 2 } },
		{ "tests/fixtures/results/updated-review.results.json", 16, 15, { 1, 1, 1 } },
	};
	const char *widths[] = { "single", "onehalf", "double" };
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct sm_res *r = sm_render_load_res(t[i].path);
		for (int w = 0; w < 3; w++) {
			struct sm_prisma_options o = options();
			o.common.width = widths[w];
			struct sm_fig *fig = NULL;
			sm_render_expect_ok(f, lay(f, r, &o, &fig));
			check_layout(fig);
			check_words_whole(f, fig);
			struct diagram d = diagram_of(fig);
			assert_int_equal(d.nboxes, t[i].nboxes);
			assert_int_equal(d.narrows, t[i].narrows);
			/* four and five columns cannot take 85 or 120 mm: wider,
			 * with a warning; three can */
			int wider = fig->width > (w == 0 ? 85 : w == 1 ? 120 : 175) / 25.4 * 72 + 1e-9;
			assert_int_equal(wider, t[i].nboxes > 9 && w < 2);
			assert_int_equal(sm_ctx_warning_count(f->ctx), wider);
			assert_int_equal(words_a_line(f, fig), t[i].words[w]);
			sm_ctx_clear_warnings(f->ctx);
			sm_fig_free(fig);
		}
		sm_res_free(r);
	}
}

/* The split alone: two boxes in one row, 200 and 50 pt of text, 200 pt to
 * share.  The tallest box sets the row, so both end up equally tall:
 * 160 and 40 pt (1.25 lines each). */
static void test_split(void **state)
{
	(void)state;
	const double a[] = { 200 }, b[] = { 50 }, minw[] = { 30, 30 };
	struct sm_prisma_need need[] = { { 0, 0, a, 1 }, { 1, 0, b, 1 } };
	double w[2];
	sm_prisma_split(need, 2, 2, minw, 0, 200, w);
	sm_check_close(w[0] + w[1], 200, 1e-12, 0, "all the width");
	sm_check_close(w[0], 160, 0, 3, "wide box");
	/* Everything fits on one line: the rest is shared equally. */
	sm_prisma_split(need, 2, 2, minw, 0, 400, w);
	sm_check_close(w[0] + w[1], 400, 1e-12, 0, "all the width");
	assert_true(w[0] >= 200 && w[1] >= 50);
	sm_check_close(w[0] - 200, w[1] - 50, 0, 1.0 + 1e-9, "equal shares of the rest");
	/* Minimums hold even when the text would rather have the width. */
	const double big[] = { 100, 40 };
	sm_prisma_split(need, 2, 2, big, 0, 140, w);
	sm_check_close(w[0], 100, 0, 1e-9, "min 0");
	sm_check_close(w[1], 40, 0, 1e-9, "min 1");
}

static void test_formats_determinism(void **state)
{
	struct sm_render_fx *f = *state;
	const char *names[] = { "t.pdf", "t.svg", "t.png", "u.pdf", "u.svg", "u.png" };
	for (int i = 0; i < 6; i++)
		free(render(f, f->rtum, names[i]));
	struct sm_fig *fig = layout(f, f->rtum);
	sm_render_check_formats(f, "t", fig, 300);
	sm_fig_free(fig);
	const char *ext[] = { "pdf", "svg", "png" };
	for (int i = 0; i < 3; i++) {
		char *a = sm_asprintf("%s/t.%s", f->dir, ext[i]);
		char *b = sm_asprintf("%s/u.%s", f->dir, ext[i]);
		sm_render_same_files(a, b);
		free(a);
		free(b);
	}
}

/* The kind: no options of its own, the bundle's "prisma" when the review
 * has PRISMA counts, its cost. */
static void test_kind(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_figure_kind *k = &sm_figure_prisma;
	assert_string_equal(k->name, "prisma");
	assert_null(k->positional);
	assert_int_equal(k->nopts, 0);
	assert_int_equal(k->opts_size, sizeof(struct sm_prisma_options));
	struct sm_prisma_options o;
	memset(&o, 0x55, sizeof o);
	k->opts_init(&o);
	assert_null(o.common.analysis);
	assert_null(o.common.style);
	assert_null(o.common.width);
	assert_null(o.common.title);
	assert_true(o.common.dpi == 300);
	const struct sm_res *with[] = { f->rmsc, f->rsae, f->rtum, f->rallo };
	for (int i = 0; i < 4; i++) {
		struct sm_figure_plan plan = { 0 };
		sm_render_expect_ok(f, k->plan(f->ctx, with[i], &plan));
		assert_int_equal(plan.n, 1);
		assert_ptr_equal(plan.jobs[0].kind, k);
		assert_string_equal(plan.jobs[0].base, "prisma");
		assert_null(plan.jobs[0].arg);
		sm_figure_plan_release(&plan);
	}
	struct sm_res *r = with_prisma(f, f->msc, NULL);
	struct sm_figure_plan plan = { 0 };
	sm_render_expect_ok(f, k->plan(f->ctx, r, &plan));
	assert_int_equal(plan.n, 0);
	sm_figure_plan_release(&plan);
	sm_res_free(r);
	assert_true(k->cost(f->rmsc, &o) == 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_msc, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_all_reviews, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_full_template, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_formats_determinism, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_five_columns, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test(test_split),
		cmocka_unit_test_setup_teardown(test_templates, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_kind, sm_render_fx_setup, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
