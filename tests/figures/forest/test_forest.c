/* Forest plots: content, geometry, formats, determinism, pagination, the
 * painting order of the display list, the height each page uses (for a
 * report), the figure kind (options, bundle plan, cost). */
#include "sm_render_test.h"

#include "sm_axis.h"
#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_fmt.h"
#include "sm_forest.h"
#include "sm_rob.h"
#include "sm_rob_int.h"

#include <cairo.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAMPLE "tests/fixtures/render/results-sample.json"
/* Real output of `safemeta analyze` on the reviews in data/. */
#define MSC "tests/fixtures/results/msc-iv-rct.results.json"
#define PROP "tests/fixtures/results/iv-sae-70.results.json"
/* The "SAEs deaths" analysis of `safemeta analyze data/msc-iv-rct.json
 * --method MH` (and --method PETO), alone. */
#define MH "tests/fixtures/render/msc-saes-mh.results.json"
#define PETO "tests/fixtures/render/msc-saes-peto.results.json"
#define GENERAL "General disorders and administration site conditions"
/* A made-up updated review: RoB 2 with overall judgements, one study not
 * assessed, a five-column PRISMA diagram. */
#define UPDATED "tests/fixtures/results/updated-review.results.json"

static int setup(void **state)
{
	return sm_render_fx_setup_doc(state, SAMPLE);
}

/* Forest tests keep no warnings between calls. */
static void expect_ok(struct sm_render_fx *f, sm_status s)
{
	sm_render_expect_ok(f, s);
	sm_ctx_clear_warnings(f->ctx);
}

/* A document derived in the test (a cJSON tree), read as the typed
 * results; it must validate. */
static struct sm_res *typed(struct sm_render_fx *f, const cJSON *doc)
{
	/* Derived documents add or drop study rows, so the cumulative order
	 * (one index per study) no longer fits them: it is left out. */
	cJSON *copy = cJSON_Duplicate(doc, 1);
	assert_non_null(copy);
	cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItem(copy, "analyses"))
		cJSON_DeleteItemFromObject(a, "cumul_order");
	struct sm_res *r = sm_render_typed(f, copy);
	cJSON_Delete(copy);
	return r;
}

static struct sm_forest_options opts_for(const char *analysis)
{
	struct sm_forest_options o;
	sm_forest_options_init(&o);
	o.common.analysis = analysis;
	return o;
}

/* A file as `safemeta render forest` writes it: the kind's layout for the
 * file's format, then the file. */
static sm_status render_with(struct sm_render_fx *f, const struct sm_res *res,
			     const struct sm_forest_options *o, const char *path)
{
	struct sm_figure_env env = { 0 };
	sm_status s = sm_canvas_format_of(f->ctx, path, &env.format);
	if (s != SM_OK)
		return s;
	struct sm_fig *fig = NULL;
	s = sm_figure_forest.layout(f->ctx, res, o, &env, &fig);
	if (s == SM_OK) {
		assert_true(fig->finished);
		s = sm_fig_write(f->ctx, fig, path, o->common.dpi);
	} else {
		assert_null(fig);
	}
	sm_fig_free(fig);
	return s;
}

static char *render(struct sm_render_fx *f, const struct sm_res *res, const char *analysis,
		    const char *name)
{
	struct sm_forest_options o = opts_for(analysis);
	char *path = sm_asprintf("%s/%s", f->dir, name);
	expect_ok(f, render_with(f, res, &o, path));
	return path;
}

static sm_status build(struct sm_render_fx *f, const struct sm_res *res, const struct sm_forest_options *o,
		       int paginate, struct sm_flayout **l)
{
	struct sm_forest_target t = { .paginate = paginate, .page_height = 0, .png_dpi = 0 };
	return sm_forest_build(f->ctx, res, o, &t, l);
}

static struct sm_flayout *layout_with(struct sm_render_fx *f, const struct sm_res *res,
				      const struct sm_forest_options *o, int paginate)
{
	struct sm_flayout *l = NULL;
	expect_ok(f, build(f, res, o, paginate, &l));
	assert_non_null(l);
	assert_true(l->fig->finished);
	return l;
}

static struct sm_flayout *layout_of(struct sm_render_fx *f, const struct sm_res *res, const char *an,
				    const char *width, int paginate)
{
	struct sm_forest_options o = opts_for(an);
	o.common.width = width;
	return layout_with(f, res, &o, paginate);
}

/* All runs of white space become one space. */
static void squeeze(char *s)
{
	char *w = s;
	int sp = 0;
	for (char *r = s; *r; r++) {
		int is = *r == ' ' || *r == '\n' || *r == '\t' || *r == '\f';
		if (is && sp)
			continue;
		*w++ = is ? ' ' : *r;
		sp = is;
	}
	*w = 0;
}

static char *pdf_text(const char *pdf)
{
	char *cmd = sm_asprintf("pdftotext -layout '%s' -", pdf);
	char *out = sm_render_run_ok(cmd);
	free(cmd);
	squeeze(out);
	return out;
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* Our own formatting of the expected strings, independent of the plot. */
static char *fmt2(double x)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.2f", fabs(x));
	return sm_asprintf("%s%s", x < 0 && strcmp(tmp, "0.00") ? "\xe2\x88\x92" : "", tmp);
}

static const char *name_of(const cJSON *a)
{
	return cJSON_GetObjectItemCaseSensitive(a, "name")->valuestring;
}

/* The figure holds a text that is exactly `s` (wrapped or not). */
static int has_text(const struct sm_flayout *l, const char *s)
{
	for (size_t i = 0; i < l->fig->ntexts; i++)
		if (!strcmp(l->fig->texts[i].text, s))
			return 1;
	return 0;
}

#define ELLIPSIS "\xe2\x80\xa6"

/* A text is `s`, or `s` cut with "…" (a cell of more than two lines). */
static int is_or_cut(const char *text, const char *s)
{
	size_t n = strlen(text), e = strlen(ELLIPSIS);
	if (!strcmp(text, s))
		return 1;
	return n > e && !strcmp(text + n - e, ELLIPSIS) && n - e < strlen(s) &&
	       !strncmp(text, s, n - e);
}

static int has_text_or_cut(const struct sm_flayout *l, const char *s)
{
	for (size_t i = 0; i < l->fig->ntexts; i++)
		if (is_or_cut(l->fig->texts[i].text, s))
			return 1;
	return 0;
}

/* The marks of the figure -------------------------------------------- */

/* One mark (square, interval, diamond, null line, axis, tick, rule) put
 * back together from the items drawing it, with the values of the plot
 * row it shows. */
struct mark {
	int tag, page, row;
	double x0, x1, y0, y1, cx, cy, size;
	int arrow_lo, arrow_hi;
	double est, lb, ub, weight;
};

struct marks {
	struct mark *v;
	size_t n;
};

static int is_mark_tag(int tag)
{
	return tag == SM_FOREST_SQUARE || tag == SM_FOREST_CI || tag == SM_FOREST_PI ||
	       tag == SM_FOREST_DIAMOND || tag == SM_FOREST_NULL || tag == SM_FOREST_AXIS ||
	       tag == SM_FOREST_TICK || tag == SM_FOREST_RULE;
}

/* Arrow heads of an interval: the tip is their first point; a head
 * pointing left marks the lower end. */
static void arrows_of(const struct sm_fig *fig, const struct sm_fig_item *bar, struct mark *m)
{
	int tag = bar->tag == SM_FOREST_CI ? SM_FOREST_CI_ARROW : SM_FOREST_PI_ARROW;
	m->x0 = bar->x0;
	m->x1 = bar->x1;
	for (size_t i = fig->page_item[bar->page]; i < fig->page_item[bar->page + 1]; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->tag != tag || it->ref != bar->ref)
			continue;
		assert_int_equal(it->kind, SM_FIG_POLY);
		assert_int_equal((int)it->npts, 3);
		sm_check_close(it->pts[1], bar->y0, 0, 1e-9, "arrow on its interval");
		if (it->pts[2] > it->pts[0]) {
			assert_false(m->arrow_lo);
			m->arrow_lo = 1;
			m->x0 = it->pts[0];
			assert_true(bar->x0 > it->pts[0]); /* the line stops inside the head */
		} else {
			assert_false(m->arrow_hi);
			m->arrow_hi = 1;
			m->x1 = it->pts[0];
			assert_true(bar->x1 < it->pts[0]);
		}
	}
}

static struct marks marks_of(const struct sm_flayout *l)
{
	const struct sm_fig *fig = l->fig;
	struct marks ms = { calloc(fig->nitems + 1, sizeof *ms.v), 0 };
	assert_non_null(ms.v);
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (!is_mark_tag(it->tag))
			continue;
		struct mark *m = &ms.v[ms.n++];
		*m = (struct mark){ .tag = it->tag, .page = it->page, .row = it->ref,
				    .x0 = it->x0, .x1 = it->x1, .y0 = it->y0, .y1 = it->y1,
				    .cx = NAN, .cy = it->y0, .est = NAN, .lb = NAN, .ub = NAN,
				    .weight = NAN };
		if (it->tag == SM_FOREST_SQUARE) {
			assert_int_equal(it->kind, SM_FIG_RECT);
			m->cx = (it->x0 + it->x1) / 2;
			m->cy = (it->y0 + it->y1) / 2;
			m->size = it->x1 - it->x0;
			sm_check_close(it->y1 - it->y0, m->size, 1e-12, 1e-12, "square %zu", i);
		} else if (it->tag == SM_FOREST_DIAMOND) {
			assert_int_equal(it->kind, SM_FIG_POLY);
			assert_int_equal((int)it->npts, 4);
			m->x0 = it->pts[0];
			m->cx = it->pts[2];
			m->x1 = it->pts[4];
			m->cy = it->pts[1];
			m->size = it->pts[7] - it->pts[3];
		} else if (it->tag == SM_FOREST_CI || it->tag == SM_FOREST_PI) {
			arrows_of(fig, it, m);
		}
		if (m->row >= 0) {
			assert_true((size_t)m->row < l->plot->nrows);
			const struct sm_frow *r = &l->plot->rows[m->row];
			m->est = r->est;
			m->lb = r->lb;
			m->ub = r->ub;
			m->weight = r->weight;
		}
	}
	return ms;
}

static int count_tag(const struct sm_flayout *l, int tag)
{
	int n = 0;
	for (size_t i = 0; i < l->fig->nitems; i++)
		n += l->fig->items[i].tag == tag;
	return n;
}

/* The lowest point a mark reaches (what a page's used height is measured
 * by, with the texts). */
static double mark_bottom(const struct mark *m)
{
	switch (m->tag) {
	case SM_FOREST_SQUARE:
	case SM_FOREST_DIAMOND:
		return m->cy + m->size;
	case SM_FOREST_NULL:
	case SM_FOREST_TICK:
		return m->y1;
	default:
		return m->cy;
	}
}

/* The numbers of a study row in the PDF text; its label, which may wrap,
 * in the layout.  common: its weight in the common-effect fit, shown
 * before the model's own (NAN: one weight column). */
static void expect_study(const char *text, const struct sm_flayout *lay, const cJSON *s,
			 double common)
{
	const char *label = cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring;
	if (!has_text_or_cut(lay, label)) {
		print_error("label \"%s\" not in the layout\n", label);
		fail();
	}
	char *e = fmt2(exp(num(s, "yi"))), *l = fmt2(exp(num(s, "ci_lb")));
	char *u = fmt2(exp(num(s, "ci_ub")));
	char cw[32] = "";
	if (isfinite(common))
		snprintf(cw, sizeof cw, " %.1f%%", common);
	char *want = sm_asprintf(" %.0f %.0f %.0f %.0f%s %.1f%% %s [%s, %s]", num(s, "ai"),
				 num(s, "n1i"), num(s, "ci"), num(s, "n2i"), cw,
				 num(s, "weight"), e, l, u);
	sm_render_expect_text(text, want);
	free(want);
	free(e);
	free(l);
	free(u);
}

static const cJSON *analysis(const cJSON *results, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(results, "analyses"), i);
}

