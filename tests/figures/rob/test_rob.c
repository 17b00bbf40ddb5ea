/* Risk-of-bias figures: one circle per judgement at its cell, symbols,
 * summary shares, domain keys, sizes that grow with the studies. */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_rob.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The results document `r` read by the typed reader (fails the test with
 * its message when it does not validate). */
static struct sm_res *typed(struct sm_render_fx *f, const cJSON *r)
{
	struct sm_res *res = sm_res_from_json(f->ctx, "rob", r);
	if (!res) {
		char *m = sm_diag_format(sm_ctx_error(f->ctx));
		print_error("%s\n", m ? m : "?");
		free(m);
	}
	assert_non_null(res);
	return res;
}

static struct sm_rob_options options(void)
{
	struct sm_rob_options o;
	sm_figure_rob.opts_init(&o);
	return o;
}

static sm_status lay(struct sm_render_fx *f, const struct sm_res *r,
		     const struct sm_rob_options *o, struct sm_fig **fig)
{
	const struct sm_figure_env env = { .format = SM_CANVAS_PDF, .page_height = 0, .max_width = 0 };
	return sm_figure_rob.layout(f->ctx, r, o, &env, fig);
}

static struct sm_fig *layout(struct sm_render_fx *f, const struct sm_res *r,
			     const struct sm_rob_options *o)
{
	struct sm_fig *fig = NULL;
	sm_render_expect_ok(f, lay(f, r, o, &fig));
	assert_true(fig->finished);
	/* no text over text, nothing off the page */
	const struct sm_box page = { 0, 0, fig->width, fig->height };
	for (size_t i = 0; i < fig->ntexts; i++) {
		assert_true(sm_render_inside(&fig->texts[i].box, &page));
		for (size_t j = 0; j < i; j++)
			assert_false(sm_box_overlap(&fig->texts[i].box, &fig->texts[j].box));
	}
	return fig;
}

static void render(struct sm_render_fx *f, const struct sm_res *r,
		   const struct sm_rob_options *o, const char *path)
{
	struct sm_fig *fig = NULL;
	sm_render_expect_ok(f, lay(f, r, o, &fig));
	sm_render_expect_ok(f, sm_fig_write(f->ctx, fig, path, o->common.dpi));
	sm_fig_free(fig);
}

/* The plot as drawn: per cell (ref = study * ncols + column) its circle's
 * centre, radius and fill, and its symbol; per domain and level the
 * summary bar's segment width, as a share of the domain's bar. */
#define MAXC 512
struct drawn {
	int ncells;
	double cx[MAXC], cy[MAXC], r[MAXC];
	int filled[MAXC];
	struct sm_rgb fill[MAXC];
	const char *symbol[MAXC];
	double share[32 * SM_ROB_NLEVELS];
	int ndomains_bars;
};

static struct drawn drawn_of(const struct sm_fig *fig)
{
	static struct drawn d;
	memset(&d, 0, sizeof d);
	double total[32] = { 0 };
	for (size_t i = 0; i < fig->nitems; i++) {
		const struct sm_fig_item *it = &fig->items[i];
		if (it->tag == SM_RT_CELL) {
			assert_int_equal(it->kind, SM_FIG_CIRCLE);
			assert_true(it->ref >= 0 && it->ref < MAXC);
			assert_true(d.r[it->ref] == 0); /* one circle a cell */
			d.cx[it->ref] = it->x0, d.cy[it->ref] = it->y0, d.r[it->ref] = it->r;
			d.filled[it->ref] = it->fill;
			d.fill[it->ref] = it->fc;
			if (it->ref + 1 > d.ncells)
				d.ncells = it->ref + 1;
		}
		if (it->tag == SM_RT_BAR) {
			int dom = it->ref / SM_ROB_NLEVELS;
			assert_true(dom >= 0 && dom < 32);
			d.share[it->ref] = it->x1 - it->x0;
			total[dom] += it->x1 - it->x0;
			if (dom + 1 > d.ndomains_bars)
				d.ndomains_bars = dom + 1;
		}
	}
	for (int k = 0; k < 32 * SM_ROB_NLEVELS; k++)
		if (total[k / SM_ROB_NLEVELS] > 0)
			d.share[k] /= total[k / SM_ROB_NLEVELS];
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->tag == SM_RT_SYMBOL) {
			assert_true(t->ref >= 0 && t->ref < d.ncells);
			assert_null(d.symbol[t->ref]);
			d.symbol[t->ref] = t->text;
		}
	}
	return d;
}