static void test_content(void **state)
{
	struct sm_render_fx *f = *state;
	const cJSON *a = analysis(f->doc, 1);
	char *pdf = render(f, f->rdoc, "SAEs deaths", "content.pdf");
	char *text = pdf_text(pdf);
	struct sm_flayout *lay = layout_of(f, f->rdoc, "SAEs deaths", NULL, 1);
	const cJSON *s;
	/* two weight columns (issue 13.2): the common-effect fit's weights, then
	 * the random-effects model's, each 100% on its own pooled row */
	const cJSON *fe = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "fits"), 0);
	const cJSON *few = cJSON_GetObjectItemCaseSensitive(fe, "weights");
	assert_int_equal(cJSON_GetArraySize(few),
			 cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "studies")));
	int i = 0;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies"))
		expect_study(text, lay, s, cJSON_GetArrayItem(few, i++)->valuedouble);
	assert_true(has_text(lay, "Weight") && has_text(lay, "Common") && has_text(lay, "Random"));
	sm_flayout_free(lay);
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(a, "transformed");
	char *e = fmt2(num(tr, "estimate")), *l = fmt2(num(tr, "ci_lb"));
	char *u = fmt2(num(tr, "ci_ub")), *pl = fmt2(num(tr, "pi_lb"));
	char *pu = fmt2(num(tr, "pi_ub"));
	char *want = sm_asprintf("Random effects model 100.0%% %s [%s, %s]", e, l, u);
	sm_render_expect_text(text, want);
	free(want);
	want = sm_asprintf("Prediction interval [%s, %s]", pl, pu);
	sm_render_expect_text(text, want);
	free(want);
	char *z = fmt2(num(a, "stat"));
	/* the heterogeneity line names the tau2 estimator, each test its model */
	want = sm_asprintf("Heterogeneity: \xcf\x84\xc2\xb2 = %.2f (DL); Q = %.2f, df = %.0f "
			   "(P = %.2f); I\xc2\xb2 = %.0f%%", num(a, "tau2"), num(a, "Q"),
			   num(a, "Q_df"), num(a, "Q_p"), num(a, "I2"));
	sm_render_expect_text(text, want);
	free(want);
	want = sm_asprintf("Test for overall effect (random effects): Z = %s (P = %.2f)", z,
			   num(a, "p"));
	sm_render_expect_text(text, want);
	free(want);
	char *fz = fmt2(num(fe, "stat"));
	want = sm_asprintf("Test for overall effect (common effect): Z = %s (P = %.2f)", fz,
			   num(fe, "p"));
	sm_render_expect_text(text, want);
	free(want);
	free(fz);
	sm_render_expect_text(text, "Total events 25 45");
	sm_render_expect_text(text, "Favours MSC");
	sm_render_expect_text(text, "Favours Control");
	sm_render_expect_text(text, "Common effect model");
	sm_render_expect_text(text, "safemeta " SM_VERSION);
	sm_render_expect_text(text, "DerSimonian\xe2\x80\x93Laird");
	sm_render_expect_text(text, "\xc3\x81lvaro-Gracia et al., 2017");
	free(e), free(l), free(u), free(pl), free(pu), free(z);
	free(text);
	free(pdf);
}

static void test_content_excluded_and_subgroups(void **state)
{
	struct sm_render_fx *f = *state;
	char *pdf = render(f, f->rdoc, "all", "subgroups.pdf");
	char *text = pdf_text(pdf);
	sm_render_expect_text(text, "Hepatobiliary disorders");
	sm_render_expect_text(text, "Fern\xc3\xa1ndez et al., 2019 0 21 0 20 Not estimable");
	sm_render_expect_text(text, "Not pooled: Fern\xc3\xa1ndez et al., 2019 (no events in either arm)");
	sm_render_expect_text(text, "Subtotal (95% CI)");
	/* Separate outcomes stacked on one plot are not subgroups of one
	 * analysis: the same patients, so no test between them (issue 13). */
	assert_null(strstr(text, "Test for subgroup differences"));
	free(text);
	free(pdf);
}

static void test_content_summary(void **state)
{
	struct sm_render_fx *f = *state;
	char *pdf = render(f, f->rmsc, "summary", "summary.pdf");
	char *text = pdf_text(pdf);
	struct sm_flayout *l = layout_of(f, f->rmsc, "summary", NULL, 1);
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses")) {
		/* Long domain names wrap, so the name is checked in the layout and
		 * the numbers, which stay on the row's first line, in the PDF. */
		if (!has_text(l, name_of(a))) {
			print_error("domain \"%s\" not in the summary\n", name_of(a));
			fail();
		}
		const cJSON *tr = cJSON_GetObjectItemCaseSensitive(a, "transformed");
		const cJSON *tot = cJSON_GetObjectItemCaseSensitive(a, "totals");
		char *e = fmt2(num(tr, "estimate")), *lo = fmt2(num(tr, "ci_lb"));
		char *u = fmt2(num(tr, "ci_ub"));
		char *want = sm_asprintf("%.0f %.0f %.0f %.0f %.0f %.0f%% %s [%s, %s]",
					 num(a, "k"), num(tot, "events_t"), num(tot, "n_t"),
					 num(tot, "events_c"), num(tot, "n_c"), num(a, "I2"),
					 e, lo, u);
		sm_render_expect_text(text, want);
		free(want);
		free(e), free(lo), free(u);
	}
	sm_flayout_free(l);
	free(text);
	free(pdf);
}

/* Each page's texts and items are the run the page index gives it, the
 * items in the order of their layers. */
static void check_pages(const struct sm_flayout *l)
{
	const struct sm_fig *fig = l->fig;
	assert_true(fig->npages >= 1);
	assert_int_equal(fig->page_text[0], 0);
	assert_int_equal(fig->page_item[0], 0);
	assert_int_equal(fig->page_text[fig->npages], fig->ntexts);
	assert_int_equal(fig->page_item[fig->npages], fig->nitems);
	for (int p = 0; p < fig->npages; p++) {
		/* every page has its header texts and at least its axis */
		assert_true(fig->page_text[p] < fig->page_text[p + 1]);
		assert_true(fig->page_item[p] < fig->page_item[p + 1]);
		for (size_t i = fig->page_text[p]; i < fig->page_text[p + 1]; i++)
			assert_int_equal(fig->texts[i].page, p);
		for (size_t i = fig->page_item[p]; i < fig->page_item[p + 1]; i++) {
			assert_int_equal(fig->items[i].page, p);
			if (i > fig->page_item[p])
				assert_true(fig->items[i - 1].layer <= fig->items[i].layer);
		}
	}
}

/* How each kind of item is painted (sm_forest.h): its layer, its batch
 * (squares alone, the others with their layer; risk-of-bias outlines of
 * every level together), fill and stroke, and the style's colours. */
static void check_paint(const struct sm_flayout *l)
{
	const struct sm_style *st = l->fig->style;
	static const struct {
		int tag, layer, fill, stroke;
	} want[] = {
		{ SM_FOREST_RULE, SM_FL_RULE, 0, 1 },
		{ SM_FOREST_CI, SM_FL_CI, 0, 1 },
		{ SM_FOREST_CI_ARROW, SM_FL_CI_ARROW, 1, 0 },
		{ SM_FOREST_PI, SM_FL_PI, 0, 1 },
		{ SM_FOREST_PI_ARROW, SM_FL_PI_ARROW, 1, 0 },
		{ SM_FOREST_PI_CAP, SM_FL_PI_CAP, 0, 1 },
		{ SM_FOREST_NULL, SM_FL_NULL, 0, 1 },
		{ SM_FOREST_AXIS, SM_FL_AXIS, 0, 1 },
		{ SM_FOREST_TICK, SM_FL_AXIS, 0, 1 },
		{ SM_FOREST_SQUARE, SM_FL_SQUARE, 1, 0 },
		{ SM_FOREST_DIAMOND, SM_FL_DIAMOND, 1, 1 },
		{ SM_FOREST_ROB_RING, SM_FL_ROB_RING, 0, 1 },
	};
	for (size_t i = 0; i < l->fig->nitems; i++) {
		const struct sm_fig_item *it = &l->fig->items[i];
		if (it->tag == SM_FOREST_ROB_FILL || it->tag == SM_FOREST_ROB_OUTLINE) {
			int fill = it->tag == SM_FOREST_ROB_FILL;
			int base = fill ? SM_FL_ROB_FILL : SM_FL_ROB_OUTLINE;
			assert_true(it->layer >= base && it->layer < base + SM_ROB_NLEVELS);
			assert_int_equal(it->fill, fill);
			assert_int_equal(it->stroke, !fill);
			/* fills of one level together; outlines of all levels in one path */
			assert_int_equal(it->batch, fill ? it->layer + 1 : SM_FL_ROB_OUTLINE + 1);
			continue;
		}
		if (it->tag == SM_FOREST_DIAMOND && l->plot->rows[it->ref].hollow) {
			/* the crude incidence: an outline alone, in the diamond colour */
			assert_int_equal(it->layer, SM_FL_DIAMOND);
			assert_int_equal(it->fill, 0);
			assert_int_equal(it->stroke, 1);
			assert_int_equal(it->batch, 0);
			assert_memory_equal(&it->sc, &st->c_diamond, sizeof it->sc);
			continue;
		}
		size_t k = 0;
		while (k < sizeof want / sizeof want[0] && want[k].tag != it->tag)
			k++;
		assert_true(k < sizeof want / sizeof want[0]);
		assert_int_equal(it->layer, want[k].layer);
		assert_int_equal(it->fill, want[k].fill);
		assert_int_equal(it->stroke, want[k].stroke);
		assert_int_equal(it->batch, it->tag == SM_FOREST_SQUARE ? 0 : want[k].layer + 1);
		assert_true(it->dash == 0);
		if (it->tag == SM_FOREST_SQUARE) {
			assert_true(it->r == 0); /* a plain rectangle */
			assert_memory_equal(&it->fc, &st->c_square, sizeof it->fc);
		} else if (it->tag == SM_FOREST_RULE) {
			assert_memory_equal(&it->sc, &st->c_rule, sizeof it->sc);
			assert_true(it->lw == st->lw_rule);
		} else if (it->tag == SM_FOREST_CI) {
			assert_memory_equal(&it->sc, &st->c_ci, sizeof it->sc);
			assert_true(it->lw == st->lw_ci);
		} else if (it->tag == SM_FOREST_CI_ARROW) {
			assert_memory_equal(&it->fc, &st->c_ci, sizeof it->fc);
		} else if (it->tag == SM_FOREST_PI) {
			assert_memory_equal(&it->sc, &st->c_pi, sizeof it->sc);
			assert_true(it->lw == st->lw_pi);
		} else if (it->tag == SM_FOREST_PI_ARROW) {
			assert_memory_equal(&it->fc, &st->c_pi, sizeof it->fc);
		} else if (it->tag == SM_FOREST_PI_CAP) {
			assert_memory_equal(&it->sc, &st->c_pi, sizeof it->sc);
			assert_true(it->lw == st->lw_pi * 0.6);
		} else if (it->tag == SM_FOREST_NULL) {
			assert_memory_equal(&it->sc, &st->c_null, sizeof it->sc);
			assert_true(it->lw == st->lw_null);
		} else if (it->tag == SM_FOREST_DIAMOND) {
			assert_memory_equal(&it->fc, &st->c_diamond, sizeof it->fc);
			assert_memory_equal(&it->sc, &st->c_diamond_line, sizeof it->sc);
		} else if (it->tag == SM_FOREST_TICK || it->tag == SM_FOREST_AXIS) {
			assert_memory_equal(&it->sc, &st->c_text, sizeof it->sc);
			assert_true(it->lw == st->lw_axis);
		}
	}
}

static int check_layout(const struct sm_flayout *l)
{
	const struct sm_axis *a = &l->axis;
	const struct sm_fig *fig = l->fig;
	check_pages(l);
	check_paint(l);
	struct marks ms = marks_of(l);
	int squares = 0;
	double ratio = NAN;
	for (size_t i = 0; i < ms.n; i++) {
		const struct mark *m = &ms.v[i];
		if (m->tag == SM_FOREST_SQUARE) {
			squares++;
			assert_int_equal(l->plot->rows[m->row].kind, SM_ROW_STUDY);
			sm_check_close(m->cx, sm_axis_map(a, m->est), 0, 0.1, "square %zu x", i);
			/* area proportional to weight: side^2 / weight constant */
			if (m->size > 1.5 + 1e-9 && isfinite(m->weight)) {
				double r = m->size * m->size / m->weight;
				if (isnan(ratio))
					ratio = r;
				sm_check_close(r, ratio, 1e-9, 0, "square %zu area/weight", i);
			}
		} else if (m->tag == SM_FOREST_DIAMOND) {
			assert_int_equal(l->plot->rows[m->row].kind, SM_ROW_POOLED);
			sm_check_close(m->cx, sm_axis_map(a, m->est), 0, 0.1, "diamond %zu centre", i);
			sm_check_close(m->x0, sm_axis_map(a, m->lb), 0, 0.1, "diamond %zu lower", i);
			sm_check_close(m->x1, sm_axis_map(a, m->ub), 0, 0.1, "diamond %zu upper", i);
		} else if (m->tag == SM_FOREST_CI) {
			assert_int_equal(l->plot->rows[m->row].kind, SM_ROW_STUDY);
			if (!m->arrow_lo)
				sm_check_close(m->x0, sm_axis_map(a, m->lb), 0, 0.1, "ci %zu lower", i);
			if (!m->arrow_hi)
				sm_check_close(m->x1, sm_axis_map(a, m->ub), 0, 0.1, "ci %zu upper", i);
			assert_true(m->arrow_lo == (m->lb < a->lo));
			assert_true(m->arrow_hi == (m->ub > a->hi));
		} else if (m->tag == SM_FOREST_PI) {
			assert_int_equal(l->plot->rows[m->row].kind, SM_ROW_PI);
		} else {
			assert_int_equal(m->row, -1);
		}
	}
	free(ms.v);
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->box.x0 < -0.01 || t->box.y0 < -0.01 || t->box.x1 > fig->width + 0.01 ||
		    t->box.y1 > fig->height + 0.01) {
			print_error("text \"%s\" leaves the page\n", t->text);
			fail();
		}
		for (size_t j = i + 1; j < fig->ntexts; j++)
			if (fig->texts[j].page == t->page &&
			    sm_box_overlap(&t->box, &fig->texts[j].box)) {
				print_error("\"%s\" overlaps \"%s\"\n", t->text, fig->texts[j].text);
				fail();
			}
	}
	return squares;
}

static void test_geometry(void **state)
{
	struct sm_render_fx *f = *state;
	const char *names[] = { "SAEs deaths", "Hepatobiliary disorders", "all" };
	for (int i = 0; i < 3; i++) {
		struct sm_flayout *l = layout_of(f, f->rdoc, names[i], NULL, 1);
		int squares = check_layout(l);
		assert_true(squares >= 5);
		sm_flayout_free(l);
	}
	/* every MSC domain, at two widths */
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses")) {
		const char *name = cJSON_GetObjectItemCaseSensitive(a, "name")->valuestring;
		struct sm_flayout *l = layout_of(f, f->rmsc, name, "double", 1);
		assert_int_equal(check_layout(l), (int)num(a, "k"));
		sm_flayout_free(l);
	}
	struct sm_flayout *l = layout_of(f, f->rmsc, "summary", "double", 0);
	check_layout(l);
	sm_flayout_free(l);
}

/* Log axis: ticks symmetric around 1 and mapped monotonically. */
static void test_axis(void **state)
{
	(void)state;
	struct sm_axis a = { 0 };
	sm_axis_fit(&a, 1, 0.06, 3.6);
	sm_check_close(a.lo, 0.05, 1e-12, 0, "lo");
	sm_check_close(a.hi, 20, 1e-12, 0, "hi");
	a.x0 = 100, a.x1 = 300;
	sm_check_close(sm_axis_map(&a, 1), 200, 1e-12, 0, "1 in the middle");
	sm_check_close(sm_axis_map(&a, 20), 300, 1e-12, 0, "hi end");
	while (sm_axis_thin(&a))
		;
	assert_int_equal(a.nticks, 3); /* 0.05, 1, 20 stay */
	sm_axis_fit(&a, 0, -0.13, 0.04);
	sm_check_close(a.lo, -0.2, 1e-12, 0, "linear lo");
	sm_check_close(a.hi, 0.2, 1e-12, 0, "linear hi");
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | p[2] << 8 | p[3];
}

static void test_formats(void **state)
{
	struct sm_render_fx *f = *state;
	char *pdf = render(f, f->rdoc, "SAEs deaths", "fmt.pdf");
	char *cmd = sm_asprintf("pdffonts '%s'", pdf);
	char *out = sm_render_run_ok(cmd);
	int fonts = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "name", 4) || !strncmp(line, "----", 4))
			continue;
		fonts++;
		if (!strstr(line, " yes yes ")) {
			print_error("font not embedded and subset: %s\n", line);
			fail();
		}
	}
	assert_true(fonts >= 2);
	free(out);
	free(cmd);

	char *svg = render(f, f->rdoc, "SAEs deaths", "fmt.svg");
	cmd = sm_asprintf("xmllint --noout '%s'", svg);
	free(sm_render_run_ok(cmd));
	free(cmd);

	struct sm_forest_options o = opts_for("SAEs deaths");
	o.common.width = "single";
	o.columns = "study,effect";
	o.wrap_labels = 1;
	const double dpis[] = { 300, 150 };
	for (int i = 0; i < 2; i++) {
		o.common.dpi = dpis[i];
		char *png = sm_asprintf("%s/fmt%d.png", f->dir, i);
		expect_ok(f, render_with(f, f->rdoc, &o, png));
		char *data = NULL;
		size_t len = 0;
		assert_int_equal(sm_read_file(png, 0, &data, &len), 0);
		assert_true(len > 24);
		const unsigned char *u = (const unsigned char *)data;
		assert_memory_equal(u + 12, "IHDR", 4);
		/* 85 mm at the DPI, rounded to whole pixels */
		assert_int_equal(be32(u + 16), lround(85 / 25.4 * dpis[i]));
		struct sm_flayout *l = layout_with(f, f->rdoc, &o, 0);
		assert_int_equal(be32(u + 20), sm_canvas_px(l->fig->height, dpis[i]));
		sm_flayout_free(l);
		free(data);
		free(png);
	}
	free(svg);
	free(pdf);
}

static void same_bytes(struct sm_render_fx *f, const char *ext)
{
	char *a = sm_asprintf("one.%s", ext), *b = sm_asprintf("two.%s", ext);
	char *pa = render(f, f->rdoc, "all", a), *pb = render(f, f->rdoc, "all", b);
	char *cmd = sm_asprintf("cmp '%s' '%s'", pa, pb);
	free(sm_render_run_ok(cmd));
	free(cmd), free(a), free(b), free(pa), free(pb);
}

static void test_determinism(void **state)
{
	struct sm_render_fx *f = *state;
	same_bytes(f, "pdf");
	same_bytes(f, "svg");
	same_bytes(f, "png");
}

static void png_width_is(const char *png, long px)
{
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(sm_read_file(png, 0, &data, &len), 0);
	assert_true(len > 24);
	const unsigned char *u = (const unsigned char *)data;
	assert_memory_equal(u + 12, "IHDR", 4);
	assert_int_equal(be32(u + 16), px);
	free(data);
}

/* Every MSC domain and the summary forest, at the default width (175 mm),
 * in all three formats: clean PDF text, valid SVG, PNG of the right size. */
static void test_msc_every_format(void **state)
{
	struct sm_render_fx *f = *state;
	const cJSON *a;
	int i = 0, n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f->msc, "analyses"));
	assert_int_equal(n, 16);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses")) {
		for (int v = 0; v < 1 + (i == n - 1); v++, i++) {
			const char *an = v ? "summary" : name_of(a);
			char *names[3] = { sm_asprintf("msc%d.pdf", i), sm_asprintf("msc%d.svg", i),
					   sm_asprintf("msc%d.png", i) };
			char *pdf = render(f, f->rmsc, an, names[0]);
			char *svg = render(f, f->rmsc, an, names[1]);
			char *png = render(f, f->rmsc, an, names[2]);
			sm_render_overlap_tool(pdf);
			char *cmd = sm_asprintf("xmllint --noout '%s'", svg);
			free(sm_render_run_ok(cmd));
			free(cmd);
			png_width_is(png, lround(175 / 25.4 * 300));
			for (int k = 0; k < 3; k++)
				free(names[k]);
			free(pdf), free(svg), free(png);
		}
	}
	assert_int_equal(i, 17);
	char *pdf = render(f, f->rdoc, "all", "subgroups.pdf");
	sm_render_overlap_tool(pdf);
	free(pdf);
}

/* The event names of "General disorders" (up to 76 characters) wrap at the
 * style's font size instead of failing; text columns read left-aligned,
 * number columns right-aligned. */
static void test_wrap_label2(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_flayout *l = layout_of(f, f->rmsc, GENERAL, NULL, 1);
	sm_check_close(l->size_used, 8, 0, 1e-9, "font size kept");
	check_layout(l);
	const cJSON *a = NULL;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses"))
		if (!strcmp(name_of(a), GENERAL))
			break;
	assert_non_null(a);
	double ev_x0 = NAN, w_x1 = NAN, lab_x0 = NAN;
	int wrapped = 0, events = 0;
	const cJSON *s;
	const struct sm_fig *fig = l->fig;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies")) {
		const char *ev = cJSON_GetObjectItemCaseSensitive(s, "event")->valuestring;
		const char *lab = cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring;
		char *w = sm_asprintf("%.1f%%", num(s, "weight"));
		for (size_t i = 0; i < fig->ntexts; i++) {
			const struct sm_fig_text *t = &fig->texts[i];
			if (!strcmp(t->text, ev)) {
				events++;
				if (isnan(ev_x0))
					ev_x0 = t->box.x0;
				sm_check_close(t->box.x0, ev_x0, 0, 1e-6, "\"%s\" left edge", ev);
				if (t->st.wrap > 0) {
					wrapped++;
					assert_true(t->box.x1 - t->box.x0 <= t->st.wrap + 1e-6);
				}
			} else if (!strcmp(t->text, lab)) {
				if (isnan(lab_x0))
					lab_x0 = t->box.x0;
				sm_check_close(t->box.x0, lab_x0, 0, 1e-6, "\"%s\" left edge", lab);
			} else if (!strcmp(t->text, w)) {
				if (isnan(w_x1))
					w_x1 = t->box.x1;
				sm_check_close(t->box.x1, w_x1, 0, 1e-6, "\"%s\" right edge", w);
			}
		}
		free(w);
	}
	assert_true(events >= 36);
	assert_true(wrapped > 0);
	/* The longest event name takes more than one line. */
	int tall = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		tall |= strlen(fig->texts[i].text) > 70 &&
			fig->texts[i].box.y1 - fig->texts[i].box.y0 > 2 * l->role[SM_ROLE_BODY].size;
	assert_true(tall);
	assert_true(lab_x0 < ev_x0 && ev_x0 < w_x1);
	sm_flayout_free(l);
	/* At 120 mm all columns cannot fit (the error test below); without
	 * the counts they do, wrapped. */
	struct sm_forest_options o = opts_for(GENERAL);
	o.common.width = "onehalf";
	o.columns = "study,label2,weight,effect";
	l = layout_with(f, f->rmsc, &o, 1);
	check_layout(l);
	sm_flayout_free(l);
}

/* Texts of the figure that hold `s`. */
static int texts_with(const struct sm_flayout *l, const char *s)
{
	int n = 0;
	for (size_t i = 0; i < l->fig->ntexts; i++)
		n += strstr(l->fig->texts[i].text, s) != NULL;
	return n;
}

/* Cells of the event column set on more than one line. */
static int event_lines_wrapped(const struct sm_flayout *l, const cJSON *a)
{
	int n = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies")) {
		const char *ev = cJSON_GetObjectItemCaseSensitive(s, "event")->valuestring;
		for (size_t i = 0; i < l->fig->ntexts; i++) {
			const struct sm_fig_text *t = &l->fig->texts[i];
			if (is_or_cut(t->text, ev) &&
			    t->box.y1 - t->box.y0 > 1.8 * l->role[SM_ROLE_BODY].size)
				n++;
		}
	}
	return n;
}

/* The options a report page sets on its forests (issue 16: a forest's
 * rows doubled where an event name wrapped, and its notes took 7 lines):
 * --wide-labels keeps the event names on one line and shows one weight
 * column; --dense sets the rows at the style's small size; --compact-notes
 * puts heterogeneity and the tests in one note and the unit of analysis
 * in a line. */