static int same_rgb(struct sm_rgb a, struct sm_rgb b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* The level a cell shows: its circle's fill and its symbol (some concerns
 * and unclear share the fill, the symbol tells them apart). */
static int level_drawn(const struct drawn *d, int c)
{
	if (!d->filled[c])
		return d->symbol[c] ? -9 : SM_ROB_NONE;
	/* The default style's fills (greys 40 of 255 apart in luma). */
	static const struct { const char *sym; unsigned fill; int level; } look[] = {
		{ "+", 0x1FA879, SM_ROB_LOW }, { "?", 0xF0E442, SM_ROB_UNCLEAR },
		{ "!", 0xF0E442, SM_ROB_SOME }, { "\xe2\x88\x92", 0xB0241B, SM_ROB_HIGH },
		{ "\xc3\x97", 0x4D0B0B, SM_ROB_CRITICAL }, { "?", 0xA8A8A8, SM_ROB_NOINFO },
	};
	for (size_t i = 0; i < sizeof look / sizeof look[0]; i++)
		if (d->symbol[c] && !strcmp(d->symbol[c], look[i].sym) &&
		    same_rgb(d->fill[c], sm_fig_rgb(look[i].fill)))
			return look[i].level;
	return -9;
}

static const char *word_of(int level)
{
	static const char *const w[] = { "low", "unclear", "some", "high", "critical", "noinfo" };
	return level >= 0 ? w[level] : NULL;
}

/* Cells: the judgement of the review file, a circle at the cell with the
 * right symbol on it; the shares of the summary bars. */
static void test_msc_cells(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_rob_options o = options();
	struct sm_fig *fig = layout(f, f->rmsc, &o);
	const struct sm_res_rob *rob = &f->rmsc->review.risk_of_bias;
	struct drawn d = drawn_of(fig);
	assert_int_equal((int)rob->judgments.n, 36);
	assert_int_equal((int)rob->domains.n, 7);
	/* no overall judgement: seven columns, no "Overall" */
	assert_int_equal(d.ncells, 36 * 7);
	assert_int_equal(d.ndomains_bars, 7);
	int low[7] = { 0 };
	for (int i = 0; i < 36; i++) {
		assert_null(rob->judgments.v[i].overall);
		for (int c = 0; c < 7; c++) {
			const char *want = rob->judgments.v[i].values.v[c];
			int cell = i * 7 + c;
			assert_string_equal(word_of(level_drawn(&d, cell)), want);
			low[c] += !strcmp(want, "low");
			if (c > 0)
				assert_true(d.cx[cell] - d.cx[cell - 1] >= 2 * d.r[cell]);
			if (i > 0)
				assert_true(d.cy[cell] - d.cy[cell - 7] >= 2 * d.r[cell]);
		}
	}
	int symbols = 0;
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->tag != SM_RT_SYMBOL)
			continue;
		symbols++;
		int lv = sm_rob_level_of("RoB1", rob->judgments.v[t->ref / 7].values.v[t->ref % 7]);
		const char *want = lv == SM_ROB_LOW ? "+" : lv == SM_ROB_UNCLEAR ? "?"
									: "\xe2\x88\x92";
		assert_string_equal(t->text, want);
		/* centred on its circle */
		sm_check_close((t->box.x0 + t->box.x1) / 2, d.cx[t->ref], 0, 1e-6, "symbol x");
		sm_check_close((t->box.y0 + t->box.y1) / 2, d.cy[t->ref], 0, 1e-6, "symbol y");
	}
	assert_int_equal(symbols, 36 * 7);
	for (int c = 0; c < 7; c++) {
		sm_check_close(d.share[c * SM_ROB_NLEVELS + SM_ROB_LOW], low[c] / 36.0, 1e-12, 0,
			       "share low D%d", c + 1);
		double sum = 0;
		for (int k = 0; k < SM_ROB_NLEVELS; k++)
			sum += d.share[c * SM_ROB_NLEVELS + k];
		sm_check_close(sum, 1, 1e-12, 0, "shares of D%d", c + 1);
	}
	sm_fig_free(fig);
}