static void test_report_options(void **state)
{
	struct sm_render_fx *f = *state;
	const cJSON *a = NULL;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f->msc, "analyses"))
		if (!strcmp(name_of(a), GENERAL))
			break;
	assert_non_null(a);
	/* the width and size a report page lays the forest out at (its text
	 * column, 175 mm, drawn at 7/6.5 of its size) */
	struct sm_forest_options o = opts_for(GENERAL);
	o.common.width = "188mm";
	o.dense = 1;
	struct sm_flayout *narrow = layout_with(f, f->rmsc, &o, 0);
	o.wide_labels = 1;
	struct sm_flayout *wide = layout_with(f, f->rmsc, &o, 0);
	check_layout(wide);
	o = opts_for(GENERAL);
	o.common.width = "188mm";
	struct sm_flayout *plain = layout_with(f, f->rmsc, &o, 0);
	int before = event_lines_wrapped(narrow, a), after = event_lines_wrapped(wide, a);
	if (!(3 * after < before))
		fail_msg("wide labels: %d event names wrapped, %d without", after, before);
	assert_true(has_text(narrow, "Common") && has_text(narrow, "Random"));
	assert_false(has_text(wide, "Common"));
	assert_true(has_text(wide, "Random"));
	sm_check_close(wide->size_used, narrow->size_used, 0, 1e-9, "wide: the same size");
	sm_flayout_free(narrow);

	o.wide_labels = 0;
	o.dense = 1;
	struct sm_flayout *dense = layout_with(f, f->rmsc, &o, 0);
	check_layout(dense);
	const struct sm_style *st = plain->fig->style;
	sm_check_close(plain->size_used, st->size, 0, 1e-9, "plain: the body size");
	sm_check_close(dense->size_used, st->small, 0, 1e-9, "dense: the small size");
	sm_check_close(dense->role[SM_ROLE_SMALL].size, st->small, 0, 1e-9, "notes kept");
	assert_true(dense->fig->height < plain->fig->height - 10 * (st->size - st->small));

	o.dense = 0;
	o.compact_notes = 1;
	struct sm_flayout *compact = layout_with(f, f->rmsc, &o, 0);
	check_layout(compact);
	assert_int_equal(texts_with(plain, "Test for overall effect (random effects): Z = "), 1);
	assert_int_equal(texts_with(compact, "Test for overall effect"), 0);
	char want[160];
	char *z = fmt2(num(a, "stat"));
	assert_int_equal(texts_with(compact, "%; overall effect: common Z = "), 1);
	/* "P = value" never split over two lines (no-break spaces) */
	snprintf(want, sizeof want, ", random Z = %s (P\xc2\xa0=\xc2\xa0", z);
	assert_int_equal(texts_with(compact, want), 1);
	free(z);
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(a, "unit_of_analysis");
	snprintf(want, sizeof want, "Unit of analysis: %.0f rows from %.0f studies, pooled as "
		 "independent studies", num(u, "rows"), num(u, "studies"));
	assert_int_equal(texts_with(compact, want), 1);
	assert_int_equal(texts_with(plain, "several rows from one study: "), 1);
	assert_int_equal(texts_with(compact, "several rows from one study: "), 0);
	assert_true(compact->fig->height < plain->fig->height);
	sm_flayout_free(plain);
	sm_flayout_free(wide);
	sm_flayout_free(dense);
	sm_flayout_free(compact);
}

/* When nothing can make the plot fit, an error says so and what to do. */
static void test_too_narrow(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_forest_options o = opts_for(GENERAL);
	o.common.width = "45mm";
	struct sm_flayout *l = NULL;
	assert_int_equal(build(f, f->rmsc, &o, 1, &l), SM_EINPUT);
	assert_null(l);
	const struct sm_diag *d = sm_ctx_error(f->ctx);
	assert_non_null(d);
	assert_non_null(strstr(d->msg, "does not fit in 45 mm"));
	assert_non_null(strstr(d->msg, "expected a wider --width or fewer --columns"));
	sm_ctx_clear_error(f->ctx);
	sm_ctx_clear_warnings(f->ctx);
}

/* 70 single-arm studies pooled as Freeman-Tukey proportions, 2 events in
 * 1496 patients (issue 13.3): shown per 1000 patients (the crude incidence
 * is below 1%), each study's observed proportion with its exact interval,
 * the crude incidence with its exact interval beside the model, whose
 * back-transformed 0 is not printed as "0.00 [0.00, 0.00]"; no test
 * against 0; a linear axis from 0 covering the pooled intervals, studies
 * far beyond them ending in arrows. */
static void test_proportions(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *res = sm_render_load_json(PROP);
	struct sm_res *rres = sm_render_load_res(PROP);
	const cJSON *a = analysis(res, 0);
	struct sm_flayout *l = layout_of(f, rres, NULL, NULL, 1);
	sm_check_close(l->plot->per, 1000, 0, 0, "per 1000");
	const struct sm_axis *ax = &l->axis;
	assert_false(ax->log);
	sm_check_close(ax->lo, 0, 0, 1e-12, "axis from 0");
	const cJSON *crude = cJSON_GetObjectItemCaseSensitive(a, "crude");
	const cJSON *cci = cJSON_GetObjectItemCaseSensitive(crude, "exact_ci");
	assert_true(ax->hi >= 1000 * cJSON_GetArrayItem(cci, 1)->valuedouble);
	assert_true(ax->hi <= 1000);
	sm_check_close(ax->ticks[0], 0, 0, 1e-12, "first tick");
	assert_true(ax->nticks >= 3);
	/* Squares sit at the observed proportions (per 1000); a study beyond
	 * the axis (2 of 2) has no square, only its arrow. */
	size_t k = 0, off = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies"))
		off += 1000 * num(s, "proportion") > ax->hi;
	assert_int_equal(off, 1);
	assert_int_equal(check_layout(l), 70 - (int)off);
	struct marks ms = marks_of(l);
	for (size_t i = 0; i < ms.n; i++)
		if (ms.v[i].tag == SM_FOREST_SQUARE) {
			const struct sm_frow *r = &l->plot->rows[ms.v[i].row];
			const cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "studies"),
							     (int)r->order);
			sm_check_close(ms.v[i].est, 1000 * num(st, "proportion"), 1e-12, 1e-12,
				       "square %zu", k);
			const cJSON *ci = cJSON_GetObjectItemCaseSensitive(st, "exact_ci");
			sm_check_close(r->lb, 1000 * cJSON_GetArrayItem(ci, 0)->valuedouble, 1e-12,
				       1e-12, "exact lower %zu", k);
			sm_check_close(r->ub, 1000 * cJSON_GetArrayItem(ci, 1)->valuedouble, 1e-12,
				       1e-12, "exact upper %zu", k);
			k++;
		}
	assert_int_equal(k, 70 - off);
	free(ms.v);
	assert_int_equal(count_tag(l, SM_FOREST_NULL), 0);
	assert_true(has_text(l, "Events per 1000 patients"));
	assert_false(has_text(l, "Control"));
	assert_false(has_text(l, "Treatment"));
	sm_flayout_free(l);

	char *pdf = render(f, rres, NULL, "prop.pdf");
	sm_render_overlap_tool(pdf);
	char *text = pdf_text(pdf);
	/* τ² = 0: the two models' weights print alike, so one column */
	sm_check_close(num(a, "tau2"), 0, 0, 0, "tau2");
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies")) {
		const cJSON *ci = cJSON_GetObjectItemCaseSensitive(s, "exact_ci");
		char *want = sm_asprintf("%s %.0f %.0f %.1f%% %.1f [%.1f, %.1f]",
					 cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring,
					 num(s, "xi"), num(s, "ni"), num(s, "weight"),
					 1000 * num(s, "proportion"),
					 1000 * cJSON_GetArrayItem(ci, 0)->valuedouble,
					 1000 * cJSON_GetArrayItem(ci, 1)->valuedouble);
		sm_render_expect_text(text, want);
		free(want);
	}
	char *want = sm_asprintf("Crude incidence (exact CI) %.0f %.0f %.1f [%.1f, %.1f]",
				 num(crude, "events"), num(crude, "patients"),
				 1000 * num(crude, "proportion"),
				 1000 * cJSON_GetArrayItem(cci, 0)->valuedouble,
				 1000 * cJSON_GetArrayItem(cci, 1)->valuedouble);
	sm_render_expect_text(text, want);
	free(want);
	/* the model's back-transformed value is 0 with events: not printed */
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(a, "transformed");
	sm_check_close(num(tr, "estimate"), 0, 0, 0, "the fixture's pooled value");
	sm_render_expect_text(text, "Random effects model 100.0% not interpretable");
	assert_null(strstr(text, "0.00 [0.00, 0.00]"));
	assert_null(strstr(text, "0.0 [0.0, 0.0]"));
	sm_render_expect_text(text, "although 2 events occurred in 1496 patients");
	assert_null(strstr(text, "Test for overall effect"));
	assert_null(strstr(text, "Total events"));
	sm_render_expect_text(text, "Freeman\xe2\x80\x93Tukey");
	sm_render_expect_text(text, "Clopper\xe2\x80\x93Pearson");
	assert_null(strstr(text, "Favours"));
	free(text);
	free(pdf);
	sm_res_free(rres);
	cJSON_Delete(res);
}

/* The weights of a Mantel-Haenszel (peto = 0) or Peto analysis, from the
 * raw tables by hand (bi ci / Ni; xt yt n1i n2i / (Ni^2 (Ni - 1))): the
 * results hold them and the forest shows them, squares scaled by them. */
static void expect_table_weights(const struct sm_flayout *l, const cJSON *a, int peto)
{
	double raw[64], sum = 0;
	int n = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies")) {
		double ai = num(s, "ai"), n1 = num(s, "n1i"), ci = num(s, "ci"), n2 = num(s, "n2i");
		double N = n1 + n2, xt = ai + ci;
		raw[n] = peto ? xt * (N - xt) * n1 * n2 / (N * N * (N - 1)) : (n1 - ai) * ci / N;
		sum += raw[n++];
	}
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "excluded")), 0);
	n = 0;
	size_t row = 0;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies")) {
		double w = 100 * raw[n++] / sum;
		sm_check_close(num(s, "weight"), w, 1e-12, 1e-12, "weight %d in the results", n);
		while (l->plot->rows[row].kind != SM_ROW_STUDY)
			row++;
		const struct sm_frow *r = &l->plot->rows[row++];
		sm_check_close(r->weight, w, 1e-12, 1e-12, "square %d", n);
		char cell[32];
		snprintf(cell, sizeof cell, "%.1f%%", w);
		assert_string_equal(r->cell[SM_COL_WEIGHT], cell);
	}
}

/* Mantel-Haenszel and Peto analyses: the pooled row is that estimate and
 * says so; the method line names it; the weights are the method's. */
static void test_mh_peto(void **state)
{
	struct sm_render_fx *f = *state;
	const char *files[] = { MH, PETO };
	const char *names[] = { "Mantel\xe2\x80\x93Haenszel", "Peto" };
	for (int i = 0; i < 2; i++) {
		cJSON *res = sm_render_load_json(files[i]);
		struct sm_res *rres = sm_render_load_res(files[i]);
		const cJSON *a = analysis(res, 0);
		const cJSON *tr = cJSON_GetObjectItemCaseSensitive(a, "transformed");
		char *pdf = render(f, rres, NULL, i ? "peto.pdf" : "mh.pdf");
		sm_render_overlap_tool(pdf);
		char *text = pdf_text(pdf);
		char *e = fmt2(num(tr, "estimate")), *lo = fmt2(num(tr, "ci_lb"));
		char *u = fmt2(num(tr, "ci_ub"));
		/* a short label that still says which method pooled (issue 17.2) */
		char *want = sm_asprintf("Common effect model (%s) %.0f %.0f 100.0%% %s [%s, %s]",
					 i ? "Peto" : "MH",
					 num(cJSON_GetObjectItemCaseSensitive(a, "totals"), "n_t"),
					 num(cJSON_GetObjectItemCaseSensitive(a, "totals"), "n_c"),
					 e, lo, u);
		sm_render_expect_text(text, want);
		free(want);
		want = sm_asprintf("common-effect model (%s)", names[i]);
		sm_render_expect_text(text, want);
		free(want);
		/* One pooled row only, and no prediction interval. */
		assert_null(strstr(text, "Random effects"));
		assert_null(strstr(text, "Prediction interval"));
		assert_null(strstr(text, "\xcf\x84\xc2\xb2 ="));
		struct sm_flayout *l = layout_of(f, rres, NULL, NULL, 1);
		/* the MH (Peto) row and the multilevel model of the rows */
		assert_int_equal(count_tag(l, SM_FOREST_DIAMOND), 2);
		assert_true(has_text(l, "Multilevel model"));
		check_layout(l);
		expect_table_weights(l, a, i == 1);
		sm_flayout_free(l);
		free(e), free(lo), free(u);
		free(text);
		free(pdf);
		sm_res_free(rres);
		cJSON_Delete(res);
	}
}