static void test_msc_content(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_rob_options o = options();
	const char *names[] = { "r.pdf", "r.svg", "r.png", "s.pdf", "s.svg", "s.png" };
	for (int i = 0; i < 6; i++) {
		char *p = sm_asprintf("%s/%s", f->dir, names[i]);
		render(f, f->rmsc, &o, p);
		free(p);
	}
	struct sm_fig *fig = layout(f, f->rmsc, &o);
	sm_render_check_formats(f, "r", fig, 300);
	sm_fig_free(fig);
	const char *ext[] = { "pdf", "svg", "png" };
	for (int i = 0; i < 3; i++) {
		char *a = sm_asprintf("%s/r.%s", f->dir, ext[i]);
		char *b = sm_asprintf("%s/s.%s", f->dir, ext[i]);
		sm_render_same_files(a, b);
		free(a);
		free(b);
	}
	char *pdf = sm_asprintf("%s/r.pdf", f->dir);
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	const struct sm_res_review *review = &f->rmsc->review;
	for (size_t i = 0; i < review->risk_of_bias.domains.n; i++) {
		char *key = sm_asprintf("D%zu: %s", i + 1, review->risk_of_bias.domains.v[i]);
		sm_render_expect_text(text, key);
		free(key);
	}
	assert_true(review->studies.n > 0);
	for (size_t i = 0; i < review->studies.n; i++)
		sm_render_expect_text(text, review->studies.v[i].label);
	sm_render_expect_text(text, "Low risk of bias");
	sm_render_expect_text(text, "Unclear risk of bias");
	sm_render_expect_text(text, "High risk of bias");
	sm_render_expect_text(text, "100%");
	free(text);
	free(pdf);
}