/* The MSC results with the studies of every analysis added to the first
 * (k says how many it now holds); its name and study count in *name and
 * *n. */
static cJSON *many_studies(struct sm_render_fx *f, const char **name, int *n)
{
	cJSON *big = cJSON_Duplicate(f->msc, 1);
	cJSON *analyses = cJSON_GetObjectItemCaseSensitive(big, "analyses");
	cJSON *first = cJSON_GetArrayItem(analyses, 0);
	cJSON *studies = cJSON_GetObjectItemCaseSensitive(first, "studies");
	cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		if (a == first)
			continue;
		cJSON *s;
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(a, "studies"))
			cJSON_AddItemToArray(studies, cJSON_Duplicate(s, 1));
	}
	*n = cJSON_GetArraySize(studies);
	assert_true(*n > 200);
	cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(first, "k"), *n);
	cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(first, "k_rows"), *n);
	*name = cJSON_GetObjectItemCaseSensitive(first, "name")->valuestring;
	return big;
}

/* Hundreds of studies: pages, each with the header and an axis. */
static void test_pagination(void **state)
{
	struct sm_render_fx *f = *state;
	const char *name;
	int n;
	cJSON *big = many_studies(f, &name, &n);
	struct sm_res *rbig = typed(f, big);
	char *pdf = render(f, rbig, name, "long.pdf");
	sm_render_overlap_tool(pdf);
	struct sm_flayout *l = layout_of(f, rbig, name, NULL, 1);
	int npages = l->fig->npages;
	assert_true(npages >= 3);
	assert_true(l->fig->height <= 250 / 25.4 * 72 + 0.01);
	int heads = 0, squares = check_layout(l);
	for (size_t i = 0; i < l->fig->ntexts; i++)
		heads += !strcmp(l->fig->texts[i].text, "Study");
	assert_int_equal(heads, npages);
	assert_int_equal(count_tag(l, SM_FOREST_AXIS), npages);
	assert_int_equal(squares, n);
	char *cmd = sm_asprintf("pdfinfo '%s' | grep -c '^Pages: *%d$'", pdf, npages);
	free(sm_render_run_ok(cmd));
	free(cmd);
	sm_flayout_free(l);
	free(pdf);
	sm_res_free(rbig);
	cJSON_Delete(big);
}

/* Risk-of-bias columns ------------------------------------------------- */

static const cJSON *jget(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const cJSON *rob_of(const cJSON *res)
{
	return jget(jget(res, "review"), "risk_of_bias");
}

static const cJSON *judgement_of(const cJSON *res, const char *id)
{
	const cJSON *j;
	cJSON_ArrayForEach(j, jget(rob_of(res), "judgments"))
		if (!strcmp(jget(j, "study")->valuestring, id))
			return j;
	return NULL;
}

/* The levels of sm_rob.h for the words of RoB 1 and RoB 2; -1 for null. */
static int level_of_word(const cJSON *v)
{
	static const struct { const char *w; int level; } words[] = {
		{ "low", SM_ROB_LOW }, { "unclear", SM_ROB_UNCLEAR },
		{ "some concerns", SM_ROB_SOME }, { "high", SM_ROB_HIGH },
	};
	for (size_t i = 0; cJSON_IsString(v) && i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(v->valuestring, words[i].w))
			return words[i].level;
	assert_true(v == NULL || cJSON_IsNull(v));
	return -1;
}

static const char *symbol_of(int level)
{
	return level == SM_ROB_LOW ? "+" : level == SM_ROB_UNCLEAR ? "?"
	       : level == SM_ROB_SOME ? "!" : "\xe2\x88\x92";
}

static const struct sm_fig_text *text_at(const struct sm_flayout *l, int page, const char *s,
					 double cx)
{
	for (size_t i = 0; i < l->fig->ntexts; i++) {
		const struct sm_fig_text *t = &l->fig->texts[i];
		if (t->page == page && !strcmp(t->text, s) &&
		    fabs((t->box.x0 + t->box.x1) / 2 - cx) < 0.1)
			return t;
	}
	return NULL;
}

static unsigned rgb_of(struct sm_rgb c)
{
	return (unsigned)lround(c.r * 255) << 16 | (unsigned)lround(c.g * 255) << 8 |
	       (unsigned)lround(c.b * 255);
}

/* The circles' fills: Okabe-Ito green for low, yellow for unclear and
 * some concerns, vermillion for high. */
static const unsigned rob_fill[] = { 0x1FA879, 0xF0E442, 0xF0E442, 0xB0241B };

/* What the figure draws for circle `c`: a fill of its level's colour in
 * the level's layer and an outline in the text colour (judged), or an
 * empty ring in the muted colour (not judged), all tagged with its row. */
static void check_drawn(const struct sm_flayout *l, const struct sm_frob *c)
{
	const struct sm_fig *fig = l->fig;
	const struct sm_style *st = fig->style;
	int fills = 0, outlines = 0, rings = 0;
	for (size_t i = fig->page_item[c->page]; i < fig->page_item[c->page + 1]; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if ((it->tag != SM_FOREST_ROB_FILL && it->tag != SM_FOREST_ROB_OUTLINE &&
		     it->tag != SM_FOREST_ROB_RING) ||
		    it->x0 != c->cx || it->y0 != c->cy)
			continue;
		assert_int_equal(it->kind, SM_FIG_CIRCLE);
		assert_int_equal(it->ref, c->row);
		assert_true(it->r == c->r);
		if (it->tag == SM_FOREST_ROB_FILL) {
			fills++;
			assert_int_equal(it->layer, SM_FL_ROB_FILL + c->level);
			/* the style's colours (the journal style's greys too) */
			struct sm_rgb want = sm_rob_fill(st, (enum sm_rob_level)c->level);
			assert_memory_equal(&it->fc, &want, sizeof want);
			if (c->level < 4 && !strcmp(st->name, "default"))
				assert_int_equal(rgb_of(it->fc), rob_fill[c->level]);
		} else if (it->tag == SM_FOREST_ROB_OUTLINE) {
			outlines++;
			assert_int_equal(it->layer, SM_FL_ROB_OUTLINE + c->level);
			assert_memory_equal(&it->sc, &st->c_text, sizeof it->sc);
			assert_true(it->lw == 0.3);
		} else {
			rings++;
			assert_memory_equal(&it->sc, &st->c_muted, sizeof it->sc);
			assert_true(it->lw == 0.5);
		}
	}
	assert_int_equal(fills, c->level >= 0);
	assert_int_equal(outlines, c->level >= 0);
	assert_int_equal(rings, c->level < 0);
}

/* The circle of study row `row`, column `d`, as the review judged it:
 * on the row's square (or interval), under its head, right of the graph,
 * with the level's symbol on it (none when not judged). */
static void check_circle(const struct sm_flayout *l, const struct marks *ms,
			 const struct sm_frob *c, const cJSON *j, int nd)
{
	int d = c->col;
	const cJSON *v = d < nd ? cJSON_GetArrayItem(jget(j, "values"), d) : jget(j, "overall");
	assert_int_equal(c->level, level_of_word(v));
	const struct mark *on = NULL;
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].row == c->row && (ms->v[i].tag == SM_FOREST_SQUARE ||
					       (!on && ms->v[i].tag == SM_FOREST_CI)))
			on = &ms->v[i];
	assert_non_null(on);
	assert_int_equal(on->page, c->page);
	sm_check_close(c->cy, on->cy, 0, 0.1, "row %d circle %d y", c->row, d);
	char head[16];
	snprintf(head, sizeof head, "D%d", d + 1);
	if (!text_at(l, c->page, d < nd ? head : "Overall", c->cx)) {
		print_error("no head over the circle of row %d column %d\n", c->row, d);
		fail();
	}
	assert_true(c->cx - c->r > l->axis.x1);
	assert_true(c->cx + c->r <= l->fig->width);
	int symbols = 0;
	for (size_t i = 0; i < l->fig->ntexts; i++) {
		const struct sm_fig_text *t = &l->fig->texts[i];
		if (t->tag != SM_FOREST_ROB_SYMBOL || t->page != c->page ||
		    fabs((t->box.x0 + t->box.x1) / 2 - c->cx) > 0.01 ||
		    fabs((t->box.y0 + t->box.y1) / 2 - c->cy) > 0.01)
			continue;
		symbols++;
		assert_string_equal(t->text, symbol_of(c->level));
		assert_int_equal(t->ref, c->row);
		struct sm_rgb want = sm_rob_ink(l->fig->style, (enum sm_rob_level)c->level);
		assert_memory_equal(&t->colour, &want, sizeof want);
	}
	assert_int_equal(symbols, c->level >= 0);
	check_drawn(l, c);
}

/* Rows are the analysis' studies in input order: a study with a judgement
 * has one circle per column, a study without one none.  Returns the
 * number of circles. */
static int check_rob(const struct sm_flayout *l, const cJSON *res, const cJSON *a, int ncols)
{
	int nd = cJSON_GetArraySize(jget(rob_of(res), "domains")), row = 0, circles = 0;
	const cJSON *s;
	assert_true(l->axis.x1 - l->axis.x0 >= 30 / 25.4 * 72 - 1e-6);
	struct marks ms = marks_of(l);
	cJSON_ArrayForEach(s, jget(a, "studies")) {
		const cJSON *j = judgement_of(res, jget(s, "study_id")->valuestring);
		int per_col[16] = { 0 }, n = 0;
		for (size_t i = 0; i < l->nrob; i++) {
			const struct sm_frob *c = &l->rob[i];
			if (c->row != row)
				continue;
			assert_non_null(j);
			assert_true(c->col >= 0 && c->col < ncols);
			per_col[c->col]++;
			check_circle(l, &ms, c, j, nd);
			n++;
		}
		assert_int_equal(n, j ? ncols : 0);
		for (int d = 0; j && d < ncols; d++)
			assert_int_equal(per_col[d], 1);
		circles += n;
		row++;
	}
	free(ms.v);
	return circles;
}

/* Circles drawn for rows (row >= 0) or in the legend (row < 0), counted
 * from the figure: one fill or ring each. */
static int drawn_circles(const struct sm_flayout *l, int legend, int rings_only)
{
	int n = 0;
	for (size_t i = 0; i < l->fig->nitems; i++) {
		const struct sm_fig_item *it = &l->fig->items[i];
		n += (it->tag == SM_FOREST_ROB_RING ||
		      (!rings_only && it->tag == SM_FOREST_ROB_FILL)) &&
		     (legend ? it->ref < 0 : it->ref >= 0);
	}
	return n;
}

static struct sm_flayout *rob_layout(struct sm_render_fx *f, const struct sm_res *res, const char *an,
				     int paginate)
{
	struct sm_forest_options o = opts_for(an);
	o.rob = 1;
	struct sm_flayout *l = layout_with(f, res, &o, paginate);
	check_layout(l);
	for (size_t i = 0; i < l->nrob; i++)
		if (l->rob[i].row < 0)
			check_drawn(l, &l->rob[i]);
	return l;
}

static const cJSON *analysis_named(const cJSON *res, const char *name)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, jget(res, "analyses"))
		if (!strcmp(name_of(a), name))
			return a;
	fail();
	return NULL;
}

/* Pixel (x, y) in points of a PNG at `dpi`, as 0xRRGGBB. */
static unsigned pixel(cairo_surface_t *png, double x, double y, double dpi)
{
	int px = (int)lround(x * dpi / 72), py = (int)lround(y * dpi / 72);
	assert_true(px >= 0 && py >= 0 && px < cairo_image_surface_get_width(png) &&
		    py < cairo_image_surface_get_height(png));
	const unsigned char *row = cairo_image_surface_get_data(png) +
				   (size_t)py * (size_t)cairo_image_surface_get_stride(png);
	uint32_t v;
	memcpy(&v, row + 4 * (size_t)px, 4);
	return v & 0xFFFFFF;
}

/* Within `tol` in every channel. */
static int near_rgb(unsigned a, unsigned b, int tol)
{
	for (int sh = 0; sh < 24; sh += 8)
		if (abs((int)((a >> sh) & 255) - (int)((b >> sh) & 255)) > tol)
			return 0;
	return 1;
}