/* RoB 2 with an overall column and 60 studies: every level, taller. */
static void test_rob2_many(void **state)
{
	struct sm_render_fx *f = *state;
	cJSON *r = cJSON_Duplicate(f->msc, 1);
	cJSON *review = cJSON_GetObjectItemCaseSensitive(r, "review");
	cJSON *studies = cJSON_CreateArray(), *js = cJSON_CreateArray();
	static const char *const w[] = { "low", "some concerns", "high" };
	for (int i = 0; i < 60; i++) {
		char id[32], label[64];
		snprintf(id, sizeof id, "s%d", i);
		snprintf(label, sizeof label, "Study number %d et al., %d", i, 1990 + i % 30);
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "id", id);
		cJSON_AddStringToObject(s, "label", label);
		cJSON_AddNullToObject(s, "ref");
		cJSON_AddItemToObject(s, "characteristics", cJSON_CreateObject());
		cJSON_AddItemToArray(studies, s);
		cJSON *j = cJSON_CreateObject(), *v = cJSON_CreateArray();
		cJSON_AddStringToObject(j, "study", id);
		for (int d = 0; d < 5; d++)
			cJSON_AddItemToArray(v, i == 0 && d == 0 ? cJSON_CreateNull()
						: cJSON_CreateString(w[(i + d) % 3]));
		cJSON_AddItemToObject(j, "values", v);
		cJSON_AddStringToObject(j, "overall", w[i % 3]);
		cJSON_AddItemToArray(js, j);
	}
	cJSON *rob = cJSON_CreateObject();
	cJSON_AddStringToObject(rob, "tool", "RoB2");
	cJSON *doms = cJSON_CreateArray();
	const char *dn[] = { "Randomization process", "Deviations from intended interventions",
			     "Missing outcome data", "Measurement of the outcome",
			     "Selection of the reported result" };
	for (int d = 0; d < 5; d++)
		cJSON_AddItemToArray(doms, cJSON_CreateString(dn[d]));
	cJSON_AddItemToObject(rob, "domains", doms);
	cJSON_AddItemToObject(rob, "judgments", js);
	cJSON_ReplaceItemInObjectCaseSensitive(review, "studies", studies);
	cJSON_ReplaceItemInObjectCaseSensitive(review, "risk_of_bias", rob);
	struct sm_res *res = typed(f, r);
	struct sm_rob_options o = options();
	struct sm_fig *fig = layout(f, res, &o);
	struct drawn d = drawn_of(fig);
	/* five domains and the overall column, headed so */
	assert_int_equal(d.ncells, 60 * 6);
	int overall_head = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		overall_head += fig->texts[i].tag == SM_RT_HEADER &&
				!strcmp(fig->texts[i].text, "Overall") && fig->texts[i].ref == 5;
	assert_int_equal(overall_head, 1);
	assert_int_equal(level_drawn(&d, 0), SM_ROB_NONE);
	/* the overall column holds the overall judgements */
	assert_int_equal(level_drawn(&d, 1 * 6 + 5), SM_ROB_SOME);
	static const int overall[] = { SM_ROB_LOW, SM_ROB_SOME, SM_ROB_HIGH };
	for (int i = 0; i < 60; i++)
		assert_int_equal(level_drawn(&d, i * 6 + 5), overall[i % 3]);
	/* D1 shares leave out the study not assessed */
	sm_check_close(d.share[0 * SM_ROB_NLEVELS + SM_ROB_LOW], 19.0 / 59, 1e-12, 0, "D1 low");
	double h = fig->height;
	sm_fig_free(fig);
	char *pdf = sm_asprintf("%s/rob2.pdf", f->dir);
	render(f, res, &o, pdf);
	sm_render_overlap_tool(pdf);
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "Overall");
	sm_render_expect_text(text, "Some concerns");
	sm_render_expect_text(text, "Not assessed");
	free(text);
	free(pdf);
	o.overall = 0;
	o.plot = SM_ROB_TRAFFIC;
	fig = layout(f, res, &o);
	d = drawn_of(fig);
	assert_int_equal(d.ncells, 60 * 5);
	assert_true(fig->height < h);
	sm_fig_free(fig);
	sm_res_free(res);
	/* a word the tool does not use */
	cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(js, 3), "values");
	cJSON_ReplaceItemInArray(v, 0, cJSON_CreateString("unclear"));
	res = typed(f, r);
	fig = NULL;
	sm_render_expect_fail(f, lay(f, res, &o, &fig), "not a RoB2 judgement");
	assert_null(fig);
	sm_res_free(res);
	cJSON_Delete(r);
	sm_render_expect_fail(f, lay(f, f->rsae, &o, &fig), "no risk-of-bias");
}

static void test_weighted(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_rob_options o = options();
	o.weighted = 1;
	o.plot = SM_ROB_SUMMARY;
	struct sm_fig *fig = layout(f, f->rmsc, &o);
	struct drawn d = drawn_of(fig);
	/* weighted shares differ from counts but still add up to one */
	double sum = 0;
	for (int k = 0; k < SM_ROB_NLEVELS; k++)
		sum += d.share[k];
	sm_check_close(sum, 1, 1e-12, 0, "weighted D1");
	/* studies without outcome rows have no size: left out, with a warning */
	assert_true(sm_ctx_warning_count(f->ctx) > 0);
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "zhang2012"));
	/* each share: the sizes of the studies at that level over the sizes of
	 * all, a study's size its largest total in any analysis */
	const struct sm_res *r = f->rmsc;
	const struct sm_res_rob *rob = &r->review.risk_of_bias;
	double size[64];
	assert_true(rob->judgments.n <= 64);
	int sized = 0;
	for (size_t j = 0; j < rob->judgments.n; j++) {
		size[j] = 0;
		for (size_t a = 0; a < r->analyses.n; a++)
			for (size_t i = 0; i < r->analyses.v[a].studies.n; i++) {
				const struct sm_res_study *st = &r->analyses.v[a].studies.v[i];
				double n = st->n1i + st->n2i;
				if (!strcmp(st->study_id, rob->judgments.v[j].study) && n > size[j])
					size[j] = n;
			}
		sized += size[j] > 0;
	}
	assert_true(sized > 10 && sized < (int)rob->judgments.n);
	for (size_t c = 0; c < rob->domains.n; c++) {
		double at[SM_ROB_NLEVELS] = { 0 }, all = 0;
		for (size_t j = 0; j < rob->judgments.n; j++) {
			int lv = sm_rob_level_of(rob->tool, rob->judgments.v[j].values.v[c]);
			if (lv >= 0) {
				at[lv] += size[j];
				all += size[j];
			}
		}
		for (int k = 0; k < SM_ROB_NLEVELS; k++)
			sm_check_close(d.share[c * SM_ROB_NLEVELS + k], at[k] / all, 1e-12, 1e-15,
				       "weighted share of level %d in D%zu", k, c + 1);
	}
	sm_fig_free(fig);
}

/* Right edge of everything drawn: texts and circles. */
static double content_right(const struct sm_fig *fig)
{
	double x = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		x = fmax(x, fig->texts[i].box.x1);
	for (size_t i = 0; i < fig->nitems; i++)
		if (fig->items[i].kind == SM_FIG_CIRCLE)
			x = fmax(x, fig->items[i].x0 + fig->items[i].r);
	return x;
}

/* The content ends at the right margin (a point of slack) and no key,
 * legend entry or title wrapped. */
static void check_tight(const struct sm_fig *fig)
{
	double margin = 2 / 25.4 * 72, right = content_right(fig);
	assert_true(right <= fig->width - margin + 1e-6);
	assert_true(right >= fig->width - margin - 1.01);
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *t = &fig->texts[i];
		if (t->tag == SM_RT_DOMAIN_KEY || t->tag == SM_RT_LEGEND || t->tag == SM_RT_OTHER)
			assert_true(t->box.y1 - t->box.y0 < 1.6 * t->st.size);
	}
}

/* The traffic-light plot alone is as wide as its content (here the legend
 * or a domain key, each on one line), not the style's 175 mm; with the
 * summary bars it keeps the full width. */
static void test_traffic_shrinks(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_rob_options o = options();
	o.plot = SM_ROB_TRAFFIC;
	struct sm_fig *fig = layout(f, f->rmsc, &o);
	double w = fig->width;
	assert_true(w < 120 / 25.4 * 72);
	check_tight(fig);
	sm_fig_free(fig);
	/* a title wider than the grid widens it */
	o.common.title = "Risk of bias of the randomised trials of intravenous MSC, as judged";
	fig = layout(f, f->rmsc, &o);
	assert_true(fig->width > w);
	check_tight(fig);
	sm_fig_free(fig);
	/* ... up to the style's width, where it wraps */
	o.common.title = "Risk of bias of the randomised trials of intravenous mesenchymal "
			 "stromal cells in every indication, as judged by the authors of the "
			 "review";
	fig = layout(f, f->rmsc, &o);
	sm_check_close(fig->width, 175 / 25.4 * 72, 1e-12, 0, "long title: full width");
	sm_fig_free(fig);
	o.common.title = NULL;
	o.plot = SM_ROB_BOTH;
	fig = layout(f, f->rmsc, &o);
	sm_check_close(fig->width, 175 / 25.4 * 72, 1e-12, 0, "both: full width");
	sm_fig_free(fig);
	o.common.width = "10000mm";
	fig = NULL;
	sm_render_expect_fail(f, lay(f, f->rmsc, &o, &fig),
			      "figure width 10000 mm is too wide; expected at most 1200 mm");
	assert_null(fig);
}