/* The circles' fills in the PNG. */
static void check_colours(struct sm_render_fx *f, const struct sm_res *res, const struct sm_flayout *l)
{
	struct sm_forest_options o = opts_for(GENERAL);
	o.rob = 1;
	o.common.dpi = 150;
	char *path = sm_asprintf("%s/rob-colours.png", f->dir);
	expect_ok(f, render_with(f, res, &o, path));
	cairo_surface_t *png = cairo_image_surface_create_from_png(path);
	assert_int_equal(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(png);
	int seen[4] = { 0 };
	for (size_t i = 0; i < l->nrob; i++) {
		const struct sm_frob *c = &l->rob[i];
		if (c->level < 0)
			continue;
		/* Right of the symbol, inside the outline. */
		unsigned got = pixel(png, c->cx + 0.3 * 2 * c->r, c->cy, 150);
		if (!near_rgb(got, rob_fill[c->level], 4)) {
			print_error("circle of row %d column %d is #%06X, expected #%06X\n", c->row,
				    c->col, got, rob_fill[c->level]);
			fail();
		}
		seen[c->level] = 1;
	}
	assert_true(seen[SM_ROB_LOW] && seen[SM_ROB_UNCLEAR] && seen[SM_ROB_HIGH]);
	cairo_surface_destroy(png);
	free(path);
}

/* MSC "General disorders": seven RoB 1 columns beside the forest, every
 * study judged; keys and legend under the plot; the figure stays 175 mm
 * wide and its graph keeps its minimum width. */
static void test_rob_columns(void **state)
{
	struct sm_render_fx *f = *state;
	const cJSON *a = analysis_named(f->msc, GENERAL);
	struct sm_flayout *l = rob_layout(f, f->rmsc, GENERAL, 0);
	sm_check_close(l->fig->width, 175 / 25.4 * 72, 1e-12, 0, "width");
	assert_int_equal(check_rob(l, f->msc, a, 7), 36 * 7);
	assert_int_equal(drawn_circles(l, 0, 0), 36 * 7);
	assert_true(has_text(l, "Risk of bias"));
	for (int d = 1; d <= 7; d++) {
		char head[8];
		snprintf(head, sizeof head, "D%d", d);
		assert_true(has_text(l, head));
	}
	assert_false(has_text(l, "Overall"));
	int legend = 0;
	for (size_t i = 0; i < l->nrob; i++)
		legend += l->rob[i].row < 0;
	assert_int_equal(legend, 3); /* low, unclear, high */
	assert_int_equal(drawn_circles(l, 1, 0), 3);
	check_colours(f, f->rmsc, l);
	sm_flayout_free(l);
	/* paginated (PDF) the circles stay on their rows' pages */
	l = rob_layout(f, f->rmsc, GENERAL, 1);
	assert_true(l->fig->npages >= 2);
	assert_int_equal(check_rob(l, f->msc, a, 7), 36 * 7);
	sm_flayout_free(l);
	/* a style's own RoB colours, not the default ones */
	char *style = sm_asprintf("%s/rob-colours.style.json", f->dir);
	FILE *sf = fopen(style, "w");
	assert_non_null(sf);
	fputs("{\"name\": \"rob-colours\", \"colours\": {\"rob_low\": \"#654321\"}}\n", sf);
	fclose(sf);
	struct sm_forest_options so = opts_for(GENERAL);
	so.rob = 1;
	so.common.style = style;
	l = layout_with(f, f->rmsc, &so, 0);
	assert_int_equal(check_rob(l, f->msc, a, 7), 36 * 7);
	int own = 0;
	for (size_t i = 0; i < l->fig->nitems; i++) {
		const struct sm_fig_item *it = &l->fig->items[i];
		own += it->tag == SM_FOREST_ROB_FILL && rgb_of(it->fc) == 0x654321;
	}
	assert_true(own > 0);
	sm_flayout_free(l);
	free(style);

	struct sm_forest_options o = opts_for(GENERAL);
	o.rob = 1;
	char *pdf = sm_asprintf("%s/rob.pdf", f->dir);
	expect_ok(f, render_with(f, f->rmsc, &o, pdf));
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	const cJSON *d;
	int i = 1;
	cJSON_ArrayForEach(d, jget(rob_of(f->msc), "domains")) {
		char *key = sm_asprintf("D%d: %s", i++, d->valuestring);
		sm_render_expect_text(text, key);
		free(key);
	}
	sm_render_expect_text(text, "Low risk of bias");
	sm_render_expect_text(text, "Unclear risk of bias");
	sm_render_expect_text(text, "High risk of bias");
	free(text);
	free(pdf);
}

/* A study without a judgement gets empty cells; a domain not assessed an
 * empty ring without a symbol, named in the legend. */
static void test_rob_missing(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *res = cJSON_Duplicate(f->msc, 1);
	cJSON *js = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(res, "review"),
						 "risk_of_bias"), "judgments");
	int k = 0;
	cJSON *j;
	cJSON_ArrayForEach(j, js) {
		const char *id = jget(j, "study")->valuestring;
		if (!strcmp(id, "hare2009"))
			cJSON_ReplaceItemInArray(cJSON_GetObjectItemCaseSensitive(j, "values"), 2,
						 cJSON_CreateNull());
		if (!strcmp(id, "lee2010"))
			break;
		k++;
	}
	assert_non_null(j);
	cJSON_DeleteItemFromArray(js, k);
	struct sm_res *rres = typed(f, res);
	const cJSON *a = analysis_named(res, GENERAL);
	struct sm_flayout *l = rob_layout(f, rres, GENERAL, 0);
	/* lee2010 has one row in this analysis */
	assert_int_equal(check_rob(l, res, a, 7), 35 * 7);
	int rings = 0;
	for (size_t i = 0; i < l->nrob; i++)
		rings += l->rob[i].level < 0 && l->rob[i].row >= 0;
	assert_int_equal(rings, 2); /* hare2009 (a) and (b), D3 */
	assert_int_equal(drawn_circles(l, 0, 1), 2);
	assert_true(has_text(l, "Not assessed"));
	sm_flayout_free(l);
	sm_res_free(rres);
	cJSON_Delete(res);
}

/* RoB 2 with an overall column; one study never assessed. */
static void test_rob_overall(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *res = sm_render_load_json(UPDATED);
	struct sm_res *rres = sm_render_load_res(UPDATED);
	struct sm_flayout *l = rob_layout(f, rres, NULL, 1);
	assert_int_equal(check_rob(l, res, analysis(res, 0), 6), 4 * 6);
	assert_true(has_text(l, "Overall"));
	assert_true(has_text(l, "Some concerns"));
	assert_true(has_text(l, "Not assessed")); /* Costa et al., D3 */
	sm_flayout_free(l);
	char *pdf = sm_asprintf("%s/rob2.pdf", f->dir);
	struct sm_forest_options o = opts_for(NULL);
	o.rob = 1;
	expect_ok(f, render_with(f, rres, &o, pdf));
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "D5: Selection of the reported result");
	free(text);
	free(pdf);
	sm_res_free(rres);
	cJSON_Delete(res);
}

/* No judgements, or no study rows: a clear error. */
static void test_rob_errors(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_forest_options o = opts_for(NULL);
	o.rob = 1;
	struct sm_flayout *l = NULL;
	assert_int_equal(build(f, f->rdoc, &o, 1, &l), SM_EINPUT);
	assert_null(l);
	assert_string_equal(sm_ctx_error(f->ctx)->msg, "the results have no risk-of-bias "
			    "judgments; expected review.risk_of_bias");
	sm_ctx_clear_error(f->ctx);
	o.common.analysis = "summary";
	assert_int_equal(build(f, f->rmsc, &o, 1, &l), SM_EINPUT);
	assert_null(l);
	assert_non_null(strstr(sm_ctx_error(f->ctx)->msg, "need study rows"));
	sm_ctx_clear_error(f->ctx);
}

/* Widths beyond the largest poster are refused, saying the bound. */
static void test_width_limit(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_forest_options o = opts_for(NULL);
	o.common.width = "10000mm";
	struct sm_flayout *l = NULL;
	assert_int_equal(build(f, f->rdoc, &o, 1, &l), SM_EINPUT);
	assert_null(l);
	assert_string_equal(sm_ctx_error(f->ctx)->msg, "figure width 10000 mm is too wide; "
			    "expected at most 1200 mm");
	sm_ctx_clear_error(f->ctx);
	o.common.width = "1200mm";
	o.common.analysis = "SAEs deaths";
	l = layout_with(f, f->rdoc, &o, 1);
	sm_check_close(l->fig->width, 1200 / 25.4 * 72, 1e-12, 0, "widest");
	sm_flayout_free(l);
}

/* Drawing ------------------------------------------------------------- */

/* The pixel holding the point (x, y) pt, unlike pixel(), which takes the
 * one nearest in its corner: a thin line covers it in full. */
static unsigned pixel_at(cairo_surface_t *img, double x, double y, double dpi)
{
	return pixel(img, floor(x * dpi / 72) * 72 / dpi, floor(y * dpi / 72) * 72 / dpi, dpi);
}

/* An x on the interval's line clear of its square, its arrow heads and the
 * null line at nx, or NAN when it has no such stretch. */
static double bare_x(const struct mark *m, const struct mark *sq, double nx)
{
	double lo = m->x0 + 8, hi = m->x1 - 8; /* past arrow heads and caps */
	double cut0 = hi, cut1 = hi;
	if (sq) {
		cut0 = sq->cx - sq->size / 2 - 1;
		cut1 = sq->cx + sq->size / 2 + 1;
	}
	double spans[2][2] = { { lo, fmin(hi, cut0) }, { fmax(lo, cut1), hi } };
	for (int i = 0; i < 2; i++)
		for (double x = spans[i][0]; x <= spans[i][1]; x += 1)
			if (fabs(x - nx) > 2)
				return x;
	return NAN;
}

/* A page of the PDF rasterised: every square, diamond and interval of the
 * layout's page is there, in its colour, where the layout put it. */
static int check_page_marks(struct sm_render_fx *f, const char *pdf, const struct sm_flayout *l, int page,
			    const struct sm_style *st)
{
	const double dpi = 300;
	char *png = sm_asprintf("%s/page%d", f->dir, page);
	char *cmd = sm_asprintf("pdftoppm -r %g -f %d -l %d -png -singlefile '%s' '%s'", dpi,
				page + 1, page + 1, pdf, png);
	free(sm_render_run_ok(cmd));
	free(cmd);
	char *file = sm_asprintf("%s.png", png);
	cairo_surface_t *img = cairo_image_surface_create_from_png(file);
	assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(img);
	struct marks ms = marks_of(l);
	double nx = NAN;
	for (size_t i = 0; i < ms.n; i++)
		if (ms.v[i].page == page && ms.v[i].tag == SM_FOREST_NULL)
			nx = ms.v[i].x0;
	int seen = 0;
	for (size_t i = 0; i < ms.n; i++) {
		const struct mark *k = &ms.v[i];
		unsigned want = 0, got = 0;
		if (k->page != page)
			continue;
		if (k->tag == SM_FOREST_SQUARE || k->tag == SM_FOREST_DIAMOND) {
			want = rgb_of(k->tag == SM_FOREST_SQUARE ? st->c_square : st->c_diamond);
			got = pixel_at(img, k->cx, k->cy, dpi);
		} else if (k->tag == SM_FOREST_CI || k->tag == SM_FOREST_PI) {
			const struct mark *sq = NULL;
			for (size_t j = 0; j < ms.n && !sq; j++)
				if (ms.v[j].tag == SM_FOREST_SQUARE && ms.v[j].row == k->row)
					sq = &ms.v[j];
			double x = bare_x(k, sq, nx);
			if (isnan(x))
				continue;
			want = rgb_of(k->tag == SM_FOREST_CI ? st->c_ci : st->c_pi);
			got = pixel_at(img, x, k->cy, dpi);
		} else {
			continue;
		}
		/* thin lines are anti-aliased */
		if (!near_rgb(got, want, 32)) {
			print_error("page %d: mark %d of row %d is #%06X, expected #%06X\n",
				    page + 1, k->tag, k->row, got, want);
			fail();
		}
		seen++;
	}
	free(ms.v);
	cairo_surface_destroy(img);
	free(file);
	free(png);
	return seen;
}