/* The kind: --plot, --weighted, --no-overall where they land, the
 * bundle's "risk-of-bias" when the review has judgements, its cost. */
static void test_kind(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_figure_kind *k = &sm_figure_rob;
	assert_string_equal(k->name, "rob");
	assert_string_equal(k->positional, "plot");
	assert_int_equal(k->opts_size, sizeof(struct sm_rob_options));
	static const struct { const char *name; enum sm_fopt_type type; size_t offset; } want[] = {
		{ "plot", SM_FOPT_CHOICE, offsetof(struct sm_rob_options, plot) },
		{ "weighted", SM_FOPT_FLAG, offsetof(struct sm_rob_options, weighted) },
		{ "no-overall", SM_FOPT_UNFLAG, offsetof(struct sm_rob_options, overall) },
	};
	assert_int_equal(k->nopts, 3);
	for (size_t i = 0; i < k->nopts; i++) {
		assert_string_equal(k->opts[i].name, want[i].name);
		assert_int_equal(k->opts[i].type, want[i].type);
		assert_int_equal(k->opts[i].offset, want[i].offset);
	}
	const char *const *plot = k->opts[0].choices;
	assert_string_equal(plot[SM_ROB_BOTH], "both");
	assert_string_equal(plot[SM_ROB_TRAFFIC], "traffic");
	assert_string_equal(plot[SM_ROB_SUMMARY], "summary");
	assert_null(plot[3]);
	struct sm_rob_options o;
	memset(&o, 0x55, sizeof o);
	k->opts_init(&o);
	assert_null(o.common.analysis);
	assert_null(o.common.style);
	assert_null(o.common.width);
	assert_null(o.common.title);
	assert_true(o.common.dpi == 300);
	assert_int_equal(o.plot, SM_ROB_BOTH);
	assert_int_equal(o.weighted, 0);
	assert_int_equal(o.overall, 1);
	/* --plot takes the words of its choices and names them for any other */
	sm_render_expect_ok(f, sm_figure_opts_set(f->ctx, k, &o, &k->opts[0], "summary"));
	assert_int_equal(o.plot, SM_ROB_SUMMARY);
	sm_render_expect_fail(f, sm_figure_opts_set(f->ctx, k, &o, &k->opts[0], "bars"),
			      "'--plot': 'bars' is unknown; expected both, traffic or summary");
	assert_int_equal(o.plot, SM_ROB_SUMMARY);
	struct sm_figure_plan plan = { 0 };
	sm_render_expect_ok(f, k->plan(f->ctx, f->rmsc, &plan));
	assert_int_equal(plan.n, 1);
	assert_ptr_equal(plan.jobs[0].kind, k);
	assert_string_equal(plan.jobs[0].base, "risk-of-bias");
	assert_null(plan.jobs[0].arg);
	sm_figure_plan_release(&plan);
	const struct sm_res *without[] = { f->rsae, f->rtum, f->rallo };
	for (int i = 0; i < 3; i++) {
		assert_false(without[i]->review.risk_of_bias.present);
		sm_render_expect_ok(f, k->plan(f->ctx, without[i], &plan));
		assert_int_equal(plan.n, 0);
		sm_figure_plan_release(&plan);
	}
	assert_true(k->cost(f->rmsc, &o) == 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_msc_cells, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_msc_content, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_rob2_many, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_weighted, sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_traffic_shrinks, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(test_kind, sm_render_fx_setup, sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