/* The top left pixel of page 1 of a PDF rasterised keeping transparency,
 * as 0xAARRGGBB. */
static uint32_t pdf_corner(struct sm_render_fx *f, const char *pdf)
{
	char *png = sm_asprintf("%s/corner", f->dir);
	char *cmd = sm_asprintf("pdftocairo -png -transp -singlefile -r 20 -f 1 -l 1 '%s' '%s'",
				pdf, png);
	free(sm_render_run_ok(cmd));
	free(cmd);
	char *file = sm_asprintf("%s.png", png);
	cairo_surface_t *img = cairo_image_surface_create_from_png(file);
	assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(img);
	uint32_t v;
	memcpy(&v, cairo_image_surface_get_data(img), 4);
	cairo_surface_destroy(img);
	free(file);
	free(png);
	return v;
}

/* A long forest in PDF: its first, second and last pages carry their own
 * squares, intervals and diamonds (each page is drawn from its part of the
 * layout, each kind of mark in one go), on an opaque white ground. */
static void test_draw_pages(void **state)
{
	struct sm_render_fx *f = *state;
	const char *name;
	int n;
	cJSON *big = many_studies(f, &name, &n);
	struct sm_res *rbig = typed(f, big);
	char *pdf = render(f, rbig, name, "pages.pdf");
	struct sm_flayout *l = layout_of(f, rbig, name, NULL, 1);
	struct sm_style *st = sm_style_load(f->ctx, NULL);
	assert_non_null(st);
	assert_true(l->fig->npages >= 3);
	assert_true(l->fig->opaque);
	const int pages[] = { 0, 1, l->fig->npages - 1 };
	for (int i = 0; i < 3; i++)
		assert_true(check_page_marks(f, pdf, l, pages[i], st) >= 10);
	assert_int_equal(pdf_corner(f, pdf), 0xFFFFFFFFu);
	sm_style_free(st);
	sm_flayout_free(l);
	free(pdf);
	sm_res_free(rbig);
	cJSON_Delete(big);
}

/* A PNG that could only be too tall is refused before the plot is laid
 * out, with a height no larger than the real one (rows of one line here,
 * so that the bound is near it). */
static void test_png_too_tall(void **state)
{
	struct sm_render_fx *f = *state;
	const char *name;
	int n;
	cJSON *big = many_studies(f, &name, &n);
	struct sm_res *rbig = typed(f, big);
	struct sm_forest_options o = opts_for(name);
	o.columns = "study,effect";
	o.common.dpi = 2400;
	char *png = sm_asprintf("%s/tall.png", f->dir);
	assert_int_equal(render_with(f, rbig, &o, png), SM_EINPUT);
	const char *msg = sm_ctx_error(f->ctx)->msg;
	long w = 0, h = 0;
	int used = 0;
	assert_int_equal(sscanf(msg, "PNG of %ld x at least %ld px at 2400 dpi is too large; %n",
				&w, &h, &used), 2);
	assert_true(used > 0);
	assert_string_equal(msg + used, "expected at most 32767 px a side (use PDF for long "
			    "plots or a lower --dpi)");
	assert_int_equal(w, lround(175 / 25.4 * 2400));
	assert_true(h > 32767);
	assert_int_not_equal(access(png, F_OK), 0);
	sm_ctx_clear_error(f->ctx);
	struct sm_flayout *l = layout_with(f, rbig, &o, 0);
	long real = sm_canvas_px(l->fig->height, 2400);
	if (!(h <= real && h > real / 2)) {
		print_error("bound %ld px for a PNG %ld px tall\n", h, real);
		fail();
	}
	sm_flayout_free(l);
	free(png);
	sm_res_free(rbig);
	cJSON_Delete(big);
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

static void expect_error_words(struct sm_ctx *ctx, const char *part)
{
	const struct sm_diag *d = sm_ctx_error(ctx);
	assert_non_null(d);
	if (!strstr(d->msg, part)) {
		print_error("error \"%s\" lacks \"%s\"\n", d->msg, part);
		fail();
	}
	sm_ctx_clear_error(ctx);
}

/* A style naming a font we do not ship stops the render; nothing written. */
static void test_render_errors(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_ctx *ctx = f->ctx;
	const struct sm_res *res = f->rdoc;
	char *style = sm_asprintf("%s/helvetica.style.json", f->dir);
	FILE *sf = fopen(style, "w");
	assert_non_null(sf);
	fputs("{\"font\": {\"family\": \"Helvetica\"}}", sf);
	fclose(sf);
	struct sm_forest_options o = opts_for(NULL);
	o.common.style = style;
	const char *out = "/tmp/sm_render_error_test.pdf";
	unlink(out);
	assert_int_equal(render_with(f, res, &o, out), SM_EINPUT);
	expect_error_words(ctx, "\"Helvetica\" not found");
	assert_int_equal(access(out, F_OK), -1);
	o.common.style = NULL;
	o.common.analysis = "Cardiac disorders";
	assert_int_equal(render_with(f, res, &o, out), SM_EINPUT);
	expect_error_words(ctx, "no analysis named \"Cardiac disorders\"");
	o.common.analysis = NULL;
	assert_int_equal(render_with(f, res, &o, "/tmp/x.jpg"), SM_EINPUT);
	expect_error_words(ctx, ".pdf, .svg or .png");
	o.columns = "study,pvalue";
	assert_int_equal(render_with(f, res, &o, out), SM_EINPUT);
	expect_error_words(ctx, "unknown column");
	o.columns = NULL;
	o.common.width = "single";
	assert_int_equal(render_with(f, res, &o, out), SM_EINPUT);
	expect_error_words(ctx, "does not fit in 85 mm");
	sm_ctx_set_home(ctx, "/nonexistent");
	o.common.width = NULL;
	assert_int_equal(render_with(f, res, &o, out), SM_EINPUT);
	assert_non_null(sm_ctx_error(ctx));
	sm_ctx_clear_error(ctx);
	unlink(style);
	free(style);
	sm_ctx_set_home(ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
}

/* What the results hold, and nothing else ---------------------------- */

static cJSON *analysis_obj(cJSON *doc, const char *name)
{
	cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(doc, "analyses"))
		if (!strcmp(name_of(a), name))
			return a;
	fail();
	return NULL;
}

/* The labels of the first n rows of a plot. */
static void expect_labels(const struct sm_flayout *l, const char *const *want, size_t n)
{
	assert_true(l->plot->nrows >= n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(l->plot->rows[i].cell[SM_COL_LABEL], want[i]);
}

/* Display values come from "transformed" only (a study without them is
 * not estimable: no square, no interval, nothing back-transformed from
 * yi); arm totals from "totals" (not summed over the studies); the year
 * order from the studies' "year" (never guessed from a label's digits). */
static void test_values_from_results(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *doc = cJSON_Duplicate(f->doc, 1);
	cJSON *saes = analysis_obj(doc, "SAEs deaths");
	cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(saes, "studies"), 0);
	assert_true(isfinite(num(first, "yi")));
	cJSON_DeleteItemFromObjectCaseSensitive(first, "transformed");
	cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(
				     cJSON_GetObjectItemCaseSensitive(saes, "totals"), "events_t"),
			     999);
	struct sm_res *res = typed(f, doc);
	struct sm_flayout *l = layout_of(f, res, "SAEs deaths", NULL, 1);
	const struct sm_frow *r = &l->plot->rows[0];
	assert_string_equal(r->cell[SM_COL_LABEL], "\xc3\x81lvaro-Gracia et al., 2017");
	assert_true(isnan(r->est) && isnan(r->lb) && isnan(r->ub));
	assert_null(r->cell[SM_COL_EST]);
	assert_string_equal(r->span, "Not estimable");
	for (size_t i = 0; i < l->fig->nitems; i++)
		assert_int_not_equal(l->fig->items[i].ref, 0);
	check_layout(l);
	int totals = 0;
	for (size_t i = 0; i < l->plot->nrows; i++)
		if (l->plot->rows[i].kind == SM_ROW_TOTALS) {
			totals++;
			assert_string_equal(l->plot->rows[i].cell[SM_COL_EV1], "999");
			assert_string_equal(l->plot->rows[i].cell[SM_COL_EV2], "45");
		}
	assert_int_equal(totals, 1);
	sm_flayout_free(l);
	sm_res_free(res);

	/* Labels carry years (2010, 2021, 2021, 2023, 2022) but the studies
	 * have no "year": sorting by year keeps the input order. */
	static const char *const input[] = { "Lee et al., 2010", "Casiraghi et al., 2021",
					     "Lan et al., 2021", "Ichikado et al., 2023",
					     "Karyana et al., 2022" };
	struct sm_forest_options o = opts_for("Hepatobiliary disorders");
	o.sort = SM_SORT_YEAR;
	l = layout_with(f, f->rdoc, &o, 1);
	expect_labels(l, input, 5);
	sm_flayout_free(l);
	/* With years, by year; studies without one last, in input order. */
	cJSON *hep = analysis_obj(doc, "Hepatobiliary disorders");
	cJSON *studies = cJSON_GetObjectItemCaseSensitive(hep, "studies");
	cJSON_AddNumberToObject(cJSON_GetArrayItem(studies, 4), "year", 2009);
	cJSON_AddNumberToObject(cJSON_GetArrayItem(studies, 1), "year", 2015);
	res = typed(f, doc);
	l = layout_with(f, res, &o, 1);
	static const char *const by_year[] = { "Karyana et al., 2022", "Casiraghi et al., 2021",
					       "Lee et al., 2010", "Lan et al., 2021",
					       "Ichikado et al., 2023" };
	expect_labels(l, by_year, 5);
	sm_flayout_free(l);
	sm_res_free(res);
	cJSON_Delete(doc);
}

/* The figure kind ----------------------------------------------------- */

/* Options described once: the names `safemeta render forest --help` has,
 * each landing in its member; the defaults of today. */
static void test_kind_options(void **state)
{
	(void)state;
	const struct sm_figure_kind *k = &sm_figure_forest;
	assert_string_equal(k->name, "forest");
	assert_string_equal(k->positional, "analysis");
	assert_non_null(k->layout);
	assert_non_null(k->plan);
	assert_non_null(k->cost);
	assert_int_equal(k->opts_size, sizeof(struct sm_forest_options));
	static const struct {
		const char *name;
		enum sm_fopt_type type;
		size_t offset;
		const char *arg;
	} want[] = {
		{ "sort", SM_FOPT_CHOICE, offsetof(struct sm_forest_options, sort), "KEY" },
		{ "columns", SM_FOPT_STRING, offsetof(struct sm_forest_options, columns), "LIST" },
		{ "summary-only", SM_FOPT_FLAG, offsetof(struct sm_forest_options, summary_only),
		  NULL },
		{ "no-method-line", SM_FOPT_UNFLAG,
		  offsetof(struct sm_forest_options, show_method_line), NULL },
		{ "wrap-labels", SM_FOPT_FLAG, offsetof(struct sm_forest_options, wrap_labels),
		  NULL },
		{ "rob", SM_FOPT_FLAG, offsetof(struct sm_forest_options, rob), NULL },
		{ "xlim", SM_FOPT_STRING, offsetof(struct sm_forest_options, xlim), "LO,HI" },
		{ "at", SM_FOPT_STRING, offsetof(struct sm_forest_options, at), "V1,V2,..." },
		{ "scale", SM_FOPT_CHOICE, offsetof(struct sm_forest_options, scale), "ratio|log" },
		{ "per", SM_FOPT_CHOICE, offsetof(struct sm_forest_options, per),
		  "auto|1|100|1000" },
		{ "overall-test", SM_FOPT_FLAG, offsetof(struct sm_forest_options, overall_test),
		  NULL },
		{ "wide-labels", SM_FOPT_FLAG, offsetof(struct sm_forest_options, wide_labels),
		  NULL },
		{ "dense", SM_FOPT_FLAG, offsetof(struct sm_forest_options, dense), NULL },
		{ "compact-notes", SM_FOPT_FLAG, offsetof(struct sm_forest_options, compact_notes),
		  NULL },
	};
	assert_int_equal(k->nopts, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < k->nopts; i++) {
		const struct sm_fopt *o = &k->opts[i];
		assert_string_equal(o->name, want[i].name);
		assert_int_equal(o->type, want[i].type);
		assert_int_equal(o->offset, want[i].offset);
		if (want[i].arg)
			assert_string_equal(o->arg, want[i].arg);
		else
			assert_null(o->arg);
		assert_non_null(o->help);
	}
	/* the choices are the sort orders, in the order of enum sm_forest_sort */
	const char *const *c = k->opts[0].choices;
	assert_non_null(c);
	assert_string_equal(c[SM_SORT_INPUT], "input");
	assert_string_equal(c[SM_SORT_YEAR], "year");
	assert_string_equal(c[SM_SORT_EFFECT], "effect");
	assert_string_equal(c[SM_SORT_WEIGHT], "weight");
	assert_null(c[4]);
	assert_string_equal(k->opts[5].help, "risk-of-bias columns (D1..Dn, Overall) right of the\n"
			    "graph, from the review's risk_of_bias judgements");
	unsigned char raw[sizeof(struct sm_forest_options)];
	memset(raw, 0xA5, sizeof raw);
	k->opts_init(raw);
	struct sm_forest_options o;
	memcpy(&o, raw, sizeof o);
	assert_null(o.common.analysis);
	assert_null(o.common.style);
	assert_null(o.common.width);
	assert_null(o.common.title);
	assert_true(o.common.dpi == 300);
	assert_int_equal(o.sort, SM_SORT_INPUT);
	assert_null(o.columns);
	assert_int_equal(o.summary_only, 0);
	assert_int_equal(o.show_method_line, 1);
	assert_int_equal(o.wrap_labels, 0);
	assert_int_equal(o.rob, 0);
	assert_null(o.xlim);
	assert_null(o.at);
	assert_int_equal(o.scale, 0);
	assert_int_equal(o.per, SM_PER_AUTO);
	assert_int_equal(o.overall_test, 0);
	assert_string_equal(k->opts[8].choices[1], "log");
	assert_string_equal(k->opts[9].choices[SM_PER_1000], "1000");
	assert_ptr_equal(sm_figure_common_of(&o), &o.common);
}

static void expect_plan(const struct sm_figure_plan *p, const char *const *base,
			const char *const *arg, size_t n)
{
	assert_int_equal(p->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(p->jobs[i].kind, &sm_figure_forest);
		assert_string_equal(p->jobs[i].base, base[i]);
		assert_string_equal(p->jobs[i].arg, arg[i]);
	}
}

/* The bundle's forests: one per analysis named as the bundle names them
 * (safe names, made unique by suffixes), the summary forest when there is
 * more than one analysis. */
static void test_kind_plan(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_figure_plan p = { 0 };
	expect_ok(f, sm_figure_forest.plan(f->ctx, f->rmsc, &p));
	assert_int_equal(p.n, 17);
	assert_string_equal(p.jobs[0].base,
			    "forest-General-disorders-and-administration-site-conditions");
	assert_string_equal(p.jobs[0].arg, GENERAL);
	assert_string_equal(p.jobs[4].base, "forest-Renal-urinary-disorders");
	assert_string_equal(p.jobs[4].arg, "Renal & urinary disorders");
	assert_string_equal(p.jobs[6].base,
			    "forest-Respiratory-thoracic-and-mediastinal-disorders");
	assert_string_equal(p.jobs[16].base, "forest-summary");
	assert_string_equal(p.jobs[16].arg, "summary");
	sm_figure_plan_release(&p);

	struct sm_res *prop = sm_render_load_res(PROP);
	expect_ok(f, sm_figure_forest.plan(f->ctx, prop, &p));
	static const char *const one[] = { "forest-all" }, *const one_arg[] = { "all" };
	expect_plan(&p, one, one_arg, 1);
	sm_figure_plan_release(&p);
	sm_res_free(prop);

	/* Three names with one safe name, and one with none. */
	cJSON *doc = cJSON_Duplicate(f->doc, 1);
	cJSON *analyses = cJSON_GetObjectItemCaseSensitive(doc, "analyses");
	cJSON_AddItemToArray(analyses, cJSON_Duplicate(cJSON_GetArrayItem(analyses, 0), 1));
	cJSON_AddItemToArray(analyses, cJSON_Duplicate(cJSON_GetArrayItem(analyses, 0), 1));
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "domain_table");
	static const char *const names[] = { "x y", "x-y", "x/y", "\xc3\xa9\xc3\xa9" };
	for (int i = 0; i < 4; i++)
		cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(
					     cJSON_GetArrayItem(analyses, i), "name"), names[i]);
	struct sm_res *res = typed(f, doc);
	expect_ok(f, sm_figure_forest.plan(f->ctx, res, &p));
	static const char *const bases[] = { "forest-x-y", "forest-x-y-2", "forest-x-y-2-3",
					     "forest-unnamed", "forest-summary" };
	static const char *const args[] = { "x y", "x-y", "x/y", "\xc3\xa9\xc3\xa9", "summary" };
	expect_plan(&p, bases, args, 5);
	sm_figure_plan_release(&p);
	sm_res_free(res);
	cJSON_Delete(doc);
}

/* Cost: 10 + 2 per row, the rows being the analysis' k, or one per
 * analysis for the summary and "all" forests. */
static void test_kind_cost(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_forest_options o = opts_for(GENERAL);
	sm_check_close(sm_figure_forest.cost(f->rmsc, &o), 10 + 2 * 36, 0, 1e-12, "one analysis");
	o.common.analysis = "Immune system disorders";
	sm_check_close(sm_figure_forest.cost(f->rmsc, &o), 10 + 2 * 3, 0, 1e-12, "k = 3");
	o.common.analysis = "summary";
	sm_check_close(sm_figure_forest.cost(f->rmsc, &o), 10 + 2 * 16, 0, 1e-12, "summary");
	o.common.analysis = NULL;
	sm_check_close(sm_figure_forest.cost(f->rdoc, &o), 10 + 2 * 2, 0, 1e-12, "all");
}

/* The kind's layout: pages only for PDF, at the report's height when it
 * gives one (the style's otherwise); white pages; a PNG too tall refused
 * with no figure. */
static void test_kind_layout(void **state)
{
	struct sm_render_fx *f = *state;
	const char *name;
	int n;
	cJSON *big = many_studies(f, &name, &n);
	struct sm_res *rbig = typed(f, big);
	struct sm_forest_options o = opts_for(name);
	struct sm_fig *fig = NULL;
	struct sm_figure_env env = { .format = SM_CANVAS_PDF, .page_height = 0, .max_width = 0 };
	expect_ok(f, sm_figure_forest.layout(f->ctx, rbig, &o, &env, &fig));
	int pages = fig->npages;
	assert_true(pages >= 3);
	assert_true(fig->finished && fig->opaque);
	assert_true(fig->height <= 250 / 25.4 * 72 + 0.01);
	sm_fig_free(fig);
	env.page_height = 400;
	expect_ok(f, sm_figure_forest.layout(f->ctx, rbig, &o, &env, &fig));
	assert_true(fig->npages > pages);
	assert_true(fig->height <= 400 + 1e-9);
	sm_fig_free(fig);
	env = (struct sm_figure_env){ .format = SM_CANVAS_SVG, .page_height = 0, .max_width = 0 };
	expect_ok(f, sm_figure_forest.layout(f->ctx, rbig, &o, &env, &fig));
	assert_int_equal(fig->npages, 1);
	assert_true(fig->height > 3 * 250 / 25.4 * 72);
	sm_fig_free(fig);
	env.format = SM_CANVAS_PNG;
	o.common.dpi = 2400;
	fig = (struct sm_fig *)&o; /* must be reset */
	assert_int_equal(sm_figure_forest.layout(f->ctx, rbig, &o, &env, &fig), SM_EINPUT);
	assert_null(fig);
	expect_error_words(f->ctx, "is too large");
	sm_res_free(rbig);
	cJSON_Delete(big);
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Groups a style happens to paint alike stay apart: the rule and the
 * intervals, the null line and the axis are painted in as many operations
 * as when they look different (an SVG holds one path element for each). */
static void test_batches_apart(void **state)
{
	struct sm_render_fx *f = *state;
	char *style = sm_asprintf("%s/alike.style.json", f->dir);
	FILE *sf = fopen(style, "w");
	assert_non_null(sf);
	fputs("{\"lines\": {\"rule\": 0.6, \"ci\": 0.6, \"null\": 0.5, \"axis\": 0.5},"
	      " \"colours\": {\"rule\": \"#000000\", \"ci\": \"#000000\", \"null\": \"#000000\","
	      " \"text\": \"#000000\"}}", sf);
	fclose(sf);
	struct sm_forest_options o = opts_for("SAEs deaths");
	char *plain = sm_asprintf("%s/plain.svg", f->dir);
	char *alike = sm_asprintf("%s/alike.svg", f->dir);
	expect_ok(f, render_with(f, f->rdoc, &o, plain));
	o.common.style = style;
	expect_ok(f, render_with(f, f->rdoc, &o, alike));
	char *a = sm_test_slurp(plain), *b = sm_test_slurp(alike);
	int na = count_of(a, "<path"), nb = count_of(b, "<path");
	assert_true(na > 20);
	assert_int_equal(nb, na);
	free(a), free(b), free(plain), free(alike), free(style);
}

/* What each page of a forest uses, for a report that places its pages one
 * after another (sm_fig_page_used): down to its lowest mark (risk-of-bias
 * circles included) or text, plus the style's margin, at most the page. */
static void test_page_used(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_forest_options o = opts_for(GENERAL);
	o.rob = 1;
	struct sm_forest_target t = { .paginate = 1, .page_height = 300, .png_dpi = 0 };
	struct sm_flayout *l = NULL;
	expect_ok(f, sm_forest_build(f->ctx, f->rmsc, &o, &t, &l));
	struct sm_fig *fig = l->fig;
	assert_true(fig->npages >= 3);
	assert_true(fig->height <= 300);
	assert_int_equal(fig->npages_used, fig->npages);
	struct marks ms = marks_of(l);
	int short_pages = 0;
	for (int p = 0; p < fig->npages; p++) {
		double low = 0;
		for (size_t i = 0; i < ms.n; i++)
			if (ms.v[i].page == p)
				low = fmax(low, mark_bottom(&ms.v[i]));
		for (size_t i = 0; i < l->nrob; i++)
			if (l->rob[i].page == p)
				low = fmax(low, l->rob[i].cy + 2 * l->rob[i].r);
		for (size_t i = 0; i < fig->ntexts; i++)
			if (fig->texts[i].page == p)
				low = fmax(low, fig->texts[i].box.y1);
		double want = fmin(fig->height, low + fig->style->margin);
		sm_check_close(sm_fig_page_used(fig, p), want, 0, 0, "page %d used", p);
		short_pages += want < fig->height - 1;
	}
	/* some page ends above the page's bottom (the last one need not: it
	 * keeps at least two studies with the pooled block, issue 17.3) */
	assert_true(short_pages >= 1);
	free(ms.v);
	/* A report draws any page at any place of its own page. */
	char *pdf = sm_asprintf("%s/report-page.pdf", f->dir);
	struct sm_canvas *c = sm_canvas_open(f->ctx, pdf, 600, 800, 72);
	assert_non_null(c);
	expect_ok(f, sm_fig_draw_page(f->ctx, c, fig, 1, 10, 20));
	assert_int_equal(sm_fig_draw_page(f->ctx, c, fig, fig->npages, 0, 0), SM_EINTERNAL);
	sm_ctx_clear_error(f->ctx);
	expect_ok(f, sm_canvas_close(f->ctx, c));
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, GENERAL " (continued)");
	free(text);
	free(pdf);
	sm_flayout_free(l);
	/* Not paginated: one page. */
	t.paginate = 0;
	expect_ok(f, sm_forest_build(f->ctx, f->rmsc, &o, &t, &l));
	assert_int_equal(l->fig->npages, 1);
	sm_flayout_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_render_errors, setup, sm_render_fx_teardown),
		cmocka_unit_test(test_axis),
		cmocka_unit_test_setup_teardown(test_content, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_content_excluded_and_subgroups, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_content_summary, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_geometry, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_formats, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_determinism, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_msc_every_format, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_wrap_label2, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_report_options, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_too_narrow, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_proportions, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_mh_peto, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_pagination, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_rob_columns, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_rob_missing, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_rob_overall, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_rob_errors, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_width_limit, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_draw_pages, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_png_too_tall, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_values_from_results, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_kind_options, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_kind_plan, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_kind_cost, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_kind_layout, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_batches_apart, setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_page_used, setup, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
